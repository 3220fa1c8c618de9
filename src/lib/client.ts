import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import axiosRetry, { type IAxiosRetryConfig } from 'axios-retry';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import { normalizeError, notSentError, SignalWireError, validationError } from './transport/errors';
import { InFlightLimit } from './transport/in-flight-limit';
import { describeValue } from './values/describe-value';
import { EaseOff } from './transport/ease-off';
import {
  requestUrl,
  type ApiRequest,
  type ApiResponse,
  type RequestAttempts,
  type Transport,
} from './transport/transport';
import { CredentialRedactor } from './transport/redact';
import {
  answerMayBeLost,
  notRepeated,
  retryAfterMs,
  retryPolicy,
  type RetryMode,
  type RetrySettings,
} from './transport/retry';
import { closeWaitFor } from './transport/shutdown';
import { unreachableReason } from './transport/unreachable-reason';
import { resolveBaseUrl } from './transport/space';
import { getParticipant, updateParticipant } from './resources/participants';
import { USER_AGENT } from './transport/user-agent';
import { isUuid } from './values/uuid';
import type { ClientSettings, ConnectionCheck, UpdateResult } from './types';

const API_PATH = '/api/laml/2010-04-01/Accounts/';

const DEFAULTS = {
  timeout: 10_000,
  retries: 3,
  maxInFlight: 10,
  retryDelay: 250,
  maxRetryAfter: 30_000,
};

/**
 * A page holds up to 1000 records of about 1.2 KB (a call, the largest); the cap leaves room for that, and keeps a
 * misbehaving server from filling memory.
 */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * A client for one SignalWire project: one axios instance with a keep-alive agent, a retry policy, and a cap on
 * requests in flight with a first-in first-out queue behind it. Every failure rejects with a SignalWireError,
 * which never carries the token.
 */
export class SignalWireClient implements Transport {
  /** Where requests go, e.g. `https://example.signalwire.com`. */
  readonly baseUrl: string;
  readonly projectId: string;
  /** Per attempt, in milliseconds. */
  readonly timeout: number;
  readonly maxInFlight: number;
  /** How long close() lets accepted requests run before it cancels them (see transport/shutdown.ts). */
  readonly closeWait: number;
  /** The proxy requests go through (from HTTPS_PROXY / ALL_PROXY and NO_PROXY), or undefined for none. */
  readonly proxy: string | undefined;

  // Private fields (#) stay out of util.inspect and JSON.stringify, and the instance defaults hold the token.
  readonly #http: AxiosInstance;
  readonly #agent: http.Agent;
  readonly #limit: InFlightLimit;
  readonly #accountUrl: string;
  readonly #redactor: CredentialRedactor;
  readonly #abort = new AbortController();
  /** Per retry mode, one config object shared by every request: nothing per request beyond what axios builds. */
  readonly #requestConfig: Record<RetryMode, AxiosRequestConfig>;
  readonly #readConfig: AxiosRequestConfig;
  readonly #easeOff: EaseOff;
  /** Calls accepted and not yet settled (running, queued or backing off), so close() knows when all are done. */
  #pending = 0;
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(settings: ClientSettings) {
    if (settings === null || typeof settings !== 'object') throw validationError('client settings must be an object');
    this.baseUrl = resolveBaseUrl(settings.space);
    const projectId = typeof settings.projectId === 'string' ? settings.projectId.trim() : settings.projectId;
    if (!isUuid(projectId)) {
      throw validationError(`projectId must be your SignalWire Project ID, a UUID (got ${describeValue(projectId)})`);
    }
    const token = typeof settings.token === 'string' ? settings.token.trim() : '';
    // The token's value is never quoted, not even a wrong one.
    if (!token) throw validationError('token is missing: set the API token of the project');
    this.projectId = projectId;
    this.timeout = positiveNumber('timeout', settings.timeout, DEFAULTS.timeout);
    this.maxInFlight = wholeNumber('maxInFlight', settings.maxInFlight, DEFAULTS.maxInFlight, 1);
    const retries = wholeNumber('retries', settings.retries, DEFAULTS.retries, 0);
    const retryDelay = wholeNumber('retryDelay', settings.retryDelay, DEFAULTS.retryDelay, 0);
    const maxRetryAfter = wholeNumber('maxRetryAfter', settings.maxRetryAfter, DEFAULTS.maxRetryAfter, 0);

    this.closeWait = closeWaitFor(this.timeout);

    const credentials = Buffer.from(`${projectId}:${token}`).toString('base64');
    this.#redactor = new CredentialRedactor(token, projectId);
    this.#accountUrl = `${this.baseUrl}${API_PATH}${projectId}`;

    const secure = this.baseUrl.startsWith('https:');
    // The in-flight cap is the queue's job (InFlightLimit); the socket limit is only a backstop, set above the
    // cap so a socket not yet back in the pool never holds up the next request, and so tests can see the queue.
    const agentOptions = { keepAlive: true, maxSockets: this.maxInFlight * 2 };
    // Credentials only go through a proxy inside TLS: an https space may use HTTPS_PROXY (or ALL_PROXY, as
    // NO_PROXY allows) through a CONNECT tunnel, on the same keep-alive pool and cap; plain http never does.
    const environmentProxy = getProxyForUrl(this.baseUrl) || undefined;
    this.proxy = secure ? environmentProxy : undefined;
    this.#agent = this.proxy
      ? new HttpsProxyAgent(this.proxy, agentOptions)
      : secure
        ? new https.Agent(agentOptions)
        : new http.Agent(agentOptions);
    this.#http = axios.create({
      timeout: this.timeout,
      headers: {
        Authorization: `Basic ${credentials}`,
        'User-Agent': USER_AGENT,
        Accept: 'application/json',
      },
      ...(secure ? { httpsAgent: this.#agent } : { httpAgent: this.#agent }),
      // Where the environment names a proxy for this space, axios would send plain-http requests to it with the
      // credentials in clear, and https ones through a tunnel of its own (off our pool and cap): the agent above
      // decides instead. Only then: `proxy: false` costs axios 1.x memory and CPU on every request.
      ...(environmentProxy ? { proxy: false as const } : {}),
      // An API client follows no redirects: a redirect here means a wrong base URL, and following it would
      // resend the form elsewhere. It also lets axios use node:http directly.
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
    });
    this.#easeOff = new EaseOff(retryDelay, maxRetryAfter);
    // Before axios-retry's own interceptors, so it sees every attempt (see easeOffOnRateLimit).
    easeOffOnRateLimit(this.#http, this.#easeOff);
    const retry: RetrySettings = { retries, retryDelay, maxRetryAfter };
    axiosRetry(this.#http, retryPolicy(retry));
    // Each request on the wire listens on the one abort signal, and no more than maxInFlight are on the wire:
    // more listeners than that is a leak worth the warning.
    setMaxListeners(this.maxInFlight + 1, this.#abort.signal);
    this.#limit = new InFlightLimit(this.maxInFlight);
    const form = { signal: this.#abort.signal, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    this.#requestConfig = {
      idempotent: form,
      action: { ...form, 'axios-retry': { retryCondition: retryPolicy(retry, 'action').retryCondition } },
    };
    this.#readConfig = { signal: this.#abort.signal };
  }

  /** Requests on the wire or backing off before a retry. */
  get inFlight(): number {
    return this.#limit.activeCount;
  }

  /** Requests waiting for a free slot, in the order they were made. */
  get queued(): number {
    return this.#limit.pendingCount;
  }

  /** "Update a Participant" (see resources/participants.ts): validated first, nothing is sent for bad input. */
  updateParticipant(conferenceSid: unknown, callSid: unknown, options: unknown): Promise<UpdateResult> {
    return updateParticipant(this, conferenceSid, callSid, options);
  }

  /** "Retrieve a Participant", with the status code it came with. */
  getParticipant(conferenceSid: unknown, callSid: unknown): Promise<UpdateResult> {
    return getParticipant(this, conferenceSid, callSid);
  }

  /**
   * One request to the API, through the same cap, retries, ease-off and error normalising as every other: the
   * resources (resources/) are built on it. Rejects with a
   * SignalWireError; the body of a 2xx answer is returned as it came (checking its shape is the caller's job).
   */
  async request(request: ApiRequest): Promise<ApiResponse> {
    let response: { status: number; data: unknown };
    try {
      const url = requestUrl(this.baseUrl, this.#accountUrl, request);
      // An action (an announcement) is not sent again once it may have been processed; see transport/retry.ts.
      const shared =
        request.method === 'POST' ? this.#requestConfig[request.action ? 'action' : 'idempotent'] : this.#readConfig;
      const config = request.attempts ? reportingAttempts(shared, request.attempts) : shared;
      // axios's post/get/delete with the shared config, not request() with a config built per call: the latter
      // cost about 35 µs more CPU per update in the benchmark (A: 275 against 240 µs).
      response = await this.#run(() =>
        request.method === 'POST'
          ? this.#http.post(url, request.form, config)
          : request.method === 'GET'
            ? this.#http.get(url, config)
            : this.#http.delete(url, config),
      );
    } catch (error) {
      const failure = this.#normalize(error);
      throw request.action ? notRepeated(failure, request.notTwice) : failure;
    }
    return { status: response.status, data: response.data };
  }

  /** 429s this client has been answered since it was created. */
  get rateLimited(): number {
    return this.#easeOff.refusals;
  }

  /**
   * One harmless authenticated call (retrieve the account) telling whether the space answers and accepts the
   * credentials. Never rejects and never retries: it answers a person waiting at the editor.
   */
  async checkConnection(): Promise<ConnectionCheck> {
    try {
      const response = await this.#run(() =>
        this.#http.get(this.#accountUrl, { signal: this.#abort.signal, 'axios-retry': { retries: 0 } }),
      );
      const body: unknown = response.data;
      if (body !== null && typeof body === 'object') {
        return { ok: true, space: this.baseUrl, projectId: this.projectId };
      }
      return { ok: false, reason: 'other', message: `${this.baseUrl} answered, but not like a SignalWire space` };
    } catch (error) {
      const failure = this.#normalize(error);
      if (failure.status === 401 || failure.status === 403) {
        return { ok: false, reason: 'auth', message: `Wrong project ID or API token (HTTP ${failure.status})` };
      }
      if (failure.source === 'network' || failure.source === 'timeout') {
        return { ok: false, reason: 'unreachable', message: unreachableReason(failure, this.baseUrl, this.timeout) };
      }
      if (failure.source === 'validation') return { ok: false, reason: 'invalid', message: failure.message };
      return { ok: false, reason: 'other', message: failure.message };
    }
  }

  /**
   * Stop taking requests, let the ones already accepted finish (for at most `closeWait`), then cancel whatever is
   * left (it rejects as cancelled, so every caller still gets an answer) and free the sockets.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#settled(this.closeWait);
    this.#abort.abort();
    await this.#settled(undefined);
    this.#agent.destroy();
  }

  #settled(bound: number | undefined): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = bound === undefined ? undefined : setTimeout(done, bound);
      timer?.unref();
      function done(): void {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.#drained = done;
    });
  }

  /** Runs one call through the in-flight cap, counting it until it settles. */
  async #run<T>(send: () => Promise<T>): Promise<T> {
    if (this.#closing) {
      throw new SignalWireError('The client is closed; no new requests are accepted', 'network', {
        code: 'ERR_CLIENT_CLOSED',
      });
    }
    this.#pending++;
    try {
      // A call still queued when the close cancelled everything is not sent at all, and says so.
      return await this.#limit.run(() => (this.#abort.signal.aborted ? Promise.reject(notSentError()) : send()));
    } finally {
      this.#pending--;
      if (this.#pending === 0 && this.#drained) {
        const drained = this.#drained;
        this.#drained = undefined;
        drained();
      }
    }
  }

  /** A last guard: whatever a server or proxy echoed back, the credentials never leave in any field of an error. */
  #normalize(error: unknown): SignalWireError {
    const failure = normalizeError(error);
    const { message, source, ...details } = failure.toJSON();
    const redacted = { ...details };
    if (typeof details.code === 'string') redacted.code = this.#redactor.redact(details.code);
    if (details.moreInfo !== undefined) redacted.moreInfo = this.#redactor.redact(details.moreInfo);
    const text = this.#redactor.redact(message);
    if (text === message && redacted.code === details.code && redacted.moreInfo === details.moreInfo) return failure;
    return new SignalWireError(text, source, redacted);
  }
}

/** Every POST attempt, retries included, waits its turn while the client eases off; every 429 to one tells it to. */
function easeOffOnRateLimit(http: AxiosInstance, easeOff: EaseOff): void {
  const startedAt = new WeakMap<object, number>();
  http.interceptors.request.use(async (config) => {
    if (config.method !== 'post') return config;
    const signal = config.signal as AbortSignal | undefined;
    startedAt.set(config, await easeOff.wait(signal));
    // Closed while this first attempt waited its turn: nothing of it left. (A retry's earlier attempt did.)
    const attempt = (config as { 'axios-retry'?: { retryCount?: number } })['axios-retry'];
    if (signal?.aborted && !attempt?.retryCount) throw notSentError();
    return config;
  });
  // Added before axios-retry's, so this sees every attempt's answer, not only the last one.
  http.interceptors.response.use(
    (response) => {
      if (response.config.method === 'post') easeOff.accepted();
      return response;
    },
    (error: unknown) => {
      const failed = error as {
        config?: { method?: string };
        response?: { status?: number; headers?: Record<string, unknown> };
      };
      const started = failed.config && startedAt.get(failed.config);
      if (failed.response?.status === 429 && started !== undefined) {
        easeOff.refused(started, retryAfterMs(failed.response.headers?.['retry-after']));
      }
      return Promise.reject(error);
    },
  );
}

/** The config of one request whose caller wants to hear about its attempts (see RequestAttempts). */
function reportingAttempts(config: AxiosRequestConfig, attempts: RequestAttempts): AxiosRequestConfig {
  const retry = (config as { 'axios-retry'?: IAxiosRetryConfig })['axios-retry'];
  const onRetry = (_count: number, error: AxiosError): void => {
    if (answerMayBeLost(error)) attempts.answerLost = true;
  };
  return { ...config, 'axios-retry': { ...retry, onRetry } };
}

function positiveNumber(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw validationError(`${name} must be a positive number of milliseconds (got ${describeValue(value)})`);
  }
  return value;
}

function wholeNumber(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw validationError(`${name} must be a whole number of at least ${min} (got ${describeValue(value)})`);
  }
  return value;
}
