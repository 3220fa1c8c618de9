import { describeValue } from '../values/describe-value';
import { normalizeError, validationError } from '../transport/errors';
import { checkConferenceSid } from './conferences';
import { listParticipants } from './participants';
import type { PagingOptions } from '../transport/paging';
import type { Transport } from '../transport/transport';
import type { UpdateEveryoneOptions, UpdateEveryoneResult, UpdateResult } from '../types';
import { validateUpdateOptions } from './update-options';
import { isUuid } from '../values/uuid';

/** What "update everyone" needs of the client: the list (a request) and the update of one participant. */
export interface ParticipantUpdater extends Transport {
  updateParticipant(conferenceSid: unknown, callSid: unknown, options: unknown): Promise<UpdateResult>;
}

/**
 * Applies one set of participant options to every participant of a conference (every page of the list), except
 * the call SIDs given and, when asked, the moderators (participants with `start_conference_on_enter`). Every
 * input is checked before the list is requested. The updates all go through the client's in-flight cap, retries
 * and ease-off; one participant's failure does not stop the others, and the result says who was updated,
 * skipped, gone (their update answered 404: they left after the list was read) and failed. Rejects only when
 * nothing could be done (bad input, the list could not be read).
 */
export async function updateEveryone(
  client: ParticipantUpdater,
  conferenceSid: unknown,
  options: unknown,
  settings: UpdateEveryoneOptions = {},
  paging?: PagingOptions,
): Promise<UpdateEveryoneResult> {
  checkConferenceSid(conferenceSid);
  const checked = validateUpdateOptions(options);
  const except = new Set(parseCallSids(settings.except));
  const skipModerators = settings.skipModerators;
  if (skipModerators !== undefined && typeof skipModerators !== 'boolean') {
    throw validationError(`skipModerators must be true or false (got ${describeValue(skipModerators)})`);
  }

  const participants = await listParticipants(client, conferenceSid, {}, paging);
  const skipped: string[] = [];
  const targets: string[] = [];
  let moderators = 0;
  // The list gives each participant once, so each is acted on once.
  for (const participant of participants) {
    const callSid = participant.call_sid;
    if (except.has(callSid.toLowerCase())) {
      skipped.push(callSid);
    } else if (skipModerators === true && participant.start_conference_on_enter) {
      skipped.push(callSid);
      moderators++;
    } else {
      targets.push(callSid);
    }
  }

  const outcomes = await Promise.all(
    targets.map((callSid) =>
      client.updateParticipant(conferenceSid, callSid, checked).then(
        (result) => ({ callSid, participant: result.participant }),
        (error: unknown) => ({ callSid, error: normalizeError(error).toJSON() }),
      ),
    ),
  );
  const result: UpdateEveryoneResult = { updated: [], skipped, gone: [], failed: [] };
  // A host alone in the room is one moderator; two or more and nobody else means nobody marked the host.
  if (targets.length === 0 && moderators >= 2) result.allModerators = true;
  for (const outcome of outcomes) {
    if ('participant' in outcome) result.updated.push(outcome.participant);
    // Not found: they hung up between the list and their update. Nothing is left to update.
    else if (outcome.error.status === 404) result.gone.push(outcome.callSid);
    else result.failed.push(outcome);
  }
  return result;
}

/**
 * Call SIDs to leave alone: an array of SIDs, or one string of SIDs separated by commas, spaces or new lines.
 * Nothing (undefined, null, an empty string or array) is none. Returned lower-case, for comparing.
 */
export function parseCallSids(input: unknown): string[] {
  if (input === undefined || input === null) return [];
  let items: unknown[];
  if (typeof input === 'string') items = input.split(/[\s,]+/).filter((s) => s !== '');
  else if (Array.isArray(input)) items = input;
  else {
    throw validationError(
      `except must be a list of call SIDs: an array, or a text separated by commas or spaces (got ${describeValue(input)})`,
    );
  }
  return items.map((item, i) => {
    const sid = typeof item === 'string' ? item.trim() : item;
    if (!isUuid(sid)) throw validationError(`except[${i}] must be a call SID, a UUID (got ${describeValue(item)})`);
    return sid.toLowerCase();
  });
}
