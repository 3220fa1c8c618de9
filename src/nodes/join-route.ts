/**
 * The join route: `/signalwire/join` under httpNodeRoot, where a call placed by a "call into conference" node
 * fetches its cXML once answered. What to answer (the room and how to join it) travels in the URL SignalWire
 * signs (src/lib/cxml/join-url.ts), so the route keeps no state: any Node-RED behind the same address answers
 * the same, before or after a restart.
 *
 * One route for every node that places calls, served while at least one is deployed. It admits a request signed
 * with the Signing Key of any connection those nodes use, at the Public URL they give SignalWire; a repeat gets
 * the same cXML again (SignalWire retries a fetch whose answer it lost). Anything else gets no cXML: 403 without a
 * valid signature, 400 for a query that is not a join. Refusals are logged once and shown under every node using
 * the route: a wrong key or Public URL shows where the calls are placed.
 *
 *   const use = useJoinRoute(RED, { node, connection, status: (s) => node.status(s) });
 *   if (use.conflict) ...                      // this node's Public URL is not the one the route is served at
 *   node.on('close', () => use.release());
 */
import type { Node, NodeAPI, NodeStatus } from 'node-red';
import { buildCxml } from '../lib/cxml/call-answer';
import { readJoinUrl } from '../lib/cxml/join-url';
import type { SignalWireConnection } from './connection';
import { routeUrl } from './public-route';
import { serveSignedRoute, type Reply, type RouteOwner, type SignedRoute } from './signed-route';
import type { AdmittedRequest } from '../lib/webhooks/signed-request-gate';

const JOIN_PATH = '/signalwire/join';

/** The texts live in the connection's catalog. */
const CATALOG = '@callflows/node-red-signalwire/signalwire-config:joinRoute.';

export interface JoinRouteUser {
  node: Node;
  connection: SignalWireConnection;
  /** Shows a status under the node (the route's refusals go there). */
  status(status: NodeStatus): void;
}

export interface JoinRouteUse {
  /** The public URL of the route when this node's connection gives another one than the route is served at. */
  readonly conflict: string | undefined;
  release(): void;
}

interface Registered extends JoinRouteUser {
  RED: NodeAPI;
}

const users: Registered[] = [];
let served: { route: SignedRoute; publicUrl: string; keys: string; app: unknown } | undefined;

/** The public URL of the join route for a connection ('' when it has no Public URL). */
export function joinRouteBase(RED: NodeAPI, connection: SignalWireConnection): string {
  return routeUrl(RED, connection.getPublicUrl(), JOIN_PATH);
}

export function useJoinRoute(RED: NodeAPI, user: JoinRouteUser): JoinRouteUse {
  const registered: Registered = { ...user, RED };
  users.push(registered);
  serve();
  const own = joinRouteBase(RED, user.connection);
  const conflict = served && own !== served.publicUrl ? served.publicUrl : undefined;
  return {
    conflict,
    release() {
      const at = users.indexOf(registered);
      if (at < 0) return;
      users.splice(at, 1);
      serve();
    },
  };
}

/** Serves the route as the nodes now using it need it: their keys, the first one's Public URL; none when none. */
function serve(): void {
  const latest = users.at(-1);
  const keys = [...new Set(users.map((u) => u.connection.getSigningKey()).filter((key) => key !== ''))].sort();
  const publicUrl = users.map((u) => joinRouteBase(u.RED, u.connection)).find((url) => url !== '') ?? '';
  // A redeploy may bring another node server (the test helper makes one per load).
  const app = latest?.RED.httpNode;
  if (served && latest && served.publicUrl === publicUrl && served.keys === keys.join('\n') && served.app === app) {
    return;
  }
  served?.route.close();
  served = undefined;
  if (!latest) return;
  const RED = latest.RED;
  const owner: RouteOwner = {
    warn: (message) => users[0]?.node.warn(message),
    error: (message) => users[0]?.node.error(message),
    status: (status) => {
      for (const u of users) u.status(typeof status === 'string' ? { text: status } : status);
    },
  };
  const answer = (request: AdmittedRequest, reply: Reply) => answerJoin(RED, request, reply);
  served = {
    route: serveSignedRoute(RED, owner, {
      path: JOIN_PATH,
      publicUrl,
      gate: { signingKey: keys, verify: true },
      // The nodes show their own state; a clash with another node's path is shown on them by the route.
      showIdle: () => undefined,
      onRequest: answer,
      answerRepeat: answer,
    }),
    publicUrl,
    keys: keys.join('\n'),
    app,
  };
}

/** The cXML that dials the room the signed URL names. */
function answerJoin(RED: NodeAPI, request: AdmittedRequest, reply: Reply): void {
  const q = request.url.indexOf('?');
  let cxml: string;
  try {
    cxml = buildCxml({ action: 'join', ...readJoinUrl(q < 0 ? '' : request.url.slice(q + 1)) });
  } catch (error) {
    const why = String((error as Error)?.message ?? error);
    return reply.refuse({
      code: 400,
      answer: `Not a join URL: ${why}`,
      reason: RED._(`${CATALOG}notJoin`, { why }),
      label: RED._(`${CATALOG}label.notJoin`),
    });
  }
  reply.res.status(200).type('text/xml').send(cxml);
}
