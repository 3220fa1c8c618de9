/**
 * Incoming calls waiting for the flow's answer, and the answers they got. SignalWire holds a call's request open
 * (the caller hears it ring) until the cXML comes: the flow's answer, or the fallback when the flow has not
 * answered within `waitMs`, or says it cannot. Either answers the request once, and any repeat of it (SignalWire
 * retrying) gets the same cXML, never a second decision.
 *
 * It remembers each waiting call until it is answered (at most `waitMs`, one timer each), and each answer for
 * `keepMs` after it was given (the signed request gate's replay window, so every repeat the gate recognises finds
 * it), at most `max` answers, the one given longest ago forgotten first. Nothing runs while idle.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';

/** Writes the cXML to a request still waiting for it; false when that request is gone (the sender gave up). */
export type Deliver = (cxml: string) => boolean;

/** Why the fallback answered: nothing came in time, the flow could not build its answer, or the node stopped. */
export type FallbackReason = 'no-answer' | 'flow-failed' | 'closing';

export interface IncomingAnswersOptions {
  waitMs: number;
  /** The cXML of the fallback. */
  fallback: string;
  keepMs: number;
  max: number;
  /** The clock (milliseconds); must not start at 0, which the cache reads as "no time". */
  clock: Clock;
  /** Told each time the fallback answers a call. */
  onFallback?(call: { id: string; caller: Caller; reason: FallbackReason }): void;
}

/** Who is calling, for what the node says about a call. */
export interface Caller {
  callSid: string;
  from: string;
}

export type AnswerResult =
  /** Answered; `delivered` is false when no request was left open to carry the answer. */
  | { ok: true; delivered: boolean }
  /** Already answered (by the fallback, or by an earlier answer), or not a call this node holds (any more). */
  | { ok: false; reason: 'fallback' | 'answered' | 'unknown' };

interface Waiting {
  caller: Caller;
  deliveries: Deliver[];
  timer: unknown;
}

interface Given {
  cxml: string;
  by: 'flow' | 'fallback';
}

export class IncomingAnswers {
  readonly #options: IncomingAnswersOptions;
  readonly #waiting = new Map<string, Waiting>();
  readonly #given: LRUCache<string, Given>;

  constructor(options: IncomingAnswersOptions) {
    this.#options = options;
    const now = () => options.clock.now();
    this.#given = new LRUCache<string, Given>({
      max: options.max,
      ttl: options.keepMs,
      ttlResolution: 0,
      perf: { now },
    });
  }

  /** How many calls wait for an answer now. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** A new call (`id`: its request's digest): its answer goes to `deliver`, from the flow or after `waitMs` the fallback. */
  wait(id: string, caller: Caller, deliver: Deliver): void {
    const timer = this.#options.clock.setTimeout(() => this.#fallBack(id, 'no-answer'), this.#options.waitMs);
    this.#waiting.set(id, { caller, deliveries: [deliver], timer });
  }

  /** A repeat of call `id`'s request: the same cXML, at once when given, when it comes while the call waits; the fallback once forgotten. */
  repeat(id: string, deliver: Deliver): void {
    const waiting = this.#waiting.get(id);
    if (waiting) waiting.deliveries.push(deliver);
    else deliver(this.#given.get(id)?.cxml ?? this.#options.fallback);
  }

  /** Whether call `id` still waits for an answer, or what answered it. */
  state(id: string): 'waiting' | 'fallback' | 'answered' | 'unknown' {
    if (this.#waiting.has(id)) return 'waiting';
    const given = this.#given.get(id);
    return given ? (given.by === 'fallback' ? 'fallback' : 'answered') : 'unknown';
  }

  /** The flow's answer to call `id`. */
  answer(id: string, cxml: string): AnswerResult {
    const waiting = this.#waiting.get(id);
    if (!waiting) return this.#notWaiting(id);
    return { ok: true, delivered: this.#settle(id, waiting, { cxml, by: 'flow' }) };
  }

  /** The flow cannot answer call `id` (its answer could not be built): the fallback answers it now. */
  giveUp(id: string): AnswerResult {
    if (!this.#waiting.has(id)) return this.#notWaiting(id);
    return { ok: true, delivered: this.#fallBack(id, 'flow-failed') };
  }

  /** Every call still waiting gets the fallback now (the node stops: nobody will answer them). */
  close(): void {
    for (const id of [...this.#waiting.keys()]) this.#fallBack(id, 'closing');
  }

  #notWaiting(id: string): AnswerResult {
    return { ok: false, reason: this.state(id) as 'fallback' | 'answered' | 'unknown' };
  }

  #fallBack(id: string, reason: FallbackReason): boolean {
    const waiting = this.#waiting.get(id);
    if (!waiting) return false;
    const delivered = this.#settle(id, waiting, { cxml: this.#options.fallback, by: 'fallback' });
    this.#options.onFallback?.({ id, caller: waiting.caller, reason });
    return delivered;
  }

  #settle(id: string, waiting: Waiting, given: Given): boolean {
    this.#options.clock.clearTimeout(waiting.timer);
    this.#waiting.delete(id);
    this.#given.set(id, given);
    let delivered = false;
    for (const deliver of waiting.deliveries) delivered = deliver(given.cxml) || delivered;
    return delivered;
  }
}
