/**
 * Reads the update forms ("Update a Participant", "Update a Conference") the way the API checks them: every value
 * of the right form, and no field the spec does not define, or 400. One exception, for the official SDK's users:
 * a participant update also takes `EndConferenceOnExit` and `BeepOnExit`, which that SDK sends when its caller sets
 * them (the conformance suite names the choice).
 */
import { isHttpUri } from '../lib/values/uri';
import type { HttpMethod } from '../lib/types';
import { invalidParameter } from './api-error';
import type { ConferenceUpdate, ParticipantUpdate } from './state';
import { isUuid } from './uuid';

const PARTICIPANT_FIELDS = [
  'Muted',
  'Hold',
  'HoldUrl',
  'HoldMethod',
  'AnnounceUrl',
  'AnnounceMethod',
  'WaitUrl',
  'WaitMethod',
  'Coaching',
  'CallSidToCoach',
  // Not in the spec: the official SDK's own update sends them.
  'EndConferenceOnExit',
  'BeepOnExit',
];
const CONFERENCE_FIELDS = ['Status', 'AnnounceUrl', 'AnnounceMethod'];

export function parseUpdateForm(form: URLSearchParams): ParticipantUpdate {
  onlyFields(form, PARTICIPANT_FIELDS);
  const options: ParticipantUpdate = {};
  const muted = form.get('Muted');
  if (muted !== null) options.muted = parseBoolean('Muted', muted);
  const hold = form.get('Hold');
  if (hold !== null) options.hold = parseBoolean('Hold', hold);
  const holdUrl = form.get('HoldUrl');
  if (holdUrl !== null) options.holdUrl = parseUrl('HoldUrl', holdUrl);
  const holdMethod = form.get('HoldMethod');
  if (holdMethod !== null) options.holdMethod = parseMethod('HoldMethod', holdMethod);
  const announceUrl = form.get('AnnounceUrl');
  if (announceUrl !== null) options.announceUrl = parseUrl('AnnounceUrl', announceUrl);
  const announceMethod = form.get('AnnounceMethod');
  if (announceMethod !== null) options.announceMethod = parseMethod('AnnounceMethod', announceMethod);
  const waitUrl = form.get('WaitUrl');
  if (waitUrl !== null) options.waitUrl = parseUrl('WaitUrl', waitUrl);
  const waitMethod = form.get('WaitMethod');
  if (waitMethod !== null) options.waitMethod = parseMethod('WaitMethod', waitMethod);
  const coaching = form.get('Coaching');
  if (coaching !== null) options.coaching = parseBoolean('Coaching', coaching);
  const callSidToCoach = form.get('CallSidToCoach');
  if (callSidToCoach !== null) {
    if (!isUuid(callSidToCoach)) throw invalidParameter('CallSidToCoach', 'must be a UUID');
    options.callSidToCoach = callSidToCoach;
  }
  const endConferenceOnExit = form.get('EndConferenceOnExit');
  if (endConferenceOnExit !== null)
    options.endConferenceOnExit = parseBoolean('EndConferenceOnExit', endConferenceOnExit);
  const beepOnExit = form.get('BeepOnExit');
  if (beepOnExit !== null) options.beepOnExit = parseBoolean('BeepOnExit', beepOnExit);
  return options;
}

export function parseConferenceForm(form: URLSearchParams): ConferenceUpdate {
  onlyFields(form, CONFERENCE_FIELDS);
  const update: ConferenceUpdate = {};
  const status = form.get('Status');
  if (status !== null) {
    if (status !== 'completed') {
      throw invalidParameter('Status', `can only be set to completed, got ${JSON.stringify(status)}`);
    }
    update.status = status;
  }
  const announceUrl = form.get('AnnounceUrl');
  if (announceUrl !== null) update.announceUrl = parseUrl('AnnounceUrl', announceUrl);
  const announceMethod = form.get('AnnounceMethod');
  if (announceMethod !== null) update.announceMethod = parseMethod('AnnounceMethod', announceMethod);
  return update;
}

/** `true`/`false` in any letter case (Twilio's docs write `True`); nothing else. */
export function parseBoolean(name: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameter(name, `must be true or false, got ${JSON.stringify(value)}`);
}

/** The spec's request objects are closed: a field it does not define (`Beep`, say) is refused, not ignored. */
function onlyFields(form: URLSearchParams, allowed: readonly string[]): void {
  for (const name of form.keys()) {
    if (!allowed.includes(name)) {
      throw invalidParameter(name, `is not a parameter of this request (expected ${allowed.join(', ')})`);
    }
  }
}

function parseMethod(name: string, value: string): HttpMethod {
  const upper = value.toUpperCase();
  if (upper === 'GET' || upper === 'POST') return upper;
  throw invalidParameter(name, `must be GET or POST, got ${JSON.stringify(value)}`);
}

/** `format: uri`: an absolute http(s) URI (RFC 3986) as sent. Only recorded, never fetched. */
function parseUrl(name: string, value: string): string {
  if (isHttpUri(value)) return value;
  throw invalidParameter(name, `must be an absolute http or https URI, got ${JSON.stringify(value)}`);
}
