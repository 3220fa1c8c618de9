/**
 * Faults for status callbacks, as a real platform shows them: a late delivery, one delivered twice, one that
 * arrives after the next. A rule applies to the next `count` callbacks, or to each with a `probability`, or both
 * (with that probability, until it has fired `count` times); with neither, to every callback.
 */

export type CallbackFaultKind = 'delay' | 'duplicate' | 'out-of-order';

export interface CallbackFaultRule {
  kind: CallbackFaultKind;
  count?: number;
  probability?: number;
  /** delay only: milliseconds, fixed or uniformly random in [min, max]. */
  ms?: number | [number, number];
}

export const CALLBACK_FAULT_KINDS: readonly CallbackFaultKind[] = ['delay', 'duplicate', 'out-of-order'];

export interface CallbackFaultDraw {
  delayMs: number;
  duplicate: boolean;
  /** Send this callback after the next one. */
  holdBack: boolean;
}

/** A held-back callback goes out after the next one, or after this long when no other comes. */
const HOLD_BACK_LIMIT_MS = 500;

export class CallbackFaults {
  private rules: CallbackFaultRule[] = [];
  private held: { send: () => Promise<void>; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly random: () => number) {}

  list(): CallbackFaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  set(rules: readonly unknown[]): void {
    this.rules = rules.map(checkCallbackRule);
  }

  next(): CallbackFaultDraw {
    const draw: CallbackFaultDraw = { delayMs: 0, duplicate: false, holdBack: false };
    for (const rule of this.rules) {
      if (rule.count !== undefined && rule.count <= 0) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.count !== undefined) rule.count -= 1;
      if (rule.kind === 'delay') draw.delayMs += this.delay(rule.ms ?? 0);
      else if (rule.kind === 'duplicate') draw.duplicate = true;
      else draw.holdBack = this.held === undefined; // one held at a time
    }
    this.rules = this.rules.filter((rule) => rule.count === undefined || rule.count > 0);
    return draw;
  }

  holdBack(send: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.held = undefined;
      void send();
    }, HOLD_BACK_LIMIT_MS);
    this.held = { send, timer };
  }

  /** The held-back callback, to send right after the one going out now. */
  release(): (() => Promise<void>) | undefined {
    const held = this.held;
    if (!held) return undefined;
    clearTimeout(held.timer);
    this.held = undefined;
    return held.send;
  }

  close(): void {
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
  }

  private delay(ms: number | [number, number]): number {
    if (typeof ms === 'number') return ms;
    return ms[0] + Math.floor(this.random() * (ms[1] - ms[0] + 1));
  }
}

export function checkCallbackRule(input: unknown): CallbackFaultRule {
  if (typeof input !== 'object' || input === null) throw new TypeError('A callback fault rule must be an object');
  const rule = input as Record<string, unknown>;
  const kind = rule.kind as CallbackFaultKind;
  if (!CALLBACK_FAULT_KINDS.includes(kind)) {
    throw new TypeError(
      `Callback fault kind must be one of ${CALLBACK_FAULT_KINDS.join(', ')}, got ${JSON.stringify(rule.kind)}`,
    );
  }
  const out: CallbackFaultRule = { kind };
  if (rule.count !== undefined) {
    if (!Number.isInteger(rule.count) || (rule.count as number) < 1) {
      throw new TypeError(`count must be a whole number of at least 1, got ${JSON.stringify(rule.count)}`);
    }
    out.count = rule.count as number;
  }
  if (rule.probability !== undefined) {
    const p = rule.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new TypeError(`probability must be a number from 0 to 1, got ${JSON.stringify(p)}`);
    }
    out.probability = p;
  }
  if (kind === 'delay') {
    const ms = rule.ms;
    const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (ok(ms)) out.ms = ms;
    else if (Array.isArray(ms) && ms.length === 2 && ok(ms[0]) && ok(ms[1]) && ms[0] <= ms[1]) out.ms = [ms[0], ms[1]];
    else throw new TypeError(`delay needs ms: a number or [min, max], got ${JSON.stringify(ms)}`);
  }
  return out;
}
