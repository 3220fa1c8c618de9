/**
 * Nobody joins twice, no call is placed twice: an answer lost after SignalWire created the call, SignalWire's own
 * repeated callbacks and fetches, a burst of calls at the connection's pace, a redeploy while calls wait.
 */
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { callCredentials, callFlow, deployCalls, FRANK, GRACE } from './call-kit';
import { captureNodeApp, NodeHttpServer } from './events-kit';
import { input, Recorder, settle, statusesOf, type FlowNode } from './flow-kit';

describe('call into conference: at most once, one at a time', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let server: NodeHttpServer;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.setFaults([]);
    emulator.callbacks.faults.set([]);
  });
  afterEach(() => helper.unload());

  const calls = () => emulator.callRecords.all();
  const participantsOf = (room: string) =>
    emulator
      .snapshot()
      .filter((c) => c.friendly_name === room)
      .flatMap((c) => c.participants);

  it('an answer lost after the call was created: output 2 says it may be placed, and it is placed once', async () => {
    // Retries on, as by default: the lost answer must still not be retried.
    const out = await deployCalls(emulator, server.url, { config: { retries: 3 } });
    emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
    input('n1', { to: FRANK, conference: 'Front door' });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.count('ok'), 0);
    const error = out.got.bad![0]!.error;
    assert.match(error.message, /answer was lost .*not sent again, so the phone does not ring twice/);
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'answer lost' });
    // SignalWire had it: the call rings, is answered and joins, once.
    await out.until(5, 'events');
    await settle();
    assert.equal(calls().length, 1);
    assert.deepEqual(
      participantsOf('Front door').map((p) => p.call_sid),
      [calls()[0]!.sid],
    );
    assert.equal(out.got.events!.filter((m) => m.topic === 'participant-join').length, 1);
  });

  it('a refusal SignalWire certainly did not act on (503) is retried: one call', async () => {
    const out = await deployCalls(emulator, server.url, { config: { retries: 2 } });
    emulator.setFaults([{ kind: '503', count: 1 }]);
    input('n1', { to: FRANK, conference: 'Front door' });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.count('ok'), 1, JSON.stringify(out.got.bad?.[0]?.error));
    assert.equal(calls().length, 1);
  });

  it('every status once, though SignalWire delivers each callback twice', async () => {
    const out = await deployCalls(emulator, server.url);
    emulator.callbacks.faults.set([{ kind: 'duplicate' }]);
    input('n1', { to: FRANK, conference: 'Front door' });
    await emulator.callbacks.whenDelivered(10);
    await out.until(5, 'events');
    await settle();
    assert.deepEqual(
      out.got.events!.map((m) => m.topic),
      ['call-initiated', 'call-ringing', 'call-answered', 'participant-join', 'conference-start'],
    );
    assert.equal(participantsOf('Front door').length, 1);
  });

  it('places a burst in the order it came, one call at a time through the connection, from every node on it', async () => {
    const second: FlowNode = {
      id: 'n2',
      type: 'signalwire-call',
      z: 'tab',
      signalwire: 'cfg',
      from: '+15550100100',
      fromType: 'str',
      wires: [['ok'], ['bad']],
    };
    const out = await deployCalls(emulator, server.url, { config: { callsPerSecond: 20 }, extra: [second] });
    const numbers = Array.from({ length: 6 }, (_, i) => `+1555123010${i}`);
    numbers.forEach((to, i) => input(i % 2 ? 'n2' : 'n1', { to, conference: `Room ${i}` }));
    await out.until(6, 'ok', 'bad');
    assert.equal(out.count('ok'), 6, JSON.stringify(out.got.bad?.[0]?.error));
    // The emulator's own order of creation.
    assert.deepEqual(
      calls().map((c) => c.to),
      numbers,
    );
    assert.deepEqual(
      out.got.ok!.map((m) => m.payload.to),
      numbers,
    );
  });

  it('the call node alone redeployed while its calls wait their turn: they leave on output 2 and are never placed', async () => {
    // One call every 2 s: the second waits. A short timeout keeps the close budget short.
    const flow = callFlow(emulator, server.url, { config: { callsPerSecond: 0.5, timeout: 500 } });
    await helper.load([...signalwireNodes, captureNodeApp], flow, callCredentials(emulator));
    const out = new Recorder(['ok', 'bad']);
    input('n1', { to: FRANK, conference: 'Front door' });
    input('n1', { to: GRACE, conference: 'Front door' });
    await out.until(1, 'ok');
    // Only the call node is redeployed: the connection, and the queue of calls waiting at it, keep running.
    const internals = helper as unknown as {
      _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
    };
    const changed = flow.map((n) => (n.id === 'n1' ? { ...n, name: 'edited' } : n));
    await internals._redNodes.setFlows(changed, callCredentials(emulator), 'nodes');
    await out.until(1, 'bad');
    assert.match(out.got.bad![0]!.error.message, /^The call was not placed/);
    assert.equal(out.got.bad![0]!.to, GRACE);
    // A call asked of the node placed again waits behind anything still queued: once it is placed, GRACE never was.
    while (!helper.getNode('n1')) await settle();
    input('n1', { to: '+15551230008', conference: 'Front door' } as NodeMessage);
    await out.until(2, 'ok');
    assert.deepEqual(
      calls().map((c) => c.to),
      [FRANK, '+15551230008'],
    );
  });

  it('a redeploy while calls wait their turn: those not placed leave on output 2 saying so, none is placed later', async () => {
    // One call every 20 s: the second waits.
    const flow = callFlow(emulator, server.url, { config: { callsPerSecond: 0.05 } });
    await helper.load([...signalwireNodes, captureNodeApp], flow, callCredentials(emulator));
    const out = new Recorder(['ok', 'bad']);
    input('n1', { to: FRANK, conference: 'Front door' });
    input('n1', { to: GRACE, conference: 'Front door' });
    await out.until(1, 'ok');
    // Only the connection (and the call node with it) is redeployed; the recorders keep running.
    const internals = helper as unknown as {
      _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
    };
    const changed = flow.map((n) => (n.id === 'cfg' ? { ...n, name: 'edited' } : n));
    await internals._redNodes.setFlows(changed, callCredentials(emulator), 'nodes');
    await out.until(1, 'bad');
    assert.match(out.got.bad![0]!.error.message, /^The call was not placed/);
    assert.equal(out.got.bad![0]!.to, GRACE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      calls().map((c) => c.to),
      [FRANK],
    );
    // The node placed again works at once: the pacer is the new connection's.
    input('n1', { to: GRACE, conference: 'Front door' } as NodeMessage);
    await out.until(2, 'ok');
    assert.deepEqual(
      calls().map((c) => c.to),
      [FRANK, GRACE],
    );
  });
});
