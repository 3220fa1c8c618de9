/**
 * List envelopes and paging as the Compatibility API serves them: `Page` (from 0), `PageSize` (1 to 1000, default
 * 50) and `PageToken`. Every link (`uri`, `first_page_uri`, `next_page_uri`, `previous_page_uri`) repeats the
 * list's filters, so following `next_page_uri` as given walks the same filtered list. Tokens point at a record
 * (`PA<key>`: the records after it; `PB<key>`: the page before it), so paging stays right while records come
 * and go.
 */
import { invalidParameter } from './api-error';

/** A record with its place in the list's order. */
export interface Keyed<T> {
  key: number;
  value: T;
}

export interface ListRequest {
  /** The list's path with `.json`, under /api/laml/2010-04-01. */
  path: string;
  /** The filters the request used, in a fixed order, with their values as sent. */
  filters: ReadonlyArray<readonly [string, string]>;
  query: URLSearchParams | undefined;
}

const TOKEN = /^P([AB])(\d{1,15})$/;

export function pageOf<T>(recordsKey: string, items: readonly Keyed<T>[], request: ListRequest): object {
  const { query } = request;
  const pageSize = whole(query?.get('PageSize'), 'PageSize', 50, 1, 1000);
  const page = whole(query?.get('Page'), 'Page', 0, 0, 1_000_000);
  const token = query?.get('PageToken') ?? null;

  let start: number;
  if (token === null) start = page * pageSize;
  else {
    const match = TOKEN.exec(token);
    if (!match) throw invalidParameter('PageToken', 'is not a token this API gave out');
    const key = Number(match[2]);
    if (match[1] === 'A') {
      start = items.findIndex((item) => item.key > key);
      if (start < 0) start = items.length;
    } else {
      let before = items.findIndex((item) => item.key >= key);
      if (before < 0) before = items.length;
      start = Math.max(0, before - pageSize);
    }
  }
  const slice = items.slice(start, start + pageSize);

  const link = (n: number, pageToken: string | null): string => {
    const params = new URLSearchParams();
    for (const [name, value] of request.filters) params.append(name, value);
    params.append('PageSize', String(pageSize));
    params.append('Page', String(n));
    if (pageToken !== null) params.append('PageToken', pageToken);
    return `${request.path}?${params.toString()}`;
  };
  const hasNext = start + pageSize < items.length;
  const last = slice[slice.length - 1];
  // The page before is the one ending just before this page's first record (or, past the end, the last one).
  const firstKey = items[start]?.key ?? (items[items.length - 1]?.key ?? 0) + 1;
  return {
    uri: link(page, token),
    first_page_uri: link(0, null),
    next_page_uri: hasNext && last ? link(page + 1, `PA${last.key}`) : null,
    previous_page_uri: start > 0 ? link(Math.max(page - 1, 0), `PB${firstKey}`) : null,
    page,
    page_size: pageSize,
    [recordsKey]: slice.map((item) => item.value),
  };
}

function whole(value: string | null | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value == null) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(name, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}
