import assert from 'node:assert/strict';
import { resolveBaseUrl, SignalWireError } from '../../src/lib';

describe('resolveBaseUrl', () => {
  it('turns a space name into its signalwire.com URL', () => {
    assert.equal(resolveBaseUrl('example'), 'https://example.signalwire.com');
    assert.equal(resolveBaseUrl('  My-Space '), 'https://my-space.signalwire.com');
  });

  it('turns a host into an https URL', () => {
    assert.equal(resolveBaseUrl('example.signalwire.com'), 'https://example.signalwire.com');
    assert.equal(resolveBaseUrl('proxy.example.org:8443'), 'https://proxy.example.org:8443');
  });

  it('keeps a full https URL, dropping a trailing slash and keeping a path prefix', () => {
    assert.equal(resolveBaseUrl('https://example.signalwire.com/'), 'https://example.signalwire.com');
    assert.equal(resolveBaseUrl('https://proxy.example.org/signalwire/'), 'https://proxy.example.org/signalwire');
  });

  it('allows plain http to loopback hosts only', () => {
    assert.equal(resolveBaseUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(resolveBaseUrl('http://localhost:8080/'), 'http://localhost:8080');
    assert.equal(resolveBaseUrl('http://[::1]:8080'), 'http://[::1]:8080');
  });

  const refused: Array<[string, RegExp]> = [
    ['', /space is missing/],
    ['   ', /space is missing/],
    ['http://example.signalwire.com', /plain http:\/\/ to a host that is not this machine/],
    ['http://10.0.0.5:8080', /plain http:\/\//],
    ['ftp://example.com', /must be an https:\/\/ URL/],
    ['https://user:pw@example.com', /must not contain a user name or password/],
    ['https://example.com/?x=1', /must not have a query/],
    ['example.signalwire.com/path', /is not a space name/],
    ['exa mple', /is not a space name/],
    ['../etc', /is not a space name/],
    ['-bad-', /is not a space name/],
    ['https://exa mple.com', /is not a valid URL/],
  ];
  // Each of these used to be quoted whole by an earlier check (plain http, scheme, URL syntax, host syntax).
  const withPassword = [
    'http://proj:s3cretpass@example.com',
    'ftp://proj:s3cretpass@example.com',
    'https://proj:s3cretpass@exa mple.com',
    'proj:s3cretpass@example.signalwire.com',
    'https://proj:s3cretpass@example.com/path?x=1',
  ];
  for (const space of withPassword) {
    it(`refuses ${space.replace('s3cretpass', '…')} as holding a password, without quoting it`, () => {
      assert.throws(
        () => resolveBaseUrl(space),
        (error: unknown) =>
          error instanceof SignalWireError &&
          /must not contain a user name or password/.test(error.message) &&
          !error.message.includes('s3cretpass'),
      );
    });
  }

  it('still accepts an @ in the path of a URL', () => {
    assert.equal(resolveBaseUrl('https://proxy.example.org/team@sw'), 'https://proxy.example.org/team@sw');
  });

  for (const [space, message] of refused) {
    it(`refuses ${JSON.stringify(space)} with a message naming the space`, () => {
      assert.throws(
        () => resolveBaseUrl(space),
        (error: unknown) =>
          error instanceof SignalWireError && error.source === 'validation' && message.test(error.message),
      );
    });
  }
});
