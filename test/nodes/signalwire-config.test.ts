import assert from 'node:assert/strict';
import type { Node, NodeAPI } from 'node-red';
import configModule from '../../src/nodes/signalwire-config';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { startRecordingServer } from '../support/recording-server';
import type { SignalWireConnection } from '../../src/nodes/connection';
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

    it('answers with the reason, instead of never, when the check itself fails', async () => {
      // The same module, given a credential store that fails (a wrong credentialSecret, a broken file).
      type Module = (RED: NodeAPI) => void;
      const failingStore: Module = (RED) =>
        (configModule as unknown as Module)(
          Object.create(RED, {
            nodes: {
              value: {
                ...RED.nodes,
                getCredentials: () => {
                  throw new Error('credentials could not be decrypted');
                },
              },
            },
          }) as NodeAPI,
        );
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      try {
        await helper.load([failingStore], [], {});
        const res = await post({ id: 'cfg', space: emulator.url, projectId: emulator.projectId, token: '__PWRD__' });
        assert.equal(res.status, 500);
        assert.equal(res.body.ok, false);
        assert.match(res.body.message, /credentials could not be decrypted/);
      } finally {
        process.off('unhandledRejection', onRejection);
      }
      assert.deepEqual(rejections, []);
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

  describe('Public URL and calls per second', () => {
    /** What the connection said through node.error / node.warn at deploy, as text. */
    const said = (method: 'error' | 'warn') => {
      const node = helper.getNode('cfg') as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>;
      return node[method]!.getCalls().map((c) => String(c.args[0]));
    };
    const connection = () => helper.getNode('cfg') as unknown as SignalWireConnection;
    const deploy = (config: Record<string, unknown>) =>
      helper.load(signalwireNodes, participantFlow(emulator, { config }), credentialsOf(emulator));
    const savedPublicUrl = process.env.SIGNALWIRE_PUBLIC_URL;
    afterEach(() => {
      if (savedPublicUrl === undefined) delete process.env.SIGNALWIRE_PUBLIC_URL;
      else process.env.SIGNALWIRE_PUBLIC_URL = savedPublicUrl;
    });

    it('gives nodes the Public URL from the form, else SIGNALWIRE_PUBLIC_URL, else none', async () => {
      process.env.SIGNALWIRE_PUBLIC_URL = 'https://from-env.example.org';
      await deploy({ publicUrl: ' https://home.example.com/ ' });
      assert.equal(connection().getPublicUrl(), 'https://home.example.com');
      await helper.unload();
      await deploy({ publicUrl: '' });
      assert.equal(connection().getPublicUrl(), 'https://from-env.example.org');
      await helper.unload();
      delete process.env.SIGNALWIRE_PUBLIC_URL;
      await deploy({});
      assert.equal(connection().getPublicUrl(), '');
      assert.deepEqual([...said('error'), ...said('warn')], []);
    });

    it('logs a Public URL that cannot work and gives none; warns about http:// to another host', async () => {
      await deploy({ publicUrl: 'https://user:secret@home.example.com/?x=1' });
      assert.equal(connection().getPublicUrl(), '');
      assert.equal(said('error').length, 1);
      assert.match(said('error')[0]!, /^The Public URL .* is not an http:\/\/ or https:\/\/ address/);
      // The password it held is not written to the log.
      assert.ok(!said('error')[0]!.includes('secret'), said('error')[0]);
      assert.ok(said('error')[0]!.includes('https://…@home.example.com'), said('error')[0]);
      await helper.unload();
      await deploy({ publicUrl: 'http://home.example.com' });
      assert.equal(connection().getPublicUrl(), 'http://home.example.com');
      assert.match(said('warn').join(), /is http:\/\/: SignalWire's requests would travel in clear/);
      await helper.unload();
      await deploy({ publicUrl: 'http://127.0.0.1:1880' });
      assert.deepEqual(said('warn'), []);
    });

    it('has one call pacer per connection: one call a second by default, as set, and a clear error for nonsense', async () => {
      await deploy({});
      const pacer = connection().getCallPacer();
      assert.equal(connection().getCallPacer(), pacer, 'every node shares one');
      assert.equal(pacer.interval, 1000);
      await helper.unload();
      await deploy({ callsPerSecond: '2' });
      assert.equal(connection().getCallPacer().interval, 500);
      await helper.unload();
      for (const callsPerSecond of ['0', 'fast', -1, 101]) {
        await deploy({ callsPerSecond });
        assert.throws(
          () => connection().getCallPacer(),
          /callsPerSecond must be a number above 0/,
          String(callsPerSecond),
        );
        await helper.unload();
      }
    });

    it('on close, a call still waiting its turn is not placed and says so', async () => {
      await deploy({ callsPerSecond: 0.01 });
      const pacer = connection().getCallPacer();
      const sent: string[] = [];
      const first = pacer.run(async () => sent.push('first'));
      const second = pacer.run(async () => sent.push('second'));
      await first;
      await helper.unload();
      await assert.rejects(second, /The call was not placed: the connection closed/);
      assert.deepEqual(sent, ['first']);
    });
  });

  describe('closing', () => {
    interface Spy {
      getCalls(): Array<{ thisValue: unknown; args: unknown[] }>;
    }
    /** What the runtime logged as errors for `node` (done(err) lands here), as text. */
    const errorsOf = (node: Node) =>
      (node.error as unknown as Spy)
        .getCalls()
        .filter((c) => c.thisValue === node)
        .map((c) => String((c.args[0] as Error)?.message ?? c.args[0]));
    /** Node-RED's own "Close timed out" reports, for any node. */
    const closeTimeouts = (node: Node) =>
      (node.error as unknown as Spy)
        .getCalls()
        .map((c) => String(c.args[0]))
        // The runtime's message is "Error stopping node: Close timed out" (its key when no catalog is loaded).
        .filter((text) => /Close timed out|stopping-error/.test(text));

    /** A "Modified Nodes" deploy of a changed connection: it and n1 restart, the nodes downstream keep running. */
    async function redeployConnection(flow: FlowNode[]): Promise<void> {
      const internals = helper as unknown as {
        _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
      };
      const changed = flow.map((n) => (n.id === 'cfg' ? { ...n, name: 'edited' } : n));
      await internals._redNodes.setFlows(changed, credentialsOf(emulator), 'nodes');
    }

    it('on a redeploy of the connection, delivers what was in flight to the nodes downstream', async () => {
      emulator.setFaults([{ kind: 'latency', ms: 150 }]);
      const flow = participantFlow(emulator, { errorOutputWired: false });
      await helper.load(signalwireNodes, flow, credentialsOf(emulator));
      const out = new Recorder();
      const calls = [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave];
      for (const callSid of calls) input('n1', { conferenceSid: CONFERENCE, callSid, payload: { hold: true } });
      while (emulator.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      // The deploy resolves once the old node has closed, i.e. once every message it held has left it.
      await redeployConnection(flow);
      await settle();

      // Every update was applied and every message arrived at the node wired to output 1.
      assert.equal(emulator.stats.updates, 4);
      for (const callSid of calls) assert.equal(emulator.getParticipant(CONFERENCE, callSid)!.hold, true);
      assert.deepEqual(out.got.ok!.map((m) => m.callSid).sort(), [...calls].sort());
      assert.equal(out.count('caught'), 0);
    });

    it('on a full deploy or shutdown, the nodes downstream are stopped too: what the closing node sends is dropped', async () => {
      emulator.setFaults([{ kind: 'latency', ms: 150 }]);
      await helper.load(signalwireNodes, participantFlow(emulator), credentialsOf(emulator));
      const out = new Recorder();
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { hold: true } });
      while (emulator.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      await helper.clearFlows();
      await settle();

      // The update was applied (the stop waited for it) but its message reached no node.
      assert.equal(emulator.stats.updates, 1);
      assert.equal(out.count('ok', 'bad', 'caught', 'completed'), 0);
    });

    it('bounds the wait by the close budget and ends each message with an error, retries pending', async function () {
      this.timeout(40_000);
      // Each attempt hangs for the 400 ms timeout and is retried 3 times: more than the 400 ms close budget.
      emulator.setFaults([{ kind: 'hang' }]);
      await helper.load(
        signalwireNodes,
        participantFlow(emulator, { errorOutputWired: false, config: { timeout: 400, retries: 3 } }),
        credentialsOf(emulator),
      );
      const n1 = helper.getNode('n1');
      for (const callSid of [DEMO_SIDS.alice, DEMO_SIDS.bob])
        input('n1', { conferenceSid: CONFERENCE, callSid, payload: { muted: true } });
      while (emulator.stats.inFlight < 2) await new Promise((resolve) => setTimeout(resolve, 5));

      await helper.clearFlows();
      await settle();

      const failures = errorsOf(n1);
      assert.equal(failures.length, 2, failures.join('\n'));
      for (const text of failures) assert.match(text, /cancelled because the client was closed/);
      assert.deepEqual(closeTimeouts(n1), []);
    });

    it("closes within Node-RED's close timeout with a 30 s timeout, a hanging API and retries", async function () {
      this.timeout(60_000);
      emulator.setFaults([{ kind: 'hang' }]);
      await helper.load(
        signalwireNodes,
        participantFlow(emulator, { errorOutputWired: false, config: { timeout: 30_000, retries: 2 } }),
        credentialsOf(emulator),
      );
      const n1 = helper.getNode('n1');
      for (const callSid of [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol])
        input('n1', { conferenceSid: CONFERENCE, callSid, payload: { announceUrl: 'https://example.com/a.xml' } });
      while (emulator.stats.inFlight < 3) await new Promise((resolve) => setTimeout(resolve, 5));

      await helper.clearFlows();
      await settle();

      // No "Error stopping node: Close timed out" from Node-RED, and every message ended with a clear error.
      assert.deepEqual(closeTimeouts(n1), []);
      const failures = errorsOf(n1);
      assert.equal(failures.length, 3, failures.join('\n'));
      for (const text of failures) assert.match(text, /may or may not have been applied/);
    });

    it('redeploying only the node ends what its running connection has not answered within the budget', async function () {
      this.timeout(60_000);
      emulator.setFaults([{ kind: 'hang' }]);
      // Attempts of 2 s, retried twice: still open when the node's 2 s budget (plus its grace) is over.
      const flow = participantFlow(emulator, { config: { timeout: 2_000, retries: 2 } });
      await helper.load(signalwireNodes, flow, credentialsOf(emulator));
      const out = new Recorder();
      const n1 = helper.getNode('n1');
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } });
      while (emulator.stats.inFlight < 1) await new Promise((resolve) => setTimeout(resolve, 5));

      // Only n1 changes: the connection, its client and the nodes after n1 keep running.
      const internals = helper as unknown as {
        _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
      };
      const changed = flow.map((n) => (n.id === 'n1' ? { ...n, name: 'edited' } : n));
      await internals._redNodes.setFlows(changed, credentialsOf(emulator), 'nodes');
      await settle();

      // The message ended once, on output 2 (the node after it still runs), and the node closed in time.
      assert.equal(out.count('ok'), 0);
      assert.deepEqual(
        out.got.bad!.map((m) => m.error.message),
        [
          'The node was stopped (redeploy or shutdown) before SignalWire answered: the update may or may not have been applied',
        ],
      );
      assert.deepEqual(errorsOf(n1), []);
      assert.equal(out.count('caught'), 0);
      assert.deepEqual(closeTimeouts(n1), []);
    });

    it('a connection stopped mid-redeploy makes no new client: a late message gets a clear error, nothing is sent', async () => {
      await helper.load(signalwireNodes, participantFlow(emulator), credentialsOf(emulator));
      const out = new Recorder();
      const cfg = helper.getNode('cfg') as Node & { close(removed?: boolean): Promise<void> };
      await cfg.close(false);
      input('n1', { conferenceSid: CONFERENCE, callSid: DEMO_SIDS.bob, payload: { muted: true } });
      await out.until(1, 'ok', 'bad');
      assert.equal(out.count('ok'), 0);
      assert.match(out.got.bad![0]!.error.message, /connection was stopped/);
      assert.equal(emulator.stats.requests, 0);
    });
  });
});
