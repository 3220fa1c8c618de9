import type { ConferenceParticipant } from '../types';

/**
 * Whether a 200 body really is a participant. axios passes truncated or non-JSON bodies through as strings,
 * and a misrouted proxy can answer 200 with anything: those must not be reported as a successful update.
 */
export function isParticipant(body: unknown): body is ConferenceParticipant {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return (
    typeof record.call_sid === 'string' &&
    typeof record.conference_sid === 'string' &&
    typeof record.muted === 'boolean' &&
    typeof record.hold === 'boolean'
  );
}
