/** The settings of an incoming call node, read from its form (or a hand-written flow) and checked. */
import { SignalWireError } from '../transport/errors';
import { validateCallAnswer, type CallAnswer } from '../cxml/call-answer';
import { readRoutePublicUrl } from './public-url';
import { readRoutePath } from './route-path';

const DEFAULT_INCOMING_PATH = '/signalwire/incoming-call';

/** Seconds the flow has to answer a call before the fallback does: the caller hears it ring meanwhile. */
const DEFAULT_ANSWER_WITHIN = 5;
const MIN_ANSWER_WITHIN = 0.5;
const MAX_ANSWER_WITHIN = 10;

/** What the caller gets when the flow does not answer: rejected (the default), busy, hung up, or a message. */
export const FALLBACKS = ['reject', 'busy', 'hangup', 'say'] as const;
export type Fallback = (typeof FALLBACKS)[number];

export interface IncomingCallSettings {
  /** Where the node listens, under Node-RED's httpNodeRoot; always starts with `/`. */
  path: string;
  /** The full URL SignalWire calls when it differs from what Node-RED sees; empty otherwise. */
  publicUrl: string;
  answerWithinMs: number;
  fallback: Fallback;
  /** The fallback as the answer it is. */
  fallbackAnswer: CallAnswer;
}

/** A setting that cannot work, by name, with the value as given (for the fallback message: why it cannot be said). */
export interface IncomingSettingsProblem {
  field: 'path' | 'publicUrl' | 'answerWithin' | 'fallback' | 'fallbackText';
  value: string;
}

export function readIncomingCallSettings(def: {
  path?: unknown;
  publicUrl?: unknown;
  answerWithin?: unknown;
  fallback?: unknown;
  fallbackText?: unknown;
}): { settings: IncomingCallSettings; problems: IncomingSettingsProblem[] } {
  const problems: IncomingSettingsProblem[] = [];
  const shown = (value: unknown) => (typeof value === 'string' ? value : String(JSON.stringify(value)));

  const path = readRoutePath(def.path, DEFAULT_INCOMING_PATH);
  if (path === undefined) problems.push({ field: 'path', value: shown(def.path) });

  const publicUrl = readRoutePublicUrl(def.publicUrl);
  if (!publicUrl.ok) problems.push({ field: 'publicUrl', value: publicUrl.value });

  // Seconds, to a tenth; flows saved without the setting get the default.
  const raw = def.answerWithin;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : raw == null ? '' : null;
  let seconds =
    text === '' ? DEFAULT_ANSWER_WITHIN : text !== null && /^\d{1,2}(\.\d)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= MIN_ANSWER_WITHIN && seconds <= MAX_ANSWER_WITHIN)) {
    problems.push({ field: 'answerWithin', value: shown(raw) });
    seconds = DEFAULT_ANSWER_WITHIN;
  }

  const given = def.fallback == null || def.fallback === '' ? 'reject' : def.fallback;
  let fallback: Fallback = 'reject';
  if ((FALLBACKS as readonly unknown[]).includes(given)) fallback = given as Fallback;
  else problems.push({ field: 'fallback', value: shown(def.fallback) });

  let fallbackAnswer: CallAnswer = { action: 'reject', reason: 'rejected' };
  if (fallback === 'busy') fallbackAnswer = { action: 'reject', reason: 'busy' };
  if (fallback === 'hangup') fallbackAnswer = { action: 'hangup' };
  if (fallback === 'say') {
    try {
      fallbackAnswer = validateCallAnswer({ action: 'say', text: def.fallbackText });
    } catch (error) {
      if (!(error instanceof SignalWireError)) throw error;
      problems.push({ field: 'fallbackText', value: error.message });
    }
  }

  return {
    settings: {
      path: path ?? '',
      publicUrl: publicUrl.ok ? publicUrl.url : '',
      answerWithinMs: Math.round(seconds * 1000),
      fallback,
      fallbackAnswer,
    },
    problems,
  };
}
