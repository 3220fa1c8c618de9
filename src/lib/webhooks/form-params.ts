/** The fields of a form SignalWire sent, as an object a flow can read: every field exactly as received. */
import type { FormField } from './webhook-signature';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Names that would rewrite an object's prototype further down a flow; SignalWire never sends them. */
const UNSAFE_FIELD_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type FormParams = Record<string, string | string[]>;

export type FormReading =
  | {
      ok: true;
      /** Every field, empty ones too; a repeated name holds its values in order. */
      params: FormParams;
    }
  | { ok: false; problem: 'unsafe-key'; fields: string[] };

/** A request's fields, refused when a name could rewrite an object's prototype further down a flow. */
export function readForm(fields: readonly FormField[]): FormReading {
  const unsafe = fields.filter(([name]) => UNSAFE_FIELD_NAMES.has(name)).map(([name]) => name);
  if (unsafe.length > 0) return { ok: false, problem: 'unsafe-key', fields: unsafe };
  const params: FormParams = {};
  for (const [name, value] of fields) {
    // Own properties only: a field named `toString` is a string here, never Object's method. A repeat appends
    // in place, so many repeats of one name cost no more than many names.
    const before = Object.hasOwn(params, name) ? params[name] : undefined;
    if (before === undefined) params[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else params[name] = [before, value];
  }
  return { ok: true, params };
}

/** The first value of a field, when it is there and not empty. */
export function firstValue(params: FormParams, name: string): string | undefined {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

export function isForm(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value !== undefined && value.split(';')[0]!.trim().toLowerCase() === FORM_TYPE;
}

/** Whether a request's fields came as a form: a GET's query, an empty body, or a body sent as one. */
export function sentAsForm(request: {
  method: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}): boolean {
  const isGet = request.method === 'GET' || request.method === 'HEAD';
  return isGet || request.body === '' || isForm(request.headers['content-type']);
}
