import { describeValue } from '../values/describe-value';
import { SignalWireError, validationError } from '../transport/errors';
import { listAll, type PagingOptions } from '../transport/paging';
import { conferencePath } from './conferences';
import { isParticipant } from './participant-response';
import type { ApiResponse, Transport } from '../transport/transport';
import type { ConferenceParticipant, ParticipantFilter, RemoveResult, UpdateResult } from '../types';
import { startsAnAction } from './update-actions';
import { toBoolean, toFormBody, validateUpdateOptions } from './update-options';
import { isUuid } from '../values/uuid';
import { checkedFilter, readFilter } from './list-filter';

/**
 * Conference participants ("Participants" in the Compatibility API): update, list, retrieve, remove. Updating
 * all of them at once is update-everyone.ts. Every input is checked before anything is sent.
 */

/**
 * "Update a Participant": POST the options that are set. A bad SID or option rejects with a validation error
 * and sends nothing. An update that starts an action (an announcement) is not retried once it may have been
 * processed (see update-actions.ts).
 */
export async function updateParticipant(
  transport: Transport,
  conferenceSid: unknown,
  callSid: unknown,
  options: unknown,
): Promise<UpdateResult> {
  const path = participantPath(conferenceSid, callSid);
  const checked = validateUpdateOptions(options);
  const response = await transport.request({
    method: 'POST',
    path,
    form: toFormBody(checked),
    action: startsAnAction(checked),
  });
  return { participant: asParticipant(response), statusCode: response.status };
}

/**
 * Every participant of a conference, through every page, each once, optionally only the muted (or not) and held
 * (or not). Pages that shift while they are read (someone joining ahead) can list someone twice: the first copy
 * is kept.
 */
export async function listParticipants(
  transport: Transport,
  conferenceSid: unknown,
  filter: unknown = {},
  paging?: PagingOptions,
): Promise<ConferenceParticipant[]> {
  const path = participantsPath(conferenceSid);
  const checked = validateParticipantFilter(filter);
  const query = new URLSearchParams();
  if (checked.muted !== undefined) query.set('Muted', String(checked.muted));
  if (checked.hold !== undefined) query.set('Hold', String(checked.hold));
  const listed = await listAll(transport, { method: 'GET', path, query }, 'participants', isParticipant, paging);
  const seen = new Set<string>();
  return listed.filter((participant) => !seen.has(participant.call_sid) && seen.add(participant.call_sid));
}

/** One participant ("Retrieve a Participant"). */
export async function retrieveParticipant(
  transport: Transport,
  conferenceSid: unknown,
  callSid: unknown,
): Promise<ConferenceParticipant> {
  return (await getParticipant(transport, conferenceSid, callSid)).participant;
}

/** One participant with the status code it came with, the shape an update answers in. */
export async function getParticipant(
  transport: Transport,
  conferenceSid: unknown,
  callSid: unknown,
): Promise<UpdateResult> {
  const response = await transport.request({ method: 'GET', path: participantPath(conferenceSid, callSid) });
  return { participant: asParticipant(response), statusCode: response.status };
}

/**
 * Takes a participant out of the conference (hangs up their leg): `DELETE`, answered 204 with no body. When the
 * answer to an attempt was lost and the retry is answered 404, the first attempt removed them: that is a success
 * (status code 404, as the last answer said). A 404 without a lost answer is an error: they were not there.
 */
export async function removeParticipant(
  transport: Transport,
  conferenceSid: unknown,
  callSid: unknown,
): Promise<RemoveResult> {
  const path = participantPath(conferenceSid, callSid);
  const removed = (statusCode: number): RemoveResult => ({
    conferenceSid: conferenceSid as string,
    callSid: callSid as string,
    removed: true,
    statusCode,
  });
  const attempts = { answerLost: false };
  try {
    const { status } = await transport.request({ method: 'DELETE', path, attempts });
    return removed(status);
  } catch (error) {
    if (attempts.answerLost && error instanceof SignalWireError && error.status === 404) return removed(404);
    throw error;
  }
}

/**
 * Checks list filters: `muted` and `hold` as `true`/`false` (or those strings, as messages often carry them);
 * undefined means no filter.
 */
export function validateParticipantFilter(input: unknown): ParticipantFilter {
  const reading = readFilter(input, 'participant', ['muted', 'hold']);
  if (!reading) return {};
  const { source, problems } = reading;
  const filter: ParticipantFilter = {};
  for (const name of ['muted', 'hold'] as const) {
    const value = source[name];
    if (value === undefined) continue;
    const flag = toBoolean(value);
    if (flag !== undefined) filter[name] = flag;
    else problems.push(`${name} must be true or false to filter by it (got ${describeValue(value)})`);
  }
  return checkedFilter(filter, problems);
}

export function participantsPath(conferenceSid: unknown): string {
  return `${conferencePath(conferenceSid)}/Participants`;
}

function participantPath(conferenceSid: unknown, callSid: unknown): string {
  const base = participantsPath(conferenceSid);
  if (!isUuid(callSid)) throw validationError(`callSid must be a call SID, a UUID (got ${describeValue(callSid)})`);
  return `${base}/${callSid}`;
}

function asParticipant({ status, data }: ApiResponse): ConferenceParticipant {
  if (isParticipant(data)) return data;
  throw new SignalWireError(
    `SignalWire answered HTTP ${status} but the body is not a participant` +
      (typeof data === 'string' ? ' (not complete JSON)' : ''),
    'api',
    { status },
  );
}
