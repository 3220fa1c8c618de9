import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { isHttpUri, toHttpUri } from '../../src/lib';

// An independent judge of RFC 3986: ajv-formats' `uri`, the format SignalWire's spec gives every URL field.
const ajv = new Ajv2020();
addFormats(ajv);
const isUri = ajv.compile({ type: 'string', format: 'uri' });

const base = fc.constantFrom(
  'https://example.com',
  'http://127.0.0.1:1880',
  'https://user:pw@example.com:8443',
  'http://[::1]',
  'HTTPS://Example.COM',
);
/** What a person may type after the host: anything, letters and emoji included. */
const typedRest = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `/${s}`);
/** A tail that already is valid URI text: unreserved, sub-delims, : @ / ? and %XX. */
const uriRest = fc
  .array(
    fc.oneof(
      fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@/?".split('')),
      fc.constantFrom('%20', '%C3%A9', '%2F', '%25'),
    ),
    { maxLength: 20 },
  )
  .map((parts) => `/${parts.join('')}`);

describe('toHttpUri', () => {
  it('turns whatever a person types after the host into a valid URI, or refuses it', () => {
    fc.assert(
      fc.property(base, typedRest, (start, rest) => {
        const out = toHttpUri(start + rest);
        if (out === undefined) return;
        assert.ok(isUri(out), out);
        assert.ok(isHttpUri(out));
        // Nothing is lost: decoding gives back what was typed (a typed %XX is taken as the escape it is).
        if (!rest.includes('%')) assert.equal(decodeURIComponent(out.slice(start.length)), rest);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a URL that already is a valid URI byte for byte', () => {
    fc.assert(
      fc.property(base, uriRest, fc.option(fc.constantFrom('#top', '#a/b?c'), { nil: '' }), (start, rest, hash) => {
        const url = start + rest + hash;
        assert.ok(isUri(url), url);
        assert.equal(toHttpUri(url), url);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what it cannot fix without guessing', () => {
    for (const text of [
      'https://café.example/a',
      'https://exa mple.com/a',
      'https://example.com\\a',
      'https://example.com/a\nb',
      'https://example.com/a\tb',
      'https:///a',
      'https://',
      'ftp://example.com/a',
      'example.com/a',
      '/a',
      '',
    ]) {
      assert.equal(toHttpUri(text), undefined, JSON.stringify(text));
    }
  });

  it('encodes a space as %20 and é as its UTF-8 bytes, and a lone % as %25', () => {
    assert.equal(
      toHttpUri('https://e.com/hold music é.mp3?q=ü#ß'),
      'https://e.com/hold%20music%20%C3%A9.mp3?q=%C3%BC#%C3%9F',
    );
    assert.equal(toHttpUri('https://e.com/100%.mp3'), 'https://e.com/100%25.mp3');
  });
});
