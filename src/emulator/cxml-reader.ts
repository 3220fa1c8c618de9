/**
 * Reads the cXML a call's Url answers with, strictly: well-formed XML (a stray `&` is refused, as an XML parser
 * refuses it), a `<Response>` root, and only the verbs the emulator runs — `<Dial><Conference>`, `<Say>`,
 * `<Play>`, `<Hangup>`, `<Reject>` — with the attributes SignalWire documents for them, each value of its form.
 * Anything else is a CxmlError saying what and where, for the emulator's log.
 */
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { isHttpUri } from '../lib/values/uri';
import { isUuid } from './uuid';

/** The `<Conference>` noun as read: the room and how the caller joins it. */
export interface ConferenceNoun {
  name: string;
  muted: boolean;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  statusCallback?: string;
  statusCallbackMethod: 'GET' | 'POST';
  statusCallbackEvent?: string;
  /** Every attribute as written, the ones only recorded (beep, waitUrl, record, coach…) included. */
  attributes: Record<string, string>;
}

export type CxmlVerb =
  | { verb: 'Dial'; conference: ConferenceNoun }
  | { verb: 'Say'; text: string; voice?: string; language?: string; loop: number }
  | { verb: 'Play'; url: string; loop: number }
  | { verb: 'Hangup' }
  | { verb: 'Reject'; reason: 'busy' | 'rejected' };

export class CxmlError extends Error {
  override name = 'CxmlError';
}

const VERBS = ['Dial', 'Say', 'Play', 'Hangup', 'Reject'];
/** An `&` that starts no entity or character reference. */
const BARE_AMPERSAND = /&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)/;
const CONFERENCE_WORDS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'speaker'];

type Check = (value: string) => string | undefined;
const bool: Check = (v) => (v === 'true' || v === 'false' ? undefined : 'true or false');
const method: Check = (v) => (v === 'GET' || v === 'POST' ? undefined : 'GET or POST');
const url: Check = (v) => (isHttpUri(v) ? undefined : 'an absolute http or https URI');
const urlOrEmpty: Check = (v) => (v === '' ? undefined : url(v));
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    allowed.includes(v) ? undefined : `one of ${allowed.join(', ')}`;
const whole =
  (min: number, max: number): Check =>
  (v) =>
    /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max ? undefined : `a whole number from ${min} to ${max}`;
const words =
  (...allowed: string[]): Check =>
  (v) =>
    v.split(' ').every((w) => w === '' || allowed.includes(w)) ? undefined : `words from ${allowed.join(' ')}`;
const anything: Check = () => undefined;

/** SignalWire's `<Conference>` attributes (reference section 3a), each with the form of its value. */
const CONFERENCE_ATTRIBUTES: Record<string, Check> = {
  muted: bool,
  beep: oneOf('true', 'false', 'onEnter', 'onExit'),
  startConferenceOnEnter: bool,
  endConferenceOnExit: bool,
  waitUrl: urlOrEmpty,
  waitMethod: method,
  maxParticipants: whole(2, 250),
  record: oneOf('do-not-record', 'record-from-start'),
  trim: oneOf('trim-silence', 'do-not-trim'),
  coach: (v) => (isUuid(v) ? undefined : 'a call SID'),
  statusCallback: url,
  statusCallbackMethod: method,
  statusCallbackEvent: words(...CONFERENCE_WORDS),
  recordingStatusCallback: url,
  recordingStatusCallbackMethod: method,
  recordingStatusCallbackEvent: words('in-progress', 'completed', 'failed'),
  eventCallbackUrl: url,
};

const DIAL_ATTRIBUTES: Record<string, Check> = {
  action: url,
  method,
  timeout: whole(1, 600),
  hangupOnStar: bool,
  timeLimit: whole(1, 14400),
  callerId: anything,
  record: anything,
  trim: oneOf('trim-silence', 'do-not-trim'),
  answerOnBridge: bool,
  ringTone: anything,
};

const SAY_ATTRIBUTES: Record<string, Check> = { voice: anything, language: anything, loop: whole(0, 1000) };
const PLAY_ATTRIBUTES: Record<string, Check> = { loop: whole(0, 1000), digits: anything };
const REJECT_ATTRIBUTES: Record<string, Check> = { reason: oneOf('rejected', 'busy') };

/** The verbs of a cXML document, in order; a CxmlError for anything the emulator cannot run as SignalWire would. */
export function readCxml(text: string): CxmlVerb[] {
  // This parser lets a bare `&` through; an XML parser (and so SignalWire) does not.
  const bare = BARE_AMPERSAND.exec(text.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, ''));
  if (bare) {
    throw new CxmlError(
      `The document is not well-formed XML (a bare "&" at ${JSON.stringify(bare.input.slice(bare.index, bare.index + 12))}: write &amp;)`,
    );
  }
  const root = parseXml(text).documentElement;
  if (!root || root.tagName !== 'Response') {
    throw new CxmlError(`The document's root must be <Response>, not <${root?.tagName ?? ''}>`);
  }
  return elementsOf(root, '<Response>').map(readVerb);
}

/** The parsed document; a CxmlError for XML that is not well-formed. */
function parseXml(text: string): ReturnType<DOMParser['parseFromString']> {
  const problems: string[] = [];
  let document: ReturnType<DOMParser['parseFromString']> | undefined;
  try {
    document = new DOMParser({
      // Its warnings are not errors of XML (a U+FFFD is a character like any other); the bare `&` it lets
      // through is looked for by readCxml.
      onError: (level, message) => {
        if (level !== 'warning') problems.push(`${level}: ${String(message).split('\n')[0]}`);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    // A fatal error (no root, a tag left open, two roots) is thrown rather than reported.
    problems.push(String((error as Error).message).split('\n')[0]!);
  }
  if (!document || problems.length > 0) {
    throw new CxmlError(`The document is not well-formed XML (${problems[0] ?? 'no document'})`);
  }
  return document;
}

function readVerb(element: Element): CxmlVerb {
  const name = element.tagName;
  if (!VERBS.includes(name)) {
    throw new CxmlError(`<${name}> is not a verb the emulator runs (it runs ${VERBS.map((v) => `<${v}>`).join(', ')})`);
  }
  switch (name) {
    case 'Say': {
      const attributes = attributesOf(element, SAY_ATTRIBUTES);
      noChildElements(element);
      return {
        verb: 'Say',
        text: element.textContent ?? '',
        ...(attributes.voice === undefined ? {} : { voice: attributes.voice }),
        ...(attributes.language === undefined ? {} : { language: attributes.language }),
        loop: attributes.loop === undefined ? 1 : Number(attributes.loop),
      };
    }
    case 'Play': {
      const attributes = attributesOf(element, PLAY_ATTRIBUTES);
      noChildElements(element);
      const target = (element.textContent ?? '').trim();
      if (url(target))
        throw new CxmlError(`<Play> must hold an absolute http or https URI, got ${JSON.stringify(target)}`);
      return { verb: 'Play', url: target, loop: attributes.loop === undefined ? 1 : Number(attributes.loop) };
    }
    case 'Hangup':
      attributesOf(element, {});
      noChildElements(element);
      return { verb: 'Hangup' };
    case 'Reject': {
      const attributes = attributesOf(element, REJECT_ATTRIBUTES);
      noChildElements(element);
      return { verb: 'Reject', reason: (attributes.reason as 'busy' | 'rejected' | undefined) ?? 'rejected' };
    }
    default:
      return readDial(element);
  }
}

function readDial(element: Element): CxmlVerb {
  attributesOf(element, DIAL_ATTRIBUTES);
  const dialled = directText(element);
  if (dialled) {
    throw new CxmlError(
      `<Dial> must hold exactly one <Conference> for the emulator, got a number or address (${JSON.stringify(dialled)})`,
    );
  }
  const nouns = elementsOf(element, '<Dial>');
  if (nouns.length !== 1 || nouns[0]!.tagName !== 'Conference') {
    const found = nouns.length === 0 ? 'a number' : nouns.map((n) => `<${n.tagName}>`).join(', ');
    throw new CxmlError(`<Dial> must hold exactly one <Conference> for the emulator, got ${found}`);
  }
  const noun = nouns[0]!;
  const a = attributesOf(noun, CONFERENCE_ATTRIBUTES);
  noChildElements(noun);
  const name = (noun.textContent ?? '').trim();
  if (name === '') throw new CxmlError('<Conference> must name the room');
  const conference: ConferenceNoun = {
    name,
    muted: a.muted === 'true',
    startConferenceOnEnter: a.startConferenceOnEnter !== 'false',
    endConferenceOnExit: a.endConferenceOnExit === 'true',
    ...(a.statusCallback === undefined ? {} : { statusCallback: a.statusCallback }),
    statusCallbackMethod: (a.statusCallbackMethod as 'GET' | 'POST' | undefined) ?? 'POST',
    ...(a.statusCallbackEvent === undefined ? {} : { statusCallbackEvent: a.statusCallbackEvent }),
    attributes: a,
  };
  return { verb: 'Dial', conference };
}

/** The element children; text between them must be blank (comments and processing instructions are skipped). */
function elementsOf(parent: Element, where: string): Element[] {
  const out: Element[] = [];
  for (let node: Node | null = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) out.push(node as Element);
    else if (
      (node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE) &&
      node.nodeValue?.trim()
    ) {
      throw new CxmlError(
        `${where} holds text outside any verb: ${JSON.stringify(node.nodeValue.trim().slice(0, 40))}`,
      );
    }
  }
  return out;
}

/** The element's own text, between its children, trimmed. */
function directText(element: Element): string {
  let text = '';
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE) text += node.nodeValue ?? '';
  }
  return text.trim();
}

function noChildElements(element: Element): void {
  for (let node: Node | null = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) {
      throw new CxmlError(`<${element.tagName}> cannot hold <${(node as Element).tagName}>`);
    }
  }
}

function attributesOf(element: Element, allowed: Record<string, Check>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < element.attributes.length; i++) {
    const { name, value } = element.attributes.item(i)!;
    const check = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (!check) {
      const known = Object.keys(allowed);
      throw new CxmlError(
        `<${element.tagName}> has no attribute ${JSON.stringify(name)}` +
          (known.length ? ` (it has ${known.join(', ')})` : ''),
      );
    }
    const problem = check(value);
    if (problem) {
      throw new CxmlError(`<${element.tagName} ${name}> must be ${problem}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}
