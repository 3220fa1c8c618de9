/**
 * An incoming call as SignalWire announces it: the signed request it makes to a number's voice URL, carrying the
 * standard call parameters (`CallSid`, `From`, `To`, `CallStatus`, `Direction`…), read into what a flow gets.
 */
import { firstValue, readForm, sentAsForm, type FormParams } from './form-params';
import type { AdmittedRequest } from './signed-request-gate';

/** What `msg.payload` holds. */
export interface IncomingCall {
  from: string;
  to: string;
  callSid: string;
  /** Left out when the request did not say (SignalWire sends `ringing`). */
  callStatus?: string;
  /** Every field exactly as received, as strings; a repeated name holds its values in order. */
  params: FormParams;
}

export type IncomingCallReading =
  { ok: true; call: IncomingCall } | { ok: false; problem: 'missing' | 'unsafe-key' | 'not-form'; fields: string[] };

const REQUIRED = ['CallSid', 'From', 'To'] as const;

export function readIncomingCall(
  request: AdmittedRequest & { headers: Record<string, string | string[] | undefined> },
): IncomingCallReading {
  if (!sentAsForm(request)) return { ok: false, problem: 'not-form', fields: [] };
  const form = readForm(request.fields);
  if (!form.ok) return form;
  const { params } = form;
  const missing = REQUIRED.filter((name) => firstValue(params, name) === undefined);
  if (missing.length > 0) return { ok: false, problem: 'missing', fields: missing };
  const callStatus = firstValue(params, 'CallStatus');
  const call: IncomingCall = {
    from: firstValue(params, 'From')!,
    to: firstValue(params, 'To')!,
    callSid: firstValue(params, 'CallSid')!,
    ...(callStatus === undefined ? {} : { callStatus }),
    params,
  };
  return { ok: true, call };
}
