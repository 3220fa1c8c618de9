/**
 * Small pieces the node tests share: a flow around one participant update node, and a recorder of what comes
 * out of its outputs, its Catch node and its Complete node.
 */
import type { Node, NodeMessage } from 'node-red';
import type { Emulator } from '../../src/emulator/index';
import { helper } from '../support/node-red-runtime';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

export interface FlowOptions {
  /** The node under test (default the participant update node). */
  type?: string;
  /** Properties of the participant update node (its form). */
  node?: Record<string, unknown>;
  /** Properties of the config node (its form). */
  config?: Record<string, unknown>;
  /** Wire output 2 to a recorder (default true). */
  errorOutputWired?: boolean;
}

/**
 * cfg → n1 (participant update, or `options.type`) with output 1 → `ok`, output 2 → `bad`; a Catch node and a Complete node scoped
 * to n1 feed `caught` and `completed`.
 */
export function participantFlow(emulator: Emulator, options: FlowOptions = {}): FlowNode[] {
  const errorOutputWired = options.errorOutputWired ?? true;
  const nodes: FlowNode[] = [
    { id: 'cfg', type: 'signalwire-config', space: emulator.url, retries: 0, ...options.config },
    {
      id: 'n1',
      type: options.type ?? 'signalwire-participant-update',
      name: 'update',
      signalwire: 'cfg',
      ...options.node,
      wires: [['ok'], errorOutputWired ? ['bad'] : []],
    },
    { id: 'ok', type: 'helper', wires: [] },
    { id: 'bad', type: 'helper', wires: [] },
    { id: 'catch-n1', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', wires: [] },
    { id: 'complete-n1', type: 'complete', scope: ['n1'], uncaught: false, wires: [['completed']] },
    { id: 'completed', type: 'helper', wires: [] },
  ];
  // Catch and Complete nodes, and flow context, work per flow tab.
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    ...nodes.map((n) => (n.type === 'signalwire-config' ? n : { ...n, z: 'tab' })),
  ];
}

export function credentialsOf(emulator: Emulator): Record<string, { projectId: string; token: string }> {
  return { cfg: { projectId: emulator.projectId, token: emulator.token } };
}

// Tests read deep into messages; NodeMessage types payload as unknown.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = { [key: string]: any; _msgid?: string };

/** Every message that reached the given recorder nodes, by node id, in arrival order. */
export class Recorder {
  readonly got: Record<string, Msg[]> = {};
  private waiters: Array<() => void> = [];

  constructor(ids: string[] = ['ok', 'bad', 'caught', 'completed']) {
    for (const id of ids) {
      this.got[id] = [];
      const node = helper.getNode(id) as Node;
      node.on('input', (msg: Msg) => {
        this.got[id]!.push(msg);
        for (const wake of this.waiters.splice(0)) wake();
      });
    }
  }

  count(...ids: string[]): number {
    return ids.reduce((sum, id) => sum + (this.got[id]?.length ?? 0), 0);
  }

  /** Resolves once the recorders named have received `total` messages between them. */
  async until(total: number, ...ids: string[]): Promise<void> {
    while (this.count(...ids) < total) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/** Lets the runtime deliver anything still queued (messages travel asynchronously between nodes). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

export function input(id: string, msg: Msg): void {
  (helper.getNode(id) as Node).receive(msg as NodeMessage);
}

/** The status objects a node has shown, oldest first (read from the helper's spy on Node.prototype.status). */
export function statusesOf(id: string): Array<{ fill?: string; shape?: string; text?: string }> {
  const node = helper.getNode(id) as Node & {
    status: { getCalls?: () => Array<{ thisValue: unknown; args: unknown[] }> };
  };
  const calls = node.status.getCalls?.() ?? [];
  return calls
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0] as { fill?: string; shape?: string; text?: string });
}
