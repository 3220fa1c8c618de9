/**
 * A flow around one "call into conference" node, against the emulator as the space, with Node-RED's node HTTP
 * server served on a real port (NodeHttpServer) given as the connection's Public URL: the emulator reaches the
 * join route and the conference events node there, signed, as SignalWire would.
 *
 *   cfg → call (n1): output 1 → ok, output 2 → bad; Catch scoped to n1 → caught
 *   conference events (ev) → events
 */
import type { Emulator } from '../../src/emulator/index';
import { DEMO_NUMBERS } from '../../src/emulator/index';
import { helper, signalwireNodes } from '../support/node-red-runtime';
import { captureNodeApp } from './events-kit';
import { Recorder, type FlowNode } from './flow-kit';

export const OFFICE = DEMO_NUMBERS.office;
export const FRANK = '+15551230006';
export const GRACE = '+15551230007';

export interface CallFlowOptions {
  /** Properties of the call node (its form). */
  node?: Record<string, unknown>;
  /** Properties of the connection (its form); publicUrl defaults to `publicUrl`. */
  config?: Record<string, unknown>;
  /** Properties of the events node; null: no events node. */
  events?: Record<string, unknown> | null;
  extra?: FlowNode[];
}

export function callFlow(emulator: Emulator, publicUrl: string, options: CallFlowOptions = {}): FlowNode[] {
  const nodes: FlowNode[] = [
    { id: 'tab', type: 'tab', label: 'calls' },
    { id: 'cfg', type: 'signalwire-config', space: emulator.url, retries: 0, publicUrl, ...options.config },
    {
      id: 'n1',
      type: 'signalwire-call',
      z: 'tab',
      name: 'call',
      signalwire: 'cfg',
      action: 'call',
      from: OFFICE,
      fromType: 'str',
      ...options.node,
      wires: [['ok'], ['bad']],
    },
    { id: 'ok', type: 'helper', z: 'tab', wires: [] },
    { id: 'bad', type: 'helper', z: 'tab', wires: [] },
    { id: 'catch-n1', type: 'catch', z: 'tab', scope: ['n1'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab', wires: [] },
    { id: 'events', type: 'helper', z: 'tab', wires: [] },
    ...(options.extra ?? []),
  ];
  if (options.events !== null) {
    nodes.push({
      id: 'ev',
      type: 'signalwire-conference-events',
      z: 'tab',
      signalwire: 'cfg',
      path: '/signalwire/conference-events',
      wires: [['events']],
      ...options.events,
    });
  }
  return nodes;
}

export function callCredentials(emulator: Emulator, signingKey: string | null = emulator.signingKey) {
  return {
    cfg: { projectId: emulator.projectId, token: emulator.token, ...(signingKey ? { signingKey } : {}) },
  };
}

export async function deployCalls(
  emulator: Emulator,
  publicUrl: string,
  options: CallFlowOptions & { signingKey?: string | null } = {},
): Promise<Recorder> {
  await helper.load(
    [...signalwireNodes, captureNodeApp],
    callFlow(emulator, publicUrl, options),
    callCredentials(emulator, options.signingKey === undefined ? emulator.signingKey : options.signingKey),
  );
  return new Recorder(['ok', 'bad', 'caught', 'events']);
}

/** What a node said through node.error / node.warn, as text. */
export function said(id: string, method: 'error' | 'warn'): string[] {
  const node = helper.getNode(id) as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>;
  return node[method]!.getCalls().map((call) => String((call.args[0] as Error)?.message ?? call.args[0]));
}
