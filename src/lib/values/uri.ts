/**
 * URLs as the API wants them: absolute http(s) URIs in the sense of RFC 3986 (`format: uri` in SignalWire's
 * spec). What a person types often is not one (a space or an `é` in a file name): where the fix is
 * unambiguous, those characters are percent-encoded; a URL that already is a URI is left byte for byte.
 */

/** Characters a path may hold as they are (RFC 3986 pchar, plus `/`), besides `%XX` escapes. */
const PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
/** A query or fragment also allows `?`. */
const QUERY_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;
/** The authority (user info, host, port) is never rewritten: an IP literal may use `[` `]`. */
const AUTHORITY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@[\]]|%[0-9A-Fa-f]{2})+$/;
const HTTP_START = /^https?:\/\//i;
/** Characters whose meaning a URL parser guesses at (a backslash read as `/`, tabs and newlines dropped). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const AMBIGUOUS = /[\\\u0000-\u001f\u007f]/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;

/** True when `text` is an absolute http(s) URI exactly as it stands. */
export function isHttpUri(text: string): boolean {
  return toHttpUri(text) === text;
}

/**
 * `text` as an absolute http(s) URI: unchanged when it already is one; with spaces, non-ASCII letters and other
 * characters a URI cannot hold percent-encoded (UTF-8) in the path, query and fragment; undefined when it cannot
 * be made one without guessing (no http(s) scheme or host, a host with such characters, a backslash).
 */
export function toHttpUri(text: string): string | undefined {
  if (!HTTP_START.test(text) || AMBIGUOUS.test(text)) return undefined;
  const start = text.indexOf('//') + 2;
  let end = text.length;
  for (const mark of ['/', '?', '#']) {
    const at = text.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  const authority = text.slice(start, end);
  if (!AUTHORITY.test(authority)) return undefined;

  let out = text.slice(0, end);
  let part: 'path' | 'query' | 'fragment' = 'path';
  for (let i = end; i < text.length; i++) {
    const c = text[i]!;
    if (c === '?' && part === 'path') part = 'query';
    else if (c === '#' && part !== 'fragment') part = 'fragment';
    else if (
      !(c === '%' && HEX2.test(text.slice(i + 1, i + 3))) &&
      !(part === 'path' ? PATH_CHAR : QUERY_CHAR).test(c)
    ) {
      // A whole code point (an emoji is two UTF-16 units), encoded as its UTF-8 bytes.
      const codePoint = String.fromCodePoint(text.codePointAt(i)!);
      if (codePoint.length === 1 && c >= '\ud800' && c <= '\udfff') return undefined; // half a character
      i += codePoint.length - 1;
      out += encodeURIComponent(codePoint);
      continue;
    }
    out += c;
  }

  let url: URL;
  try {
    url = new URL(out);
  } catch {
    return undefined;
  }
  return url.hostname === '' ? undefined : out;
}
