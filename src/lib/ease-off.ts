/**
 * Easing off when the API says "too many requests" (429), for every request of one client at once: a retry on
 * its own would come back while the others keep the limit full. After a 429 no new attempt starts until the
 * server's Retry-After has passed, or, without one, a pause that doubles with each 429 in a row; the first
 * success ends the streak. Attempts already on the wire when a 429 arrived answer from the same full limit:
 * their 429s do not lengthen the pause.
 */
export class EaseOff {
  readonly #firstPause: number;
  readonly #longestPause: number;
  #resumeAt = 0;
  #lastRefusal = -Infinity;
  #streak = 0;
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

  /** Milliseconds until new attempts may start. */
  get pause(): number {
    return Math.max(0, this.#resumeAt - Date.now());
  }

  /**
   * Resolves, with the time the attempt starts, when it may start: at once when nothing was refused, or when
   * `signal` aborts.
   */
  wait(signal?: AbortSignal): Promise<number> {
    const pause = this.pause;
    if (pause === 0 || signal?.aborted) return Promise.resolve(Date.now());
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve(Date.now());
      };
      const timer = setTimeout(done, pause);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * A 429 arrived for an attempt started at `startedAt`; `retryAfter` is the server's Retry-After in
   * milliseconds, when it sent one.
   */
  refused(startedAt: number, retryAfter: number | undefined): void {
    this.refusals++;
    const sameBurst = startedAt < this.#lastRefusal;
    const now = Date.now();
    this.#lastRefusal = now;
    if (sameBurst && retryAfter === undefined) return;
    const pause = retryAfter ?? this.#firstPause * 2 ** Math.min(this.#streak, 16);
    if (!sameBurst) this.#streak++;
    this.#resumeAt = Math.max(this.#resumeAt, now + Math.min(pause, this.#longestPause));
  }

  /** A request went through: the limit has room again. */
  accepted(): void {
    this.#streak = 0;
  }
}
