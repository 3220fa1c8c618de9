import { validationError } from '../transport/errors';
import { describeValue } from '../values/describe-value';
import { toHttpUri } from '../values/uri';
import { isUuid } from '../values/uuid';
import type { HttpMethod, ParticipantUpdateOptions } from '../types';

type OptionName = keyof ParticipantUpdateOptions;
type OptionKind = 'boolean' | 'url' | 'method' | 'uuid';

/** Every option, in the order it goes on the wire, with its kind and the API's PascalCase field name. */
const OPTIONS: ReadonlyArray<readonly [OptionName, OptionKind, string]> = [
  ['muted', 'boolean', 'Muted'],
  ['hold', 'boolean', 'Hold'],
  ['holdUrl', 'url', 'HoldUrl'],
  ['holdMethod', 'method', 'HoldMethod'],
  ['announceUrl', 'url', 'AnnounceUrl'],
  ['announceMethod', 'method', 'AnnounceMethod'],
  ['waitUrl', 'url', 'WaitUrl'],
  ['waitMethod', 'method', 'WaitMethod'],
  ['coaching', 'boolean', 'Coaching'],
  ['callSidToCoach', 'uuid', 'CallSidToCoach'],
];

export const UPDATE_OPTION_NAMES: readonly OptionName[] = OPTIONS.map(([name]) => name);

const KNOWN = new Set<string>(UPDATE_OPTION_NAMES);

/**
 * Checks and normalizes the options of one update before anything is sent. Accepts the booleans `true`/`false`
 * and the strings `"true"`/`"false"` (values read from messages and environment are often strings), methods in
 * any case (sent upper-case), absolute http(s) URLs (a space or a non-ASCII letter in the path or query is
 * percent-encoded; a URL that already is a URI is sent exactly as given). An option that is undefined is left
 * unchanged. Every problem found is reported in one SignalWireError (source `validation`) naming the field.
 */
export function validateUpdateOptions(input: unknown): ParticipantUpdateOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError(`update options must be an object (got ${describeValue(input)})`);
  }
  const source = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(source)) {
    if (!KNOWN.has(key))
      problems.push(`${JSON.stringify(key)} is not an option (expected ${UPDATE_OPTION_NAMES.join(', ')})`);
  }

  const options: ParticipantUpdateOptions = {};
  const out = options as Record<string, unknown>;
  for (const [name, kind] of OPTIONS) {
    const value = source[name];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(source, name)) continue;
    const checked = check(name, kind, value);
    if (typeof checked === 'object') problems.push(checked.problem);
    else out[name] = checked;
  }

  if (
    options.coaching === true &&
    options.callSidToCoach === undefined &&
    !problems.some((p) => p.startsWith('callSidToCoach'))
  ) {
    problems.push('callSidToCoach is required when coaching is true (the call SID of the participant being coached)');
  }
  if (problems.length === 0 && Object.keys(options).length === 0) {
    problems.push(`nothing to update: set at least one of ${UPDATE_OPTION_NAMES.join(', ')}`);
  }
  if (problems.length > 0) throw validationError(problems.join('; '));
  return options;
}

type Checked = string | boolean | { problem: string };

function check(name: string, kind: OptionKind, value: unknown): Checked {
  switch (kind) {
    case 'boolean': {
      const flag = toBoolean(value);
      return flag ?? { problem: `${name} must be true or false (got ${describeValue(value)})` };
    }
    case 'method': {
      const method = typeof value === 'string' ? value.trim().toUpperCase() : '';
      if (method === 'GET' || method === 'POST') return method satisfies HttpMethod;
      return { problem: `${name} must be GET or POST (got ${describeValue(value)})` };
    }
    case 'url': {
      const url = typeof value === 'string' ? toHttpUri(value.trim()) : undefined;
      if (url !== undefined) return url;
      return { problem: `${name} must be an absolute http:// or https:// URL (got ${describeValue(value)})` };
    }
    case 'uuid':
      return isUuid(value) ? value : { problem: `${name} must be a call SID (a UUID) (got ${describeValue(value)})` };
  }
}

/** `true`/`false`, as booleans or as the strings messages often carry; undefined for anything else. */
export function toBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/**
 * The form body for validated options: PascalCase names, only the options that are set, booleans as
 * `true`/`false`, in a fixed order. Built by concatenation: this runs once per request.
 */
export function toFormBody(options: ParticipantUpdateOptions): string {
  let body = '';
  for (let i = 0; i < OPTIONS.length; i++) {
    const [name, , field] = OPTIONS[i]!;
    const value = options[name];
    if (value === undefined) continue;
    if (body) body += '&';
    body += field + '=' + (typeof value === 'boolean' ? String(value) : encodeURIComponent(value));
  }
  return body;
}
