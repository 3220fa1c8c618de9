/**
 * What the load, redeploy and bad-input tests share: a flow around one participant update node in a real
 * Node-RED runtime, an outcome counter that keeps no messages, a watch for the token in everything that leaves
 * the node, and a heap reading after garbage collection.
 *
 * node-red-node-test-helper spies on Node.prototype (send, status, log...) and its spies keep every call;
 * over thousands of messages that would be the leak we are looking for. So once the flow has started, the
 * spies are removed and each node is wired again (a node copies Node.prototype.send when it is wired).
 */
import { EventEmitter } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Node } from 'node-red';
import type { Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes } from '../support/node-red-runtime';

// Messages are whatever a flow made of them; the tests read them like a flow author would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = Record<string, any>;
export type Port = 'ok' | 'error';

export const UPDATE_NODE = 'update';
const CONFIG_NODE = 'connection';

export interface LoadFlowOptions {
  /** Properties of the config node's form. */
  config?: Record<string, unknown>;
  /** Properties of the participant update node's form. */
  node?: Record<string, unknown>;
}

export function loadFlow(emulator: Emulator, options: LoadFlowOptions = {}): Record<string, unknown>[] {
  return [
    { id: CONFIG_NODE, type: 'signalwire-config', name: 'emulator', space: emulator.url, ...options.config },
    {
      id: UPDATE_NODE,
      type: 'signalwire-participant-update',
      signalwire: CONFIG_NODE,
      // Errors also go to Catch nodes, so error log lines are produced and scanned for the token too.
      reportToCatch: true,
      ...options.node,
      wires: [['ok'], ['error']],
    },
    { id: 'ok', type: 'helper' },
    { id: 'error', type: 'helper' },
    // Ids differ from type names: a node whose id is also its type makes Node-RED refuse to start the flow.
    { id: 'status-watch', type: 'status', scope: [UPDATE_NODE], wires: [['status-out']] },
    { id: 'status-out', type: 'helper' },
    { id: 'catch-errors', type: 'catch', scope: [UPDATE_NODE], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

export function credentialsFor(emulator: Emulator): Record<string, { projectId: string; token: string }> {
  return { [CONFIG_NODE]: { projectId: emulator.projectId, token: emulator.token } };
}

interface HelperInternals {
  _sandbox: { restore(): void };
  _logSpy?: { restore(): void };
  _log: { addHandler(h: EventEmitter): void; removeHandler(h: EventEmitter): void };
  _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
  _events: EventEmitter;
}
const internals = helper as unknown as HelperInternals;

type WiredNode = Node & { wires?: string[][]; updateWires?(wires: string[][]): void };

/** Removes the helper's spies (see above) from the runtime and from every node of `flow`. */
export function removeSpies(flow: Record<string, unknown>[]): void {
  internals._sandbox.restore();
  internals._logSpy?.restore();
  rewire(flow);
}

function rewire(flow: Record<string, unknown>[]): void {
  for (const def of flow) {
    const node = helper.getNode(def.id as string) as WiredNode | null;
    if (node?.wires && node.updateWires) node.updateWires(node.wires);
  }
}

export async function startLoadFlow(
  emulator: Emulator,
  options: LoadFlowOptions = {},
): Promise<Record<string, unknown>[]> {
  const flow = loadFlow(emulator, options);
  await helper.load(signalwireNodes, flow as never, credentialsFor(emulator));
  removeSpies(flow);
  return flow;
}

/**
 * Deploys `flow` the way the editor's "Modified Nodes" deploy does: only the changed nodes (and the nodes using
 * a changed config node) are stopped and started again. Resolves once the new nodes run.
 */
export async function redeploy(flow: Record<string, unknown>[], emulator: Emulator): Promise<void> {
  const started = new Promise<void>((resolve) => internals._events.once('flows:started', () => resolve()));
  await internals._redNodes.setFlows(flow, credentialsFor(emulator), 'nodes');
  await started;
  rewire(flow);
}

export function updateNode(): Node {
  const node = helper.getNode(UPDATE_NODE) as Node | null;
  if (!node) throw new Error('the participant update node is not running');
  return node;
}

/**
 * Counts what comes out of each output per message id (`msg.loadId`) and hands each message to `onOutcome`
 * once; keeps nothing else. Also feeds every output, status and caught error to `watch`.
 */
export class Outcomes {
  readonly counts: Uint8Array;
  readonly ports: Array<Port | undefined>;
  total = 0;
  /** Errors that also reached the Catch node, and statuses shown. */
  caught = 0;
  statuses = 0;
  doubled: number[] = [];
  unknown = 0;
  private readonly waiting = new Map<number, (outcome: { port: Port; msg: Msg }) => void>();

  constructor(
    size: number,
    private readonly watch: SecretWatch,
    private readonly onOutcome: (id: number, port: Port, msg: Msg) => void = () => {},
  ) {
    this.counts = new Uint8Array(size);
    this.ports = new Array(size);
    this.listen('ok', 'ok');
    this.listen('error', 'error');
    (helper.getNode('status-out') as Node).on('input', (msg: Msg) => {
      this.statuses++;
      watch.check('status', msg.status);
    });
    (helper.getNode('caught') as Node).on('input', (msg: Msg) => {
      this.caught++;
      watch.check('caught error', msg);
    });
  }

  private listen(nodeId: string, port: Port): void {
    (helper.getNode(nodeId) as Node).on('input', (msg: Msg) => {
      this.watch.check(`output ${port}`, msg);
      const id = msg.loadId;
      if (typeof id !== 'number' || id < 0 || id >= this.counts.length) {
        this.unknown++;
        return;
      }
      this.counts[id]++;
      this.total++;
      if (this.counts[id] > 1) this.doubled.push(id);
      this.ports[id] = port;
      this.onOutcome(id, port, msg);
      const wake = this.waiting.get(id);
      if (wake) {
        this.waiting.delete(id);
        wake({ port, msg });
      }
    });
  }

  /** Resolves with the outcome of message `id` (register before sending it). */
  next(id: number): Promise<{ port: Port; msg: Msg }> {
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Resolves once `count` outcomes have arrived in total. */
  async until(count: number): Promise<void> {
    while (this.total < count) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Ids in [from, to) that got no outcome. */
  missing(from: number, to: number): number[] {
    const ids: number[] = [];
    for (let id = from; id < to; id++) if (this.counts[id] === 0) ids.push(id);
    return ids;
  }
}

/**
 * Looks for the token (and the Basic credentials made from it) in everything it is shown: output messages,
 * statuses, caught errors and every log line of the runtime. Keeps only the first few findings.
 */
export class SecretWatch {
  readonly leaks: string[] = [];
  checked = 0;
  private readonly secrets: string[];
  private readonly logHandler = new EventEmitter();

  constructor(emulator: Emulator) {
    this.secrets = [emulator.token, Buffer.from(`${emulator.projectId}:${emulator.token}`).toString('base64')];
    this.logHandler.on('log', (entry: { msg?: unknown }) => this.check('log line', entry.msg));
    internals._log.addHandler(this.logHandler);
  }

  check(where: string, value: unknown): void {
    this.checked++;
    const text = typeof value === 'string' ? value : safeStringify(value);
    for (const secret of this.secrets) {
      if (text.includes(secret) && this.leaks.length < 5) this.leaks.push(`${where}: ${text.slice(0, 300)}`);
    }
  }

  stop(): void {
    internals._log.removeHandler(this.logHandler);
  }
}

function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[cycle]';
          seen.add(v);
        }
        if (v instanceof Error) return { ...v, message: v.message, stack: v.stack };
        return v;
      }) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

let gc: (() => void) | undefined;

/** Heap in use after a full garbage collection, in MB. */
export function heapAfterGc(): number {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/** Collects unhandled promise rejections while installed. */
export class RejectionWatch {
  readonly seen: string[] = [];
  private readonly listener = (reason: unknown): void => {
    this.seen.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  };

  constructor() {
    process.on('unhandledRejection', this.listener);
  }

  stop(): void {
    process.off('unhandledRejection', this.listener);
  }
}
