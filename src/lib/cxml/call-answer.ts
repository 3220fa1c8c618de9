import { validationError } from '../transport/errors';
import { describeValue } from '../values/describe-value';
import { toHttpUri } from '../values/uri';
import { escapeXml, unwritableCharacter } from './xml-text';

/**
 * How a call is answered, and the cXML that says it: join a conference (`<Dial><Conference …>room</Conference>
 * </Dial>` with every join attribute), say or play something then hang up, reject (busy or rejected), or hang up.
 * Every value is checked before any XML is written; a room name or URL that cannot be written safely is refused.
 */

export type Beep = true | false | 'onEnter' | 'onExit';

/** Joining a room: each option as the `<Conference>` attribute of the same name; one left out is not written. */
export interface JoinOptions {
  /** The room's name: 1 to 64 characters, no control characters, no blanks at either end. */
  room: string;
  muted?: boolean;
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  beep?: Beep;
  /** Music while waiting; the empty string: silence. */
  waitUrl?: string;
  /** Where the room's events go (the first participant's setting holds for the room), with every event. */
  statusCallback?: string;
}

export type CallAnswer =
  | ({ action: 'join' } & JoinOptions)
  | { action: 'say'; text: string; voice?: string; language?: string }
  | { action: 'play'; url: string }
  | { action: 'reject'; reason?: 'busy' | 'rejected' }
  | { action: 'hangup' };

/** The longest room name: SignalWire's conference names are at most 64 characters. */
export const MAX_ROOM_NAME = 64;
const MAX_SAY = 4096;
const MAX_URL = 1024;
/** Every event a room reports, for `statusCallbackEvent`. */
const EVERY_ROOM_EVENT = 'start end join leave mute hold speaker';

const ACTIONS = ['join', 'say', 'play', 'reject', 'hangup'];
/** The join options, in the order a join URL gives them. */
export const JOIN_NAMES = [
  'room',
  'muted',
  'startConferenceOnEnter',
  'endConferenceOnExit',
  'beep',
  'waitUrl',
  'statusCallback',
];

/** The cXML document answering a call as `answer` says; the answer is checked first. */
export function buildCxml(answer: unknown): string {
  const checked = validateCallAnswer(answer);
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbsOf(checked)}</Response>`;
}

function verbsOf(answer: CallAnswer): string {
  switch (answer.action) {
    case 'join':
      return `<Dial>${conferenceNoun(answer)}</Dial>`;
    case 'say': {
      const voice = answer.voice === undefined ? '' : ` voice="${escapeXml(answer.voice)}"`;
      const language = answer.language === undefined ? '' : ` language="${escapeXml(answer.language)}"`;
      return `<Say${voice}${language}>${escapeXml(answer.text)}</Say><Hangup/>`;
    }
    case 'play':
      return `<Play>${escapeXml(answer.url)}</Play><Hangup/>`;
    case 'reject':
      return `<Reject reason="${answer.reason ?? 'rejected'}"/>`;
    case 'hangup':
      return '<Hangup/>';
  }
}

function conferenceNoun(join: JoinOptions): string {
  const attributes: string[] = [];
  const add = (name: string, value: string): number => attributes.push(` ${name}="${escapeXml(value)}"`);
  if (join.muted !== undefined) add('muted', String(join.muted));
  if (join.startConferenceOnEnter !== undefined) add('startConferenceOnEnter', String(join.startConferenceOnEnter));
  if (join.endConferenceOnExit !== undefined) add('endConferenceOnExit', String(join.endConferenceOnExit));
  if (join.beep !== undefined) add('beep', String(join.beep));
  if (join.waitUrl !== undefined) add('waitUrl', join.waitUrl);
  if (join.statusCallback !== undefined) {
    add('statusCallback', join.statusCallback);
    add('statusCallbackMethod', 'POST');
    add('statusCallbackEvent', EVERY_ROOM_EVENT);
  }
  return `<Conference${attributes.join('')}>${escapeXml(join.room)}</Conference>`;
}

/** Checks an answer; every problem is reported at once, naming the field. */
export function validateCallAnswer(input: unknown): CallAnswer {
  const source = objectOf(input, 'the answer');
  const action = source.action;
  if (typeof action !== 'string' || !ACTIONS.includes(action)) {
    throw validationError(`action must be one of ${ACTIONS.join(', ')} (got ${describeValue(action)})`);
  }
  const problems: string[] = [];
  const rest = { ...source };
  delete rest.action;
  let answer: CallAnswer;
  switch (action) {
    case 'join':
      answer = { action, ...readJoin(rest, problems) };
      break;
    case 'say': {
      onlyNames(rest, ['text', 'voice', 'language'], problems);
      const text = checkedText('text', rest.text, problems, MAX_SAY);
      answer = { action, text: text ?? '' };
      for (const name of ['voice', 'language'] as const) {
        if (rest[name] === undefined) continue;
        const value = checkedText(name, rest[name], problems, 64);
        if (value !== undefined) answer[name] = value;
      }
      break;
    }
    case 'play':
      onlyNames(rest, ['url'], problems);
      answer = { action, url: checkedUrl('url', rest.url, problems) ?? '' };
      break;
    case 'reject': {
      onlyNames(rest, ['reason'], problems);
      const reason = rest.reason ?? 'rejected';
      if (reason !== 'busy' && reason !== 'rejected') {
        problems.push(`reason must be busy or rejected (got ${describeValue(rest.reason)})`);
      }
      answer = { action, reason: reason as 'busy' | 'rejected' };
      break;
    }
    default:
      onlyNames(rest, [], problems);
      answer = { action: 'hangup' };
  }
  if (problems.length > 0) throw validationError(problems.join('; '));
  return answer;
}

/** Checks join options (also what the join route reads back from its URL). */
export function validateJoinOptions(input: unknown): JoinOptions {
  const problems: string[] = [];
  const join = readJoin(objectOf(input, 'the join options'), problems);
  if (problems.length > 0) throw validationError(problems.join('; '));
  return join;
}

function readJoin(source: Record<string, unknown>, problems: string[]): JoinOptions {
  onlyNames(source, JOIN_NAMES, problems);
  const join: JoinOptions = { room: checkedRoom(source.room, problems) ?? '' };
  for (const name of ['muted', 'startConferenceOnEnter', 'endConferenceOnExit'] as const) {
    const value = toBoolean(source[name]);
    if (value !== undefined) join[name] = value;
    else if (source[name] !== undefined)
      problems.push(`${name} must be true or false (got ${describeValue(source[name])})`);
  }
  if (source.beep !== undefined) {
    const beep = toBoolean(source.beep) ?? source.beep;
    if (beep === true || beep === false || beep === 'onEnter' || beep === 'onExit') join.beep = beep;
    else problems.push(`beep must be true, false, onEnter or onExit (got ${describeValue(source.beep)})`);
  }
  if (source.waitUrl === '') join.waitUrl = '';
  else if (source.waitUrl !== undefined) {
    const url = checkedUrl('waitUrl', source.waitUrl, problems);
    if (url !== undefined) join.waitUrl = url;
  }
  if (source.statusCallback !== undefined) {
    const url = checkedUrl('statusCallback', source.statusCallback, problems);
    if (url !== undefined) join.statusCallback = url;
  }
  return join;
}

function checkedRoom(value: unknown, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`room must be the conference's name, a non-empty text (got ${describeValue(value)})`);
    return undefined;
  }
  const bad = unwritableCharacter(value);
  if (bad !== undefined) {
    problems.push(`room cannot hold the character U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  } else if (value.trim() !== value) {
    problems.push(`room cannot start or end with a blank (got ${describeValue(value)})`);
  } else if (value.length > MAX_ROOM_NAME) {
    problems.push(`room is at most ${MAX_ROOM_NAME} characters (got ${value.length})`);
  } else return value;
  return undefined;
}

function checkedText(name: string, value: unknown, problems: string[], max: number): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${name} must be a non-empty text (got ${describeValue(value)})`);
    return undefined;
  }
  const bad = unwritableCharacter(value.replace(/[\t\n\r]/g, ' '));
  if (bad !== undefined) {
    problems.push(
      `${name} cannot hold the character U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    );
    return undefined;
  }
  if (value.length > max) {
    problems.push(`${name} is at most ${max} characters (got ${value.length})`);
    return undefined;
  }
  return value;
}

function checkedUrl(name: string, value: unknown, problems: string[]): string | undefined {
  const url = typeof value === 'string' ? toHttpUri(value.trim()) : undefined;
  if (url === undefined) {
    problems.push(`${name} must be an absolute http or https URL (got ${describeValue(value)})`);
    return undefined;
  }
  if (url.length > MAX_URL) {
    problems.push(`${name} is at most ${MAX_URL} characters (got ${url.length})`);
    return undefined;
  }
  return url;
}

function toBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function objectOf(input: unknown, what: string): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError(`${what} must be an object (got ${describeValue(input)})`);
  }
  return input as Record<string, unknown>;
}

function onlyNames(source: Record<string, unknown>, allowed: readonly string[], problems: string[]): void {
  for (const key of Object.keys(source)) {
    if (!allowed.includes(key)) {
      problems.push(`${JSON.stringify(key)} is not part of this answer (expected ${allowed.join(', ') || 'nothing'})`);
    }
  }
}
