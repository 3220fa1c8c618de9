/** Time as the client reads it: injectable, so hours of idle or a burst of calls are tested without waiting. */
export interface Clock {
  /** Milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The machine's clock on a time that only moves forward: for spans (easing off, how long answers are kept). */
export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The machine's clock in milliseconds since the epoch: for dates, and pacing as wall time counts it. */
export const WALL_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
