import type { FaultRule } from '../../src/emulator/index';

/** A distinctive token, so finding it anywhere it should not be is unambiguous. */
export const TOKEN = 'PTload-7c1e9b52d4a8f03e6b9d2c71a5f4e880';

/**
 * The faults of the load tests: 10 % 429 (half with a short Retry-After), 5 % 503, 2 % reset connections,
 * 1 % bodies that are not JSON, and 1-20 ms of latency on every request (so requests overlap on the wire).
 */
export const FAULTS: FaultRule[] = [
  { kind: 'latency', ms: [1, 20] },
  { kind: '429', probability: 0.05, retryAfter: 1 },
  { kind: '429', probability: 0.05 },
  { kind: '503', probability: 0.05 },
  { kind: 'reset', probability: 0.02 },
  { kind: 'non-json', probability: 0.01 },
];
