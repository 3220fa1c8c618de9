/**
 * Which signed requests were already accepted, so that an exact repeat (a retry, or a captured request sent
 * again) is not passed on twice.
 *
 * It remembers one digest per accepted request, for `windowMs` after it arrived, or longer when the request's
 * own timestamp stays within the age tolerance longer than that (so no repeat slips between the two checks). It
 * holds at most `max` digests (about 150 bytes each); when full, the one accepted longest ago is forgotten first.
 * Nothing runs while idle: a digest past its time is dropped when it is looked up or pushed out by newer ones.
 */
import { LRUCache } from 'lru-cache';

export interface ReplayMemoryOptions {
  windowMs: number;
  max: number;
  /** The clock (milliseconds); injected by tests. Must not start at 0, which the cache reads as "no time". */
  now: () => number;
}

export class ReplayMemory {
  readonly #seen: LRUCache<string, true>;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor({ windowMs, max, now }: ReplayMemoryOptions) {
    this.#windowMs = windowMs;
    this.#now = now;
    // ttlResolution 0: read the clock on every look-up rather than keep a timer to refresh a cached reading.
    this.#seen = new LRUCache<string, true>({ max, ttl: windowMs, ttlResolution: 0, perf: { now } });
  }

  /**
   * True the first time `digest` is offered, false for a repeat still remembered. A first one is remembered
   * for the window, or until `keepUntil` (a time on the same clock) when that is later.
   */
  firstTime(digest: string, keepUntil = 0): boolean {
    // `has` does not refresh an entry: a repeat never extends how long the first is remembered.
    if (this.#seen.has(digest)) return false;
    const ttl = Math.max(this.#windowMs, Math.ceil(keepUntil - this.#now()));
    this.#seen.set(digest, true, { ttl });
    return true;
  }

  /** How many digests are held, expired ones not yet dropped included. */
  get size(): number {
    return this.#seen.size;
  }
}
