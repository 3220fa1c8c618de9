/** Refusals in a row (no success between) that mean the limit is full, not one request's bad luck. */
const FULL_AFTER = 3;

/**
 * Easing off when the API says "too many requests" (429), for every POST of one client at once: a retry on its
 * own would come back while the others keep the limit full, and use up its retries there.
 *
 * A 429 among successes is left to that request's own retry. Once several come in a row, the limit is full:
 * no new attempt starts until the server's Retry-After has passed, or, without one, a pause that
 * doubles with each 429 in a row. From then on attempts are also spaced out, at the rate the limit let through
 * before it refused (POSTs accepted over the time they took, pause included); each success shortens the spacing
 * a little and each new 429 lengthens it, so the client settles just under the limit instead of bursting into
 * it. Attempts already on the wire when a 429 arrived answer from the same full limit: their 429s change
 * nothing more.
 */
export class EaseOff {
  readonly #firstPause: number;
  readonly #longestPause: number;
  /** No attempt starts before this time (Date.now() milliseconds). */
  #resumeAt = 0;
  /** Milliseconds between attempt starts; 0 while nothing was ever refused. */
  #gap = 0;
  #nextSlot = 0;
  #lastRefusal = -Infinity;
  #streak = 0;
  #acceptedSinceResume = 0;
  #inARow = 0;
  #lastResume = Date.now();
  /** Spacing kept after each success: an estimate from the server's own Retry-After needs less correcting. */
  #speedUp = 0.999;
  /** 429s seen. */
  refusals = 0;

  /**
   * @param firstPause pause after a 429 without Retry-After, in milliseconds
   * @param longestPause cap on any pause, in milliseconds
   */
  constructor(firstPause: number, longestPause: number) {
    this.#firstPause = Math.max(1, firstPause);
    this.#longestPause = longestPause;
  }

  /** Milliseconds between attempt starts now (0: not spaced). */
  get gap(): number {
    return this.#gap;
  }

  /**
   * Resolves, with the time the attempt starts, when it may start: at once when nothing was refused, or when
   * `signal` aborts.
   */
  wait(signal?: AbortSignal): Promise<number> {
    const now = Date.now();
    const start = Math.max(now, this.#resumeAt, this.#nextSlot);
    this.#nextSlot = start + this.#gap;
    if (start <= now || signal?.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve(Date.now());
      };
      const timer = setTimeout(done, start - now);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * A 429 arrived for an attempt started at `startedAt`; `retryAfter` is the server's Retry-After in
   * milliseconds, when it sent one.
   */
  refused(startedAt: number, retryAfter: number | undefined): void {
    this.refusals++;
    if (++this.#inARow < FULL_AFTER) return;
    const now = Date.now();
    const sameBurst = startedAt < this.#lastRefusal;
    this.#lastRefusal = now;
    if (sameBurst) {
      if (retryAfter !== undefined)
        this.#resumeAt = Math.max(this.#resumeAt, now + Math.min(retryAfter, this.#longestPause));
      return;
    }
    const pause = Math.min(retryAfter ?? this.#firstPause * 2 ** Math.min(this.#streak, 16), this.#longestPause);
    this.#streak++;
    const resume = now + pause;
    const accepted = this.#acceptedSinceResume;
    // The rate the limit let through: what was accepted over the time it took, or, when the server said how long
    // to wait, over that wait (a window's worth), a little under it so jitter does not hit the limit again.
    const span = retryAfter !== undefined ? Math.max(pause, now - this.#lastResume) : resume - this.#lastResume;
    const allowedGap = accepted > 0 ? (span / accepted) * 1.05 : 0;
    this.#gap = Math.max(this.#gap * 1.25, allowedGap, 1);
    this.#speedUp = retryAfter !== undefined ? 0.9999 : 0.999;
    this.#resumeAt = Math.max(this.#resumeAt, resume);
    this.#nextSlot = this.#resumeAt;
    this.#lastResume = this.#resumeAt;
    this.#acceptedSinceResume = 0;
  }

  /** A request went through: the limit has room again. */
  accepted(): void {
    this.#inARow = 0;
    this.#streak = 0;
    this.#acceptedSinceResume++;
    // Below a millisecond the spacing is noise: back to no spacing at all.
    this.#gap = this.#gap * this.#speedUp < 1 ? 0 : this.#gap * this.#speedUp;
  }
}
