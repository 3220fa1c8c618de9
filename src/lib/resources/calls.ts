import { SignalWireError, validationError } from '../transport/errors';
import type { CallPacer } from '../transport/call-pacing';
import { listAll, type PagingOptions } from '../transport/paging';
import type { ApiResponse, Transport } from '../transport/transport';
import {
  CALL_STATUSES,
  type Call,
  type CallFilter,
  type CallProgressEvent,
  type CallStatus,
  type CreateCallOptions,
  type HttpMethod,
} from '../types';
import { describeValue } from '../values/describe-value';
import { toHttpUri } from '../values/uri';
import { isUuid } from '../values/uuid';
import { checkedFilter, readFilter } from './list-filter';

/**
 * Calls ("Calls" in the Compatibility API): create (place a call that runs the cXML at `url` once answered),
 * retrieve, hang up, list. Creating a call rings a phone and costs money: it is an action, never sent twice once
 * it may have reached SignalWire, and it waits its turn at the pacer when one is given. Every input is checked
 * before anything is sent.
 */

const E164 = /^\+[1-9]\d{1,14}$/;
const SIP = /^sips?:[^\s@]+@[^\s@]+$/i;
const EVENTS: readonly CallProgressEvent[] = ['initiated', 'ringing', 'answered', 'completed'];
const CREATE_NAMES = [
  'to',
  'from',
  'url',
  'method',
  'statusCallback',
  'statusCallbackMethod',
  'statusCallbackEvents',
  'timeout',
];

/**
 * "Create a Call": the call as SignalWire queued it. Through `pacer` when given (see call-pacing.ts); `signal`
 * takes it out of the pacer's queue unplaced.
 */
export async function createCall(
  transport: Transport,
  options: unknown,
  pacer?: CallPacer,
  signal?: AbortSignal,
): Promise<Call> {
  const form = createCallForm(validateCreateCall(options));
  const send = (): Promise<ApiResponse> =>
    transport.request({
      method: 'POST',
      path: '/Calls',
      form,
      action: true,
      notTwice: 'so the phone does not ring twice',
    });
  return asCall(await (pacer ? pacer.run(send, signal) : send()));
}

/** One call ("Retrieve a Call"). */
export async function retrieveCall(transport: Transport, callSid: unknown): Promise<Call> {
  return asCall(await transport.request({ method: 'GET', path: callPath(callSid) }));
}

/**
 * Hangs up (`Status=completed`): an answered call ends `completed`, one still ringing ends `canceled`. Repeating
 * it changes nothing more, so it is retried like any update.
 */
export async function hangUpCall(transport: Transport, callSid: unknown): Promise<Call> {
  return asCall(await transport.request({ method: 'POST', path: callPath(callSid), form: 'Status=completed' }));
}

/** Every call matching the filters, through every page. */
export async function listCalls(transport: Transport, filter: unknown = {}, paging?: PagingOptions): Promise<Call[]> {
  const checked = validateCallFilter(filter);
  const query = new URLSearchParams();
  if (checked.to !== undefined) query.set('To', checked.to);
  if (checked.from !== undefined) query.set('From', checked.from);
  if (checked.status !== undefined) query.set('Status', checked.status);
  return listAll(transport, { method: 'GET', path: '/Calls', query }, 'calls', isCall, paging);
}

/**
 * Checks and normalizes what to create: `to` an E.164 number or a `sip:` address, `from` an E.164 number, URLs
 * absolute http(s) (percent-encoded where that is unambiguous), methods GET or POST in any case, `timeout` whole
 * seconds from 1 to 600, `statusCallbackEvents` from initiated, ringing, answered, completed (default all four
 * when `statusCallback` is set). Every problem is reported at once, naming the field.
 */
export function validateCreateCall(input: unknown): CreateCallOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError(`call options must be an object (got ${describeValue(input)})`);
  }
  const source = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(source)) {
    if (!CREATE_NAMES.includes(key)) {
      problems.push(`${JSON.stringify(key)} is not a call option (expected ${CREATE_NAMES.join(', ')})`);
    }
  }
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : undefined);
  const to = text(source.to);
  if (to === undefined || !(E164.test(to) || SIP.test(to))) {
    problems.push(
      `to must be a phone number in E.164 (+15551230001) or a sip: address (got ${describeValue(source.to)})`,
    );
  }
  const from = text(source.from);
  if (from === undefined || !E164.test(from)) {
    problems.push(`from must be one of your numbers in E.164, like +15550100100 (got ${describeValue(source.from)})`);
  }
  const url = readUrl('url', source.url, problems, true);
  const statusCallback = readUrl('statusCallback', source.statusCallback, problems, false);
  const method = readMethod('method', source.method, problems);
  const statusCallbackMethod = readMethod('statusCallbackMethod', source.statusCallbackMethod, problems);
  let timeout: number | undefined;
  if (source.timeout !== undefined) {
    const n =
      typeof source.timeout === 'string' && source.timeout.trim() !== '' ? Number(source.timeout) : source.timeout;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 600) timeout = n;
    else problems.push(`timeout must be whole seconds from 1 to 600 (got ${describeValue(source.timeout)})`);
  }
  let events: CallProgressEvent[] | undefined;
  if (source.statusCallbackEvents !== undefined) {
    const list = source.statusCallbackEvents;
    if (Array.isArray(list) && list.length > 0 && list.every((e) => EVENTS.includes(e as CallProgressEvent))) {
      events = [...new Set(list as CallProgressEvent[])];
    } else {
      problems.push(`statusCallbackEvents must be a list from ${EVENTS.join(', ')} (got ${describeValue(list)})`);
    }
  }
  if (problems.length > 0) throw validationError(problems.join('; '));
  const options: CreateCallOptions = { to: to!, from: from!, url: url! };
  if (method !== undefined) options.method = method;
  if (statusCallback !== undefined) {
    options.statusCallback = statusCallback;
    if (statusCallbackMethod !== undefined) options.statusCallbackMethod = statusCallbackMethod;
    options.statusCallbackEvents = events ?? [...EVENTS];
  }
  if (timeout !== undefined) options.timeout = timeout;
  return options;
}

/** The form of "Create a Call"; the events as the field repeated, the spec's form of a list. */
export function createCallForm(options: CreateCallOptions): string {
  const form = new URLSearchParams({ To: options.to, From: options.from, Url: options.url });
  if (options.method) form.set('Method', options.method);
  if (options.statusCallback) {
    form.set('StatusCallback', options.statusCallback);
    if (options.statusCallbackMethod) form.set('StatusCallbackMethod', options.statusCallbackMethod);
    for (const event of options.statusCallbackEvents ?? EVENTS) form.append('StatusCallbackEvent', event);
  }
  if (options.timeout !== undefined) form.set('Timeout', String(options.timeout));
  return form.toString();
}

export function validateCallFilter(input: unknown): CallFilter {
  const reading = readFilter(input, 'call', ['to', 'from', 'status']);
  if (!reading) return {};
  const { source, problems } = reading;
  const filter: CallFilter = {};
  for (const name of ['to', 'from'] as const) {
    const value = source[name];
    if (value === undefined) continue;
    if (typeof value === 'string' && value.trim() !== '') filter[name] = value.trim();
    else problems.push(`${name} must be a number or address to filter by (got ${describeValue(value)})`);
  }
  if (source.status !== undefined) {
    if (CALL_STATUSES.includes(source.status as CallStatus)) filter.status = source.status as CallStatus;
    else problems.push(`status must be one of ${CALL_STATUSES.join(', ')} (got ${describeValue(source.status)})`);
  }
  return checkedFilter(filter, problems);
}

export function isCall(body: unknown): body is Call {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return typeof record.sid === 'string' && typeof record.status === 'string' && typeof record.to === 'string';
}

/** A call SID checked before it goes into a path: a UUID, so `../` and the like never reach the URL. */
function callPath(callSid: unknown): string {
  if (!isUuid(callSid)) throw validationError(`callSid must be a call SID, a UUID (got ${describeValue(callSid)})`);
  return `/Calls/${callSid}`;
}

function readUrl(name: string, value: unknown, problems: string[], required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  const url = typeof value === 'string' ? toHttpUri(value.trim()) : undefined;
  if (url === undefined) problems.push(`${name} must be an absolute http or https URL (got ${describeValue(value)})`);
  return url;
}

function readMethod(name: string, value: unknown, problems: string[]): HttpMethod | undefined {
  if (value === undefined) return undefined;
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (upper === 'GET' || upper === 'POST') return upper;
  problems.push(`${name} must be GET or POST (got ${describeValue(value)})`);
  return undefined;
}

function asCall({ status, data }: ApiResponse): Call {
  if (isCall(data)) return data;
  throw new SignalWireError(`SignalWire answered HTTP ${status} but the body is not a call`, 'api', { status });
}
