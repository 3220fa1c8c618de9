import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import { judgeCallback } from '../lib/webhooks/conference-callback';
import { isCallEvent } from '../lib/webhooks/call-event';
import { isParticipantEvent } from '../lib/webhooks/conference-event';
import { readEventsSettings } from '../lib/webhooks/events-settings';
import { setUpSignedNode } from './signed-node';

type ConferenceEventsDef = NodeDef & {
  signalwire?: string;
  path?: unknown;
  publicUrl?: unknown;
  events?: unknown;
  verify?: unknown;
  timestampTolerance?: unknown;
};

const NAMESPACE = 'signalwire-conference-events';
const STATUS = `${NAMESPACE}.status.`;
const ERRORS = `${NAMESPACE}.errors.`;

export = function (RED: NodeAPI) {
  function ConferenceEventsNode(this: Node, def: ConferenceEventsDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: ConferenceEventsDef) {
    const { settings, problems, unknownEvents } = readEventsSettings(def);
    const signed = setUpSignedNode(RED, node, { namespace: NAMESPACE, signalwire: def.signalwire, settings, problems });
    if (!signed) return;
    const { signingKey, status } = signed;
    const idleFill: NodeStatus['fill'] = settings.verify ? 'green' : 'yellow';
    let count = 0;

    for (const name of unknownEvents) node.warn(RED._(`${ERRORS}unknownEvent`, { name }));
    // Shown on every deploy, so an unverified endpoint is never forgotten.
    if (!settings.verify) node.warn(RED._(`${ERRORS}verifyOff`, { path: settings.path }));
    else if (!signingKey) node.error(RED._(`${ERRORS}noSigningKey`));

    const route = signed.serve({
      gate: { signingKey, verify: settings.verify, toleranceMs: settings.timestampTolerance * 60_000 },
      showIdle: () => {
        if (!settings.verify) status('yellow', 'ring', 'unverified');
        else if (!signingKey) status('red', 'ring', 'noSigningKey');
        else status('green', 'ring', 'listening');
      },
      onRequest: (request, reply) => {
        const outcome = judgeCallback(request, settings.events);
        if (outcome.status === 400) return reply.refuse(signed.badRequest(outcome, 'Not a status callback'));
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
