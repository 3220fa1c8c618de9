/** Counters over API requests (the control API is not counted), for tests and the load suite. */
import type { FaultKind } from './faults';

export class EmulatorStats {
  /** API requests received. */
  requests = 0;
  /** API requests received and not yet answered or closed. */
  inFlight = 0;
  /** The highest `inFlight` seen since the start or the last reset. */
  maxInFlight = 0;
  /** Participant updates applied (answered 200). */
  updates = 0;
  /** POSTs refused with 429 by the rate limit. */
  rateLimited = 0;
  /** Requests that got each injected fault. */
  faults: Record<FaultKind, number> = emptyFaultCounts();

  /** Zeroes the counters; requests still in flight stay counted. */
  reset(): void {
    this.requests = 0;
    this.maxInFlight = this.inFlight;
    this.updates = 0;
    this.rateLimited = 0;
    this.faults = emptyFaultCounts();
  }

  toJSON(): Omit<EmulatorStats, 'reset' | 'toJSON'> {
    return {
      requests: this.requests,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      updates: this.updates,
      rateLimited: this.rateLimited,
      faults: { ...this.faults },
    };
  }
}

function emptyFaultCounts(): Record<FaultKind, number> {
  return { latency: 0, '429': 0, '503': 0, reset: 0, hang: 0, 'non-json': 0, 'drop-answer': 0, leave: 0 };
}
