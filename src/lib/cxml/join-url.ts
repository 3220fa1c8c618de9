import { validationError } from '../transport/errors';
import { describeValue } from '../values/describe-value';
import { JOIN_NAMES, validateJoinOptions, type JoinOptions } from './call-answer';

/**
 * The join route's URL, and reading it back. What a call answers with travels in the URL it fetches
 * (`…/signalwire/join?room=Front%20door&muted=true…`), which SignalWire signs, so the route needs no state: any
 * instance behind the same address, before or after a restart, turns a signed request back into the same cXML.
 * Reading is strict: a parameter it does not know, one given twice, or a value of the wrong form is refused.
 */

/** `base` (an absolute http(s) URL with no query or fragment) with the join options in its query. */
export function joinUrl(base: string, options: unknown): string {
  if (typeof base !== 'string' || !/^https?:\/\/[^/?#\s]+[^?#\s]*$/i.test(base)) {
    throw validationError(`the join route must be an absolute http(s) URL with no query (got ${describeValue(base)})`);
  }
  const join = validateJoinOptions(options);
  const query = new URLSearchParams();
  for (const name of JOIN_NAMES) {
    const value = join[name as keyof JoinOptions];
    if (value !== undefined) query.set(name, String(value));
  }
  return `${base}?${query.toString()}`;
}

/** The join options a join URL's query carries; a validation error for anything else. */
export function readJoinUrl(query: string | URLSearchParams): JoinOptions {
  const params =
    typeof query === 'string' ? new URLSearchParams(query.startsWith('?') ? query.slice(1) : query) : query;
  const raw: Record<string, string> = {};
  for (const [name, value] of params) {
    if (!JOIN_NAMES.includes(name))
      throw validationError(`the join URL has an unknown parameter ${describeValue(name)}`);
    if (Object.hasOwn(raw, name)) throw validationError(`the join URL gives ${name} more than once`);
    raw[name] = value;
  }
  return validateJoinOptions(raw);
}
