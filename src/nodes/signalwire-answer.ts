import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { buildCxml, validateCallAnswer, type CallAnswer } from '../lib/cxml/call-answer';
import { SignalWireError } from '../lib/transport/errors';
import { findUnsafeKey } from '../lib/values/unsafe-keys';
import { findAnswering, isAnswerTo, type IncomingCallAnswering } from './answer-to';
import { resolveEventsTarget } from './events-target';
import { CONFERENCE_FIELD, JOIN_OPTION_FIELDS, type FieldDefinition } from './field-definitions';
import { fieldReader, setValues, type Field } from './field-reader';
import { endOnce, failureRoute, sendFailure, statusShower, type Done, type Send } from './message-outcome';

type AnswerDef = NodeDef & { reportToCatch?: boolean; wires?: string[][] } & Record<string, unknown>;

const NAMESPACE = 'signalwire-answer';

/** The node's fields: what to answer, and what each answer needs. */
const ANSWER_ACTION_FIELD: FieldDefinition = { name: 'action', defaultPath: 'payload.action' };
const SAY_FIELDS: readonly FieldDefinition[] = ['text', 'voice', 'language'].map((name) => ({
  name,
  defaultPath: `payload.${name}`,
}));
const PLAY_URL_FIELD: FieldDefinition = { name: 'playUrl', defaultPath: 'payload.playUrl' };

/** `events` saying the room reports nowhere (join-options.js). */
const NO_EVENTS = 'none';

/** What the node's Answer field may say, and the answer each means. */
const ACTIONS = ['join', 'say', 'play', 'reject', 'busy', 'hangup'] as const;
type Action = (typeof ACTIONS)[number];

export = function (RED: NodeAPI) {
  function AnswerNode(this: Node, def: AnswerDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: AnswerDef) {
    const route = failureRoute(def);
    const fields = fieldReader(RED, node, def, NAMESPACE);
    const action = fields.field(ANSWER_ACTION_FIELD);
    const conference = fields.field(CONFERENCE_FIELD);
    const joinOptions = JOIN_OPTION_FIELDS.map((f) => fields.field(f));
    const [text, voice, language] = SAY_FIELDS.map((f) => fields.field(f)) as [Field, Field, Field];
    const playUrl = fields.field(PLAY_URL_FIELD);
    const events = typeof def.events === 'string' ? def.events : '';

    const t = (key: string, values: Record<string, string | number> = {}) => RED._(`${NAMESPACE}.${key}`, values);
    const failure = (
      key: string,
      values: Record<string, string | number> = {},
      source: 'validation' | 'timeout' | 'network' = 'validation',
      code?: string,
    ) => new SignalWireError(t(`errors.${key}`, values), source, code === undefined ? {} : { code });

    const showStatus = statusShower(node);

    const { require } = fields;

    /** The answer the node's settings give for this message; a validation error naming the field otherwise. */
    const answerFor = async (msg: NodeMessage): Promise<CallAnswer> => {
      const [chosen] = await fields.read([action], msg);
      require(action, chosen);
      if (!(ACTIONS as readonly unknown[]).includes(chosen)) {
        throw failure('badAction', { value: String(chosen), where: fields.where(action) });
      }
      switch (chosen as Action) {
        case 'join': {
          const [room, ...values] = await fields.read([conference, ...joinOptions], msg);
          require(conference, room);
          const join: Record<string, unknown> = { action: 'join', room, ...setValues(joinOptions, values) };
          if (events !== NO_EVENTS) {
            // Looked up per call: an events node moved by a later deploy is followed.
            const target = resolveEventsTarget(RED, events);
            if (!target.ok) throw new SignalWireError(target.message, 'validation', { code: 'ERR_NO_EVENTS_NODE' });
            join.statusCallback = target.url;
          }
          return validateCallAnswer(join);
        }
        case 'say': {
          const [said, ...spoken] = await fields.read([text, voice, language], msg);
          require(text, said);
          const say: Record<string, unknown> = { action: 'say', text: said };
          [voice, language].forEach((f, i) => {
            if (spoken[i] !== undefined && spoken[i] !== '') say[f.name] = spoken[i];
          });
          return validateCallAnswer(say);
        }
        case 'play': {
          const [url] = await fields.read([playUrl], msg);
          require(playUrl, url);
          return validateCallAnswer({ action: 'play', url });
        }
        case 'reject':
          return { action: 'reject', reason: 'rejected' };
        case 'busy':
          return { action: 'reject', reason: 'busy' };
        case 'hangup':
          return { action: 'hangup' };
      }
    };

    /** Answers the message's call; the answer as given, or an error saying what the caller got instead. */
    const run = async (msg: NodeMessage): Promise<CallAnswer> => {
      const answerTo = (msg as { answerTo?: unknown }).answerTo;
      if (!isAnswerTo(answerTo)) throw failure('noCall', {}, 'validation', 'ERR_NO_CALL');
      const found = findAnswering(RED, answerTo);
      if (!found.ok) {
        const key = found.reason === 'no-node' ? 'noIncomingNode' : 'incomingNotRunning';
        throw failure(key, {}, 'validation', 'ERR_NO_CALL');
      }
      const answering = found.answering;
      // A call already answered gets nothing more: that is the news, whatever its answer would have been.
      const state = answering.state(answerTo.request);
      if (state !== 'waiting') throw notAnswered(state, answering);
      let cxml: string;
      let answer: CallAnswer;
      try {
        const unsafe = findUnsafeKey(msg.payload, 'msg.payload');
        if (unsafe) throw failure('unsafeKey', { path: unsafe });
        answer = await answerFor(msg);
        cxml = buildCxml(answer);
      } catch (error) {
        // The caller is not left ringing for an answer that will not come.
        const gaveUp = answering.giveUp(answerTo.request);
        const base = error instanceof SignalWireError ? error : failure('unexpected', { message: String(error) });
        if (!gaveUp.ok) throw base;
        throw new SignalWireError(
          `${asSentence(base.message)} ${t('errors.gotFallback', { fallback: answering.fallbackWords })}`,
          base.source,
          base.code === undefined ? {} : { code: base.code },
        );
      }
      const result = answering.answer(answerTo.request, cxml);
      if (!result.ok) throw notAnswered(result.reason, answering);
      if (!result.delivered) throw failure('callerGone', {}, 'network', 'ERR_CALLER_GONE');
      return answer;
    };

    const notAnswered = (reason: 'fallback' | 'answered' | 'unknown', answering: IncomingCallAnswering) => {
      if (reason === 'fallback') {
        return failure(
          'tooLate',
          { fallback: answering.fallbackWords, seconds: answering.answerWithin },
          'timeout',
          'ERR_ANSWER_TOO_LATE',
        );
      }
      if (reason === 'answered') return failure('alreadyAnswered', {}, 'validation', 'ERR_ALREADY_ANSWERED');
      return failure('unknownCall', {}, 'validation', 'ERR_NO_SUCH_CALL');
    };

    const statusOf = (answer: CallAnswer): string => {
      if (answer.action === 'reject') return t(`status.${answer.reason === 'busy' ? 'busy' : 'rejected'}`);
      return t(`status.${answer.action}`);
    };

    type Out = NodeMessage & { answer?: CallAnswer; error?: unknown };

    node.on('input', (msg: NodeMessageInFlow, send: Send, done: Done) => {
      const out = msg as Out;
      // Whatever happens below, the runtime hears about this message once, and no rejection goes unhandled.
      const finish = endOnce(done).end;
      run(msg)
        .then(
          (answer) => {
            delete out.error;
            out.answer = answer;
            showStatus({ fill: 'green', shape: 'dot', text: statusOf(answer) });
            send([out, null]);
            finish();
          },
          (error: unknown) => {
            const failed = error instanceof SignalWireError ? error : failure('unexpected', { message: String(error) });
            out.error = failed.toJSON();
            showStatus({
              fill: 'red',
              shape: 'ring',
              text: t(`status.${FAILURE_STATUS[String(failed.code)] ?? 'invalid'}`),
            });
            sendFailure(route, out, failed, send, finish);
          },
        )
        .catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
    });
  }

  RED.nodes.registerType('signalwire-answer', AnswerNode);
};

/** The status a failure shows, by its code; anything else is an answer that could not be built. */
const FAILURE_STATUS: Record<string, string> = {
  ERR_NO_CALL: 'noCall',
  ERR_NO_SUCH_CALL: 'noCall',
  ERR_ANSWER_TOO_LATE: 'tooLate',
  ERR_ALREADY_ANSWERED: 'alreadyAnswered',
  ERR_CALLER_GONE: 'callerGone',
};

/** The lib's messages are clauses; a sentence follows them here. */
function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
