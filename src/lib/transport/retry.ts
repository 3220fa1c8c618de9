import { exponentialDelay, type IAxiosRetryConfig } from 'axios-retry';
import type { AxiosError } from 'axios';
import { SignalWireError } from './errors';

/** HTTP statuses that mean "not processed, try again later". Every other 4xx/5xx is final. */
const RETRY_STATUSES = new Set([429, 503]);

/**
 * Connection failures worth another attempt. axios reports a per-attempt timeout as ETIMEDOUT when
 * `transitional.clarifyTimeoutError` is on (the client sets it), ECONNABORTED otherwise.
 */
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/**
 * Failures after which the server certainly did not act on the request: no connection was made. (A 429 or a 503
 * also says "not processed".) A timeout, a reset or a broken pipe may come after the server acted.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED']);

/**
 * How a request may be repeated. `idempotent`: repeating it changes nothing (reads, absolute values such as
 * Muted=true), so any retryable failure is retried (at-least-once). `action`: it starts something a repeat would
 * start again (an announcement, hold music from the top), so it is retried only when the server certainly did
 * not process it (at-most-once).
 */
export type RetryMode = 'idempotent' | 'action';

export interface RetrySettings {
  retries: number;
  /** First backoff in milliseconds; doubled each retry. */
  retryDelay: number;
  /** Longest Retry-After honoured, in milliseconds. */
  maxRetryAfter: number;
}

/**
 * The retry policy for axios-retry. Its defaults do not fit this API: `isNetworkOrIdempotentRequestError`
 * never retries a POST on 429/5xx and never retries a timeout, and `shouldResetTimeout: false` makes the
 * timeout a budget shared by all attempts. A POST that sets absolute values (Muted=true) is idempotent and is
 * retried like a GET; one that starts an action gets `mode: 'action'` (see RetryMode). Each attempt gets the full
 * timeout.
 */
export function retryPolicy(settings: RetrySettings, mode: RetryMode = 'idempotent'): IAxiosRetryConfig {
  return {
    retries: settings.retries,
    shouldResetTimeout: true,
    retryCondition: (error) => shouldRetry(error, settings.maxRetryAfter, mode),
    retryDelay: (retryCount, error) => retryDelay(retryCount, error, settings),
  };
}

export function shouldRetry(error: AxiosError, maxRetryAfter: number, mode: RetryMode = 'idempotent'): boolean {
  const response = error.response;
  if (response) {
    if (!RETRY_STATUSES.has(response.status)) return false;
    // Retrying before the server allows only earns another refusal; report it at once instead.
    const asked = retryAfterMs(response.headers['retry-after']);
    return asked === undefined || asked <= maxRetryAfter;
  }
  if (error.code === undefined) return false;
  return mode === 'action' ? NOT_SENT_CODES.has(error.code) : RETRY_CODES.has(error.code);
}

/** Whether a failed attempt may have been processed: it was sent, and no answer came back (a reset, a timeout). */
export function answerMayBeLost(error: AxiosError): boolean {
  return error.response === undefined && error.code !== undefined && !NOT_SENT_CODES.has(error.code);
}

/** Codes of failures where nothing, or nothing more, left for SignalWire: the client was closing. */
const CLOSED_CODES = new Set(['ERR_CANCELED', 'ERR_CLIENT_CLOSED', 'ERR_NOT_SENT']);

/**
 * The error of an action (see RetryMode) that failed after it may have been processed: it is not repeated, and the
 * message says so instead of "Could not reach SignalWire". Other failures are returned as they are.
 */
export function notRepeated(failure: SignalWireError, notTwice = 'so the audio does not play twice'): SignalWireError {
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  if (failure.source !== 'timeout' && (failure.source !== 'network' || !code || NOT_SENT_CODES.has(code))) {
    return failure;
  }
  if (code && CLOSED_CODES.has(code)) return failure;
  const what =
    failure.source === 'timeout' ? failure.message : `SignalWire's answer was lost (the connection was cut, ${code})`;
  return new SignalWireError(
    `${what}: the request may have been carried out, and was not sent again, ${notTwice}`,
    failure.source,
    code ? { code } : {},
  );
}

/** Exponential backoff with up to 20 % jitter, or the server's Retry-After when that is longer. */
export function retryDelay(retryCount: number, error: AxiosError | undefined, settings: RetrySettings): number {
  const backoff = exponentialDelay(retryCount - 1, undefined, settings.retryDelay);
  const asked = retryAfterMs(error?.response?.headers['retry-after']);
  if (asked === undefined) return backoff;
  return Math.max(backoff, Math.min(asked, settings.maxRetryAfter));
}

/**
 * `Retry-After` as milliseconds from now: delta-seconds (`120`) or an HTTP date. Undefined when absent or
 * unreadable; a date in the past is 0.
 */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || !header.trim()) return undefined;
  const text = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
