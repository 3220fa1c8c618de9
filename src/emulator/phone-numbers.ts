/**
 * Phone numbers: the ones the emulator's project owns (a call's `From` must be one of them, and an incoming call
 * rings one of them), and how any number behaves when the emulator calls it. A number with no behaviour set
 * answers after a short delay. Settings live until reset; they are bounded by MAX_SETTINGS.
 */
import { isHttpUri } from '../lib/values/uri';

export type AnswerBehaviour = 'answer' | 'busy' | 'no-answer' | 'failed';

/** What the control API sets for a number (`PUT /__emulator/numbers/{number}`). */
export interface NumberSettings {
  /** Owned numbers only: the cXML an incoming call to this number runs. */
  voiceUrl?: string;
  /** Default POST. */
  voiceMethod?: 'GET' | 'POST';
  /** When called: answer (the default), or end busy, no-answer or failed. */
  answer?: AnswerBehaviour;
  /** When called: how long until it answers (or is busy, or fails). Default DEFAULT_ANSWER_MS. */
  afterMs?: number;
}

/** The numbers an emulator owns when given none: fictional (555-01XX), printed at start. */
export const DEMO_NUMBERS = { office: '+15550100100', frontDoor: '+15550100101' } as const;

/** How long a number with no behaviour set rings before it answers. */
export const DEFAULT_ANSWER_MS = 500;

const ANSWERS: readonly AnswerBehaviour[] = ['answer', 'busy', 'no-answer', 'failed'];
const SETTING_NAMES = ['voiceUrl', 'voiceMethod', 'answer', 'afterMs'];
const MAX_SETTINGS = 10_000;
/** E.164: a plus, then up to 15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** A SIP address as `To` may give it. */
const SIP = /^sips?:[^\s@]+@[^\s@]+$/i;

export function isE164(text: unknown): text is string {
  return typeof text === 'string' && E164.test(text);
}

/** What a call may be placed to: an E.164 number or a `sip:` address. */
export function isDialable(text: unknown): text is string {
  return typeof text === 'string' && (E164.test(text) || SIP.test(text));
}

export interface OwnedNumber {
  /** The number's SID: `phone_number_sid` on the calls that use it. */
  sid: string;
  phoneNumber: string;
}

export class PhoneNumbers {
  private readonly owned: Map<string, OwnedNumber>;
  private readonly settings = new Map<string, NumberSettings>();

  constructor(numbers: readonly string[]) {
    if (!Array.isArray(numbers) || numbers.length === 0) throw new TypeError('The emulator owns at least one number');
    this.owned = new Map(
      numbers.map((phoneNumber, i) => {
        if (!isE164(phoneNumber)) {
          throw new TypeError(`An owned number must be in E.164 (+15550100100), got ${JSON.stringify(phoneNumber)}`);
        }
        // Fixed per position, so a flow built against one run keeps working against the next.
        const sid = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
        return [phoneNumber, { sid, phoneNumber }];
      }),
    );
  }

  /** The owned numbers, in the order given. */
  list(): OwnedNumber[] {
    return [...this.owned.values()];
  }

  ownedNumber(phoneNumber: string): OwnedNumber | undefined {
    return this.owned.get(phoneNumber);
  }

  /** Every number's settings, by number. */
  allSettings(): Record<string, NumberSettings> {
    return Object.fromEntries(this.settings);
  }

  settingsOf(number: string): NumberSettings {
    return this.settings.get(number) ?? {};
  }

  /** Replaces a number's settings; throws a TypeError naming what is wrong. */
  set(number: string, input: unknown): NumberSettings {
    if (!isDialable(number)) {
      throw new TypeError(`A number is in E.164 (+15550100100) or a sip: address, got ${JSON.stringify(number)}`);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new TypeError('Send the number settings as an object: {voiceUrl?, voiceMethod?, answer?, afterMs?}');
    }
    const source = input as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      if (!SETTING_NAMES.includes(key)) {
        throw new TypeError(`${JSON.stringify(key)} is not a number setting (expected ${SETTING_NAMES.join(', ')})`);
      }
    }
    const out: NumberSettings = {};
    if (source.voiceUrl !== undefined) {
      if (typeof source.voiceUrl !== 'string' || !isHttpUri(source.voiceUrl)) {
        throw new TypeError(`voiceUrl must be an absolute http(s) URL, got ${JSON.stringify(source.voiceUrl)}`);
      }
      if (!this.owned.has(number)) {
        throw new TypeError(
          `Only the emulator's own numbers take calls (${[...this.owned.keys()].join(', ')}): ${number} is not one`,
        );
      }
      out.voiceUrl = source.voiceUrl;
    }
    if (source.voiceMethod !== undefined) {
      if (source.voiceMethod !== 'GET' && source.voiceMethod !== 'POST') {
        throw new TypeError(`voiceMethod must be GET or POST, got ${JSON.stringify(source.voiceMethod)}`);
      }
      out.voiceMethod = source.voiceMethod;
    }
    if (source.answer !== undefined) {
      if (!ANSWERS.includes(source.answer as AnswerBehaviour)) {
        throw new TypeError(`answer must be one of ${ANSWERS.join(', ')}, got ${JSON.stringify(source.answer)}`);
      }
      out.answer = source.answer as AnswerBehaviour;
    }
    if (source.afterMs !== undefined) {
      const ms = source.afterMs;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 3_600_000) {
        throw new TypeError(`afterMs must be a whole number of milliseconds up to an hour, got ${JSON.stringify(ms)}`);
      }
      out.afterMs = ms;
    }
    if (!this.settings.has(number) && this.settings.size >= MAX_SETTINGS) {
      throw new TypeError(`At most ${MAX_SETTINGS} numbers can have settings: reset first`);
    }
    this.settings.set(number, out);
    return out;
  }

  remove(number: string): boolean {
    return this.settings.delete(number);
  }

  reset(): void {
    this.settings.clear();
  }
}
