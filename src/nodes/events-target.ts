/**
 * Which conference events node a call reports to, and the URL SignalWire must send its events to: the events
 * node's own Public URL when it has one (the full URL), otherwise its connection's Public URL (or
 * SIGNALWIRE_PUBLIC_URL) + httpNodeRoot + the node's path. Chosen by id, or by default the only events node
 * deployed. Read from the deployed flow's definitions, so it holds whatever order nodes start in, and a node
 * that resolves it per message sees an events node moved by a later deploy.
 *
 *   const target = resolveEventsTarget(RED, def.events);   // '' = the only one there is
 *   if (!target.ok) { node.error(target.message); node.status({ fill: 'red', shape: 'ring', text: target.status }); }
 *   else createCall({ ..., statusCallback: target.url });
 */
import type { NodeAPI } from 'node-red';
import { readEventsSettings } from '../lib/webhooks/events-settings';
import { nodeHttpDisabled } from './http-route';
import { publicUrlOf, routeUrl } from './public-route';

const EVENTS_NODE_TYPE = 'signalwire-conference-events';

export type EventsProblem = 'none' | 'ambiguous' | 'notFound' | 'badSettings' | 'noPublicUrl' | 'httpDisabled';

export type EventsTarget =
  | { ok: true; nodeId: string; url: string }
  /** `message` for the log, `status` (a few words) for under the node; both in the user's language. */
  | { ok: false; problem: EventsProblem; message: string; status: string };

/** A node of the deployed flow as saved. */
interface Definition {
  id: string;
  type: string;
  z?: string;
  d?: boolean;
  disabled?: boolean;
  name?: string;
  signalwire?: string;
  path?: unknown;
  publicUrl?: unknown;
}

/** The texts live in the connection's catalog, which every node of the package can read. */
const CATALOG = '@callflows/node-red-signalwire/signalwire-config:eventsTarget.';

/** `choice`: an events node's id, or '' for the only one deployed. */
export function resolveEventsTarget(RED: NodeAPI, choice: string): EventsTarget {
  const fail = (problem: EventsProblem, values: Record<string, string | number> = {}): EventsTarget => ({
    ok: false,
    problem,
    message: RED._(`${CATALOG}errors.${problem}`, values),
    status: RED._(`${CATALOG}status.${problem}`),
  });
  if (nodeHttpDisabled(RED)) return fail('httpDisabled');

  const running = runningEventsNodes(RED);
  let chosen: Definition | undefined;
  if (choice) {
    chosen = running.find((node) => node.id === choice);
    if (!chosen) return fail('notFound', { id: choice });
  } else if (running.length === 1) {
    chosen = running[0];
  } else if (running.length === 0) {
    return fail('none');
  } else {
    const names = running.map((node) => nameOf(node)).join(', ');
    return fail('ambiguous', { count: running.length, names });
  }

  const { settings, problems } = readEventsSettings(chosen!);
  if (problems.length > 0) return fail('badSettings', { name: nameOf(chosen!) });
  const url = settings.publicUrl || routeUrl(RED, publicUrlOf(RED, chosen!.signalwire), settings.path);
  if (!url) return fail('noPublicUrl', { name: nameOf(chosen!) });
  return { ok: true, nodeId: chosen!.id, url };
}

/** Conference events nodes that run: on a tab that is not disabled (not in a subflow), not disabled themselves. */
function runningEventsNodes(RED: NodeAPI): Definition[] {
  const tabs = new Map<string, boolean>();
  const found: Definition[] = [];
  RED.nodes.eachNode((node) => {
    const def = node as unknown as Definition;
    if (def.type === 'tab') tabs.set(def.id, def.disabled === true);
    else if (def.type === EVENTS_NODE_TYPE && def.d !== true) found.push(def);
  });
  return found.filter((def) => def.z !== undefined && tabs.get(def.z) === false);
}

function nameOf(def: Definition): string {
  if (typeof def.name === 'string' && def.name.trim()) return `"${def.name.trim()}"`;
  const { settings } = readEventsSettings({ path: def.path });
  return settings.path || String(def.path);
}
