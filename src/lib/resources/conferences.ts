import { describeValue } from '../values/describe-value';
import { SignalWireError, validationError } from '../transport/errors';
import { listAll, type PagingOptions } from '../transport/paging';
import type { ApiResponse, Transport } from '../transport/transport';
import type { AnnounceOptions, Conference, ConferenceFilter, ConferenceStatus } from '../types';
import { toFormBody, validateUpdateOptions } from './update-options';
import { isUuid } from '../values/uuid';
import { checkedFilter, readFilter } from './list-filter';

/**
 * Conferences ("Conferences" in the Compatibility API): list, find the live one by name, retrieve, end,
 * announce. There is no create: a conference exists once someone dials into it. Every input is checked before
 * anything is sent.
 */

const STATUSES: readonly ConferenceStatus[] = ['init', 'in-progress', 'completed'];
const MAX_FRIENDLY_NAME = 64;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Each filter with its query key: the `<` and `>` are part of the API's key (and are encoded on the wire). */
const DATE_FILTERS = [
  ['dateCreated', 'DateCreated'],
  ['dateCreatedBefore', 'DateCreated<'],
  ['dateCreatedAfter', 'DateCreated>'],
  ['dateUpdated', 'DateUpdated'],
  ['dateUpdatedBefore', 'DateUpdated<'],
  ['dateUpdatedAfter', 'DateUpdated>'],
] as const;
const FILTER_NAMES = ['friendlyName', 'status', ...DATE_FILTERS.map(([name]) => name)];

/** Every conference matching the filters, through every page. */
export async function listConferences(
  transport: Transport,
  filter: unknown = {},
  paging?: PagingOptions,
): Promise<Conference[]> {
  const checked = validateConferenceFilter(filter);
  const query = new URLSearchParams();
  if (checked.friendlyName !== undefined) query.set('FriendlyName', checked.friendlyName);
  if (checked.status !== undefined) query.set('Status', checked.status);
  for (const [name, key] of DATE_FILTERS) {
    const value = checked[name];
    if (value !== undefined) query.set(key, value);
  }
  return listAll(transport, { method: 'GET', path: '/Conferences', query }, 'conferences', isConference, paging);
}

/**
 * The conference in progress with this friendly name. Several conferences can share a name over time, but only
 * one is in progress at once; if the API lists more, the most recently created wins. None: an error with
 * status 404 (code 20404), like any resource that is not there.
 */
export async function findConference(transport: Transport, friendlyName: unknown): Promise<Conference> {
  const name = checkFriendlyName(friendlyName);
  const live = await listConferences(transport, { friendlyName: name, status: 'in-progress' });
  // The filter is the server's job; checking again costs nothing and guards against one that ignores it.
  const matching = live.filter((c) => c.friendly_name === name && c.status === 'in-progress');
  if (matching.length === 0) {
    throw new SignalWireError(`No conference named ${JSON.stringify(name)} is in progress`, 'api', {
      status: 404,
      code: 20404,
    });
  }
  return matching.reduce((latest, c) => (Date.parse(c.date_created) > Date.parse(latest.date_created) ? c : latest));
}

/** One conference ("Retrieve a Conference"). */
export async function retrieveConference(transport: Transport, conferenceSid: unknown): Promise<Conference> {
  return asConference(await transport.request({ method: 'GET', path: conferencePath(conferenceSid) }));
}

/**
 * Ends the conference (`Status=completed`): everyone in it is removed. When the answer to an attempt was lost and
 * the retry is refused because the conference has completed, the first attempt may have ended it: the conference
 * is retrieved, and returned when it has completed. Without a lost answer, that refusal is an error.
 */
export async function endConference(transport: Transport, conferenceSid: unknown): Promise<Conference> {
  const path = conferencePath(conferenceSid);
  const attempts = { answerLost: false };
  try {
    return asConference(await transport.request({ method: 'POST', path, form: 'Status=completed', attempts }));
  } catch (error) {
    if (!attempts.answerLost || !refusedAsCompleted(error)) throw error;
    const conference = await retrieveConference(transport, conferenceSid);
    if (conference.status === 'completed') return conference;
    throw error;
  }
}

/** SignalWire's refusal to change a conference that has completed: 400 or 422, code 10000 or saying so. */
function refusedAsCompleted(error: unknown): boolean {
  if (!(error instanceof SignalWireError) || (error.status !== 400 && error.status !== 422)) return false;
  return error.code === 10000 || /completed/i.test(error.message);
}

/** Plays audio or cXML (`announceUrl`) to everyone in the conference. */
export async function announceToConference(
  transport: Transport,
  conferenceSid: unknown,
  announcement: unknown,
): Promise<Conference> {
  const path = conferencePath(conferenceSid);
  const form = announceForm(announcement);
  // Announcing is an action: repeated, it plays twice.
  return asConference(await transport.request({ method: 'POST', path, form, action: true }));
}

/** The form of an announcement, checked like the same fields of a participant update. */
function announceForm(input: unknown): string {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError(`the announcement must be an object with announceUrl (got ${describeValue(input)})`);
  }
  const { announceUrl, announceMethod, ...rest } = input as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw validationError(
      `${JSON.stringify(extra[0])} is not part of an announcement (expected announceUrl, announceMethod)`,
    );
  }
  if (announceUrl === undefined) throw validationError('announceUrl is missing: the audio or cXML to play');
  const options: Record<string, unknown> = { announceUrl };
  if (announceMethod !== undefined) options.announceMethod = announceMethod;
  return toFormBody(validateUpdateOptions(options) satisfies Partial<AnnounceOptions>);
}

/** Checks conference list filters; one left undefined is not sent. */
export function validateConferenceFilter(input: unknown): ConferenceFilter {
  const reading = readFilter(input, 'conference', FILTER_NAMES);
  if (!reading) return {};
  const { source, problems } = reading;
  const filter: ConferenceFilter = {};
  if (source.friendlyName !== undefined) {
    try {
      filter.friendlyName = checkFriendlyName(source.friendlyName);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (source.status !== undefined) {
    if (STATUSES.includes(source.status as ConferenceStatus)) filter.status = source.status as ConferenceStatus;
    else problems.push(`status must be one of ${STATUSES.join(', ')} (got ${describeValue(source.status)})`);
  }
  for (const [name] of DATE_FILTERS) {
    const value = source[name];
    if (value === undefined) continue;
    if (typeof value === 'string' && isDate(value)) filter[name] = value;
    else problems.push(`${name} must be a date written YYYY-MM-DD (got ${describeValue(value)})`);
  }
  return checkedFilter(filter, problems);
}

export function isConference(body: unknown): body is Conference {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return (
    typeof record.sid === 'string' && typeof record.friendly_name === 'string' && typeof record.status === 'string'
  );
}

function checkFriendlyName(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) {
    throw validationError(`friendlyName must be the conference's name, a non-empty text (got ${describeValue(value)})`);
  }
  if (value.length > MAX_FRIENDLY_NAME) {
    throw validationError(`friendlyName is at most ${MAX_FRIENDLY_NAME} characters (got ${value.length})`);
  }
  return value;
}

function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** A conference SID checked before it goes into a path: a UUID, so `../` and the like never reach the URL. */
export function checkConferenceSid(conferenceSid: unknown): string {
  if (!isUuid(conferenceSid)) {
    throw validationError(`conferenceSid must be a conference SID, a UUID (got ${describeValue(conferenceSid)})`);
  }
  return conferenceSid;
}

export function conferencePath(conferenceSid: unknown): string {
  return `/Conferences/${checkConferenceSid(conferenceSid)}`;
}

function asConference({ status, data }: ApiResponse): Conference {
  if (isConference(data)) return data;
  throw new SignalWireError(`SignalWire answered HTTP ${status} but the body is not a conference`, 'api', { status });
}
