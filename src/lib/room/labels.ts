/**
 * Names a flow gives the people in a room, by phone number (`+15551234567`) or call SID: `{ "+15551234567":
 * "Grandma" }`. An empty name (or null) takes a name away.
 */
import { validationError } from '../transport/errors';
import { describeValue } from '../values/describe-value';
import { isUuid } from '../values/uuid';

export type Labels = ReadonlyMap<string, string>;

/** More than any room holds; keeps one message from filling memory. */
const MAX_LABELS = 1_000;
/** As long as a conference's friendly name may be. */
const MAX_LABEL_LENGTH = 64;

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The labels after a message's changes, checked whole first: a bad entry changes nothing and says which entry
 * and why.
 */
export function mergeLabels(current: Labels, input: unknown): Map<string, string> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError(`labels must be an object of names by number or call SID (got ${describeValue(input)})`);
  }
  const next = new Map(current);
  for (const [rawKey, value] of Object.entries(input as Record<string, unknown>)) {
    const key = labelKey(rawKey);
    if (!key || UNSAFE.has(rawKey))
      throw validationError(`labels: ${describeValue(rawKey)} is not a number or call SID`);
    if (value === null || value === '') {
      next.delete(key);
      continue;
    }
    if (typeof value !== 'string' || !value.trim()) {
      throw validationError(`labels: the name for ${rawKey} must be a text (got ${describeValue(value)})`);
    }
    if (value.trim().length > MAX_LABEL_LENGTH) {
      throw validationError(`labels: the name for ${rawKey} is longer than ${MAX_LABEL_LENGTH} characters`);
    }
    next.set(key, value.trim());
  }
  if (next.size > MAX_LABELS) throw validationError(`labels: at most ${MAX_LABELS} names (got ${next.size})`);
  return next;
}

/** How a number or SID is looked up: without spaces, dashes, dots or brackets, and SIDs in lower case. */
export function labelKey(text: string): string {
  const trimmed = text.trim();
  // Not `trimmed` in the second branch: the type guard narrows it to never there.
  return isUuid(trimmed) ? trimmed.toLowerCase() : text.trim().replace(/[\s().-]/g, '');
}
