/**
 * A real Node-RED flow engine (loaded through node-red-node-test-helper) for the node-based variants,
 * with the helper's spies removed once the flow has started: the spies keep every message they see,
 * which would make a long run measure the helper instead of the nodes.
 * Messages enter with `node.receive(msg)` and leave through two tiny sink nodes, one per outcome.
 */
import helper from 'node-red-node-test-helper';
import type { Variant } from './variants/variant';

export type Outcome = 'ok' | 'error';
export type OutcomeListener = (outcome: Outcome, msg: Record<string, unknown>) => void;

interface SinkConfig {
  id: string;
  outcome: Outcome;
}

interface RedApi {
  nodes: {
    createNode(node: object, config: object): void;
    registerType(type: string, ctor: (this: SinkNode, config: SinkConfig) => void): void;
  };
}
interface SinkNode {
  on(event: 'input', cb: (msg: Record<string, unknown>, send: unknown, done: () => void) => void): void;
}

export interface FlowNode {
  receive(msg: Record<string, unknown>): void;
  wires?: string[][];
  updateWires?(wires: string[][]): void;
}

let listener: OutcomeListener = () => {};

/** The sink: hands each arriving message to the current listener, keeps nothing. */
function sinkModule(RED: RedApi): void {
  RED.nodes.registerType('bench-sink', function (this: SinkNode, config: SinkConfig) {
    RED.nodes.createNode(this, config);
    const outcome = config.outcome;
    this.on('input', (msg, _send, done) => {
      listener(outcome, msg);
      done();
    });
  });
}

export const sinkNodes = (tab: string): object[] => [
  { id: 'bench-ok', type: 'bench-sink', z: tab, outcome: 'ok', wires: [] },
  { id: 'bench-error', type: 'bench-sink', z: tab, outcome: 'error', wires: [] },
];

interface HelperInternals {
  _sandbox: { restore(): void };
  _logSpy?: { restore(): void };
}

/** Starts `flow` with the given node modules plus the sinks; returns the entry node. */
async function startFlow(
  modules: unknown[],
  flow: object[],
  credentials: Record<string, object>,
  entryId: string,
  onOutcome: OutcomeListener,
): Promise<FlowNode> {
  listener = onOutcome;
  await helper.load([...modules, sinkModule] as never, flow as never, credentials);
  const internals = helper as unknown as HelperInternals;
  internals._sandbox.restore();
  internals._logSpy?.restore();
  // Each node copied the (then spied) Node.prototype.send when it was wired; wiring it again takes the real one.
  for (const def of flow as { id: string }[]) {
    const node = helper.getNode(def.id) as unknown as FlowNode | null;
    if (node?.wires && node.updateWires) node.updateWires(node.wires);
  }
  const entry = helper.getNode(entryId) as unknown as FlowNode | null;
  if (!entry) throw new Error(`node ${entryId} did not start (see the log above)`);
  return entry;
}

/**
 * Turns the fire-and-forget flow into an awaitable update: each message carries an id, the sink settles
 * the promise waiting for it, and the entry is deleted at once so nothing is retained.
 */
function correlator(): {
  expect(id: number, check: (outcome: Outcome, msg: Record<string, unknown>) => void): Promise<void>;
  listener: OutcomeListener;
  /** Stops the flow; fails when a message came out twice or unasked, which would make the figures wrong. */
  close(): Promise<void>;
} {
  let unexpected = 0;
  const waiting = new Map<
    number,
    { resolve(): void; reject(err: Error): void; check: (o: Outcome, m: Record<string, unknown>) => void }
  >();
  return {
    expect(id, check) {
      return new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject, check }));
    },
    listener(outcome, msg) {
      const id = msg.benchId as number;
      const w = waiting.get(id);
      if (!w) {
        unexpected++;
        return;
      }
      waiting.delete(id);
      try {
        w.check(outcome, msg);
        w.resolve();
      } catch (err) {
        w.reject(err as Error);
      }
    },
    async close() {
      await helper.unload();
      if (unexpected > 0) throw new Error(`${unexpected} messages came out twice or were never sent`);
    },
  };
}

/**
 * A node-based variant: starts `flow`, sends each update into `entryId` as a message with a SID pair and
 * `payload.muted`, and settles it when it reaches the "ok" sink with status 200 and the muted state it asked for.
 */
export async function startFlowVariant(
  modules: unknown[],
  flow: object[],
  credentials: Record<string, object>,
  entryId: string,
): Promise<Variant> {
  const c = correlator();
  const entry = await startFlow(modules, flow, credentials, entryId, c.listener);
  let nextId = 0;
  return {
    update(req) {
      const id = nextId++;
      const done = c.expect(id, (outcome, msg) => {
        const body = msg.payload as { muted?: boolean } | undefined;
        if (outcome !== 'ok' || msg.statusCode !== 200 || body?.muted !== req.muted) {
          const error = msg.error as { message?: string } | undefined;
          throw new Error(
            `unexpected outcome ${outcome} ${String(msg.statusCode)}: ${error?.message ?? JSON.stringify(body)}`,
          );
        }
      });
      entry.receive({
        benchId: id,
        conferenceSid: req.conferenceSid,
        callSid: req.callSid,
        payload: { muted: req.muted },
      });
      return done;
    },
    close: c.close,
  };
}
