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

describe('participant update node', function () {
  let emulator: Emulator;

  before(async () => {
    await startRuntime();
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
    await stopRuntime();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.stats.reset();
  });
  afterEach(() => helper.unload());

  async function deploy(options: FlowOptions = {}): Promise<Recorder> {
    await helper.load(signalwireNodes, participantFlow(emulator, options), credentialsOf(emulator));
    return new Recorder();
  }

  /** Sends one message and waits for its outcome on output 1 or 2. */
  async function run(msg: Msg, options: FlowOptions = {}): Promise<{ out: Recorder; msg: Msg }> {
    const out = await deploy(options);
    input('n1', msg);
    await out.until(1, 'ok', 'bad');
    await settle();
    return { out, msg };
  }

  const participant = (callSid: string) => emulator.getParticipant(CONFERENCE, callSid)!;

  describe('reads each field from the message by default', () => {
    const cases: Array<[string, unknown, string, unknown]> = [
      ['muted', true, 'muted', true],
      ['hold', true, 'hold', true],
      ['holdUrl', 'https://example.com/hold.mp3', 'hold_url', 'https://example.com/hold.mp3'],
      ['holdMethod', 'post', 'hold_method', 'POST'],
      ['announceUrl', 'https://example.com/announce.xml', 'announce_url', 'https://example.com/announce.xml'],
      ['announceMethod', 'GET', 'announce_method', 'GET'],
      ['waitUrl', 'https://example.com/wait.mp3', 'wait_url', 'https://example.com/wait.mp3'],
      ['waitMethod', 'GET', 'wait_method', 'GET'],
    ];
    for (const [name, value, field, expected] of cases) {
      it(`sends msg.payload.${name} and the participant shows it`, async () => {
        const { out } = await run({ conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { [name]: value } });
        assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
        assert.equal((participant(DEMO_SIDS.bob) as unknown as Record<string, unknown>)[field], expected);
      });
    }

    it('sends msg.payload.coaching with msg.payload.callSidToCoach', async () => {
      await run({
        conferenceSid: CONFERENCE,
        callSid: DEMO_SIDS.dave,
        payload: { coaching: true, callSidToCoach: DEMO_SIDS.carol },
      });
      assert.equal(participant(DEMO_SIDS.dave).coaching, true);
      assert.equal(participant(DEMO_SIDS.dave).call_sid_to_coach, DEMO_SIDS.carol);
    });

    it('reads the conference and call from msg.conferenceSid and msg.callSid', async () => {
      const { out } = await run({ conferenceSid: CONFERENCE, callSid: DEMO_SIDS.carol, payload: { muted: true } });
      assert.equal(out.got.ok![0]!.payload.call_sid, DEMO_SIDS.carol);
      assert.equal(participant(DEMO_SIDS.carol).muted, true);
      assert.equal(participant(DEMO_SIDS.bob).muted, false);
    });
  });

  describe('takes fixed values from the form', () => {
    const cases: Array<[string, string, string, string, unknown]> = [
      ['muted', 'bool', 'true', 'muted', true],
      ['hold', 'bool', 'true', 'hold', true],
      ['holdUrl', 'str', 'https://example.com/music.mp3', 'hold_url', 'https://example.com/music.mp3'],
      ['holdMethod', 'method', 'POST', 'hold_method', 'POST'],
      ['announceUrl', 'str', 'https://example.com/hello.xml', 'announce_url', 'https://example.com/hello.xml'],
      ['announceMethod', 'method', 'GET', 'announce_method', 'GET'],
      ['waitUrl', 'str', 'https://example.com/wait.xml', 'wait_url', 'https://example.com/wait.xml'],
      ['waitMethod', 'method', 'POST', 'wait_method', 'POST'],
    ];
    for (const [name, type, value, field, expected] of cases) {
      it(`sends ${name} set in the form as ${type} "${value}"`, async () => {
        const { out } = await run(
          { payload: 'anything' },
          {
            node: {
              conferenceSid: CONFERENCE,
              conferenceSidType: 'str',
              callSid: DEMO_SIDS.bob,
              callSidType: 'str',
              [name]: value,
              [`${name}Type`]: type,
            },
          },
        );
        assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
        assert.equal((participant(DEMO_SIDS.bob) as unknown as Record<string, unknown>)[field], expected);
      });
    }

    it('sends coaching and the call to coach set in the form', async () => {
      await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.dave },
        {
          node: { coaching: 'true', coachingType: 'bool', callSidToCoach: DEMO_SIDS.carol, callSidToCoachType: 'str' },
        },
      );
      assert.equal(participant(DEMO_SIDS.dave).coaching, true);
      assert.equal(participant(DEMO_SIDS.dave).call_sid_to_coach, DEMO_SIDS.carol);
    });

    it("sends no Beep, from an older flow's beep field or from msg.payload.beep (the API has none)", async () => {
      const { out } = await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true, beep: 'onExit' } },
        { node: { beep: 'onEnter', beepType: 'beep' } },
      );
      // The emulator refuses a form with a field the API does not define, so output 1 means no Beep was sent.
      assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
      assert.equal(out.count('ok'), 1);
      assert.equal(participant(DEMO_SIDS.bob).muted, true);
    });

    it('sends a hold URL typed with a space and an é percent-encoded', async () => {
      const { out } = await run({
        conferenceSid: CONFERENCE,
        callSid: DEMO_SIDS.bob,
        payload: { holdUrl: "https://example.com/musique d'été.mp3" },
      });
      assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
      assert.equal(participant(DEMO_SIDS.bob).hold_url, "https://example.com/musique%20d'%C3%A9t%C3%A9.mp3");
    });

    it('sends false from a bool field (unmute)', async () => {
      await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.dave },
        { node: { muted: 'false', mutedType: 'bool' } },
      );
      assert.equal(participant(DEMO_SIDS.dave).muted, false);
    });
  });

  describe('reads other typedInput sources', () => {
    it('reads the conference from global context, the call from flow context and muted from env', async () => {
      process.env.TEST_SW_MUTED = 'true';
      try {
        const out = await deploy({
          node: {
            conferenceSid: 'conference',
            conferenceSidType: 'global',
            callSid: 'call',
            callSidType: 'flow',
            muted: 'TEST_SW_MUTED',
            mutedType: 'env',
          },
        });
        const n1 = helper.getNode('n1');
        n1.context().global.set('conference', CONFERENCE);
        n1.context().flow.set('call', DEMO_SIDS.alice);
        input('n1', { payload: {} });
        await out.until(1, 'ok', 'bad');
        assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
        assert.equal(participant(DEMO_SIDS.alice).muted, true);
      } finally {
        delete process.env.TEST_SW_MUTED;
      }
    });

    it('names the environment variable an option reads from when it is not set, and sends nothing', async () => {
      delete process.env.TEST_SW_UNSET_MUTED;
      const { out } = await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { hold: true } },
        { node: { muted: 'TEST_SW_UNSET_MUTED', mutedType: 'env' } },
      );
      const failed = out.got.bad![0]!;
      assert.equal(failed.error.source, 'validation');
      assert.equal(
        failed.error.message,
        'Could not read Muted from env TEST_SW_UNSET_MUTED: the environment variable is not set, or is empty',
      );
      assert.equal(emulator.stats.requests, 0);
    });

    it('says a field set to read a msg property, with no property given, is empty', async () => {
      const { out } = await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } },
        { node: { conferenceSid: '', conferenceSidType: 'msg' } },
      );
      const failed = out.got.bad![0]!;
      assert.equal(failed.error.source, 'validation');
      assert.equal(
        failed.error.message,
        "The Conference SID field is empty: give the msg property to read (such as msg.conferenceSid) in the node's settings",
      );
      assert.equal(emulator.stats.requests, 0);
    });

    it('reads message properties written with brackets or a msg. prefix', async () => {
      const { out } = await run(
        { conferenceSid: CONFERENCE, sids: { 'the call': DEMO_SIDS.bob }, payload: { state: { muted: true } } },
        { node: { callSid: 'sids["the call"]', muted: 'msg.payload.state.muted' } },
      );
      assert.equal(out.count('ok'), 1, JSON.stringify(out.got.bad?.[0]?.error));
      assert.equal(participant(DEMO_SIDS.bob).muted, true);
    });

    it('evaluates a JSONata expression (hold when the caller asked to wait)', async () => {
      const { out } = await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { action: 'wait' } },
        { node: { hold: 'payload.action = "wait"', holdType: 'jsonata' } },
      );
      assert.equal(out.count('ok'), 1);
      assert.equal(participant(DEMO_SIDS.bob).hold, true);
    });
  });

  describe('precedence and leaving things unchanged', () => {
    it('uses a fixed form value over the message', async () => {
      await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } },
        { node: { muted: 'false', mutedType: 'bool', hold: 'true', holdType: 'bool' } },
      );
      assert.equal(participant(DEMO_SIDS.bob).muted, false);
      assert.equal(participant(DEMO_SIDS.bob).hold, true);
    });

    it('uses a fixed call SID from the form over msg.callSid', async () => {
      await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } },
        { node: { callSid: DEMO_SIDS.carol, callSidType: 'str' } },
      );
      assert.equal(participant(DEMO_SIDS.carol).muted, true);
      assert.equal(participant(DEMO_SIDS.bob).muted, false);
    });

    it('leaves what the message does not mention as it was', async () => {
      // Dave starts muted; putting him on hold must not unmute him.
      assert.equal(participant(DEMO_SIDS.dave).muted, true);
      const { out } = await run({ conferenceSid: CONFERENCE, callSid: DEMO_SIDS.dave, payload: { hold: true } });
      assert.equal(participant(DEMO_SIDS.dave).muted, true);
      assert.equal(participant(DEMO_SIDS.dave).hold, true);
      assert.equal(participant(DEMO_SIDS.dave).hold_url, null);
      assert.equal(out.got.ok![0]!.payload.muted, true);
    });

    it('ignores the message for a field set to "unchanged"', async () => {
      await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.dave, payload: { muted: false, hold: true } },
        { node: { mutedType: 'unchanged', muted: '' } },
      );
      assert.equal(participant(DEMO_SIDS.dave).muted, true);
      assert.equal(participant(DEMO_SIDS.dave).hold, true);
    });
  });

  describe('output 1', () => {
    it('sends the same message with the participant as payload and statusCode 200, other properties kept', async () => {
      const msg: Msg = {
        conferenceSid: CONFERENCE,
        callSid: DEMO_SIDS.bob,
        payload: { muted: true },
        topic: 'mute',
        custom: { a: 1 },
      };
      const { out } = await run(msg);
      assert.equal(out.count('ok'), 1);
      assert.equal(out.count('bad'), 0);
      const result = out.got.ok![0]!;
      assert.equal(result._msgid, msg._msgid);
      assert.equal(result.topic, 'mute');
      assert.deepEqual(result.custom, { a: 1 });
      assert.equal(result.statusCode, 200);
      assert.equal(result.payload.call_sid, DEMO_SIDS.bob);
      assert.equal(result.payload.conference_sid, CONFERENCE);
      assert.equal(result.payload.muted, true);
      assert.equal(result.error, undefined);
    });

    it('shows the new state as a green dot, e.g. "muted · on hold"', async () => {
      await run({ conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true, hold: true } });
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'muted · on hold' });
    });

    it('keeps the status short when every state is on ("muted · on hold +1")', async () => {
      await run({
        conferenceSid: CONFERENCE,
        callSid: DEMO_SIDS.dave,
        payload: { muted: true, hold: true, coaching: true, callSidToCoach: DEMO_SIDS.carol },
      });
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'muted · on hold +1' });
    });

    it('accepts a payload that refers to itself', async () => {
      const payload: Record<string, unknown> = { muted: true };
      payload.self = payload;
      const { out } = await run({ conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload });
      assert.equal(out.count('ok'), 1, JSON.stringify(out.got.bad?.[0]?.error?.message));
    });

    it('drops the error of an earlier failed attempt when a retried message succeeds', async () => {
      const { out } = await run({
        conferenceSid: CONFERENCE,
        callSid: DEMO_SIDS.bob,
        payload: { muted: true },
        error: { message: 'old', source: 'network' },
      });
      assert.equal(out.got.ok![0]!.error, undefined);
    });
  });

  describe('output 2', () => {
    it('sends an API error with the normalized error and statusCode, payload untouched', async () => {
      const payload = { muted: true };
      const missing = '00000000-0000-4000-8000-000000000000';
      const { out } = await run({ conferenceSid: CONFERENCE, callSid: missing, payload, topic: 't' });
      assert.equal(out.count('ok'), 0);
      const failed = out.got.bad![0]!;
      assert.equal(failed.statusCode, 404);
      assert.equal(failed.error.source, 'api');
      assert.equal(failed.error.status, 404);
      assert.ok(failed.error.code !== undefined, 'SignalWire error code');
      assert.match(String(failed.error.moreInfo), /^https?:\/\//);
      assert.ok(failed.error.message.length > 0);
      assert.deepEqual(Object.keys(failed.error).sort(), ['code', 'message', 'moreInfo', 'source', 'status']);
      assert.deepEqual(failed.payload, { muted: true });
      assert.equal(failed.topic, 't');
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'error 404' });
    });

    it('reports a completed conference with SignalWire code 10000', async () => {
      const { out } = await run({
        conferenceSid: DEMO_SIDS.mondayStandup,
        callSid: DEMO_SIDS.erin,
        payload: { muted: true },
      });
      assert.equal(out.got.bad![0]!.error.code, 10000);
    });

    it('reports wrong credentials as a 401 with code 20003', async () => {
      const out = await (async () => {
        await helper.load(signalwireNodes, participantFlow(emulator), {
          cfg: { projectId: emulator.projectId, token: 'wrong-token' },
        });
        return new Recorder();
      })();
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } });
      await out.until(1, 'bad');
      assert.equal(out.got.bad![0]!.statusCode, 401);
      assert.equal(out.got.bad![0]!.error.code, 20003);
    });

    it('reports an unreachable space as a network error, without statusCode', async () => {
      const { out } = await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true }, statusCode: 500 },
        { config: { space: 'http://127.0.0.1:1' } },
      );
      const failed = out.got.bad![0]!;
      assert.equal(failed.error.source, 'network');
      assert.equal(failed.statusCode, undefined);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'unreachable' });
    });

    it('says hold music whose answer was lost may have started and was not sent again (no "unreachable")', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const { out } = await run(
        {
          conferenceSid: CONFERENCE,
          callSid: DEMO_SIDS.bob,
          payload: { hold: true, holdUrl: 'https://example.com/music.mp3' },
        },
        { config: { retries: 2 } },
      );
      const failed = out.got.bad![0]!;
      assert.equal(failed.error.source, 'network');
      assert.match(failed.error.message, /may have been carried out/);
      assert.match(failed.error.message, /not sent again, so the audio does not play twice/);
      assert.doesNotMatch(failed.error.message, /Could not reach SignalWire/);
      assert.equal(emulator.stats.requests, 1);
      assert.equal(participant(DEMO_SIDS.bob).hold, true);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'answer lost' });
    });

    it('reports a request that gets no answer in time as a timeout', async () => {
      emulator.setFaults([{ kind: 'hang', count: 1 }]);
      const { out } = await run(
        { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } },
        { config: { timeout: 300 } },
      );
      assert.equal(out.got.bad![0]!.error.source, 'timeout');
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'timed out' });
    });
  });

  describe('errors reach Catch nodes', () => {
    const missingCall = { conferenceSid: CONFERENCE, payload: { muted: true } };

    it('goes to the Catch node instead of output 2 when output 2 has no wires', async () => {
      const out = await deploy({ errorOutputWired: false });
      input('n1', missingCall);
      await out.until(1, 'caught');
      await settle();
      // Reported once: one Catch message, nothing on the outputs, no completion.
      assert.equal(out.count('caught'), 1);
      const caught = out.got.caught![0]!;
      assert.match(caught.error.message, /Call SID is missing: msg\.callSid is not set/);
      assert.equal(caught.error.source.id, 'n1');
      assert.equal(caught._error.source, 'validation');
      assert.equal(out.count('bad', 'completed', 'ok'), 0);
    });

    it('gives Catch nodes the details in msg._error (Node-RED keeps msg.error for its own message and source)', async () => {
      const out = await deploy({ errorOutputWired: false });
      input('n1', {
        conferenceSid: DEMO_SIDS.weeklySync,
        callSid: '00000000-0000-4000-8000-000000000000',
        payload: { muted: true },
      });
      await out.until(1, 'caught');
      await settle();
      assert.equal(out.count('caught'), 1);
      const caught = out.got.caught![0]!;
      assert.match(caught.error.message, /not found/i);
      assert.equal(caught.error.source.type, 'signalwire-participant-update');
      assert.equal(caught._error.source, 'api');
      assert.equal(caught._error.status, 404);
      assert.equal(caught._error.code, 20404);
      assert.equal(caught.statusCode, 404);
    });

    it('does both when "also report errors to Catch nodes" is ticked', async () => {
      const out = await deploy({ node: { reportToCatch: true } });
      input('n1', missingCall);
      await out.until(2, 'bad', 'caught');
      await settle();
      assert.equal(out.count('bad'), 1);
      assert.equal(out.count('caught'), 1);
      assert.equal(out.count('completed'), 0);
    });

    it('only uses output 2 when it is wired and the option is off (the message completes)', async () => {
      const out = await deploy();
      input('n1', missingCall);
      await out.until(2, 'bad', 'completed');
      await settle();
      assert.equal(out.count('bad'), 1);
      assert.equal(out.count('caught'), 0);
      assert.equal(out.count('completed'), 1);
    });
  });

  describe('done is called exactly once per message', () => {
    it('gives each of a burst of good and bad messages one outcome and one completion or catch', async () => {
      const out = await deploy({ node: { reportToCatch: true } });
      const sent: Msg[] = [];
      for (let i = 0; i < 24; i++) {
        const callSid = [DEMO_SIDS.alice, DEMO_SIDS.bob, 'not-a-sid', '00000000-0000-4000-8000-000000000000'][i % 4]!;
        const msg: Msg = { conferenceSid: CONFERENCE, callSid, payload: { muted: i % 2 === 0 }, n: i };
        sent.push(msg);
        input('n1', msg);
      }
      // Good ones complete; bad ones go to output 2 and, with the option on, to the Catch node.
      await out.until(24, 'ok', 'bad');
      await out.until(24, 'completed', 'caught');
      await settle();
      assert.equal(out.count('ok'), 12);
      assert.equal(out.count('bad'), 12);
      assert.equal(out.count('completed'), 12);
      assert.equal(out.count('caught'), 12);
      const ids = (id: string) => out.got[id]!.map((m) => m._msgid).sort();
      assert.deepEqual(ids('completed'), ids('ok'));
      assert.deepEqual(ids('caught'), ids('bad'));
      assert.deepEqual([...ids('ok'), ...ids('bad')].sort(), sent.map((m) => m._msgid).sort());
    });
  });
});
