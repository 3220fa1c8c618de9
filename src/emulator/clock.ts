/**
 * Time as the emulator sees it: RFC 2822 dates as the Compatibility API writes them ("Wed, 18 Aug 2010 20:20:06
 * +0000"), and the clock that paces calls (ringing, answering after a delay, a ring timeout). The clock is
 * injectable: tests give a ManualClock and move it on by hand, so nothing waits for wall time.
 */

import type { Clock } from '../lib/clock';

export type { Clock };

/**
 * A clock that moves only when told: `advance(ms)` runs every timer due by then, in the order they fall due
 * (timers due at the same moment in the order they were set), each seeing `now()` at its own due time. It
 * remembers only the timers still pending.
 */
export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.parse('2026-01-05T09:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves the time on by `ms`, running each timer that falls due on the way (timers they set included). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
      }
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = until;
  }
}

/** `ms` since the epoch as an RFC 2822 date. */
export function rfc2822(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString().replace('GMT', '+0000');
}

/** Cached per second: the benchmark asks for thousands a second. */
let cachedSecond = -1;
let cachedText = '';

export function rfc2822Now(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = rfc2822(now);
  }
  return cachedText;
}
