/**
 * What to answer a conference status callback, decided before any flow runs: 204 for an accepted event (passed on
 * or filtered out), 403 when it cannot be proven to come from SignalWire, 400 when it is not a status callback.
 */
import { readConferenceEvent, type ConferenceEvent } from './conference-event';
import { checkSignature, signatureFromHeaders, type FormField, type SignatureProblem } from './webhook-signature';

/** Status callbacks are a few hundred bytes. */
export const CALLBACK_BODY_LIMIT = 64 * 1024;

const FORM_TYPE = 'application/x-www-form-urlencoded';

export interface CallbackRequest {
  method: string;
  /** The URL SignalWire called, query included: the one its signature covers. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body of a POST (empty for GET). */
  body: string;
}

export interface CallbackPolicy {
  /** Empty when there is none: then nothing can be verified. */
  signingKey: string;
  verify: boolean;
  /** Events passed on; empty means all. */
  events: readonly string[];
}

export type CallbackOutcome =
  | { status: 204; event: ConferenceEvent; passOn: boolean }
  | { status: 403; problem: SignatureProblem | 'no-key' }
  | { status: 400; problem: 'missing' | 'unsafe-key' | 'not-form'; fields: string[] };

export function judgeCallback(request: CallbackRequest, policy: CallbackPolicy): CallbackOutcome {
  const isGet = request.method === 'GET' || request.method === 'HEAD';
  // A GET carries its fields in the query, which the signed URL already holds; a POST in its form body.
  const fields: FormField[] = isGet ? queryFields(request.url) : bodyFields(request);

  if (policy.verify) {
    if (!policy.signingKey) return { status: 403, problem: 'no-key' };
    const check = checkSignature({
      signingKey: policy.signingKey,
      signature: signatureFromHeaders(request.headers),
      url: request.url,
      fields: isGet ? [] : fields,
      rawBody: request.body,
    });
    if (!check.ok) return { status: 403, problem: check.problem };
  }

  if (!isGet && request.body !== '' && !isForm(request.headers['content-type'])) {
    return { status: 400, problem: 'not-form', fields: [] };
  }
  const reading = readConferenceEvent(fields);
  if (!reading.ok) return { status: 400, problem: reading.problem, fields: reading.fields };
  const passOn = policy.events.length === 0 || policy.events.includes(reading.event.event);
  return { status: 204, event: reading.event, passOn };
}

/**
 * The URL to check a signature against: the public one when Node-RED sits behind a proxy or tunnel (with the
 * request's query), otherwise the address the request arrived at (its path includes httpNodeRoot).
 */
export function callbackUrl(input: {
  publicUrl: string;
  protocol: string;
  host: string | undefined;
  originalUrl: string;
}): string {
  if (input.publicUrl) {
    const q = input.originalUrl.indexOf('?');
    return q < 0 ? input.publicUrl : input.publicUrl + input.originalUrl.slice(q);
  }
  return `${input.protocol}://${input.host ?? ''}${input.originalUrl}`;
}

function bodyFields(request: CallbackRequest): FormField[] {
  if (request.body === '' || !isForm(request.headers['content-type'])) return [];
  return Array.from(new URLSearchParams(request.body));
}

function queryFields(url: string): FormField[] {
  const q = url.indexOf('?');
  return q < 0 ? [] : Array.from(new URLSearchParams(url.slice(q + 1)));
}

function isForm(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value !== undefined && value.split(';')[0]!.trim().toLowerCase() === FORM_TYPE;
}
