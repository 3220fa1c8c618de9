/**
 * Where SignalWire reaches a route this Node-RED serves: the connection's Public URL (or SIGNALWIRE_PUBLIC_URL when a
 * node has no connection), then Node-RED's httpNodeRoot, then the route's path.
 */
import type { NodeAPI } from 'node-red';
import { publicRouteUrl } from '../lib/webhooks/public-url';
import { resolvePublicUrl, type SignalWireConnection } from './connection';

/** The Public URL of a connection (given as the node or its id); of the environment when there is none. */
export function publicUrlOf(RED: NodeAPI, connection: SignalWireConnection | string | null | undefined): string {
  const node =
    typeof connection === 'string'
      ? (RED.nodes.getNode(connection) as SignalWireConnection | null)
      : (connection ?? null);
  if (node && typeof node.getPublicUrl === 'function') return node.getPublicUrl();
  const fromEnv = resolvePublicUrl({});
  return fromEnv.ok ? fromEnv.url : '';
}

/** `base` + httpNodeRoot + `path`; '' when `base` is. */
export function routeUrl(RED: NodeAPI, base: string, path: string): string {
  return publicRouteUrl(base, (RED.settings as { httpNodeRoot?: unknown }).httpNodeRoot, path);
}
