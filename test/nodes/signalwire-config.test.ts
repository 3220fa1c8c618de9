import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { startRecordingServer } from '../support/recording-server';
import { credentialsOf, input, participantFlow, Recorder, settle, type FlowNode } from './flow-kit';

const CONFERENCE = DEMO_SIDS.weeklySync;
const ENV_NAMES = ['SIGNALWIRE_SPACE', 'SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_TOKEN'] as const;

describe('SignalWire config node', function () {
  let emulator: Emulator;
  const savedEnv: Record<string, string | undefined> = {};

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
    for (const name of ENV_NAMES) savedEnv[name] = process.env[name];
  });
  afterEach(async () => {
    emulator.setFaults([]);
    for (const name of ENV_NAMES) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await helper.unload();
  });

  describe('environment fallback', () => {
    it('reads space, project ID and token from SIGNALWIRE_* when the fields are empty', async () => {
      process.env.SIGNALWIRE_SPACE = emulator.url;
      process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
      process.env.SIGNALWIRE_TOKEN = emulator.token;
      await helper.load(signalwireNodes, participantFlow(emulator, { config: { space: '' } }), {});
      const out = new Recorder();
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } });
      await out.until(1, 'ok', 'bad');
      assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
      assert.equal(emulator.getParticipant(CONFERENCE, DEMO_SIDS.bob)!.muted, true);
    });

    it('prefers the values in the node over the environment', async () => {
      process.env.SIGNALWIRE_SPACE = 'http://127.0.0.1:1';
      process.env.SIGNALWIRE_PROJECT_ID = '00000000-0000-4000-8000-000000000000';
      process.env.SIGNALWIRE_TOKEN = 'wrong-token';
      await helper.load(signalwireNodes, participantFlow(emulator), credentialsOf(emulator));
      const out = new Recorder();
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } });
      await out.until(1, 'ok', 'bad');
      assert.equal(out.count('ok'), 1, JSON.stringify(out.got.bad?.[0]?.error));
    });

    it('says the token is missing when neither the node nor the environment has one', async () => {
      delete process.env.SIGNALWIRE_TOKEN;
      await helper.load(signalwireNodes, participantFlow(emulator), { cfg: { projectId: emulator.projectId } });
      const out = new Recorder();
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } });
      await out.until(1, 'bad');
      assert.match(out.got.bad![0]!.error.message, /token is missing/);
      assert.equal(emulator.stats.requests, 0);
    });
  });

  describe('one client for every node using it', () => {
    function twoNodes(): FlowNode[] {
      return [
        ...participantFlow(emulator, { config: { maxInFlight: 1 } }),
        { id: 'n2', z: 'tab', type: 'signalwire-participant-update', signalwire: 'cfg', wires: [['ok'], ['bad']] },
      ];
    }

    it('queues the requests of two nodes behind one in-flight cap', async () => {
      emulator.setFaults([{ kind: 'latency', ms: 30 }]);
      await helper.load(signalwireNodes, twoNodes(), credentialsOf(emulator));
      const out = new Recorder();
      const calls = [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol];
      for (const callSid of calls) {
        input('n1', { conferenceSid: CONFERENCE, callSid, payload: { muted: true } });
        input('n2', { conferenceSid: CONFERENCE, callSid, payload: { hold: true } });
      }
      await out.until(6, 'ok', 'bad');
      assert.equal(out.count('ok'), 6);
      // maxInFlight 1 on the shared connection: never two requests at the emulator at once.
      assert.equal(emulator.stats.maxInFlight, 1);
    });
  });

  describe('"Check connection" admin endpoint', () => {
    const post = (body: object) => helper.request().post('/signalwire-config/check').send(body);

    async function deployed(): Promise<void> {
      await helper.load(signalwireNodes, participantFlow(emulator), credentialsOf(emulator));
    }

    it('answers connected for working values typed in the form, naming the space and project', async () => {
      await deployed();
      const res = await post({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: true, space: emulator.url, projectId: emulator.projectId });
      assert.equal(emulator.stats.requests, 1);
    });

    it('uses the stored token of the deployed node when the form shows the stored placeholder', async () => {
      await deployed();
      const res = await post({ id: 'cfg', space: emulator.url, projectId: emulator.projectId, token: '__PWRD__' });
      assert.equal(res.body.ok, true);
    });

    it('never sends a stored or environment token to a space other than the deployed one', async () => {
      const elsewhere = await startRecordingServer();
      try {
        await deployed();
        const stored = await post({
          id: 'cfg',
          space: elsewhere.url,
          projectId: emulator.projectId,
          token: '__PWRD__',
        });
        process.env.SIGNALWIRE_SPACE = emulator.url;
        process.env.SIGNALWIRE_TOKEN = emulator.token;
        const fromEnv = await post({ space: elsewhere.url, projectId: emulator.projectId, token: '' });
        for (const res of [stored, fromEnv]) {
          assert.equal(res.body.ok, false);
          assert.equal(res.body.reason, 'invalid');
          assert.match(res.body.message, /type the API token again/);
        }
        assert.equal(elsewhere.requests.length, 0);
        assert.equal(emulator.stats.requests, 0);
      } finally {
        await elsewhere.close();
      }
    });

    it('answers "wrong project ID or token" without echoing the token', async () => {
      await deployed();
      const typed = 'typed-wrong-token-5c1e';
      const res = await post({ space: emulator.url, projectId: emulator.projectId, token: typed });
      assert.equal(res.body.ok, false);
      assert.equal(res.body.reason, 'auth');
      assert.ok(!res.text.includes(typed));
      assert.ok(!res.text.includes(emulator.token));
    });

    it('answers "connection refused" for a port nobody listens on', async () => {
      await deployed();
      const res = await post({
        space: 'http://127.0.0.1:1',
        projectId: emulator.projectId,
        token: emulator.token,
        timeout: 1000,
      });
      assert.equal(res.body.ok, false);
      assert.equal(res.body.reason, 'unreachable');
      assert.equal(res.body.message, 'connection refused');
      assert.ok(!res.text.includes(emulator.token));
    });

    it('answers "invalid" with the reason for settings that cannot work', async () => {
      await deployed();
      const res = await post({ space: emulator.url, projectId: 'not-a-uuid', token: emulator.token });
      assert.equal(res.body.ok, false);
      assert.equal(res.body.reason, 'invalid');
      assert.match(res.body.message, /projectId must be your SignalWire Project ID, a UUID/);
      assert.equal(emulator.stats.requests, 0);
    });

    it('falls back to the environment like the node does', async () => {
      await deployed();
      process.env.SIGNALWIRE_SPACE = emulator.url;
      process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
      process.env.SIGNALWIRE_TOKEN = emulator.token;
      const res = await post({ space: '', projectId: '', token: '' });
      // The form was empty: the answer says where the environment pointed it.
      assert.deepEqual(res.body, { ok: true, space: emulator.url, projectId: emulator.projectId });
    });
  });

  describe('closing', () => {
    it('lets requests in flight finish on redeploy, each message getting its outcome', async () => {
      emulator.setFaults([{ kind: 'latency', ms: 150 }]);
      await helper.load(
        signalwireNodes,
        participantFlow(emulator, { errorOutputWired: false }),
        credentialsOf(emulator),
      );
      const n1 = helper.getNode('n1');
      const calls = [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave];
      for (const callSid of calls) input('n1', { conferenceSid: CONFERENCE, callSid, payload: { hold: true } });
      while (emulator.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      await helper.clearFlows();

      // The stop waited: every update was applied and every message left the node (send or done(err)).
      assert.equal(emulator.stats.updates, 4);
      for (const callSid of calls) assert.equal(emulator.getParticipant(CONFERENCE, callSid)!.hold, true);
      const sent = (n1.send as unknown as { getCalls(): Array<{ thisValue: unknown }> })
        .getCalls()
        .filter((c) => c.thisValue === n1);
      const failed = (n1.error as unknown as { getCalls(): Array<{ thisValue: unknown }> })
        .getCalls()
        .filter((c) => c.thisValue === n1);
      assert.equal(sent.length, 4);
      assert.equal(failed.length, 0);
    });

    it('bounds the wait by the timeout and still ends each message (as an error)', async () => {
      emulator.setFaults([{ kind: 'hang' }]);
      await helper.load(
        signalwireNodes,
        participantFlow(emulator, { errorOutputWired: false, config: { timeout: 400 } }),
        credentialsOf(emulator),
      );
      const n1 = helper.getNode('n1');
      for (const callSid of [DEMO_SIDS.alice, DEMO_SIDS.bob])
        input('n1', { conferenceSid: CONFERENCE, callSid, payload: { muted: true } });
      while (emulator.stats.inFlight < 2) await new Promise((resolve) => setTimeout(resolve, 5));

      await helper.clearFlows();
      await settle();

      const failures = (n1.error as unknown as { getCalls(): Array<{ thisValue: unknown; args: unknown[] }> })
        .getCalls()
        .filter((c) => c.thisValue === n1);
      assert.equal(failures.length, 2);
      for (const call of failures) assert.equal((call.args[0] as { source?: string }).source, 'timeout');
    });
  });
});
