import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { Response } from 'express';
import { buildCxml } from '../lib/cxml/call-answer';
import { SYSTEM_CLOCK } from '../lib/clock';
import { IncomingAnswers, type Deliver } from '../lib/webhooks/incoming-answers';
import { readIncomingCall } from '../lib/webhooks/incoming-call';
import { readIncomingCallSettings } from '../lib/webhooks/incoming-call-settings';
import { GATE_DEFAULTS } from '../lib/webhooks/signed-request-gate';
import { INCOMING_CALL_TYPE, offerAnswering, type AnswerTo } from './answer-to';
import { setUpSignedNode } from './signed-node';

type IncomingCallDef = NodeDef & {
  signalwire?: string;
  path?: unknown;
  publicUrl?: unknown;
  answerWithin?: unknown;
  fallback?: unknown;
  fallbackText?: unknown;
};

const NAMESPACE = INCOMING_CALL_TYPE;

export = function (RED: NodeAPI) {
  function IncomingCallNode(this: Node, def: IncomingCallDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: IncomingCallDef) {
    const { settings, problems } = readIncomingCallSettings(def);
    const signed = setUpSignedNode(RED, node, { namespace: NAMESPACE, signalwire: def.signalwire, settings, problems });
    if (!signed) return;
    const { signingKey, status } = signed;
    const fallbackWords = RED._(`${NAMESPACE}.status.fallbacks.${settings.fallback}`);
    const seconds = settings.answerWithinMs / 1000;
    let answered = 0;

    if (!signingKey) node.error(RED._(`${NAMESPACE}.errors.noSigningKey`));

    const answers = new IncomingAnswers({
      waitMs: settings.answerWithinMs,
      fallback: buildCxml(settings.fallbackAnswer),
      keepMs: GATE_DEFAULTS.replayWindowMs,
      max: GATE_DEFAULTS.replayMemoryMax,
      clock: SYSTEM_CLOCK,
      onFallback: ({ caller, reason }) => {
        node.warn(RED._(`${NAMESPACE}.log.${reason}`, { from: caller.from, seconds, fallback: fallbackWords }));
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

    const route = signed.serve({
      gate: { signingKey, verify: true },
      showIdle: () => {
        if (!signingKey) status('red', 'ring', 'noSigningKey');
        else status('green', 'ring', 'listening');
      },
      onRequest: (request, reply) => {
        const reading = readIncomingCall(request);
        if (!reading.ok) return reply.refuse(signed.badRequest(reading, 'Not a call'));
        const { call } = reading;
        answers.wait(request.digest, { callSid: call.callSid, from: call.from }, deliverTo(reply.res));
        showWaiting();
        const answerTo: AnswerTo = { node: node.id, request: request.digest };
        node.send({ payload: call, callSid: call.callSid, answerTo });
      },
      // SignalWire retrying gets the answer the call got (or will get), and the flow does not run again.
      answerRepeat: (request, reply) => {
        const reading = readIncomingCall(request);
        if (!reading.ok) return reply.refuse(signed.badRequest(reading, 'Not a call'));
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
