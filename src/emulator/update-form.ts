/** Reads an "Update a Participant" form body the way the API checks it: every value of the right form, or 400. */
import type { HttpMethod, ParticipantUpdateOptions } from '../lib/types';
import { invalidParameter } from './api-error';
import { isUuid } from './uuid';

export function parseUpdateForm(form: URLSearchParams): ParticipantUpdateOptions {
  const options: ParticipantUpdateOptions = {};
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
  const beep = form.get('Beep');
  if (beep !== null) options.beep = parseBeep(beep);
  return options;
}

/** `true`/`false` in any letter case (Twilio's docs write `True`); nothing else. */
export function parseBoolean(name: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameter(name, `must be true or false, got ${JSON.stringify(value)}`);
}

function parseMethod(name: string, value: string): HttpMethod {
  const upper = value.toUpperCase();
  if (upper === 'GET' || upper === 'POST') return upper;
  throw invalidParameter(name, `must be GET or POST, got ${JSON.stringify(value)}`);
}

/** Only recorded, never fetched: the emulator makes no outbound request. */
function parseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter(name, `must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidParameter(name, `must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseBeep(value: string): boolean | 'onEnter' | 'onExit' {
  if (value === 'onEnter' || value === 'onExit') return value;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameter('Beep', `must be true, false, onEnter or onExit, got ${JSON.stringify(value)}`);
}
