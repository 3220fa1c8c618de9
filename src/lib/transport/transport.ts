import { describeValue } from '../values/describe-value';
import { SignalWireError } from './errors';

/**
 * What the resources (resources/) need from the client: one request through its in-flight cap, retry policy,
 * authentication and error normalising. Every failure rejects with a SignalWireError.
 */
export interface Transport {
  request(request: ApiRequest): Promise<ApiResponse>;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** A path under the account, e.g. `/Conferences/{sid}.json`; or `link`. */
  path?: string;
  /** A link the API gave (a `next_page_uri`), followed exactly as given. */
  link?: string;
  /** Query of a `path` request; filters keep their PascalCase names. */
  query?: URLSearchParams;
  /** Form body of a POST, already encoded. */
  form?: string;
  /**
   * The request makes something happen (an announcement plays) rather than set a state: repeating it after an
   * answer was lost would do it twice, so it is not retried once it may have been processed.
   */
  action?: boolean;
  /** For an action: what not repeating it spares, for the error (default "so the audio does not play twice"). */
  notTwice?: string;
  /** Given by a caller that must know what happened to the attempts before the last answer (see RequestAttempts). */
  attempts?: RequestAttempts;
}

/**
 * What the client tells about the attempts of one request: `answerLost` turns true when an attempt before the last
 * one was sent and got no answer (a reset, a timeout), so SignalWire may have done the work before the answer the
 * caller sees. A retry that then finds the work done (a participant already removed) met its own first attempt.
 */
export interface RequestAttempts {
  answerLost: boolean;
}

export interface ApiResponse {
  status: number;
  data: unknown;
}

/**
 * The URL of a request. A link from the API is relative to the host (`/api/laml/...`) and is appended to the
 * base URL as it is; an absolute link is followed only when it stays under the base URL, so the credentials
 * never go to a host the connection does not name.
 */
export function requestUrl(baseUrl: string, accountUrl: string, request: ApiRequest): string {
  if (request.link !== undefined) {
    const link = request.link;
    if (link.startsWith('/') && !link.startsWith('//')) return baseUrl + link;
    if (link.startsWith(`${baseUrl}/`)) return link;
    throw new SignalWireError(
      `SignalWire gave a link to ${describeValue(link)}, which is not under ${baseUrl}: not followed`,
      'api',
    );
  }
  const query = request.query?.toString();
  return accountUrl + (request.path ?? '') + (query ? `?${query}` : '');
}
