/** The path a node serves SignalWire's requests on, as a form gives it. */

/** Plain path segments only: the path is matched literally, never as an Express pattern (`:id`, `*`, `(`). */
const PATH = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+\/?$/;

/** The path as served (always starting with `/`; `fallback` when empty), or undefined when it cannot be. */
export function readRoutePath(raw: unknown, fallback: string): string | undefined {
  if (raw != null && typeof raw !== 'string') return undefined;
  const text = (raw ?? '').trim();
  const path = text === '' ? fallback : text.startsWith('/') ? text : `/${text}`;
  if (!PATH.test(path) || path.length > 200 || /\/\.\.?(\/|$)/.test(path)) return undefined;
  return path;
}
