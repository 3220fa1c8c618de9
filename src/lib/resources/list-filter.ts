import { validationError } from '../transport/errors';
import { describeValue } from '../values/describe-value';

/** A list filter as given, with what is already wrong with it; each resource then checks its own values. */
export interface FilterReading {
  source: Record<string, unknown>;
  /** Everything wrong, said together once all is read: a person fixes one message, not one field per try. */
  problems: string[];
}

/**
 * The start of every list filter check: nothing is no filter (undefined), anything but an object is refused, and
 * each name that is not one of `names` is a problem.
 * @param what whose filters, as the error says it: `call`, `conference`, `participant`.
 */
export function readFilter(input: unknown, what: string, names: readonly string[]): FilterReading | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw validationError(`${what} filters must be an object (got ${describeValue(input)})`);
  }
  const source = input as Record<string, unknown>;
  const problems = Object.keys(source)
    .filter((key) => !names.includes(key))
    .map((key) => `${JSON.stringify(key)} is not a filter (expected ${names.join(', ')})`);
  return { source, problems };
}

/** Throws every problem found, in one validation error; the filter otherwise. */
export function checkedFilter<T>(filter: T, problems: readonly string[]): T {
  if (problems.length > 0) throw validationError(problems.join('; '));
  return filter;
}
