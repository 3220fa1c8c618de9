/**
 * A conference status callback (the form SignalWire posts to `statusCallback`) read into the message a flow gets.
 */
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
  params: Record<string, string | string[]>;
}

export type EventReading =
  | { ok: true; event: ConferenceEvent }
  | { ok: false; problem: 'missing'; fields: string[] }
  | { ok: false; problem: 'unsafe-key'; fields: string[] };

/** Names that would rewrite an object's prototype further down a flow; SignalWire never sends them. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export function isParticipantEvent(event: string): boolean {
  return event.startsWith('participant-');
}

export function readConferenceEvent(fields: readonly FormField[]): EventReading {
  const form = readForm(fields);
  if (!form.ok) return form;
  const { params, text } = form;

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

/** A callback's fields, refused when a name could rewrite an object's prototype further down a flow. */
export type FormReading =
  | {
      ok: true;
      /** Every field exactly as received, a repeated name holding its values in order. */
      params: Record<string, string | string[]>;
      /** The first value of a field, when it is there and not empty. */
      text(name: string): string | undefined;
    }
  | { ok: false; problem: 'unsafe-key'; fields: string[] };

export function readForm(fields: readonly FormField[]): FormReading {
  const unsafe = fields.filter(([name]) => UNSAFE_NAMES.has(name)).map(([name]) => name);
  if (unsafe.length > 0) return { ok: false, problem: 'unsafe-key', fields: unsafe };

  const params: Record<string, string | string[]> = {};
  for (const [name, value] of fields) {
    // Own properties only: a field named `toString` is a string here, never Object's method. A repeat appends
    // in place, so many repeats of one name cost no more than many names.
    const before = Object.hasOwn(params, name) ? params[name] : undefined;
    if (before === undefined) params[name] = value;
    else if (Array.isArray(before)) before.push(value);
    else params[name] = [before, value];
  }
  const text = (name: string): string | undefined => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined || first === '' ? undefined : first;
  };
  return { ok: true, params, text };
}

/** "true" / "false" as booleans (any case); anything else is not a boolean and is left out (it stays in params). */
function bool(value: string | undefined): boolean | undefined {
  const lower = value?.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
