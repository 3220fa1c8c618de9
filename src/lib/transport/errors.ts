import { isAxiosError } from 'axios';
import type { ErrorSource, NormalizedError } from '../types';

/**
 * The one error type the client rejects with. It is built field by field from what SignalWire or the socket
 * said, and never keeps the axios error, its request config or headers: those hold the Authorization header.
 */
export class SignalWireError extends Error implements NormalizedError {
  readonly source: ErrorSource;
  // `declare`: a detail that does not apply is absent, not an own property holding undefined.
  declare readonly status?: number;
  declare readonly code?: number | string;
  declare readonly moreInfo?: string;

  constructor(message: string, source: ErrorSource, details: Omit<NormalizedError, 'message' | 'source'> = {}) {
    super(message);
    this.source = source;
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
    if (details.moreInfo !== undefined) this.moreInfo = details.moreInfo;
  }

  toJSON(): NormalizedError {
    const plain: NormalizedError = { message: this.message, source: this.source };
    if (this.status !== undefined) plain.status = this.status;
    if (this.code !== undefined) plain.code = this.code;
    if (this.moreInfo !== undefined) plain.moreInfo = this.moreInfo;
    return plain;
  }
}

// On the prototype, so an error's own keys are only its details.
Object.defineProperty(SignalWireError.prototype, 'name', {
  value: 'SignalWireError',
  configurable: true,
  writable: true,
});

export function validationError(message: string): SignalWireError {
  return new SignalWireError(message, 'validation');
}

/** A request the client was closed before it could send: SignalWire never saw it. */
export function notSentError(): SignalWireError {
  return new SignalWireError(
    'The connection was closed (redeploy or shutdown) before this request was sent: it was not sent',
    'network',
    { code: 'ERR_NOT_SENT' },
  );
}

/** Longest piece of a non-JSON body quoted in a message (proxies answer with whole HTML pages). */
const MAX_BODY_QUOTE = 200;

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/** Turns whatever a request rejected with into a SignalWireError carrying no request details. */
export function normalizeError(error: unknown): SignalWireError {
  if (error instanceof SignalWireError) return error;
  if (isAxiosError(error)) {
    if (error.response) return fromResponse(error.response.status, error.response.statusText, error.response.data);
    const code = error.code;
    if (code !== undefined && TIMEOUT_CODES.has(code)) {
      const timeout = error.config?.timeout;
      const after = timeout ? ` within ${timeout} ms` : '';
      return new SignalWireError(`SignalWire did not answer${after}`, 'timeout', { code: 'ETIMEDOUT' });
    }
    // axios stops reading a body over maxContentLength with only this message to tell it apart: the server did
    // answer, so it is the answer that is wrong, not the connection.
    if (code === 'ERR_BAD_RESPONSE' && error.message.startsWith('maxContentLength')) {
      const limit = error.config?.maxContentLength ?? 0;
      const size = limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`;
      return new SignalWireError(
        `SignalWire answered with more than ${size}, more than any answer this client asks for needs: not read`,
        'api',
        { code: 'ERR_RESPONSE_TOO_LARGE' },
      );
    }
    if (code === 'ERR_CANCELED') {
      return new SignalWireError(
        'The request was cancelled because the client was closed (redeploy or shutdown) before SignalWire ' +
          'answered: it may or may not have been applied',
        'network',
        { code },
      );
    }
    return new SignalWireError(networkMessage(error.message, code), 'network', code ? { code } : {});
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return new SignalWireError(error.message, 'network', typeof code === 'string' ? { code } : {});
  }
  return new SignalWireError(String(error), 'network');
}

function networkMessage(message: string, code: string | undefined): string {
  const text = message || 'the connection failed';
  return code && !text.includes(code)
    ? `Could not reach SignalWire: ${text} (${code})`
    : `Could not reach SignalWire: ${text}`;
}

/**
 * SignalWire's error bodies come in several shapes: the documented CompatibilityErrorResponse
 * (`{code, message, more_info, status}`), an `errors[]` array of those, a 422 whose body is an array of strings,
 * string codes, and non-JSON or empty bodies from proxies and gateways. All end up in one shape.
 */
export function fromResponse(status: number, statusText: string | undefined, body: unknown): SignalWireError {
  const details = readErrorBody(body);
  const fallback = `SignalWire answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const message = details.message ? details.message : details.quote ? `${fallback}: ${details.quote}` : fallback;
  const extra: Omit<NormalizedError, 'message' | 'source'> = { status };
  if (details.code !== undefined) extra.code = details.code;
  if (details.moreInfo !== undefined) extra.moreInfo = details.moreInfo;
  return new SignalWireError(message, 'api', extra);
}

interface ErrorBodyDetails {
  message?: string;
  code?: number | string;
  moreInfo?: string;
  /** Text of a body that is not JSON, to quote after the status line. */
  quote?: string;
}

function readErrorBody(body: unknown): ErrorBodyDetails {
  if (typeof body === 'string') return readTextBody(body);
  if (Array.isArray(body)) return readErrorList(body);
  if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const own = readErrorRecord(record);
    if (Array.isArray(record.errors)) {
      const listed = readErrorList(record.errors);
      return {
        message: own.message ?? listed.message,
        code: own.code ?? listed.code,
        moreInfo: own.moreInfo ?? listed.moreInfo,
      };
    }
    return own;
  }
  return {};
}

function readTextBody(text: string): ErrorBodyDetails {
  const trimmed = text.trim();
  if (!trimmed) return {};
  // A body labelled as text but holding JSON (some gateways send JSON as text/plain).
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return readErrorBody(JSON.parse(trimmed));
    } catch {
      // Truncated or not JSON after all: quote it as text below.
    }
  }
  // An HTML error page says nothing useful in one line.
  if (trimmed.startsWith('<')) return {};
  const oneLine = trimmed.replace(/\s+/g, ' ');
  return { quote: oneLine.length > MAX_BODY_QUOTE ? `${oneLine.slice(0, MAX_BODY_QUOTE - 1)}…` : oneLine };
}

function readErrorList(list: unknown[]): ErrorBodyDetails {
  const messages: string[] = [];
  let code: number | string | undefined;
  let moreInfo: string | undefined;
  for (const item of list) {
    if (typeof item === 'string') {
      if (item.trim()) messages.push(item.trim());
    } else if (item !== null && typeof item === 'object') {
      const entry = readErrorRecord(item as Record<string, unknown>);
      if (entry.message) messages.push(entry.message);
      code ??= entry.code;
      moreInfo ??= entry.moreInfo;
    }
  }
  const details: ErrorBodyDetails = {};
  if (messages.length > 0) details.message = messages.join('; ');
  if (code !== undefined) details.code = code;
  if (moreInfo !== undefined) details.moreInfo = moreInfo;
  return details;
}

function readErrorRecord(record: Record<string, unknown>): ErrorBodyDetails {
  const details: ErrorBodyDetails = {};
  const message = firstText(record.message, record.detail, record.error, record.title);
  if (message) details.message = message;
  const code = readCode(record.code);
  if (code !== undefined) details.code = code;
  const moreInfo = firstText(record.more_info, record.moreInfo);
  if (moreInfo) details.moreInfo = moreInfo;
  return details;
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/** Codes arrive as numbers or strings; digits become a number so `code === 20003` works either way. */
function readCode(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim()) {
    const text = value.trim();
    return /^\d+$/.test(text) ? Number(text) : text;
  }
  return undefined;
}
