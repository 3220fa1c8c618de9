import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { readCxml } from '../../src/emulator/cxml-reader';
import { buildCxml, joinUrl, readJoinUrl, SignalWireError, toHttpUri, validateJoinOptions } from '../../src/lib';

const BASE = 'https://home.example.com/signalwire/join';

/** Parses: any error of the parser fails (its warnings are no XML errors; a bare `&` is readCxml's to find). */
function parseStrictly(xml: string): Document {
  const problems: string[] = [];
  const onError = (level: string, message: unknown): void => {
    if (level !== 'warning') problems.push(`${level} ${String(message)}`);
  };
  const document = new DOMParser({ onError }).parseFromString(xml, 'text/xml');
  assert.deepEqual(problems, [], xml);
  return document as unknown as Document;
}

/** Runs `fn`; a validation error is a refusal (returned as false), anything else fails the property. */
function accepted(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (error instanceof SignalWireError && error.source === 'validation') return false;
    throw error;
  }
}

/** Text as people type it, plus the characters that matter to XML and URLs. */
const typed = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc.string({
    unit: fc.constantFrom(
      '&',
      '<',
      '>',
      '"',
      "'",
      ']',
      ';',
      '#',
      'a',
      ' ',
      '\n',
      '\u0000',
      '\ud800',
      'é',
      '\r',
      '\u2028',
    ),
    maxLength: 20,
  }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

describe('cXML, fuzzed', () => {
  it('a room name is refused only for a reason, and otherwise reads back exactly, to the parser and the emulator', () => {
    const unwritable =
      // eslint-disable-next-line no-control-regex -- the characters XML cannot carry unchanged
      /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    let written = 0;
    fc.assert(
      fc.property(typed, (room) => {
        let xml = '';
        const ok = accepted(() => (xml = buildCxml({ action: 'join', room })));
        const shouldRefuse = room.trim() === '' || room.trim() !== room || room.length > 64 || unwritable.test(room);
        assert.equal(ok, !shouldRefuse, JSON.stringify(room));
        if (!ok) return;
        written += 1;
        const conference = parseStrictly(xml).getElementsByTagName('Conference')[0]!;
        assert.equal(conference.textContent, room);
        const [dial] = readCxml(xml);
        assert.equal(dial!.verb === 'Dial' && dial.conference.name, room);
      }),
      { numRuns: 1000 },
    );
    assert.ok(written > 300, `most typed names are written: ${written} of 1000`);
  });

  it('what is said reads back exactly, and a typed URL is written as the URI it became, or refused', () => {
    fc.assert(
      fc.property(typed, fc.string({ unit: 'grapheme', maxLength: 20 }), (text, tail) => {
        let xml = '';
        if (accepted(() => (xml = buildCxml({ action: 'say', text })))) {
          assert.equal(parseStrictly(xml).getElementsByTagName('Say')[0]!.textContent, text);
          assert.deepEqual(readCxml(xml)[0], { verb: 'Say', text, loop: 1 });
        }
        const waitUrl = `https://media.example.com/${tail}`;
        if (accepted(() => (xml = buildCxml({ action: 'join', room: 'R', waitUrl, statusCallback: waitUrl })))) {
          const conference = parseStrictly(xml).getElementsByTagName('Conference')[0]!;
          const written = conference.getAttribute('waitUrl')!;
          assert.equal(conference.getAttribute('statusCallback'), written);
          assert.equal(written, toHttpUri(waitUrl.trim()), 'the URI the typed URL became, exactly');
          assert.equal(new URL(written).origin, 'https://media.example.com');
          assert.doesNotThrow(() => readCxml(xml));
        }
      }),
      { numRuns: 500 },
    );
  });

  const joinOptions = fc.record(
    {
      room: typed,
      muted: fc.boolean(),
      startConferenceOnEnter: fc.boolean(),
      endConferenceOnExit: fc.boolean(),
      beep: fc.constantFrom(true, false, 'onEnter', 'onExit', 'true', 'false'),
      waitUrl: fc.oneof(
        fc.constant(''),
        fc.string({ maxLength: 12 }).map((s) => `https://m.example.com/${s}`),
      ),
      statusCallback: fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `https://h.example.com/e?${s}`),
    },
    { requiredKeys: ['room'] },
  );

  it('the join URL reads back as the options that wrote it, whatever they were', () => {
    let written = 0;
    fc.assert(
      fc.property(joinOptions, (options) => {
        let url = '';
        if (!accepted(() => (url = joinUrl(BASE, options)))) {
          assert.equal(
            accepted(() => validateJoinOptions(options)),
            false,
            'refused only when the options are',
          );
          return;
        }
        written += 1;
        assert.ok(url.startsWith(`${BASE}?`));
        assert.deepEqual(readJoinUrl(new URL(url).search), validateJoinOptions(options));
        // What the route answers parses and runs.
        assert.doesNotThrow(() => readCxml(buildCxml({ action: 'join', ...readJoinUrl(new URL(url).searchParams) })));
      }),
      { numRuns: 500 },
    );
    assert.ok(written > 200, `${written} of 500`);
  });

  it('any query sent to the join route is read as valid options or refused with a validation error', () => {
    const name = fc.constantFrom('room', 'muted', 'beep', 'waitUrl', 'statusCallback', 'startConferenceOnEnter', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(name, typed), { maxLength: 5 }), fc.string({ maxLength: 30 }), (pairs, raw) => {
        for (const query of [new URLSearchParams(pairs).toString(), raw]) {
          let options;
          if (accepted(() => (options = readJoinUrl(query)))) {
            assert.doesNotThrow(() => readCxml(buildCxml({ action: 'join', ...options! })));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
