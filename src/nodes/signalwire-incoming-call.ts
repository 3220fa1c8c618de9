import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import type { Response } from 'express';
import { buildCxml } from '../lib/cxml/call-answer';
import { SYSTEM_CLOCK } from '../lib/transport/ease-off';
import { IncomingAnswers, type Deliver } from '../lib/webhooks/incoming-answers';
import { readIncomingCall, type IncomingCallReading } from '../lib/webhooks/incoming-call';
import { readIncomingCallSettings } from '../lib/webhooks/incoming-call-settings';
import { GATE_DEFAULTS } from '../lib/webhooks/signed-request-gate';
import { sendsInClear } from '../lib/webhooks/signed-url';
import { INCOMING_CALL_TYPE, offerAnswering, type AnswerTo } from './answer-to';
import { resolveSigningKey, type SignalWireConnection } from './connection';
import { nodeHttpDisabled } from './http-route';
import { publicUrlOf, routeUrl } from './public-route';
import { serveSignedRoute, type RouteRefusal } from './signed-route';

type IncomingCallDef = NodeDef & {
  signalwire?: string;
  path?: unknown;
  publicUrl?: unknown;
  answerWithin?: unknown;
  fallback?: unknown;
  fallbackText?: unknown;
};

const STATUS = 'signalwire-incoming-call.status.';
const ERRORS = 'signalwire-incoming-call.errors.';
const LOG = 'signalwire-incoming-call.log.';

export = function (RED: NodeAPI) {
  function IncomingCallNode(this: Node, def: IncomingCallDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: IncomingCallDef) {
    const connection = (def.signalwire ? RED.nodes.getNode(def.signalwire) : null) as SignalWireConnection | null;
    const { settings, problems } = readIncomingCallSettings(def);
    // The key is read once per deploy and only ever handed to the signature check.
    const signingKey = connection ? connection.getSigningKey() : resolveSigningKey(undefined);
    const fallbackWords = RED._(`${STATUS}fallbacks.${settings.fallback}`);
    const seconds = settings.answerWithinMs / 1000;
    let answered = 0;

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
    if (!signingKey) node.error(RED._(`${ERRORS}noSigningKey`));
    if (sendsInClear(settings.publicUrl)) node.warn(RED._(`${ERRORS}publicUrlInClear`, { url: settings.publicUrl }));

    const answers = new IncomingAnswers({
      waitMs: settings.answerWithinMs,
      fallback: buildCxml(settings.fallbackAnswer),
      keepMs: GATE_DEFAULTS.replayWindowMs,
      max: GATE_DEFAULTS.replayMemoryMax,
      clock: SYSTEM_CLOCK,
      onFallback: ({ caller, reason }) => {
        node.warn(RED._(`${LOG}${reason}`, { from: caller.from, seconds, fallback: fallbackWords }));
        if (reason !== 'closing') status('yellow', 'dot', 'fallback', { fallback: fallbackWords });
      },
    });

    const showWaiting = () => status('blue', 'dot', 'ringing', { count: answers.waiting });

    /** Writes the cXML to a request SignalWire still waits on. */
    const deliverTo = (res: Response): Deliver => {
      let gone = false;
      res.once('close', () => (gone = !res.writableFinished));
      return (cxml) => {
        if (gone || res.headersSent) return false;
        res.status(200).type('text/xml').send(cxml);
        return true;
      };
    };

    const refusalOf = (reading: Extract<IncomingCallReading, { ok: false }>): RouteRefusal => {
      const fields = reading.fields.length > 0 ? `: ${reading.fields.join(', ')}` : '';
      const answer = BAD_REQUEST[reading.problem] + fields;
      return { code: 400, answer, reason: answer, label: RED._(`${STATUS}rejected.${reading.problem}`) };
    };

    // Where SignalWire calls: the node's own Public URL, else its connection's base with the path, else the
    // address the request claims.
    const publicUrl = settings.publicUrl || routeUrl(RED, publicUrlOf(RED, connection), settings.path);

    const route = serveSignedRoute(RED, node, {
      path: settings.path,
      publicUrl,
      gate: { signingKey, verify: true },
      showIdle: () => {
        if (!signingKey) status('red', 'ring', 'noSigningKey');
        else status('green', 'ring', 'listening');
      },
      onRequest: (request, reply) => {
        const reading = readIncomingCall(request);
        if (!reading.ok) return reply.refuse(refusalOf(reading));
        const { call } = reading;
        answers.wait(request.digest, { callSid: call.callSid, from: call.from }, deliverTo(reply.res));
        showWaiting();
        const answerTo: AnswerTo = { node: node.id, request: request.digest };
        node.send({ payload: call, callSid: call.callSid, answerTo });
      },
      // SignalWire retrying gets the answer the call got (or will get), and the flow does not run again.
      answerRepeat: (request, reply) => {
        const reading = readIncomingCall(request);
        if (!reading.ok) return reply.refuse(refusalOf(reading));
        answers.repeat(request.digest, deliverTo(reply.res));
      },
    });

    offerAnswering(node, {
      state: (request) => answers.state(request),
      answer: (request, cxml) => {
        const result = answers.answer(request, cxml);
        if (result.ok) {
          answered += 1;
          if (answers.waiting > 0) showWaiting();
          else status('green', 'dot', 'answered', { count: answered });
        }
        return result;
      },
      giveUp: (request) => answers.giveUp(request),
      fallbackWords,
      answerWithin: seconds,
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      // Nobody will answer the calls still waiting: the fallback does, before the route goes.
      answers.close();
      route.close();
      done();
    });
  }

  RED.nodes.registerType(INCOMING_CALL_TYPE, IncomingCallNode);
};

/** What the sender reads when a signed request is not an incoming call. */
const BAD_REQUEST: Record<Extract<IncomingCallReading, { ok: false }>['problem'], string> = {
  missing: 'Not a call, missing',
  'unsafe-key': 'Refused field names',
  'not-form': 'The body must be application/x-www-form-urlencoded',
};
