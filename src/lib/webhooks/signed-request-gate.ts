/**
 * The front door for every request SignalWire makes to this server (status callbacks, the cXML a call fetches,
 * incoming calls): it admits a request only when SignalWire signed it, it is not too old, and it was not
 * already admitted; it reads no body before a signature is there, and none that is too large or too slow.
 *
 * Order, cheapest first: no key / no signature header / a declared body over the limit are refused before any
 * of the body is read; then the body is read (limit and deadline); then the signature, the request's age and
 * the replay memory are checked.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isForm } from './form-params';
import { readLimitedBody } from './read-limited-body';
import { checkAge } from './request-age';
import { ReplayMemory } from './replay-memory';
import { checkSignature, portVariants, signatureFromHeaders, type FormField } from './webhook-signature';

export interface GateSettings {
  /**
   * Empty when there is none: then nothing can be verified. Several (a route serving nodes of several
   * connections): a request signed with any one of them.
   */
  signingKey: string | readonly string[];
  /** False only when the user switched the check off: every request is then taken as signed. */
  verify: boolean;
  /** Bytes; default 64 KiB (SignalWire's form webhooks are a few hundred bytes). */
  bodyLimit?: number;
  /** How long the whole body may take to arrive once its head did; default 5 s. */
  bodyDeadlineMs?: number;
  /** How far the request's timestamp may be from this server's clock; default 15 min; 0 switches it off. */
  toleranceMs?: number;
  /** The form field holding the request's timestamp; default `Timestamp` (status callbacks carry it). */
  timestampField?: string;
  /** How long an admitted request is remembered to catch its repeats; default 10 min. */
  replayWindowMs?: number;
  /** How many admitted requests are remembered at most; default 50 000. */
  replayMemoryMax?: number;
  /** The clock; injected by tests. */
  now?: () => number;
}

export const GATE_DEFAULTS = {
  bodyLimit: 64 * 1024,
  bodyDeadlineMs: 5_000,
  toleranceMs: 15 * 60_000,
  timestampField: 'Timestamp',
  replayWindowMs: 10 * 60_000,
  replayMemoryMax: 50_000,
} as const;

/** Why a request was refused; each maps to one HTTP status. */
export type Refusal = 'no-key' | 'unsigned' | 'bad-signature' | 'body-hash' | 'stale' | 'too-large' | 'too-slow';

export const REFUSAL_STATUS: Record<Refusal, 403 | 408 | 413> = {
  'no-key': 403,
  unsigned: 403,
  'bad-signature': 403,
  'body-hash': 403,
  stale: 403,
  'too-large': 413,
  'too-slow': 408,
};

/** The request as the gate needs it: the URL SignalWire called (query included) and, when another middleware already read it, the body it parsed. */
export interface GateRequest {
  req: IncomingMessage;
  /** The URL the signature covers (see signed-url.ts). */
  url: string;
  /** Set when something before the route (Node-RED's editor on the same root, httpNodeMiddleware) read the body. */
  parsedBody?: { value: unknown };
}

export interface AdmittedRequest {
  method: string;
  url: string;
  /** The raw body (re-encoded when another middleware parsed it first); empty for GET. */
  body: string;
  /** GET: the query's fields; POST: the form body's fields (none when the body is not a form). */
  fields: FormField[];
}

/** `digest`: what the replay memory knows the request by; a repeat has the digest of the first (see replayDigest). */
export type GateOutcome =
  | { kind: 'admitted'; request: AdmittedRequest; digest: string }
  /** An exact repeat of a request admitted within the replay window: answer it as received, pass nothing on. */
  | { kind: 'repeat'; request: AdmittedRequest; digest: string }
  | { kind: 'refused'; refusal: Refusal; detail: RefusalDetail; bodyRead: boolean }
  /** The sender hung up mid-body: nothing to answer. */
  | { kind: 'gone' };

/** What a person needs to understand a refusal (never the key or the signature). */
export interface RefusalDetail {
  /** The URL the signature was checked against (bad-signature). */
  url?: string;
  /** The timestamp as sent, and how far it was from this server's clock (stale). */
  timestamp?: string;
  offByMs?: number;
  limit?: number;
  deadlineMs?: number;
  toleranceMs?: number;
}

export class SignedRequestGate {
  readonly settings: Required<Omit<GateSettings, 'now'>>;
  readonly #now: () => number;
  readonly #memory: ReplayMemory;

  constructor(settings: GateSettings) {
    this.#now = settings.now ?? Date.now;
    this.settings = {
      signingKey: settings.signingKey,
      verify: settings.verify,
      bodyLimit: settings.bodyLimit ?? GATE_DEFAULTS.bodyLimit,
      bodyDeadlineMs: settings.bodyDeadlineMs ?? GATE_DEFAULTS.bodyDeadlineMs,
      toleranceMs: settings.toleranceMs ?? GATE_DEFAULTS.toleranceMs,
      timestampField: settings.timestampField ?? GATE_DEFAULTS.timestampField,
      replayWindowMs: settings.replayWindowMs ?? GATE_DEFAULTS.replayWindowMs,
      replayMemoryMax: settings.replayMemoryMax ?? GATE_DEFAULTS.replayMemoryMax,
    };
    this.#memory = new ReplayMemory({
      windowMs: this.settings.replayWindowMs,
      max: this.settings.replayMemoryMax,
      now: this.#now,
    });
  }

  /** How many admitted requests the replay memory holds. */
  get remembered(): number {
    return this.#memory.size;
  }

  async admit({ req, url, parsedBody }: GateRequest): Promise<GateOutcome> {
    const { verify, bodyLimit, bodyDeadlineMs } = this.settings;
    const keys = (
      typeof this.settings.signingKey === 'string' ? [this.settings.signingKey] : this.settings.signingKey
    ).filter((key) => key !== '');
    const signature = signatureFromHeaders(req.headers);
    const refuse = (refusal: Refusal, detail: RefusalDetail = {}, bodyRead = false): GateOutcome => ({
      kind: 'refused',
      refusal,
      detail,
      bodyRead,
    });

    // Before any of the body is read.
    if (verify && keys.length === 0) return refuse('no-key');
    if (verify && !signature) return refuse('unsigned');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > bodyLimit) return refuse('too-large', { limit: bodyLimit });

    const method = req.method ?? 'GET';
    const isGet = method === 'GET' || method === 'HEAD';
    let body = '';
    if (!isGet && parsedBody) {
      body = reencode(parsedBody.value);
      if (Buffer.byteLength(body) > bodyLimit) return refuse('too-large', { limit: bodyLimit }, true);
    } else if (!isGet) {
      const reading = await readLimitedBody(req, bodyLimit, bodyDeadlineMs);
      if (!reading.ok && reading.reason === 'aborted') return { kind: 'gone' };
      if (!reading.ok && reading.reason === 'too-large') return refuse('too-large', { limit: bodyLimit });
      if (!reading.ok) return refuse('too-slow', { deadlineMs: bodyDeadlineMs });
      body = reading.body;
    }

    // A GET carries its fields in the query, which the signed URL already holds; a POST in its form body.
    const fields = isGet ? queryFields(url) : isForm(req.headers['content-type']) ? formFields(body) : [];
    const signedFields = isGet ? [] : fields;
    if (verify) {
      const checks = keys.map((signingKey) =>
        checkSignature({ signingKey, signature, url, fields: signedFields, rawBody: body }),
      );
      if (!checks.some((check) => check.ok)) {
        const bodyHash = checks.some((check) => !check.ok && check.problem === 'body-hash');
        return bodyHash ? refuse('body-hash', {}, true) : refuse('bad-signature', { url }, true);
      }
    }

    const now = this.#now();
    const stamp = fields.find(([name]) => name === this.settings.timestampField)?.[1];
    const age = checkAge(stamp, now, this.settings.toleranceMs);
    if (!age.ok) {
      const offByMs = age.problem === 'stale' ? age.offByMs : undefined;
      return refuse('stale', { timestamp: stamp, offByMs, toleranceMs: this.settings.toleranceMs }, true);
    }

    // Remembered until its timestamp leaves the tolerance, when the age check takes over.
    const keepUntil = age.stampedAt === undefined ? 0 : age.stampedAt + this.settings.toleranceMs + 1000;
    const digest = replayDigest(url, signedFields);
    const request = { method, url, body, fields };
    if (!this.#memory.firstTime(digest, keepUntil)) return { kind: 'repeat', request, digest };
    return { kind: 'admitted', request, digest };
  }
}

/**
 * What the signature covers, written one way: the URL without its port (a signature is valid with or without
 * it) and the fields sorted as they are signed. So a repeat is known whatever its body's order or encoding, its
 * Host's port or its signature header, and two requests that differ in anything signed are never one.
 */
function replayDigest(url: string, signedFields: readonly FormField[]): string {
  const sorted = [...signedFields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([portVariants(url).withoutPort, sorted]))
    .digest('base64');
}

function formFields(body: string): FormField[] {
  return body === '' ? [] : Array.from(new URLSearchParams(body));
}

function queryFields(url: string): FormField[] {
  const q = url.indexOf('?');
  return q < 0 ? [] : Array.from(new URLSearchParams(url.slice(q + 1)));
}

/** A body another middleware parsed, written back as a form (a string or Buffer is taken as it was). */
function reencode(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  const form = new URLSearchParams();
  for (const [name, field] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    for (const one of Array.isArray(field) ? field : [field]) form.append(name, String(one));
  }
  return form.toString();
}
