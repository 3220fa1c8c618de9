/**
 * What a conference events node makes of a request the signed request gate admitted: 204 for a status callback
 * of a conference, or of a call that reports to it (passed on, or filtered out), 400 for anything else.
 */
import { isCallCallback, readCallEvent, type CallEvent } from './call-event';
import { readConferenceEvent, type ConferenceEvent } from './conference-event';
import { sentAsForm } from './form-params';
import type { AdmittedRequest } from './signed-request-gate';

export type CallbackOutcome =
  | { status: 204; event: ConferenceEvent | CallEvent; passOn: boolean }
  | { status: 400; problem: 'missing' | 'unsafe-key' | 'not-form'; fields: string[] };

export function judgeCallback(
  request: AdmittedRequest & { headers: Record<string, string | string[] | undefined> },
  /** Events passed on; empty means all. */
  events: readonly string[],
): CallbackOutcome {
  if (!sentAsForm(request)) return { status: 400, problem: 'not-form', fields: [] };
  const reading = isCallCallback(request.fields) ? readCallEvent(request.fields) : readConferenceEvent(request.fields);
  if (!reading.ok) return { status: 400, problem: reading.problem, fields: reading.fields };
  const passOn = events.length === 0 || events.includes(reading.event.event);
  return { status: 204, event: reading.event, passOn };
}
