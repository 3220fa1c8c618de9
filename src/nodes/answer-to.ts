/**
 * How an answer call node reaches the call it answers. The incoming call node puts `msg.answerTo` on each call's
 * message: plain data (its own id and the request's digest), so the message can be copied, split, logged, or
 * passed through any node and still reach its call; the key is never in it. The incoming call node offers
 * answering through a property the answer call node looks up by that id.
 */
import type { Node, NodeAPI } from 'node-red';
import type { AnswerResult, IncomingAnswers } from '../lib/webhooks/incoming-answers';

export const INCOMING_CALL_TYPE = 'signalwire-incoming-call';

/** `msg.answerTo`. */
export interface AnswerTo {
  /** The incoming call node's id. */
  node: string;
  /** The call's request, as the node knows it. */
  request: string;
}

/** What an incoming call node offers the answer call node. */
export interface IncomingCallAnswering {
  /** Whether the call still waits for an answer, or what answered it. */
  state(request: string): ReturnType<IncomingAnswers['state']>;
  /** Answers the call with this cXML. */
  answer(request: string, cxml: string): AnswerResult;
  /** The flow cannot answer: the node's fallback answers at once. */
  giveUp(request: string): AnswerResult;
  /** The fallback in words ("rejected", "busy"…) and the seconds the flow has, for error messages. */
  readonly fallbackWords: string;
  readonly answerWithin: number;
}

export type IncomingCallNode = Node & { answering?: IncomingCallAnswering };

/** Gives a running incoming call node its answering (hidden from anything that prints or copies the node). */
export function offerAnswering(node: Node, answering: IncomingCallAnswering): void {
  Object.defineProperty(node, 'answering', { value: answering, configurable: true });
}

export function isAnswerTo(value: unknown): value is AnswerTo {
  if (value === null || typeof value !== 'object') return false;
  const { node, request } = value as Record<string, unknown>;
  return typeof node === 'string' && node !== '' && typeof request === 'string' && request !== '';
}

/** The answering of the incoming call node `answerTo` names, or why there is none. */
export function findAnswering(
  RED: NodeAPI,
  answerTo: AnswerTo,
): { ok: true; answering: IncomingCallAnswering } | { ok: false; reason: 'no-node' | 'not-running' } {
  const node = RED.nodes.getNode(answerTo.node) as IncomingCallNode | null;
  if (!node || node.type !== INCOMING_CALL_TYPE) return { ok: false, reason: 'no-node' };
  if (!node.answering) return { ok: false, reason: 'not-running' };
  return { ok: true, answering: node.answering };
}
