/**
 * A message that fails while its node is being stopped by a deploy still gets exactly one outcome, reported once,
 * whatever the deploy type: Node-RED may have stopped the nodes after it and the Catch nodes with it, and a stopped
 * node drops what it is sent without a word.
 *
 * Each case: the request hangs until the connection's timeout, a deploy starts meanwhile, and the failure arrives
 * while the node closes. Reports are counted everywhere one can land: output 2, a flow-wide Catch, a Catch scoped
 * to the node, and the runtime's log.
 */
import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { credentialsOf, input, Recorder, settle, type FlowNode } from './flow-kit';

const ERROR_LEVEL = 20;

interface Internals {
  _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
}

describe('a deploy while a request is in flight: one outcome, reported once', function () {
  this.timeout(30_000);
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
    emulator.setFaults([{ kind: 'hang' }]);
  });
  afterEach(() => helper.unload());

  /**
   * n1 (output 2 wired to `bad` or not) and a Catch, for the whole tab or scoped to n1. (One Catch per flow: the
   * test helper loads a core node's module once per node of that type.)
   */
  function flow(errorOutputWired: boolean, catchScope: 'tab' | 'n1', retries = 0): FlowNode[] {
    return [
      { id: 'tab', type: 'tab', label: 'deploys' },
      { id: 'cfg', type: 'signalwire-config', space: emulator.url, timeout: 1000, retries },
      {
        id: 'n1',
        z: 'tab',
        type: 'signalwire-participant-update',
        signalwire: 'cfg',
        wires: [['ok'], errorOutputWired ? ['bad'] : []],
      },
      { id: 'ok', z: 'tab', type: 'helper', wires: [] },
      { id: 'bad', z: 'tab', type: 'helper', wires: [] },
      {
        id: 'catch-errors',
        z: 'tab',
        type: 'catch',
        scope: catchScope === 'tab' ? null : ['n1'],
        uncaught: false,
        wires: [['caught']],
      },
      { id: 'caught', z: 'tab', type: 'helper', wires: [] },
    ];
  }

  /** Errors the runtime logged for n1. */
  const loggedErrors = (): string[] =>
    helper
      .log()
      .getCalls()
      .map((call) => call.args[0] as { level?: number; id?: string; msg?: unknown })
      .filter((entry) => entry.level === ERROR_LEVEL && entry.id === 'n1')
      .map((entry) => String((entry.msg as Error)?.message ?? entry.msg));

  async function failDuring(
    type: 'full' | 'nodes' | 'flows',
    errorOutputWired: boolean,
    catchScope: 'tab' | 'n1',
  ): Promise<{ bad: number; caught: number; logged: string[] }> {
    const deployed = flow(errorOutputWired, catchScope);
    await helper.load(signalwireNodes, deployed, credentialsOf(emulator));
    const out = new Recorder(['ok', 'bad', 'caught']);
    input('n1', { conferenceSid: DEMO_SIDS.weeklySync, callSid: DEMO_SIDS.bob, payload: { muted: true } });
    while (emulator.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    // Only n1 changes; the deploy resolves once the old n1 has closed, i.e. once its message has ended.
    const changed = deployed.map((n) => (n.id === 'n1' ? { ...n, name: 'edited' } : n));
    await (helper as unknown as Internals)._redNodes.setFlows(changed, credentialsOf(emulator), type);
    await settle();
    assert.equal(out.count('ok'), 0);
    return { bad: out.count('bad'), caught: out.count('caught'), logged: loggedErrors() };
  }

  it('modified nodes, output 2 wired, a flow-wide Catch: the failure reaches output 2 only', async () => {
    const seen = await failDuring('nodes', true, 'tab');
    assert.deepEqual(seen, { bad: 1, caught: 0, logged: [] });
  });

  it('modified nodes, output 2 not wired, a Catch scoped to the node (stopped with it): the log has it', async () => {
    const seen = await failDuring('nodes', false, 'n1');
    assert.equal(seen.bad + seen.caught, 0);
    assert.equal(seen.logged.length, 1, seen.logged.join('\n'));
    assert.match(seen.logged[0]!, /did not answer within 1000 ms/);
  });

  for (const type of ['full', 'flows'] as const) {
    for (const catchScope of ['tab', 'n1'] as const) {
      it(`${type === 'full' ? 'full' : 'modified flows'} deploy, output 2 wired, a Catch for the ${catchScope === 'tab' ? 'tab' : 'node'}: reported once`, async () => {
        const seen = await failDuring(type, true, catchScope);
        assert.equal(seen.bad + seen.caught + seen.logged.length, 1, JSON.stringify(seen));
      });
    }
  }

  it('a request that outlives the closing node is reported once, when the node ends it, not again when it fails', async () => {
    // Three attempts of 1 s on a connection that keeps running: longer than the node's budget (1 s + 1 s).
    const deployed = flow(false, 'n1', 2);
    await helper.load(signalwireNodes, deployed, credentialsOf(emulator));
    input('n1', { conferenceSid: DEMO_SIDS.weeklySync, callSid: DEMO_SIDS.bob, payload: { muted: true } });
    while (emulator.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const changed = deployed.map((n) => (n.id === 'n1' ? { ...n, name: 'edited' } : n));
    await (helper as unknown as Internals)._redNodes.setFlows(changed, credentialsOf(emulator), 'nodes');
    // Until the running connection has given up on its last attempt.
    while (emulator.stats.requests < 3 || emulator.stats.inFlight > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await settle();
    assert.deepEqual(loggedErrors(), [
      'The node was stopped (redeploy or shutdown) before SignalWire answered: the update may or may not have been applied',
    ]);
  });
});
