/**
 * Keys that can rewrite an object's prototype when a message is merged or copied further down a flow.
 * A message carrying one is refused rather than cleaned, so the sender learns about it.
 */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deep enough for any real payload; deeper structures are not walked further. */
const MAX_DEPTH = 32;

/**
 * Returns the dotted path of the first prototype-polluting own key found in `value` (e.g. `payload.__proto__`),
 * or undefined when there is none. Cycles and very deep nesting are tolerated.
 */
export function findUnsafeKey(value: unknown, path = 'payload'): string | undefined {
  return walk(value, path, 0, new Set());
}

function walk(value: unknown, path: string, depth: number, seen: Set<object>): string | undefined {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}[${i}]`, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (Buffer.isBuffer(value)) return undefined;
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) return `${path}.${key}`;
    const found = walk((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}
