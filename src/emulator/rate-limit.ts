/**
 * An optional limit on API POSTs, like SignalWire's (a number of POSTs per window for the whole space): at most
 * `limit` POSTs accepted in any `windowMs` (a sliding window). A POST over it is not processed and gets 429 with
 * code 20429, with a `Retry-After` header when asked: a fixed number of seconds, or `"auto"` for the seconds
 * until a slot frees; on every refusal, or on one in `retryAfterEvery` (the first, then every n-th: a server that
 * says it only sometimes). GETs and DELETEs are never limited.
 */

export interface RateLimit {
  /** POSTs accepted per window. */
  limit: number;
  /** The window, in milliseconds. Default 1000. */
  windowMs?: number;
  /** Seconds to put in `Retry-After`, or "auto"; left out: no header, as SignalWire documents none. */
  retryAfter?: number | 'auto';
  /** `Retry-After` on one refusal in this many (the first, then every n-th). Default 1: on each. */
  retryAfterEvery?: number;
}

export class PostRateLimiter {
  private rule: Required<Pick<RateLimit, 'limit' | 'windowMs'>> & RateLimit = {
    limit: 0,
    windowMs: 0,
  };
  /** Refusals since the limit was set, for `retryAfterEvery`. */
  private refusals = 0;
  private on = false;
  /** When each POST still inside the window was accepted, oldest first. */
  private accepted: number[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  get(): RateLimit | null {
    return this.on ? { ...this.rule } : null;
  }

  set(input: unknown): void {
    this.accepted = [];
    this.refusals = 0;
    if (input === null || input === undefined) {
      this.on = false;
      return;
    }
    this.rule = checkRateLimit(input);
    this.on = true;
  }

  /** For a POST about to be handled: undefined when it may go on, or the `Retry-After` to refuse it with. */
  refuse(method: string | undefined): { retryAfter: string | undefined } | undefined {
    if (!this.on || method !== 'POST') return undefined;
    const now = this.now();
    const { limit, windowMs, retryAfter } = this.rule;
    let expired = 0;
    while (expired < this.accepted.length && this.accepted[expired]! <= now - windowMs) expired++;
    if (expired > 0) this.accepted.splice(0, expired);
    if (this.accepted.length < limit) {
      this.accepted.push(now);
      return undefined;
    }
    const told = this.refusals++ % (this.rule.retryAfterEvery ?? 1) === 0;
    if (retryAfter === undefined || !told) return { retryAfter: undefined };
    if (retryAfter !== 'auto') return { retryAfter: String(retryAfter) };
    const waitMs = this.accepted[0]! + windowMs - now;
    return { retryAfter: String(Math.max(1, Math.ceil(waitMs / 1000))) };
  }
}

/** Checks a limit from a caller (the control API takes it from any process) and returns a private copy. */
export function checkRateLimit(input: unknown): Required<Pick<RateLimit, 'limit' | 'windowMs'>> & RateLimit {
  if (typeof input !== 'object' || input === null) throw new TypeError('A rate limit must be an object');
  const rule = input as Record<string, unknown>;
  const known = ['limit', 'windowMs', 'retryAfter', 'retryAfterEvery'];
  for (const key of Object.keys(rule)) {
    if (!known.includes(key)) throw new TypeError(`${JSON.stringify(key)} is not a rate limit setting`);
  }
  const limit = rule.limit;
  if (!Number.isInteger(limit) || (limit as number) < 1) {
    throw new TypeError(`limit must be a whole number of at least 1, got ${JSON.stringify(limit)}`);
  }
  const windowMs = rule.windowMs ?? 1000;
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) {
    throw new TypeError(`windowMs must be a positive number of milliseconds, got ${JSON.stringify(windowMs)}`);
  }
  const out: Required<Pick<RateLimit, 'limit' | 'windowMs'>> & RateLimit = { limit: limit as number, windowMs };
  const retryAfter = rule.retryAfter;
  if (retryAfter !== undefined) {
    if (!(retryAfter === 'auto' || (Number.isInteger(retryAfter) && (retryAfter as number) >= 0))) {
      throw new TypeError(`retryAfter must be whole seconds or "auto", got ${JSON.stringify(retryAfter)}`);
    }
    out.retryAfter = retryAfter as number | 'auto';
  }
  const every = rule.retryAfterEvery;
  if (every !== undefined) {
    if (!Number.isInteger(every) || (every as number) < 1) {
      throw new TypeError(`retryAfterEvery must be a whole number of at least 1, got ${JSON.stringify(every)}`);
    }
    out.retryAfterEvery = every as number;
  }
  return out;
}
