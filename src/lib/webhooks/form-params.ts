/** The fields of a form SignalWire sent, as an object a flow can read: every field exactly as received. */
import type { FormField } from './webhook-signature';

/** Names that would rewrite an object's prototype further down a flow; SignalWire never sends them. */
export const UNSAFE_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type FormParams = Record<string, string | string[]>;

/** Every field, empty ones too; a repeated name holds its values in order. Unsafe names must be refused first. */
export function formParams(fields: readonly FormField[]): FormParams {
  const params: FormParams = {};
  for (const [name, value] of fields) {
    // Own properties only: a field named `toString` is a string here, never Object's method. A repeat appends
    // in place, so many repeats of one name cost no more than many names.
    const before = Object.hasOwn(params, name) ? params[name] : undefined;
    if (before === undefined) params[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else params[name] = [before, value];
  }
  return params;
}

/** The first value of a field, when it is there and not empty. */
export function firstValue(params: FormParams, name: string): string | undefined {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
