/**
 * SignalWire's signature on form (cXML / Compatibility) webhooks, checked the way its SDKs check it:
 * HMAC-SHA1, keyed with the project's Signing Key, of the URL SignalWire called followed by every POST parameter
 * (sorted by name; a repeated name once per value, in order; name then value, no separators), base64.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One form field as received: a repeated name appears once per value, in the order received. */
export type FormField = readonly [name: string, value: string];

/** Why a request was refused. */
export type SignatureProblem = 'missing' | 'mismatch' | 'body-hash';

export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem };

/** The headers SignalWire signs with, the first one preferred. */
const SIGNATURE_HEADERS = ['x-signalwire-signature', 'x-twilio-signature'] as const;

/** The signature a request carries: X-SignalWire-Signature, else X-Twilio-Signature (empty ones count as absent). */
export function signatureFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const name of SIGNATURE_HEADERS) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text) return text;
  }
  return undefined;
}

/** HMAC-SHA1 (base64) of the URL followed by the sorted parameters: what SignalWire puts in the header. */
export function computeSignature(signingKey: string, url: string, fields: Iterable<FormField>): string {
  // One string, encoded once: a surrogate pair split across two values still encodes as the SDK encodes it.
  let data = url;
  for (const [name, value] of sortFields(fields)) data += name + value;
  return createHmac('sha1', signingKey).update(data, 'utf8').digest('base64');
}

/**
 * Whether `signature` is SignalWire's for this request. The platform is not consistent about ports, so, like the
 * official SDK, this accepts the signature of the URL with the default port written out (`:443`, `:80`) or with
 * any port left out. When the URL's query carries `bodySHA256`, the URL is signed without parameters and the raw
 * body must hash to that value.
 */
export function checkSignature(input: {
  signingKey: string;
  signature: string | undefined;
  url: string;
  fields: Iterable<FormField>;
  /** The raw body, needed only when the URL has `bodySHA256`. */
  rawBody?: string | Buffer;
}): SignatureCheck {
  const { signingKey, signature, url } = input;
  if (!signature) return { ok: false, problem: 'missing' };
  const bodyHash = bodySha256Of(url);
  const fields = bodyHash === undefined ? Array.from(input.fields) : [];
  const { withPort, withoutPort } = portVariants(url);
  // Both are computed and compared, whatever the first gives, so the time taken says nothing about which matched.
  const a = sameText(signature, computeSignature(signingKey, withPort, fields));
  const b = sameText(signature, computeSignature(signingKey, withoutPort, fields));
  if (!a && !b) return { ok: false, problem: 'mismatch' };
  if (bodyHash !== undefined) {
    const actual = createHash('sha256')
      .update(input.rawBody ?? '')
      .digest('hex');
    if (!sameText(bodyHash, actual)) return { ok: false, problem: 'body-hash' };
  }
  return { ok: true };
}

/** Constant-time comparison of two strings (their lengths are not secret: a signature's length is public). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sorted by name in UTF-16 code-unit order (JavaScript's default sort, as the SDK uses); values keep their order. */
function sortFields(fields: Iterable<FormField>): FormField[] {
  return Array.from(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The `bodySHA256` query parameter, when the URL has one. */
function bodySha256Of(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const end = url.indexOf('#', q);
  const query = new URLSearchParams(url.slice(q + 1, end < 0 ? undefined : end));
  const value = query.get('bodySHA256');
  return value === null ? undefined : value;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
// eslint-disable-next-line no-control-regex -- the same characters the SDK's parser strips
const LEADING_BLANKS = /^[\x00-\x20\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/;
// `s`: the path and query may hold U+2028/U+2029, which `.` alone does not match.
const ABSOLUTE = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)(.*)$/is;

/**
 * The URL with its port written out (the default one when it has none) and with no port. Everything else is
 * kept as written (no re-encoding): the signature covers the URL as SignalWire wrote it. Scheme and host are
 * lower-cased and an empty path becomes `/`, as the SDK's URL parser does.
 */
export function portVariants(url: string): { withPort: string; withoutPort: string } {
  // The SDK's parser drops tabs and line breaks anywhere, and blanks in front, before it reads the URL.
  const match = ABSOLUTE.exec(url.replace(LEADING_BLANKS, '').replace(/[\n\r\t]/g, ''));
  if (!match) return { withPort: url, withoutPort: url };
  const scheme = match[1]!.toLowerCase();
  let authority = match[2]!;
  let rest = match[3]!;
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? '' : normalizeUserInfo(authority.slice(0, at));
  authority = at < 0 ? authority : authority.slice(at + 1);
  const portMatch = /:(\d*)$/.exec(authority);
  const host = (portMatch ? authority.slice(0, portMatch.index) : authority).toLowerCase();
  // Compared as numbers, like the SDK's parser: `:0443` on https is the default port too.
  let port = portMatch ? portMatch[1]! : '';
  if (!Number(port) || Number(port) === Number(DEFAULT_PORTS[scheme])) port = '';
  if (!rest.startsWith('/')) rest = `/${rest}`;
  const prefix = `${scheme}//${userInfo ? `${userInfo}@` : ''}${host}`;
  const defaultPort = scheme === 'https:' ? '443' : '80';
  return { withPort: `${prefix}:${port || defaultPort}${rest}`, withoutPort: `${prefix}${rest}` };
}

/** `user:password` percent-encoded the way the SDK's URL parser writes it back. */
function normalizeUserInfo(userInfo: string): string {
  const colon = userInfo.indexOf(':');
  const encode = (part: string): string => {
    try {
      return encodeURIComponent(decodeURIComponent(part));
    } catch {
      return part;
    }
  };
  if (colon < 0) return encode(userInfo);
  const user = encode(userInfo.slice(0, colon));
  const password = encode(userInfo.slice(colon + 1));
  return password ? `${user}:${password}` : user;
}
