/**
 * How far a webhook's own timestamp is from this server's clock. SignalWire stamps each conference status
 * callback with `Timestamp` (RFC 2822, whole seconds); a captured callback replayed later carries its old stamp,
 * which the signature keeps the sender from changing.
 */

export type AgeCheck =
  /** `stampedAt` is missing when the request carries no timestamp: its age cannot be judged. */
  | { ok: true; stampedAt?: number }
  | { ok: false; problem: 'stale'; stampedAt: number; offByMs: number }
  | { ok: false; problem: 'unreadable'; text: string };

/** `toleranceMs` 0 switches the check off. */
export function checkAge(stamp: string | undefined, now: number, toleranceMs: number): AgeCheck {
  if (toleranceMs <= 0 || stamp === undefined || stamp === '') return { ok: true };
  const stampedAt = Date.parse(stamp);
  if (Number.isNaN(stampedAt)) return { ok: false, problem: 'unreadable', text: stamp };
  const offByMs = now - stampedAt;
  // Whole seconds on the stamp: a second's slack so a callback stamped at the edge is not refused for rounding.
  if (Math.abs(offByMs) > toleranceMs + 1000) return { ok: false, problem: 'stale', stampedAt, offByMs };
  return { ok: true, stampedAt };
}
