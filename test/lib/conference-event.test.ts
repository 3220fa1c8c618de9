import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readConferenceEvent } from '../../src/lib/webhooks/conference-event';
import type { FormField } from '../../src/lib/webhooks/webhook-signature';

const CONFERENCE = '3f8e2b1a-6c4d-4e9f-8a7b-1c2d3e4f5a60';
const CALL = 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66';

const JOIN: FormField[] = [
  ['ConferenceSid', CONFERENCE],
  ['FriendlyName', 'Weekly sync'],
  ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
  ['Timestamp', 'Tue, 01 Dec 2026 18:00:00 +0000'],
  ['StatusCallbackEvent', 'participant-join'],
  ['CallSid', CALL],
  ['Muted', 'false'],
  ['Hold', 'false'],
  ['EndConferenceOnExit', 'false'],
  ['StartConferenceOnEnter', 'true'],
  ['SequenceNumber', '3'],
  ['From', ''],
];

describe('conference event reading', () => {
  it('gives a participant event its fields, booleans as booleans, and every field as received', () => {
    assert.deepEqual(readConferenceEvent(JOIN), {
      ok: true,
      event: {
        event: 'participant-join',
        conferenceSid: CONFERENCE,
        friendlyName: 'Weekly sync',
        callSid: CALL,
        muted: false,
        hold: false,
        startConferenceOnEnter: true,
        endConferenceOnExit: false,
        timestamp: 'Tue, 01 Dec 2026 18:00:00 +0000',
        sequenceNumber: 3,
        params: Object.fromEntries(JOIN),
      },
    });
  });

  it('leaves out what a conference event does not carry, and what is empty or not a boolean', () => {
    const reading = readConferenceEvent([
      ['StatusCallbackEvent', 'conference-start'],
      ['ConferenceSid', CONFERENCE],
      ['FriendlyName', ''],
      ['Muted', 'maybe'],
      ['SequenceNumber', 'x1'],
    ]);
    assert.ok(reading.ok);
    assert.deepEqual(Object.keys(reading.event).sort(), ['conferenceSid', 'event', 'params']);
    assert.deepEqual(reading.event.params, {
      StatusCallbackEvent: 'conference-start',
      ConferenceSid: CONFERENCE,
      FriendlyName: '',
      Muted: 'maybe',
      SequenceNumber: 'x1',
    });
  });

  it('names the required fields that are missing or empty', () => {
    assert.deepEqual(readConferenceEvent([['ConferenceSid', '']]), {
      ok: false,
      problem: 'missing',
      fields: ['ConferenceSid', 'StatusCallbackEvent'],
    });
    assert.deepEqual(readConferenceEvent([['ConferenceSid', CONFERENCE]]), {
      ok: false,
      problem: 'missing',
      fields: ['StatusCallbackEvent'],
    });
  });

  it('refuses field names that would rewrite prototypes', () => {
    assert.deepEqual(readConferenceEvent([...JOIN, ['__proto__', 'x']]), {
      ok: false,
      problem: 'unsafe-key',
      fields: ['__proto__'],
    });
  });

  it('keeps every field of any form, a repeated name as its values in order', () => {
    // Names of Object's own methods too: a form may carry them, and they must stay plain values.
    const name = fc.constantFrom('A', 'B', 'Muted', 'Timestamp', 'é', 'toString', 'hasOwnProperty', 'valueOf');
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ unit: 'binary', maxLength: 5 }))), (extra) => {
        const fields = [...JOIN.slice(0, 5), ...(extra as FormField[])];
        const reading = readConferenceEvent(fields);
        assert.ok(reading.ok);
        const flattened = Object.entries(reading.event.params).flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map((value) => `${k}=${value}`),
        );
        const sent = fields.map(([k, v]) => `${k}=${v}`);
        assert.deepEqual([...flattened].sort(), [...sent].sort());
        for (const [k, v] of Object.entries(reading.event.params)) {
          assert.ok(typeof v === 'string' || (Array.isArray(v) && v.every((one) => typeof one === 'string')), k);
          assert.deepEqual(
            Array.isArray(v) ? v : [v],
            fields.filter(([n]) => n === k).map(([, value]) => value),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives fields named like Object methods their own string values, and nothing inherited', () => {
    const reading = readConferenceEvent([
      ...JOIN,
      ['toString', 'a'],
      ['hasOwnProperty', 'b'],
      ['hasOwnProperty', 'c'],
      ['valueOf', ''],
    ]);
    assert.ok(reading.ok);
    const { params } = reading.event;
    assert.equal(params.toString, 'a');
    assert.deepEqual(params.hasOwnProperty, ['b', 'c']);
    assert.equal(params.valueOf, '');
    assert.equal(params.isPrototypeOf, Object.prototype.isPrototypeOf, 'a name not sent is not in params');
    assert.deepEqual(
      Object.entries(params).filter(([, v]) => typeof v !== 'string' && !Array.isArray(v)),
      [],
    );
    assert.equal(JSON.parse(JSON.stringify(params)).hasOwnProperty[1], 'c');
  });

  it('keeps 21 000 values of one repeated name, in order (a 64 KiB form)', () => {
    const repeats = Array.from({ length: 21_000 }, (_, i): FormField => ['Pad', String(i % 10)]);
    const reading = readConferenceEvent([...JOIN, ...repeats]);
    assert.ok(reading.ok);
    const pad = reading.event.params.Pad as string[];
    assert.equal(pad.length, 21_000);
    assert.deepEqual(pad.slice(0, 12), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '1']);
  });
});
