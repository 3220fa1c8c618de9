import type { Node, NodeAPI } from 'node-red';
import { createCall, hangUpCall, joinUrl, SignalWireError } from '../lib/index';
import { setUpActionNode, type ActionContext, type ActionNodeDef } from './action-node';
import type { SignalWireConnection } from './connection';
import { resolveEventsTarget } from './events-target';
import {
  CALL_SID_FIELD,
  CONFERENCE_FIELD,
  FROM_FIELD,
  JOIN_OPTION_FIELDS,
  RING_TIMEOUT_FIELD,
  TO_FIELD,
} from './field-definitions';
import { fieldReader } from './field-reader';
import { nodeHttpDisabled } from './http-route';
import { joinRouteBase, useJoinRoute } from './join-route';

/**
 * "call into conference": places a call that, once answered, joins a room (its cXML comes from the join route,
 * join-route.ts), and reports the call's progress and the room's events to a conference events node; or hangs a
 * call up. Placing a call is an action: sent at most once, at the connection's pace.
 */

const NAMESPACE = 'signalwire-call';
const ACTIONS = ['call', 'hangup'] as const;
type Action = (typeof ACTIONS)[number];
/** The events choice that reports to no conference events node. */
const NO_EVENTS = 'none';
/** Seconds a call rings before it counts as not answered, when the node does not say. */
const DEFAULT_RING_SECONDS = 30;

/** Why this node cannot place calls at all, found at deploy and again for every message. */
interface Problem {
  message: string;
  status: string;
}

export = function (RED: NodeAPI) {
  function CallNode(this: Node, def: ActionNodeDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: ActionNodeDef) {
    // A flow written by hand may leave the action out: it calls.
    const given = def.action === undefined || def.action === '' ? 'call' : def.action;
    const action = (ACTIONS as readonly string[]).includes(given as string) ? (given as Action) : undefined;
    const connection = (def.signalwire ? RED.nodes.getNode(def.signalwire) : null) as SignalWireConnection | null;
    const events = typeof def.events === 'string' ? def.events.trim() : '';
    const t = (key: string, values?: Record<string, string | number>) => RED._(`${NAMESPACE}.${key}`, values);
    const fail = (key: string, values?: Record<string, string>): Problem => ({
      message: t(`errors.${key}`, values),
      status: t(`status.${key}`),
    });
    let placed = 0;
    // The pacer's queue is the connection's: calls this node still has waiting there are not placed once it stops.
    const stopping = new AbortController();
    node.on('close', () => stopping.abort());
    // Set once this node uses the join route: its Public URL is not the one the route is served at.
    let routeConflict: string | undefined = undefined;

    const fields = fieldReader(RED, node, def, NAMESPACE);
    const to = fields.field(TO_FIELD);
    const from = fields.field(FROM_FIELD);
    const conference = fields.field(CONFERENCE_FIELD);
    const ringTimeout = fields.field(RING_TIMEOUT_FIELD);
    const join = JOIN_OPTION_FIELDS.map((f) => fields.field(f));
    const callSid = fields.field(CALL_SID_FIELD);

    /** What keeps the join route from working for this node's calls: nobody would join the room. */
    const routeProblem = (): Problem | undefined => {
      if (!connection) return undefined; // the action node says so
      if (nodeHttpDisabled(RED)) return fail('httpDisabled');
      if (!connection.getPublicUrl()) return fail('noPublicUrl');
      if (!connection.getSigningKey()) return fail('noSigningKey');
      if (routeConflict !== undefined) {
        return fail('otherPublicUrl', { own: joinRouteBase(RED, connection), served: routeConflict });
      }
      return undefined;
    };
    /** What keeps calls from being placed: nobody would join the room, or nobody would hear how it went. */
    const callProblem = (): Problem | undefined => {
      const problem = routeProblem();
      if (problem || events === NO_EVENTS) return problem;
      const target = resolveEventsTarget(RED, events);
      return target.ok ? undefined : { message: target.message, status: target.status };
    };

    const placeCall = async ({ client, read, require }: ActionContext) => {
      const problem = routeProblem();
      if (problem) throw new SignalWireError(problem.message, 'validation');
      const target = events === NO_EVENTS ? undefined : resolveEventsTarget(RED, events);
      if (target && !target.ok) throw new SignalWireError(target.message, 'validation');
      const [toValue, fromValue, room, seconds, ...options] = await read([to, from, conference, ringTimeout, ...join]);
      require(to, toValue);
      require(conference, room);
      const caller = isSet(fromValue) ? fromValue : process.env.SIGNALWIRE_FROM_NUMBER;
      if (!isSet(caller)) throw new SignalWireError(t('errors.noFrom', { where: fields.where(from) }), 'validation');
      const statusCallback = target?.url;

      const joining: Record<string, unknown> = { room };
      join.forEach((f, i) => {
        if (options[i] !== undefined && options[i] !== null) joining[f.name] = options[i];
      });
      if (statusCallback) joining.statusCallback = statusCallback;
      const url = joinUrl(joinRouteBase(RED, connection!), joining);
      const call = await createCall(
        client,
        {
          to: toValue,
          from: caller,
          url,
          method: 'POST',
          ...(statusCallback ? { statusCallback, statusCallbackMethod: 'POST' } : {}),
          timeout: isSet(seconds) ? seconds : DEFAULT_RING_SECONDS,
        },
        connection!.getCallPacer(),
        stopping.signal,
      );
      placed += 1;
      return {
        set: { payload: call, callSid: call.sid },
        status: t('status.placed', { status: call.status, count: placed }),
      };
    };

    const { showStatus } = setUpActionNode(RED, node, def, {
      namespace: NAMESPACE,
      fields,
      async handle(_msg, context) {
        const { client, read, require } = context;
        if (!action) {
          throw new SignalWireError(t('errors.badAction', { action: String(def.action) }), 'validation');
        }
        if (action === 'hangup') {
          const [sid] = await read([callSid]);
          require(callSid, sid);
          const call = await hangUpCall(client, sid);
          return { set: { payload: call, callSid: call.sid }, status: t('status.hungUp') };
        }
        return placeCall(context);
      },
    });

    if (action !== 'call' || !connection) return;
    // Said once at deploy, and again by each message it keeps from being sent.
    const report = (problem: Problem) => {
      node.error(problem.message);
      showStatus({ fill: 'red', shape: 'ring', text: problem.status });
    };
    let problem = routeProblem();
    if (!problem) {
      try {
        connection.getCallPacer();
      } catch (error) {
        problem = { message: String((error as Error)?.message ?? error), status: t('status.badSettings') };
      }
    }
    if (problem) return report(problem);
    // Served for this node even while its events node is missing: a later deploy may add one.
    const use = useJoinRoute(RED, { node, connection, status: showStatus });
    routeConflict = use.conflict;
    node.on('close', () => use.release());
    const later = callProblem();
    if (later) report(later);
  }

  RED.nodes.registerType('signalwire-call', CallNode);
};

function isSet(value: unknown): value is NonNullable<unknown> {
  return value !== undefined && value !== null && value !== '';
}
