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
