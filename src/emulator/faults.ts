/**
 * Fault injection for API requests. A rule applies either to the next `count` requests, or to each request with
 * a `probability`, or both (with that probability, until it has fired `count` times); a rule with neither applies
 * to every request. Latency rules add a delay and the request then goes on; the other kinds replace the answer,
 * and the request does not touch the state, except `drop-answer`: the request is processed (the state changes),
 * then the connection is reset instead of answering, as when an answer is lost on its way back. `leave` changes the
 * state instead of the answer: the participant the request names hangs up just before it is handled (as someone does
 * between a list and an update); it applies only to requests naming a participant, and others leave its count alone.
 *
 * Several error rules at once: rules with a `count` go first, in order; then one random draw chooses among the
 * probability rules so that each fires at its own rate (10 % and 5 % give 10 % and 5 %, not 10 % and 4.5 %).
 */

export type FaultKind = 'latency' | '429' | '503' | 'reset' | 'hang' | 'non-json' | 'drop-answer' | 'leave';

export interface FaultRule {
  kind: FaultKind;
  /** Apply to the next N requests (that the probability lets through), then stop. */
  count?: number;
  /** 0..1: the chance each request gets this fault. */
  probability?: number;
  /** Latency only: a fixed delay, or a uniformly random one in [min, max]. */
  ms?: number | [number, number];
  /** 429 and 503 only: the `Retry-After` header, in seconds or as an HTTP date. Left out: no header. */
  retryAfter?: number | string;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  '429',
  '503',
  'reset',
  'hang',
  'non-json',
  'drop-answer',
  'leave',
];

/** What the next request gets: a delay (0 for none) and the fault replacing its answer, if any. */
export interface FaultDraw {
  delayMs: number;
  fault: FaultRule | undefined;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly draw: FaultDraw = { delayMs: 0, fault: undefined };

  constructor(private readonly random: () => number) {}

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** The rules still in force, with the counts they have left. */
  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map(checkRule);
  }

  /**
   * Decides the next request's fate; `namesParticipant`: the request is about one participant (`leave` rules apply
   * only then). The returned object is reused: read it before the next call.
   */
  next(namesParticipant = false): FaultDraw {
    const applies = (rule: FaultRule): boolean =>
      rule.kind !== 'latency' && (namesParticipant || rule.kind !== 'leave');
    const draw = this.draw;
    draw.delayMs = 0;
    draw.fault = undefined;
    let spent = false;
    for (const rule of this.rules) {
      if (rule.kind !== 'latency') continue;
      if (rule.probability === undefined || this.random() < rule.probability) {
        draw.delayMs += this.delay(rule);
        spent = this.use(rule) || spent;
      }
    }
    for (const rule of this.rules) {
      if (!applies(rule) || rule.probability !== undefined) continue;
      draw.fault = rule;
      spent = this.use(rule) || spent;
      break;
    }
    if (!draw.fault) {
      let roll = -1;
      let threshold = 0;
      for (const rule of this.rules) {
        if (!applies(rule) || rule.probability === undefined) continue;
        if (roll < 0) roll = this.random();
        threshold += rule.probability;
        if (roll < threshold) {
          draw.fault = rule;
          spent = this.use(rule) || spent;
          break;
        }
      }
    }
    if (spent) this.rules = this.rules.filter((rule) => rule.count === undefined || rule.count > 0);
    return draw;
  }

  private delay(rule: FaultRule): number {
    const ms = rule.ms ?? 0;
    if (typeof ms === 'number') return ms;
    return ms[0] + Math.floor(this.random() * (ms[1] - ms[0] + 1));
  }

  /** Counts one use of a counted rule; true when it is now used up. */
  private use(rule: FaultRule): boolean {
    if (rule.count === undefined) return false;
    rule.count -= 1;
    return rule.count <= 0;
  }
}

/** Checks a rule from a caller (the control API takes them from any process) and returns a private copy. */
export function checkRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new TypeError('A fault rule must be an object');
  const rule = input as Record<string, unknown>;
  const kind = rule.kind as FaultKind;
  if (!FAULT_KINDS.includes(kind)) {
    throw new TypeError(`Fault kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(rule.kind)}`);
  }
  const out: FaultRule = { kind };
  if (rule.count !== undefined) {
    if (!Number.isInteger(rule.count) || (rule.count as number) < 1) {
      throw new TypeError(`Fault count must be a whole number of at least 1, got ${JSON.stringify(rule.count)}`);
    }
    out.count = rule.count as number;
  }
  if (rule.probability !== undefined) {
    const p = rule.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new TypeError(`Fault probability must be a number from 0 to 1, got ${JSON.stringify(p)}`);
    }
    out.probability = p;
  }
  if (kind === 'latency') {
    const ms = rule.ms;
    const okNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (okNumber(ms)) out.ms = ms;
    else if (Array.isArray(ms) && ms.length === 2 && okNumber(ms[0]) && okNumber(ms[1]) && ms[0] <= ms[1]) {
      out.ms = [ms[0], ms[1]];
    } else {
      throw new TypeError(`Latency needs ms: a number or [min, max], got ${JSON.stringify(ms)}`);
    }
  }
  if (rule.retryAfter !== undefined) {
    if (kind !== '429' && kind !== '503') throw new TypeError('retryAfter applies to 429 and 503 only');
    const ra = rule.retryAfter;
    if (!((typeof ra === 'number' && Number.isFinite(ra) && ra >= 0) || (typeof ra === 'string' && ra !== ''))) {
      throw new TypeError(`retryAfter must be seconds (a number) or an HTTP date, got ${JSON.stringify(ra)}`);
    }
    out.retryAfter = ra;
  }
  return out;
}
