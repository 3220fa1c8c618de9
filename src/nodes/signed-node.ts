/**
 * What the nodes SignalWire calls (conference events, incoming call) share at deploy: their connection and Signing
 * Key, refusing to start on settings that cannot work, the URL SignalWire reaches them at, and the 400 for a
 * signed request they cannot read. Each node says what to do with the requests it admits.
 *
 *   const signed = setUpSignedNode(RED, node, { namespace, signalwire: def.signalwire, settings, problems });
 *   if (!signed) return;                                    // the log and the status say why
 *   const route = signed.serve({ gate: { signingKey: signed.signingKey, verify: true }, showIdle, onRequest });
 */
import type { Node, NodeAPI, NodeStatus } from 'node-red';
import { sendsInClear } from '../lib/webhooks/signed-url';
import { resolveSigningKey, type SignalWireConnection } from './connection';
import { nodeHttpDisabled } from './http-route';
import { publicUrlOf, routeUrl } from './public-route';
import { serveSignedRoute, type RouteRefusal, type SignedRoute, type SignedRouteOptions } from './signed-route';

export interface SignedNodeSpec {
  /** The node's type and message catalog prefix; the catalog holds `status.badSettings`, `errors.<field>`... */
  namespace: string;
  /** The id of the node's connection. */
  signalwire: string | undefined;
  /** Where the node listens, and the full URL SignalWire calls when the node's form gives one. */
  settings: { path: string; publicUrl: string };
  /** Settings that cannot work, by field. */
  problems: ReadonlyArray<{ field: string; value: string }>;
}

/** A signed request the node cannot read: a field it needs is missing, a name is refused, or it is not a form. */
export interface Unreadable {
  problem: 'missing' | 'unsafe-key' | 'not-form';
  fields: readonly string[];
}

export interface SignedNode {
  connection: SignalWireConnection | null;
  /** Read once per deploy and only ever handed to the signature check; empty when there is none. */
  signingKey: string;
  /** Shows `<namespace>.status.<key>` under the node. */
  status(
    fill: NodeStatus['fill'],
    shape: NodeStatus['shape'],
    key: string,
    values?: Record<string, string | number>,
  ): void;
  /** The 400 for an unreadable request; `notWhat` starts what the sender reads about missing fields ("Not a call"). */
  badRequest(reading: Unreadable, notWhat: string): RouteRefusal;
  /** Serves the node's route at its path and public URL, warning first when SignalWire would reach it in clear. */
  serve(options: Omit<SignedRouteOptions, 'path' | 'publicUrl'>): SignedRoute;
}

/** Undefined when the node cannot serve: its settings, or Node-RED's, say why in the log and the status. */
export function setUpSignedNode(RED: NodeAPI, node: Node, spec: SignedNodeSpec): SignedNode | undefined {
  const { namespace, settings } = spec;
  const connection = (spec.signalwire ? RED.nodes.getNode(spec.signalwire) : null) as SignalWireConnection | null;
  const errors = `${namespace}.errors.`;
  const status: SignedNode['status'] = (fill, shape, key, values = {}) =>
    node.status({ fill, shape, text: RED._(`${namespace}.status.${key}`, values) });

  if (spec.problems.length > 0) {
    for (const problem of spec.problems) node.error(RED._(`${errors}${problem.field}`, { value: problem.value }));
    status('red', 'ring', 'badSettings');
    return undefined;
  }
  if (nodeHttpDisabled(RED)) {
    node.error(RED._(`${errors}httpDisabled`));
    status('red', 'ring', 'httpDisabled');
    return undefined;
  }

  // Where SignalWire calls: the node's own Public URL, else its connection's base with the path (as calls placed
  // by this package are told: events-target.ts), else the address the request claims.
  const publicUrl = settings.publicUrl || routeUrl(RED, publicUrlOf(RED, connection), settings.path);

  return {
    connection,
    signingKey: connection ? connection.getSigningKey() : resolveSigningKey(undefined),
    status,
    badRequest: (reading, notWhat) => {
      const fields = reading.fields.length > 0 ? `: ${reading.fields.join(', ')}` : '';
      const answer = (reading.problem === 'missing' ? `${notWhat}, missing` : BAD_REQUEST[reading.problem]) + fields;
      return { code: 400, answer, reason: answer, label: RED._(`${namespace}.status.rejected.${reading.problem}`) };
    },
    serve: (options) => {
      if (sendsInClear(settings.publicUrl)) node.warn(RED._(`${errors}publicUrlInClear`, { url: settings.publicUrl }));
      return serveSignedRoute(RED, node, { ...options, path: settings.path, publicUrl });
    },
  };
}

/** What the sender reads when a signed request is not a form a node can read. */
const BAD_REQUEST = {
  'unsafe-key': 'Refused field names',
  'not-form': 'The body must be application/x-www-form-urlencoded',
} as const;
