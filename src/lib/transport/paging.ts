import { SignalWireError } from './errors';
import type { ApiRequest, Transport } from './transport';

/** The most a list request asks for per page (the API's maximum): fewest requests. */
export const MAX_PAGE_SIZE = 1000;

/** A list longer than this many pages is a server that never ends, not a real conference list. */
export const MAX_PAGES = 100;

export interface PagingOptions {
  /** Records per page, 1 to 1000. Default 1000. */
  pageSize?: number;
  /** Pages read at most before giving up. Default 100. */
  maxPages?: number;
}

/**
 * Reads a list through every page: the first request with `PageSize`, then each `next_page_uri` exactly as the
 * API gave it (its query already holds the filters and the paging), until it is null. A server whose links go
 * round in a loop, that answers an empty page yet says there is more, or that goes on past `maxPages`, gets an
 * error instead of an endless wait.
 *
 * @param key where the envelope holds the records (`participants`, `conferences`)
 * @param isItem whether one record has the expected shape
 */
export async function listAll<T>(
  transport: Transport,
  first: ApiRequest,
  key: string,
  isItem: (value: unknown) => value is T,
  options: PagingOptions = {},
): Promise<T[]> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const query = new URLSearchParams(first.query);
  query.set('PageSize', String(pageSize));
  let request: ApiRequest = { ...first, query };
  const items: T[] = [];
  const followed = new Set<string>();

  for (let pages = 1; ; pages++) {
    const { status, data } = await transport.request(request);
    const envelope = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
    const records = envelope?.[key];
    if (!Array.isArray(records)) throw notAList(status, key);
    for (const record of records) {
      if (!isItem(record)) throw notAList(status, key);
      items.push(record);
    }
    const next = envelope?.next_page_uri;
    if (next === null || next === undefined || next === '') return items;
    if (typeof next !== 'string') throw badPaging(`its next_page_uri is not a link`);
    if (records.length === 0) throw badPaging('it answered an empty page and a link to another');
    if (followed.has(next)) throw badPaging(`its pages go round in a loop (${next} came back)`);
    if (pages >= maxPages) throw badPaging(`it still had more after ${maxPages} pages (${items.length} records)`);
    followed.add(next);
    request = { method: 'GET', link: next };
  }
}

function notAList(status: number, key: string): SignalWireError {
  return new SignalWireError(`SignalWire answered HTTP ${status} but the body is not a list of ${key}`, 'api', {
    status,
  });
}

function badPaging(why: string): SignalWireError {
  return new SignalWireError(`Stopped reading the list: ${why}`, 'api');
}
