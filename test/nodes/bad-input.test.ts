import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import {
  credentialsOf,
  input,
  participantFlow,
  Recorder,
  settle,
  statusesOf,
  type FlowOptions,
  type Msg,
} from './flow-kit';

const CONFERENCE = DEMO_SIDS.weeklySync;
const BOB = DEMO_SIDS.bob;

/**
 * Each case: what a flow might send, and what the message on output 2 must say. None may reach SignalWire,
 * none may crash the runtime, and the message comes back with its payload as it was sent.
 */
const CASES: Array<{ title: string; msg: () => Msg; says: RegExp; node?: FlowOptions['node'] }> = [
  {
    title: 'a missing conference SID',
    msg: () => ({ callSid: BOB, payload: { muted: true } }),
    says: /Conference SID is missing: msg\.conferenceSid is not set/,
  },
  {
    title: 'a missing call SID',
    msg: () => ({ conferenceSid: CONFERENCE, payload: { muted: true } }),
    says: /Call SID is missing: msg\.callSid is not set/,
  },
  {
    title: 'an empty fixed call SID in the form',
    msg: () => ({ conferenceSid: CONFERENCE, payload: { muted: true } }),
    node: { callSid: '', callSidType: 'str' },
    says: /Call SID is missing: the Call SID field is not set/,
  },
  {
    title: 'a call SID that is not a UUID',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: 'CA123', payload: { muted: true } }),
    says: /callSid must be a call SID, a UUID \(got "CA123"\)/,
  },
  {
    title: 'a path trick in the conference SID',
    msg: () => ({ conferenceSid: '../../../Accounts', callSid: BOB, payload: { muted: true } }),
    says: /conferenceSid must be a conference SID, a UUID/,
  },
  {
    title: 'a SID followed by a path',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: `${BOB}/../x`, payload: { muted: true } }),
    says: /callSid must be a call SID/,
  },
  {
    title: 'a number as SID',
    msg: () => ({ conferenceSid: 42, callSid: BOB, payload: { muted: true } }),
    says: /conferenceSid must be a conference SID, a UUID \(got 42\)/,
  },
  {
    title: 'muted as a number',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { muted: 1 } }),
    says: /muted must be true or false \(got 1\)/,
  },
  {
    title: 'hold as a word',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { hold: 'yes' } }),
    says: /hold must be true or false/,
  },
  {
    title: 'an unknown method',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { hold: true, holdMethod: 'PUT' } }),
    says: /holdMethod must be GET or POST \(got "PUT"\)/,
  },
  {
    title: 'a URL that is not http(s)',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { announceUrl: 'ftp://example.com/a.mp3' } }),
    says: /announceUrl must be an absolute http:\/\/ or https:\/\/ URL/,
  },
  {
    title: 'coaching without the call to coach',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { coaching: true } }),
    says: /callSidToCoach is required when coaching is true/,
  },
  {
    title: 'a message that changes nothing',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { unrelated: 1 } }),
    says: /nothing to update/,
  },
  {
    title: 'a __proto__ key in msg.payload',
    msg: () => ({
      conferenceSid: CONFERENCE,
      callSid: BOB,
      payload: JSON.parse('{"muted": true, "__proto__": {"polluted": 1}}'),
    }),
    says: /msg\.payload\.__proto__ is refused: keys named __proto__, constructor or prototype/,
  },
  {
    title: 'a constructor key deep in msg.payload',
    msg: () => ({
      conferenceSid: CONFERENCE,
      callSid: BOB,
      // Merged naively into plain objects, this would give every object a `polluted` property.
      payload: { muted: true, meta: [{ constructor: { prototype: { polluted: 1 } } }] },
    }),
    says: /msg\.payload\.meta\[0\]\.constructor is refused/,
  },
  {
    title: 'a JSONata expression that cannot run',
    msg: () => ({ conferenceSid: CONFERENCE, callSid: BOB, payload: { muted: true } }),
    node: { hold: '$nosuchfunction(', holdType: 'jsonata' },
    says: /Could not read Hold from JSONata \$nosuchfunction\(/,
  },
];

describe('participant update node: bad input', function () {
  let emulator: Emulator;

  before(async () => {
    await startRuntime();
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
    await stopRuntime();
  });
  beforeEach(() => emulator.stats.reset());
  afterEach(() => helper.unload());

  // What every object inherits, before the message: a pollution would add to it.
  const inherited = Object.getOwnPropertyNames(Object.prototype).sort();
  afterEach(() => {
    // Undo a pollution, so one failure does not spread to the next tests.
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      if (!inherited.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
    }
  });

  for (const { title, msg, says, node } of CASES) {
    it(`refuses ${title} on output 2, saying what to fix, and sends nothing`, async () => {
      await helper.load(signalwireNodes, participantFlow(emulator, { node }), credentialsOf(emulator));
      const out = new Recorder();
      const sent = msg();
      const payloadBefore = JSON.stringify(sent.payload);
      input('n1', sent);
      await out.until(1, 'ok', 'bad');
      await settle();
      assert.equal(out.count('ok'), 0);
      assert.equal(out.count('bad'), 1);
      const failed = out.got.bad![0]!;
      assert.equal(failed.error.source, 'validation');
      assert.match(failed.error.message, says);
      assert.equal(JSON.stringify(failed.payload), payloadBefore);
      assert.equal(failed.statusCode, undefined);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'invalid input' });
      assert.equal(emulator.stats.requests, 0);
      assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), inherited, 'Object.prototype was polluted');
    });
  }

  it('answers every message on output 2 when the connection settings are invalid, and says why', async () => {
    await helper.load(
      signalwireNodes,
      participantFlow(emulator, { config: { space: 'http://10.0.0.5:8080' } }),
      credentialsOf(emulator),
    );
    const out = new Recorder();
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'check settings' });
    for (let i = 0; i < 3; i++) input('n1', { conferenceSid: CONFERENCE, callSid: BOB, payload: { muted: true } });
    await out.until(3, 'bad');
    await settle();
    assert.equal(out.count('ok'), 0);
    for (const failed of out.got.bad!)
      assert.match(failed.error.message, /plain http:\/\/ to a host that is not this machine/);
    assert.equal(emulator.stats.requests, 0);
  });

  it('answers on output 2 when no connection is chosen', async () => {
    const flow = participantFlow(emulator).map((n) => (n.id === 'n1' ? { ...n, signalwire: '' } : n));
    await helper.load(signalwireNodes, flow, credentialsOf(emulator));
    const out = new Recorder();
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'no connection' });
    input('n1', { conferenceSid: CONFERENCE, callSid: BOB, payload: { muted: true } });
    await out.until(1, 'bad');
    assert.match(out.got.bad![0]!.error.message, /Choose a SignalWire connection/);
  });

  it('keeps working after bad input: the next good message goes through', async () => {
    await helper.load(signalwireNodes, participantFlow(emulator), credentialsOf(emulator));
    const out = new Recorder();
    input('n1', { conferenceSid: 'nope', callSid: BOB, payload: null });
    input('n1', { conferenceSid: CONFERENCE, callSid: BOB, payload: 'a string' });
    input('n1', { conferenceSid: CONFERENCE, callSid: BOB, payload: { muted: true } });
    await out.until(3, 'ok', 'bad');
    assert.equal(out.count('bad'), 2);
    assert.equal(out.count('ok'), 1);
    assert.equal(emulator.stats.requests, 1);
  });
});
