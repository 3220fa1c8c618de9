/**
 * Reads the forms of "Create a Call" (`CreateCallRequest`) and "Update a Call" (`UpdateCallRequest`) as the API
 * checks them: closed (a field the spec does not define is refused), every value of its schema's form, or 400.
 * Fields the emulator does not act on (machine detection, recording…) are checked, then left aside.
 */
import type { HttpMethod } from '../lib/types';
import { isHttpUri } from '../lib/values/uri';
import { ApiError, ErrorCode, invalidParameter } from './api-error';
import { isDialable, isE164 } from './phone-numbers';
import { isUuid } from './uuid';

/** The events a call's `StatusCallbackEvent` may ask for. */
export const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type CallEvent = (typeof CALL_EVENTS)[number];

export interface CreateCall {
  to: string;
  from: string;
  url?: string;
  method: HttpMethod;
  applicationSid?: string;
  fallbackUrl?: string;
  fallbackMethod: HttpMethod;
  statusCallback?: string;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvent: CallEvent[];
  /** Seconds to ring before giving up. */
  timeout: number;
}

export interface UpdateCall {
  url?: string;
  method?: HttpMethod;
  status?: 'canceled' | 'completed';
  fallbackUrl?: string;
  fallbackMethod?: HttpMethod;
  statusCallback?: string;
  statusCallbackMethod?: HttpMethod;
}

type Check = (name: string, value: string) => void;

const uri: Check = (name, value) => {
  if (!isHttpUri(value)) {
    throw new ApiError(400, ErrorCode.urlInvalid, `\`${name}\` must be an absolute http or https URI`);
  }
};
const method: Check = (name, value) => {
  if (value !== 'GET' && value !== 'POST') {
    throw new ApiError(400, ErrorCode.callMethod, `\`${name}\` must be GET or POST, got ${JSON.stringify(value)}`);
  }
};
const oneOf =
  (...allowed: string[]): Check =>
  (name, value) => {
    if (!allowed.includes(value)) throw invalidParameter(name, `must be one of ${allowed.join(', ')}`);
  };
const whole =
  (min: number, max: number, code: number = ErrorCode.invalidParameter): Check =>
  (name, value) => {
    if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ApiError(400, code, `Invalid parameter \`${name}\`: must be a whole number from ${min} to ${max}`);
    }
  };
const bool: Check = (name, value) => {
  if (value !== 'true' && value !== 'false') throw invalidParameter(name, 'must be true or false');
};
const pattern =
  (re: RegExp): Check =>
  (name, value) => {
    if (!re.test(value)) throw invalidParameter(name, `must match ${re.source}`);
  };
const text: Check = () => undefined;
const uuid: Check = (name, value) => {
  if (!isUuid(value)) throw invalidParameter(name, 'must be a UUID');
};
const events: Check = (name, value) => {
  for (const word of value.split(' ').filter(Boolean)) {
    if (!(CALL_EVENTS as readonly string[]).includes(word)) {
      throw invalidParameter(name, `words are ${CALL_EVENTS.join(', ')}; got ${JSON.stringify(word)}`);
    }
  }
};

/** `CreateCallRequest`'s fields, each with the check of its schema. */
const CREATE_FIELDS: Record<string, Check> = {
  To: text,
  From: text,
  Url: uri,
  ApplicationSid: uuid,
  Method: method,
  FallbackUrl: uri,
  FallbackMethod: method,
  StatusCallback: uri,
  StatusCallbackMethod: method,
  StatusCallbackEvent: events,
  CallerId: text,
  SendDigits: pattern(/^[\d#*wW]{1,32}$/),
  Timeout: whole(1, 600, ErrorCode.callTimeout),
  MachineDetection: oneOf('Enable', 'DetectMessageEnd', 'none'),
  MachineDetectionTimeout: whole(1, 120),
  MachineDetectionSpeechThreshold: whole(1000, 6000),
  MachineDetectionSpeechEndThreshold: whole(500, 5000),
  MachineDetectionSilenceTimeout: whole(2000, 10000),
  MachineWordsThreshold: whole(1, 100),
  AsyncAmd: bool,
  AsyncAmdStatusCallbackMethod: method,
  AsyncAmdStatusCallback: uri,
  AsyncAmdPartialResults: bool,
  Record: bool,
  RecordingChannels: oneOf('mono', 'dual'),
  RecordingTrack: oneOf('inbound', 'outbound', 'both'),
  RecordingStatusCallback: uri,
  RecordingStatusCallbackMethod: method,
  RecordingStatusCallbackEvent: text,
  Trim: oneOf('trim-silence', 'do-not-trim'),
  SipAuthUsername: text,
  SipAuthPassword: text,
  MaxPricePerMinute: pattern(/^\d+\.?\d{0,4}$/),
};

const UPDATE_FIELDS: Record<string, Check> = {
  Url: uri,
  Method: method,
  Status: oneOf('canceled', 'completed'),
  FallbackUrl: uri,
  FallbackMethod: method,
  StatusCallback: uri,
  StatusCallbackMethod: method,
};

/** The one field the spec types as an array, sent as the name repeated. */
const REPEATABLE = new Set(['StatusCallbackEvent']);

export function parseCreateCall(form: URLSearchParams): CreateCall {
  const fields = readFields(form, CREATE_FIELDS);
  const one = (name: string): string | undefined => fields[name] as string | undefined;
  const to = one('To');
  if (to === undefined || !isDialable(to)) {
    throw new ApiError(
      400,
      ErrorCode.callToInvalid,
      to === undefined ? '`To` is required' : '`To` must be an E.164 number (+15550100100) or a sip: address',
    );
  }
  const from = one('From');
  if (from === undefined) throw new ApiError(400, ErrorCode.callFromMissing, '`From` is required');
  if (!isE164(from)) throw new ApiError(400, ErrorCode.callFromInvalid, '`From` must be an E.164 number');
  const url = one('Url');
  const applicationSid = one('ApplicationSid');
  if (url === undefined && applicationSid === undefined) {
    throw new ApiError(400, ErrorCode.callUrlMissing, 'A call needs `Url` (or `ApplicationSid`)');
  }
  const eventValues = fields.StatusCallbackEvent;
  const words = (Array.isArray(eventValues) ? eventValues : eventValues === undefined ? ['completed'] : [eventValues])
    .flatMap((value) => value.split(' '))
    .filter(Boolean);
  return {
    to,
    from,
    ...(url === undefined ? {} : { url }),
    method: (one('Method') as HttpMethod | undefined) ?? 'POST',
    ...(applicationSid === undefined ? {} : { applicationSid }),
    ...(one('FallbackUrl') === undefined ? {} : { fallbackUrl: one('FallbackUrl') }),
    fallbackMethod: (one('FallbackMethod') as HttpMethod | undefined) ?? 'POST',
    ...(one('StatusCallback') === undefined ? {} : { statusCallback: one('StatusCallback') }),
    statusCallbackMethod: (one('StatusCallbackMethod') as HttpMethod | undefined) ?? 'POST',
    statusCallbackEvent: [...new Set(words)] as CallEvent[],
    timeout: one('Timeout') === undefined ? 60 : Number(one('Timeout')),
  };
}

export function parseUpdateCall(form: URLSearchParams): UpdateCall {
  const fields = readFields(form, UPDATE_FIELDS) as Record<string, string>;
  const update: UpdateCall = {};
  if (fields.Url !== undefined) update.url = fields.Url;
  if (fields.Method !== undefined) update.method = fields.Method as HttpMethod;
  if (fields.Status !== undefined) update.status = fields.Status as UpdateCall['status'];
  if (fields.FallbackUrl !== undefined) update.fallbackUrl = fields.FallbackUrl;
  if (fields.FallbackMethod !== undefined) update.fallbackMethod = fields.FallbackMethod as HttpMethod;
  if (fields.StatusCallback !== undefined) update.statusCallback = fields.StatusCallback;
  if (fields.StatusCallbackMethod !== undefined)
    update.statusCallbackMethod = fields.StatusCallbackMethod as HttpMethod;
  return update;
}

/** Every field checked against the table; a name the table lacks, or a name sent twice that is no list, is a 400. */
function readFields(form: URLSearchParams, table: Record<string, Check>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of form) {
    const check = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!check) {
      throw invalidParameter(name, `is not a parameter of this request (expected ${Object.keys(table).join(', ')})`);
    }
    check(name, value);
    const before = out[name];
    if (before === undefined) out[name] = REPEATABLE.has(name) ? [value] : value;
    else if (Array.isArray(before)) before.push(value);
    else throw invalidParameter(name, 'is given more than once');
  }
  return out;
}
