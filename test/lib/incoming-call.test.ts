import assert from 'node:assert/strict';
import { readIncomingCall } from '../../src/lib/webhooks/incoming-call';
import { readIncomingCallSettings } from '../../src/lib/webhooks/incoming-call-settings';
import type { FormField } from '../../src/lib/webhooks/webhook-signature';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function request(fields: FormField[], headers: Record<string, string> = FORM, method = 'POST') {
  return { method, url: 'https://home.example.com/signalwire/incoming-call', body: 'x', fields, digest: 'd', headers };
}

describe('an incoming call, read from the request SignalWire makes to the voice URL', () => {
  const call: FormField[] = [
    ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
    ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66'],
    ['CallStatus', 'ringing'],
    ['From', '+15551230006'],
    ['To', '+15550100100'],
    ['toString', 'x'],
  ];

  it('gives from, to, callSid, callStatus and every field as received', () => {
    assert.deepEqual(readIncomingCall(request(call)), {
      ok: true,
      call: {
        from: '+15551230006',
        to: '+15550100100',
        callSid: 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66',
        callStatus: 'ringing',
        params: {
          AccountSid: '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e',
          CallSid: 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66',
          CallStatus: 'ringing',
          From: '+15551230006',
          To: '+15550100100',
          toString: 'x',
        },
      },
    });
  });

  it('refuses what is not a call: a field missing or empty, a prototype name, a body that is not a form', () => {
    const without = call.filter(([name]) => name !== 'To').map(([n, v]): FormField => [n, n === 'From' ? '' : v]);
    assert.deepEqual(readIncomingCall(request(without)), { ok: false, problem: 'missing', fields: ['From', 'To'] });
    assert.deepEqual(readIncomingCall(request([...call, ['__proto__', 'x']])), {
      ok: false,
      problem: 'unsafe-key',
      fields: ['__proto__'],
    });
    assert.deepEqual(readIncomingCall(request(call, { 'content-type': 'application/json' })), {
      ok: false,
      problem: 'not-form',
      fields: [],
    });
  });
});

describe('incoming call node settings', () => {
  it('defaults: the path, 5 s to answer, then reject', () => {
    const { settings, problems } = readIncomingCallSettings({});
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      path: '/signalwire/incoming-call',
      publicUrl: '',
      answerWithinMs: 5_000,
      fallback: 'reject',
      fallbackAnswer: { action: 'reject', reason: 'rejected' },
    });
  });

  it('takes seconds to a tenth from 0.5 to 10, as text or number', () => {
    for (const [given, ms] of [
      ['0.5', 500],
      [' 10 ', 10_000],
      [2.5, 2_500],
      ['', 5_000],
    ] as const) {
      const { settings, problems } = readIncomingCallSettings({ answerWithin: given });
      assert.deepEqual([settings.answerWithinMs, problems], [ms, []], String(given));
    }
    for (const given of ['0.4', '11', '1.25', '-1', 'soon', true]) {
      assert.deepEqual(readIncomingCallSettings({ answerWithin: given }).problems, [
        { field: 'answerWithin', value: String(given) },
      ]);
    }
  });

  it('answers with the fallback it is given; a message must be one that can be said', () => {
    const read = (fallback: unknown, fallbackText?: unknown) =>
      readIncomingCallSettings({ fallback, fallbackText }).settings.fallbackAnswer;
    assert.deepEqual(read('busy'), { action: 'reject', reason: 'busy' });
    assert.deepEqual(read('hangup'), { action: 'hangup' });
    assert.deepEqual(read('say', 'Nobody is home'), { action: 'say', text: 'Nobody is home' });
    assert.deepEqual(readIncomingCallSettings({ fallback: 'say', fallbackText: 'a\u0000b' }).problems, [
      { field: 'fallbackText', value: 'text cannot hold the character U+0000' },
    ]);
    assert.deepEqual(readIncomingCallSettings({ fallback: 'voicemail' }).problems, [
      { field: 'fallback', value: 'voicemail' },
    ]);
  });

  it('serves only plain path segments, and a public URL without a query', () => {
    assert.equal(readIncomingCallSettings({ path: 'door/bell' }).settings.path, '/door/bell');
    for (const path of ['/a/:id', '/a/*', '/../x', '/a b']) {
      assert.deepEqual(readIncomingCallSettings({ path }).problems, [{ field: 'path', value: path }]);
    }
    assert.deepEqual(readIncomingCallSettings({ publicUrl: 'https://h.example/p?q=1' }).problems, [
      { field: 'publicUrl', value: 'https://h.example/p?q=1' },
    ]);
  });
});
