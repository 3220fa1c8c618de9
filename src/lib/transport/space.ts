import { validationError } from './errors';
import { describeValue } from '../values/describe-value';

const SPACE_DOMAIN = 'signalwire.com';

/** Plain http is only for the local emulator, a local proxy or tests: credentials must not cross a network in clear. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const SPACE_NAME = new RegExp(`^${LABEL}$`, 'i');
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})+(?::\\d{1,5})?$`, 'i');

const EXPECTED = 'a space name (example), a host (example.signalwire.com) or a base URL (https://…)';

/**
 * The base URL requests go to, from a space setting: a space name (`example` →
 * `https://example.signalwire.com`), a host (`example.signalwire.com` → `https://example.signalwire.com`) or a
 * full base URL (`http://127.0.0.1:8080`, `https://proxy.example.com/signalwire`). Anything else is refused so
 * a typo never sends credentials to an unintended host. The result has no trailing slash.
 */
export function resolveBaseUrl(space: string): string {
  if (typeof space !== 'string' || !space.trim()) {
    throw validationError(`space is missing: give ${EXPECTED}`);
  }
  const text = space.trim();
  // Checked before anything quotes the setting: a password in it must not end up in an error message.
  if (hasUserInfo(text)) {
    throw validationError('space must not contain a user name or password: set the Project ID and API token instead');
  }
  if (text.includes('://')) return fromUrl(text);
  if (SPACE_NAME.test(text)) return `https://${text.toLowerCase()}.${SPACE_DOMAIN}`;
  if (HOST.test(text)) return `https://${text.toLowerCase()}`;
  throw validationError(`space ${describeValue(text)} is not ${EXPECTED}`);
}

function fromUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw validationError(`space ${describeValue(text)} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw validationError(`space ${describeValue(text)} must be an https:// URL`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw validationError(
      `space ${describeValue(text)} uses plain http:// to a host that is not this machine; use https:// ` +
        '(plain http is only allowed for 127.0.0.1, ::1 and localhost)',
    );
  }
  if (url.search || url.hash) {
    throw validationError(`space ${describeValue(text)} must not have a query (?…) or fragment (#…)`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** `user:pass@` before the host, in a URL or a bare host (space names and hosts never contain `@`). */
function hasUserInfo(text: string): boolean {
  const scheme = text.indexOf('://');
  const authority = scheme < 0 ? text : text.slice(scheme + 3);
  const end = authority.search(/[/?#]/);
  return (end < 0 ? authority : authority.slice(0, end)).includes('@');
}
