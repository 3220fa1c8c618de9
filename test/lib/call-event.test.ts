import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCallCallback, readCallEvent } from '../../src/lib/webhooks/call-event';
import { judgeCallback } from '../../src/lib/webhooks/conference-callback';
import type { FormField } from '../../src/lib/webhooks/webhook-signature';

const CALL = 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66';

/** A call's status callback as SignalWire's VoiceStatusCallbackPayload describes it (the audio figures left out). */
const completed = (status: string): FormField[] => [
  ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
  ['ApiVersion', '2010-04-01'],
  ['CallbackSource', 'call-progress-events'],
  ['CallSid', CALL],
  ['CallStatus', status],
  ['Direction', 'outbound-api'],
  ['From', '+15550100100'],
  ['To', '+15551230006'],
  ['SequenceNumber', '3'],
  ['Timestamp', 'Tue, 01 Dec 2026 18:00:00 +0000'],
  ['CallDuration', '42'],
  ['SipResultCode', '200'],
  ['AudioInMos', '0.0'],
];

describe('call event reading', () => {
  it('names each status as the flow sees it: one event per status, "answered" for in-progress', () => {
    const topics = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed'].map(
      (status) => {
        const reading = readCallEvent(completed(status));
        assert.ok(reading.ok, status);
        return reading.event.event;
      },
    );
    assert.deepEqual(topics, [
      'call-initiated',
      'call-initiated',
      'call-ringing',
      'call-answered',
      'call-completed',
      'call-busy',
      'call-no-answer',
      'call-failed',
    ]);
  });

  it('gives the fields a flow needs, numbers as numbers, and every field as received', () => {
    const fields = completed('completed');
    assert.deepEqual(readCallEvent(fields), {
      ok: true,
      event: {
        event: 'call-completed',
        callSid: CALL,
        callStatus: 'completed',
        from: '+15550100100',
        to: '+15551230006',
        direction: 'outbound-api',
        duration: 42,
        sipResultCode: '200',
        timestamp: 'Tue, 01 Dec 2026 18:00:00 +0000',
        sequenceNumber: 3,
        params: Object.fromEntries(fields),
      },
    });
  });

  it('tells a call callback from a conference one: no ConferenceSid, no StatusCallbackEvent, a CallStatus', () => {
    assert.equal(isCallCallback(completed('ringing')), true);
    assert.equal(isCallCallback([...completed('ringing'), ['ConferenceSid', CALL]]), false);
    assert.equal(isCallCallback([...completed('ringing'), ['StatusCallbackEvent', 'participant-join']]), false);
    assert.equal(isCallCallback([['CallSid', CALL]]), false);
  });

  it('refuses a call callback without its call or with a status that is no word, and unsafe names', () => {
    assert.deepEqual(readCallEvent([['CallStatus', 'ringing']]), {
      ok: false,
      problem: 'missing',
      fields: ['CallSid'],
    });
    assert.deepEqual(
      readCallEvent([
        ['CallSid', CALL],
        ['CallStatus', 'Ringing!'],
      ]),
      { ok: false, problem: 'missing', fields: ['CallStatus'] },
    );
    assert.equal(readCallEvent([...completed('ringing'), ['__proto__', 'x']]).ok, false);
    // A status SignalWire may add later keeps its own name.
    const later = readCallEvent(completed('answering-machine'));
    assert.ok(later.ok);
    assert.equal(later.event.event, 'call-answering-machine');
  });

  it('is judged 204 by a conference events node, filtered like any event', () => {
    const request = (fields: FormField[]) => ({
      method: 'POST',
      url: 'https://home.example.com/signalwire/conference-events',
      body: new URLSearchParams(fields as Array<[string, string]>).toString(),
      fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const all = judgeCallback(request(completed('no-answer')), []);
    assert.ok(all.status === 204 && all.passOn && all.event.event === 'call-no-answer');
    const joinsOnly = judgeCallback(request(completed('no-answer')), ['participant-join']);
    assert.ok(joinsOnly.status === 204 && !joinsOnly.passOn);
    const broken = judgeCallback(request([['CallStatus', 'ringing']]), []);
    assert.deepEqual(broken, { status: 400, problem: 'missing', fields: ['CallSid'] });
  });

  it('never throws, whatever the fields; a message is always a string-keyed copy of what came', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('CallSid', 'CallStatus', 'To', 'CallDuration', 'x'), fc.string()), {
          maxLength: 8,
        }),
        (fields) => {
          const reading = readCallEvent(fields);
          if (!reading.ok) return;
          assert.match(reading.event.event, /^call-[a-z]+(-[a-z]+)*$/);
          assert.ok(reading.event.duration === undefined || Number.isInteger(reading.event.duration));
        },
      ),
    );
  });
});
