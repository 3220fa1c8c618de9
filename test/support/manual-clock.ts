import type { Clock } from '../../src/lib/clock';

/**
 * A clock that moves only when told: timers fire in time order, and the promises they settle run before the next
 * one fires. Hours of simulated time take milliseconds, and the same steps give the same schedule.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = 0) {
    this.#now = start;
  }

  now = (): number => this.#now;

  setTimeout = (callback: () => void, ms: number): number => {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  /** How many timers are set and not yet fired or cleared: what a closed thing must leave at 0. */
  get pending(): number {
    return this.#timers.size;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    while (await this.#fireNext(until));
    this.#now = until;
  }

  /** Runs timers until `work` settles, and returns its value. Rejects if no timer is left and it has not. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => (settled = true));
    while (!settled) {
      if (!(await this.#fireNext(Infinity)) && !settled) throw new Error('the work waits for no timer: it never ends');
    }
    return watched;
  }

  /** Lets pending promise callbacks run, then fires the earliest timer due by `until`; false when there is none. */
  async #fireNext(until: number): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    let first: [number, { at: number; callback: () => void }] | undefined;
    for (const entry of this.#timers) if (!first || entry[1].at < first[1].at) first = entry;
    if (!first || first[1].at > until) return false;
    this.#timers.delete(first[0]);
    this.#now = Math.max(this.#now, first[1].at);
    first[1].callback();
    await new Promise((resolve) => setImmediate(resolve));
    return true;
  }
}
