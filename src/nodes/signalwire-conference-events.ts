import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import { judgeCallback, type CallbackOutcome } from '../lib/webhooks/conference-callback';
import { isCallEvent } from '../lib/webhooks/call-event';
import { isParticipantEvent } from '../lib/webhooks/conference-event';
import { readEventsSettings } from '../lib/webhooks/events-settings';
import { sendsInClear } from '../lib/webhooks/signed-url';
import { resolveSigningKey, type SignalWireConnection } from './connection';
import { nodeHttpDisabled } from './http-route';
import { publicUrlOf, routeUrl } from './public-route';
import { serveSignedRoute, type RouteRefusal } from './signed-route';

type ConferenceEventsDef = NodeDef & {
  signalwire?: string;
  path?: unknown;
  publicUrl?: unknown;
  events?: unknown;
  verify?: unknown;
  timestampTolerance?: unknown;
};

const STATUS = 'signalwire-conference-events.status.';
const ERRORS = 'signalwire-conference-events.errors.';

export = function (RED: NodeAPI) {
  function ConferenceEventsNode(this: Node, def: ConferenceEventsDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: ConferenceEventsDef) {
    const connection = (def.signalwire ? RED.nodes.getNode(def.signalwire) : null) as SignalWireConnection | null;
    const { settings, problems, unknownEvents } = readEventsSettings(def);
    // The key is read once per deploy and only ever handed to the signature check.
    const signingKey = connection ? connection.getSigningKey() : resolveSigningKey(undefined);
    const idleFill: NodeStatus['fill'] = settings.verify ? 'green' : 'yellow';
    let count = 0;

    const status = (fill: NodeStatus['fill'], shape: NodeStatus['shape'], key: string, values = {}) =>
      node.status({ fill, shape, text: RED._(`${STATUS}${key}`, values) });

    if (problems.length > 0) {
      for (const problem of problems) node.error(RED._(`${ERRORS}${problem.field}`, { value: problem.value }));
      status('red', 'ring', 'badSettings');
      return;
    }
    if (nodeHttpDisabled(RED)) {
      node.error(RED._(`${ERRORS}httpDisabled`));
      status('red', 'ring', 'httpDisabled');
      return;
    }
    for (const name of unknownEvents) node.warn(RED._(`${ERRORS}unknownEvent`, { name }));
    // Shown on every deploy, so an unverified endpoint is never forgotten.
    if (!settings.verify) node.warn(RED._(`${ERRORS}verifyOff`, { path: settings.path }));
    else if (!signingKey) node.error(RED._(`${ERRORS}noSigningKey`));
    if (sendsInClear(settings.publicUrl)) node.warn(RED._(`${ERRORS}publicUrlInClear`, { url: settings.publicUrl }));

    const refusalOf = (outcome: Extract<CallbackOutcome, { status: 400 }>): RouteRefusal => {
      const fields = outcome.fields.length > 0 ? `: ${outcome.fields.join(', ')}` : '';
      const label = RED._(`${STATUS}rejected.${outcome.problem}`);
      const answer = BAD_REQUEST[outcome.problem] + fields;
      return { code: 400, answer, label, reason: answer };
    };

    // Where SignalWire calls: the node's own Public URL, else its connection's base with the path (as calls
    // placed by this package are told: events-target.ts), else the address the request claims.
    const publicUrl = settings.publicUrl || routeUrl(RED, publicUrlOf(RED, connection), settings.path);

    const route = serveSignedRoute(RED, node, {
      path: settings.path,
      publicUrl,
      gate: { signingKey, verify: settings.verify, toleranceMs: settings.timestampTolerance * 60_000 },
      showIdle: () => {
        if (!settings.verify) status('yellow', 'ring', 'unverified');
        else if (!signingKey) status('red', 'ring', 'noSigningKey');
        else status('green', 'ring', 'listening');
      },
      onRequest: (request, reply) => {
        const outcome = judgeCallback(request, settings.events);
        if (outcome.status === 400) return reply.refuse(refusalOf(outcome));
        // SignalWire hears back at once; the flow runs after.
        reply.answer(204);
        if (!outcome.passOn) return;
        const event = outcome.event;
        count += 1;
        node.status({
          fill: idleFill,
          shape: 'dot',
          text: RED._(`${STATUS}event`, { event: shortName(event.event), count }),
        });
        // A call's own progress names no conference; a participant's or a call's event names its call.
        const conferenceSid = 'conferenceSid' in event ? event.conferenceSid : undefined;
        const aboutCall = isParticipantEvent(event.event) || isCallEvent(event.event);
        node.send({
          topic: event.event,
          payload: event,
          ...(conferenceSid ? { conferenceSid } : {}),
          ...(aboutCall && event.callSid ? { callSid: event.callSid } : {}),
        });
      },
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      route.close();
      done();
    });
  }

  /** The text of a short status: known events by a word or two, others as sent. */
  function shortName(event: string): string {
    const key = `${STATUS}events.${event}`;
    const text = RED._(key);
    return text.endsWith(`events.${event}`) ? event : text;
  }

  RED.nodes.registerType('signalwire-conference-events', ConferenceEventsNode);
};

/** What the sender reads when a signed request is not a status callback. */
const BAD_REQUEST = {
  missing: 'Not a status callback, missing',
  'unsafe-key': 'Refused field names',
  'not-form': 'The body must be application/x-www-form-urlencoded',
} as const;
