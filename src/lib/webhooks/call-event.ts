/**
 * A call's own status callback (what SignalWire posts to the StatusCallback given when the call was created:
 * `VoiceStatusCallbackPayload`) read into the message a flow gets. It names no conference and no event: the
 * event is the call's status, one message per status.
 */
import { firstValue, readForm, type FormParams } from './form-params';
import type { FormField } from './webhook-signature';

/** The event each `CallStatus` is reported as (msg.topic). */
const EVENT_OF_STATUS: Record<string, string> = {
  queued: 'call-initiated',
  initiated: 'call-initiated',
  ringing: 'call-ringing',
  'in-progress': 'call-answered',
  completed: 'call-completed',
  busy: 'call-busy',
  'no-answer': 'call-no-answer',
  failed: 'call-failed',
  canceled: 'call-canceled',
};

/** Every event a call reports, in the order a call goes through them. */
export const CALL_EVENTS = [
  'call-initiated',
  'call-ringing',
  'call-answered',
  'call-completed',
  'call-busy',
  'call-no-answer',
  'call-failed',
  'call-canceled',
] as const;

/** What `msg.payload` holds. Fields the callback did not carry (or carried empty) are left out, never null. */
export interface CallEvent {
  /** `call-ringing`, `call-answered`, `call-no-answer`... */
  event: string;
  callSid: string;
  /** As sent: `ringing`, `in-progress`, `no-answer`... */
  callStatus: string;
  from?: string;
  to?: string;
  /** `outbound-api`, `inbound`... */
  direction?: string;
  /** Seconds the call lasted, on the last event. */
  duration?: number;
  sipResultCode?: string;
  /** As sent (RFC 2822). */
  timestamp?: string;
  sequenceNumber?: number;
  /** Every field exactly as received, empty ones too; a repeated name holds its values in order. */
  params: FormParams;
}

export type CallEventReading =
  | { ok: true; event: CallEvent }
  | { ok: false; problem: 'missing'; fields: string[] }
  | { ok: false; problem: 'unsafe-key'; fields: string[] };

/** Whether the fields are a call's status callback rather than a conference's: no conference, a call status. */
export function isCallCallback(fields: readonly FormField[]): boolean {
  const given = (name: string) => fields.some(([key, value]) => key === name && value !== '');
  return !given('ConferenceSid') && !given('StatusCallbackEvent') && given('CallStatus');
}

export function isCallEvent(event: string): boolean {
  return event.startsWith('call-');
}

export function readCallEvent(fields: readonly FormField[]): CallEventReading {
  const form = readForm(fields);
  if (!form.ok) return form;
  const { params } = form;
  const text = (name: string) => firstValue(params, name);
  const callSid = text('CallSid');
  const callStatus = text('CallStatus');
  // A status SignalWire may add later is passed on under its own name, when it is a plain word.
  const event = callStatus === undefined ? undefined : eventOf(callStatus);
  const missing = [...(callSid ? [] : ['CallSid']), ...(event ? [] : ['CallStatus'])];
  if (!callSid || !callStatus || !event) return { ok: false, problem: 'missing', fields: missing };

  const out: CallEvent = { event, callSid, callStatus, params };
  const set = <K extends keyof CallEvent>(key: K, value: CallEvent[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('from', text('From'));
  set('to', text('To'));
  set('direction', text('Direction'));
  set('duration', whole(text('CallDuration')));
  set('sipResultCode', text('SipResultCode'));
  set('timestamp', text('Timestamp'));
  set('sequenceNumber', whole(text('SequenceNumber')));
  return { ok: true, event: out };
}

function eventOf(status: string): string | undefined {
  if (Object.hasOwn(EVENT_OF_STATUS, status)) return EVENT_OF_STATUS[status];
  return /^[a-z]+(-[a-z]+)*$/.test(status) && status.length <= 40 ? `call-${status}` : undefined;
}

function whole(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
