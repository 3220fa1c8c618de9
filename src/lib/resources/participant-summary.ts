import type { ConferenceParticipant } from '../types';

/** The words a summary is made of, so the caller can pass translated ones. */
export interface SummaryWords {
  muted: string;
  unmuted: string;
  onHold: string;
  coaching: string;
}

export const ENGLISH_SUMMARY_WORDS: SummaryWords = {
  muted: 'muted',
  unmuted: 'unmuted',
  onHold: 'on hold',
  coaching: 'coaching',
};

/** Node-RED shows status text under the node; longer text crowds the flow. */
export const MAX_SUMMARY_LENGTH = 19;

/**
 * A glanceable state of a participant, e.g. "muted · on hold". States that do not fit within
 * MAX_SUMMARY_LENGTH are counted as "+N" instead of being cut mid-word.
 */
export function summarizeParticipant(
  participant: Pick<ConferenceParticipant, 'muted' | 'hold' | 'coaching'>,
  words: SummaryWords = ENGLISH_SUMMARY_WORDS,
): string {
  const states = [participant.muted ? words.muted : words.unmuted];
  if (participant.hold) states.push(words.onHold);
  if (participant.coaching) states.push(words.coaching);

  let text = states[0] ?? '';
  for (let i = 1; i < states.length; i++) {
    const longer = `${text} · ${states[i]}`;
    const rest = states.length - i - 1;
    const room = rest > 0 ? MAX_SUMMARY_LENGTH - ` +${rest}`.length : MAX_SUMMARY_LENGTH;
    if (longer.length > room) return `${text} +${states.length - i}`;
    text = longer;
  }
  return text;
}
