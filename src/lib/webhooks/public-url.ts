/**
 * The Public URL: the base address SignalWire reaches this Node-RED at (e.g. `https://home.example.com`, a tunnel
 * or a reverse proxy in front of it). The URLs SignalWire is given (a call's cXML route, status callbacks) are built
 * from it, and the signatures of its requests are checked against them.
 */
import { toHttpUri } from '../values/uri';

export type PublicUrlReading =
  /** `url` is '' when none is set; otherwise an absolute http(s) URL with no trailing slash, query or fragment. */
  | { ok: true; url: string }
  /** `value`: what was given, fit for a log (a user name and password in it are left out). */
  | { ok: false; value: string };

/**
 * Reads a Public URL as typed: empty is none; otherwise an absolute http(s) URL with a host, and a path when
 * Node-RED sits under one behind the proxy. A query, a fragment or a user name and password are refused: the
 * route's own path and query are added to it, and a password would end up in logs.
 */
export function readPublicUrl(value: unknown): PublicUrlReading {
  if (value === undefined || value === null) return { ok: true, url: '' };
  if (typeof value !== 'string') return { ok: false, value: String(value) };
  const text = value.trim();
  if (text === '') return { ok: true, url: '' };
  const refused = { ok: false as const, value: withoutUserInfo(text) };
  const uri = /[\s?#]/.test(text) ? undefined : toHttpUri(text);
  if (uri === undefined) return refused;
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return refused;
  }
  if (parsed.username || parsed.password || parsed.hostname === '') return refused;
  return { ok: true, url: uri.replace(/\/+$/, '') };
}

/**
 * Reads a node's own Public URL: the full URL SignalWire calls, path included, kept as typed (the signature covers
 * it as SignalWire writes it). Empty is none. Refused as a base is: not an absolute http(s) URL with a host, or
 * with a query (the request's own is added to it), a fragment, or a user name and password (it is logged).
 */
export function readRoutePublicUrl(value: unknown): PublicUrlReading {
  if (value === undefined || value === null) return { ok: true, url: '' };
  if (typeof value !== 'string') return { ok: false, value: String(value) };
  const text = value.trim();
  if (text === '') return { ok: true, url: '' };
  const refused = { ok: false as const, value: withoutUserInfo(text) };
  if (/[\s?#]/.test(text)) return refused;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return refused;
  }
  const http = parsed.protocol === 'https:' || parsed.protocol === 'http:';
  if (!http || parsed.hostname === '' || parsed.username || parsed.password) return refused;
  return { ok: true, url: text };
}

/** `https://user:secret@host/…` as `https://…@host/…`. */
function withoutUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@');
}

/**
 * The public URL of a route Node-RED serves at `path` under `httpNodeRoot`: `base` + the root + the path. Empty
 * when there is no base. Node-RED's root is `/` by default, or e.g. `/api` (with or without a trailing slash).
 */
export function publicRouteUrl(base: string, httpNodeRoot: unknown, path: string): string {
  if (!base) return '';
  const root = typeof httpNodeRoot === 'string' ? httpNodeRoot.trim().replace(/\/+$/, '') : '';
  const prefix = root === '' ? '' : root.startsWith('/') ? root : `/${root}`;
  return `${base}${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}
