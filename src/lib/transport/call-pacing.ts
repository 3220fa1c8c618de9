import { WALL_CLOCK, type Clock } from '../clock';
import { SignalWireError, validationError } from './errors';
import { describeValue } from '../values/describe-value';

/**
 * Paces call creation: SignalWire places at most one new call per second per space by default and queues the
 * rest, so a burst of "create a call" starts here one per interval, in the order asked, and no faster. It
 * remembers only the calls waiting and when the last one started: after any idle time the next one goes at once.
 * Time comes from the clock given (the system's by default), so tests move it by hand.
 */

/** SignalWire's documented default: one new call per second. */
const DEFAULT_CALLS_PER_SECOND = 1;
/** A space can be allowed more; past this the setting is a typo. */
const MAX_CALLS_PER_SECOND = 100;

interface Waiting {
  start: () => void;
  fail: (error: Error) => void;
}

export class CallPacer {
  /** Milliseconds between two starts. */
  readonly interval: number;
  private readonly clock: Clock;
  private readonly waiting: Waiting[] = [];
  private lastStart = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private closed = false;

  constructor(options: { callsPerSecond?: unknown; clock?: Clock } = {}) {
    this.interval = 1000 / validateCallsPerSecond(options.callsPerSecond);
    this.clock = options.clock ?? WALL_CLOCK;
  }

  /** Calls waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `send` at its turn; settles as it does. When `signal` aborts first (the node that asked stops), the call
   * leaves the queue unplaced and rejects, saying so: the queue is the connection's and outlives that node.
   */
  run<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(withdrawnError());
    return new Promise<T>((resolve, reject) => {
      const withdraw = () => {
        const at = this.waiting.indexOf(waiting);
        if (at === -1) return;
        this.waiting.splice(at, 1);
        reject(withdrawnError());
      };
      // The signal lives as long as the node: each call stops listening once it leaves the queue.
      const leave = () => signal?.removeEventListener('abort', withdraw);
      const waiting: Waiting = {
        start: () => {
          leave();
          // A send that throws at once rejects this call rather than escaping from the timer that started it.
          new Promise<T>((settle) => settle(send())).then(resolve, reject);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      this.waiting.push(waiting);
      this.next();
    });
  }

  /** Calls still waiting are not placed: each rejects, saying so. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiting of this.waiting.splice(0)) waiting.fail(closedError());
  }

  private next(): void {
    if (this.timer !== undefined || this.waiting.length === 0) return;
    // A machine clock set back would otherwise hold every call until it caught up: one interval from now at most.
    this.lastStart = Math.min(this.lastStart, this.clock.now());
    const wait = this.lastStart + this.interval - this.clock.now();
    if (wait > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.next();
      }, wait);
      return;
    }
    this.lastStart = this.clock.now();
    this.waiting.shift()!.start();
    this.next();
  }
}

/** Calls per second: a positive number up to 100 (fractions allowed: 0.5 is one call every two seconds). */
export function validateCallsPerSecond(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_CALLS_PER_SECOND;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > MAX_CALLS_PER_SECOND) {
    throw validationError(
      `callsPerSecond must be a number above 0 and at most ${MAX_CALLS_PER_SECOND} (got ${describeValue(value)})`,
    );
  }
  return n;
}

function closedError(): SignalWireError {
  return new SignalWireError('The call was not placed: the connection closed while it waited its turn', 'network', {
    code: 'ERR_CLIENT_CLOSED',
  });
}

function withdrawnError(): SignalWireError {
  return new SignalWireError('The call was not placed: the node stopped while it waited its turn', 'network', {
    code: 'ERR_NODE_STOPPED',
  });
}
