/**
 * Refusals written to a log a person reads, without letting a flood of them flood it: the first refusal of each
 * reason is written at once; those that follow within `intervalMs` of a line about their reason are counted and
 * written as one summary line when that interval is over. So at most one line per reason, plus one summary, per
 * interval, and none lost.
 *
 * It remembers, per reason, when a line last spoke of it, and how many refusals wait for the summary; the one
 * timer it keeps runs only while refusals wait.
 */
import { WALL_CLOCK, type Clock } from '../clock';

export type RefusalLogEntry<T> =
  { kind: 'refusal'; refusal: T } | { kind: 'summary'; counts: Record<string, number>; total: number };

export interface RefusalLogOptions {
  intervalMs?: number;
  /** Wall time; injected by tests. Its one timer is cancelled by close(). */
  clock?: Clock;
}

export class RefusalLog<T extends { reason: string }> {
  readonly #lastWritten = new Map<string, number>();
  #waiting: Record<string, number> = {};
  #waitingTotal = 0;
  #timer: unknown;
  readonly #intervalMs: number;
  readonly #clock: Clock;

  constructor(
    private readonly write: (entry: RefusalLogEntry<T>) => void,
    options: RefusalLogOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#clock = options.clock ?? WALL_CLOCK;
  }

  note(refusal: T): void {
    const now = this.#clock.now();
    const last = this.#lastWritten.get(refusal.reason) ?? -Infinity;
    if (now - last >= this.#intervalMs && !this.#waiting[refusal.reason]) {
      this.#lastWritten.set(refusal.reason, now);
      this.write({ kind: 'refusal', refusal });
      return;
    }
    this.#waiting[refusal.reason] = (this.#waiting[refusal.reason] ?? 0) + 1;
    this.#waitingTotal += 1;
    this.#timer ??= this.#clock.setTimeout(() => this.flush(), Math.max(0, last + this.#intervalMs - now));
  }

  /** Writes the summary of the refusals still waiting, if any. */
  flush(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waitingTotal === 0) return;
    const entry: RefusalLogEntry<T> = { kind: 'summary', counts: this.#waiting, total: this.#waitingTotal };
    const now = this.#clock.now();
    for (const reason of Object.keys(this.#waiting)) this.#lastWritten.set(reason, now);
    this.#waiting = {};
    this.#waitingTotal = 0;
    this.write(entry);
  }

  /** Writes what is waiting and stops the timer (the route is closing). */
  close(): void {
    this.flush();
  }
}
