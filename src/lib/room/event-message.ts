import { isCallEvent, type CallEvent } from '../webhooks/call-event';
import type { ConferenceEvent } from '../webhooks/conference-event';

/**
 * The conference event a message carries in `payload`, as the conference events node sends it; undefined when
 * the payload is something else.
 */
export function conferenceEventOf(payload: unknown): ConferenceEvent | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const event = payload as Partial<ConferenceEvent>;
  if (typeof event.event !== 'string' || typeof event.conferenceSid !== 'string') return undefined;
  const params = event.params !== null && typeof event.params === 'object' ? event.params : {};
  return { ...event, params } as ConferenceEvent;
}

/**
 * A call's own progress as the conference events node sends it in `payload` (`call-ringing`...: it names no
 * conference); undefined when the payload is something else.
 */
export function callEventOf(payload: unknown): CallEvent | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const event = payload as Partial<CallEvent>;
  if (typeof event.event !== 'string' || !isCallEvent(event.event)) return undefined;
  if (typeof event.callSid !== 'string' || typeof event.callStatus !== 'string') return undefined;
  return event as CallEvent;
}
