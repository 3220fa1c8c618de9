/**
 * A conference status callback (the form SignalWire posts to `statusCallback`) read into the message a flow gets.
 */
import { firstValue, readForm, type FormParams } from './form-params';
import type { FormField } from './webhook-signature';

/** Every `StatusCallbackEvent` SignalWire documents, then the ones only Twilio documents (accepted when they come). */
export const CONFERENCE_EVENTS = [
  'conference-start',
  'conference-end',
  'participant-join',
  'participant-leave',
  'participant-mute',
  'participant-unmute',
  'participant-hold',
  'participant-unhold',
  'participant-speech-start',
  'participant-speech-stop',
  'participant-modify',
  'announcement-end',
  'announcement-fail',
] as const;

/** What `msg.payload` holds. Fields the callback did not carry (or carried empty) are left out, never null. */
export interface ConferenceEvent {
  event: string;
  conferenceSid: string;
  friendlyName?: string;
  callSid?: string;
  muted?: boolean;
  hold?: boolean;
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  /** As sent (RFC 2822). */
  timestamp?: string;
  sequenceNumber?: number;
  /** Every field exactly as received, empty ones too; a repeated name holds its values in order. */
  params: FormParams;
}

export type EventReading =
  | { ok: true; event: ConferenceEvent }
  | { ok: false; problem: 'missing'; fields: string[] }
  | { ok: false; problem: 'unsafe-key'; fields: string[] };

export function isParticipantEvent(event: string): boolean {
  return event.startsWith('participant-');
}

export function readConferenceEvent(fields: readonly FormField[]): EventReading {
  const form = readForm(fields);
  if (!form.ok) return form;
  const { params } = form;
  const text = (name: string) => firstValue(params, name);

  const event = text('StatusCallbackEvent');
  const conferenceSid = text('ConferenceSid');
  const missing = [...(conferenceSid ? [] : ['ConferenceSid']), ...(event ? [] : ['StatusCallbackEvent'])];
  if (!event || !conferenceSid) return { ok: false, problem: 'missing', fields: missing };

  const out: ConferenceEvent = { event, conferenceSid, params };
  const set = <K extends keyof ConferenceEvent>(key: K, value: ConferenceEvent[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('friendlyName', text('FriendlyName'));
  set('callSid', text('CallSid'));
  set('muted', bool(text('Muted')));
  set('hold', bool(text('Hold')));
  set('startConferenceOnEnter', bool(text('StartConferenceOnEnter')));
  set('endConferenceOnExit', bool(text('EndConferenceOnExit')));
  set('timestamp', text('Timestamp'));
  const sequence = text('SequenceNumber');
  set('sequenceNumber', sequence !== undefined && /^\d{1,15}$/.test(sequence) ? Number(sequence) : undefined);
  return { ok: true, event: out };
}

/** "true" / "false" as booleans (any case); anything else is not a boolean and is left out (it stays in params). */
function bool(value: string | undefined): boolean | undefined {
  const lower = value?.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
