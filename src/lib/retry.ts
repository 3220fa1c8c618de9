import { exponentialDelay, type IAxiosRetryConfig } from 'axios-retry';
import type { AxiosError } from 'axios';

/** HTTP statuses that mean "not processed, try again later". Every other 4xx/5xx is final. */
const RETRY_STATUSES = new Set([429, 503]);

/**
 * Connection failures worth another attempt. axios reports a per-attempt timeout as ETIMEDOUT when
 * `transitional.clarifyTimeoutError` is on (the client sets it), ECONNABORTED otherwise.
 */
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

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
 * timeout a budget shared by all attempts. Updating a participant sets absolute values (idempotent), so the
 * POST is retried like a GET, and each attempt gets the full timeout.
 */
export function retryPolicy(settings: RetrySettings): IAxiosRetryConfig {
  return {
    retries: settings.retries,
    shouldResetTimeout: true,
    retryCondition: (error) => shouldRetry(error, settings.maxRetryAfter),
    retryDelay: (retryCount, error) => retryDelay(retryCount, error, settings),
  };
}

export function shouldRetry(error: AxiosError, maxRetryAfter: number): boolean {
  const response = error.response;
  if (response) {
    if (!RETRY_STATUSES.has(response.status)) return false;
    // Retrying before the server allows only earns another refusal; report it at once instead.
    const asked = retryAfterMs(response.headers['retry-after']);
    return asked === undefined || asked <= maxRetryAfter;
  }
  return error.code !== undefined && RETRY_CODES.has(error.code);
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
