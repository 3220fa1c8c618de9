/**
 * A cap on calls running at once, with a first-in first-out queue behind it. This is what p-limit does, but its
 * maintained versions are ESM-only, which Node-RED cannot `require()` on every Node.js version it supports.
 */
export class InFlightLimit {
  readonly max: number;
  #active = 0;
  /** Waiting calls, oldest at `#head`; an index instead of shift() keeps a long queue cheap. */
  #waiting: (() => void)[] = [];
  #head = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** Calls running now. */
  get activeCount(): number {
    return this.#active;
  }

  /** Calls waiting for a free slot. */
  get pendingCount(): number {
    return this.#waiting.length - this.#head;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active < this.max) this.#active++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  /** Hands the slot straight to the oldest waiting call, so a newcomer can never overtake it. */
  #release(): void {
    if (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head++];
      if (this.#head === this.#waiting.length) {
        this.#waiting = [];
        this.#head = 0;
      }
      next();
    } else {
      this.#active--;
    }
  }
}
