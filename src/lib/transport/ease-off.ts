import { SYSTEM_CLOCK, type Clock } from '../clock';

/** 429s in a row (no success between) that mean the limit is full, not one request's bad luck. */
const FULL_AFTER = 3;
/** How far back accepted POSTs are counted to measure the rate the limit lets through (SignalWire counts per second). */
const RATE_WINDOW = 1_000;
/** Spacing a little wider than measured, so timing jitter does not run into the limit again. */
const MARGIN = 1.05;
/** The widest spacing between POST starts, whatever was measured. */
export const MAX_GAP = 2_000;
/** Spacing is dropped this long after the limit was last found full: the limit has room again, or all was idle. */
const FORGET_AFTER = 10_000;

/**
 * Easing off when the API says "too many requests" (429), for every POST of one client at once, so a sweep of
 * hundreds settles just under the limit instead of retrying into it.
 *
 * - A 429 among successes is left to its own request's retry.
 * - Three 429s in a row mean the limit is full: no POST starts until the server's Retry-After has passed (without
 *   one, a pause that doubles each time the limit is found full again before a success), and POSTs are then
 *   spaced at the rate accepted over the last second, a little under it.
 * - A 429 for a POST that started before the limit was found full answers from that same full limit: it changes
 *   nothing but the pause, when its Retry-After is longer.
 *
 * What it remembers, and for how long: POSTs accepted over the last second (in ten counters, whatever the rate);
 * the pause (at most `longestPause`); the spacing (at most MAX_GAP, dropped FORGET_AFTER after the limit was last
 * found full); when that was; and the 429s in a row. Nothing grows with time or traffic.
 */
export class EaseOff {
  readonly #firstPause: number;
  readonly #longestPause: number;
  readonly #clock: Clock;
  readonly #accepted: RecentCount;
  /** No POST starts before this time. */
  #resumeAt = -Infinity;
  /** Milliseconds between POST starts; 0: not spaced. */
  #gap = 0;
  /** The earliest the next POST may start, one gap after the one before. */
  #nextStart = -Infinity;
  /** When the limit was last found full. */
  #fullAt = -Infinity;
  /** 429s since the last success, and times the limit was found full since then. */
  #refusedInARow = 0;
  #fullInARow = 0;
  /** 429s seen. */
  refusals = 0;

  /**
   * @param firstPause pause after a full limit without Retry-After, in milliseconds
   * @param longestPause cap on any pause, in milliseconds
   */
  constructor(firstPause: number, longestPause: number, clock: Clock = SYSTEM_CLOCK) {
    this.#firstPause = Math.max(1, firstPause);
    this.#longestPause = longestPause;
    this.#clock = clock;
    this.#accepted = new RecentCount(RATE_WINDOW);
  }

  /** Milliseconds between POST starts now (0: not spaced). */
  get gap(): number {
    return this.#clock.now() - this.#fullAt > FORGET_AFTER ? 0 : this.#gap;
  }

  /**
   * Resolves, with the time the POST starts, when it may start: at once unless easing off, or when `signal`
   * aborts. A pause that begins while it waits holds it too.
   */
  async wait(signal?: AbortSignal): Promise<number> {
    for (;;) {
      const now = this.#clock.now();
      const start = Math.max(now, this.#resumeAt, this.#nextStart);
      this.#nextStart = start + this.gap;
      if (start <= now || signal?.aborted) return now;
      await this.#sleep(start - now, signal);
      if (signal?.aborted || this.#resumeAt <= this.#clock.now()) return this.#clock.now();
    }
  }

  /** A 429 came for a POST that started at `startedAt`; `retryAfter`: the server's Retry-After in milliseconds. */
  refused(startedAt: number, retryAfter: number | undefined): void {
    this.refusals++;
    const now = this.#clock.now();
    const asked = retryAfter === undefined ? undefined : Math.min(retryAfter, this.#longestPause);
    if (startedAt < this.#fullAt) {
      if (asked !== undefined) this.#resumeAt = Math.max(this.#resumeAt, now + asked);
      return;
    }
    if (++this.#refusedInARow < FULL_AFTER) return;

    const pause = asked ?? Math.min(this.#firstPause * 2 ** this.#fullInARow, this.#longestPause);
    this.#fullInARow = Math.min(this.#fullInARow + 1, 16);
    this.#refusedInARow = 0;
    this.#fullAt = now;
    this.#resumeAt = Math.max(this.#resumeAt, now + pause);
    this.#gap = Math.min((RATE_WINDOW / Math.max(1, this.#accepted.count(now))) * MARGIN, MAX_GAP);
    this.#nextStart = this.#resumeAt;
  }

  /** A POST went through: the limit had room. */
  accepted(): void {
    this.#refusedInARow = 0;
    this.#fullInARow = 0;
    this.#accepted.add(this.#clock.now());
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#clock.clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.#clock.setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Events over the last `window` milliseconds, counted in ten slots: the same memory at any rate. */
class RecentCount {
  readonly #slotMs: number;
  readonly #counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  /** Which slot of time (now / slotMs) each counter holds. */
  readonly #slots = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1];

  constructor(window: number) {
    this.#slotMs = window / 10;
  }

  add(now: number): void {
    const slot = Math.floor(now / this.#slotMs);
    const i = slot % 10;
    if (this.#slots[i] !== slot) {
      this.#slots[i] = slot;
      this.#counts[i] = 0;
    }
    this.#counts[i]!++;
  }

  count(now: number): number {
    const oldest = Math.floor(now / this.#slotMs) - 9;
    let sum = 0;
    for (let i = 0; i < 10; i++) if (this.#slots[i]! >= oldest) sum += this.#counts[i]!;
    return sum;
  }
}
