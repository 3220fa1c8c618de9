import { UPDATE_OPTION_NAMES } from '../lib/index';

/**
 * Which fields the SignalWire nodes have and where each reads from by default, defined once for all of them.
 * Identifiers (SIDs, a room name, who to leave out) come from `msg.<field>`; what to do (participant options,
 * list filters, the announcement) comes from `msg.payload.<field>`. A field whose property is not set is left
 * out: not sent, no filter.
 */
export interface FieldDefinition {
  name: string;
  /** The msg property read when the node's form does not say otherwise. */
  defaultPath: string;
}

const fromMsg = (name: string): FieldDefinition => ({ name, defaultPath: name });
const fromPayload = (name: string): FieldDefinition => ({ name, defaultPath: `payload.${name}` });

export const CONFERENCE_SID_FIELD = fromMsg('conferenceSid');
export const CALL_SID_FIELD = fromMsg('callSid');
export const FRIENDLY_NAME_FIELD = fromMsg('friendlyName');
export const EXCEPT_FIELD = fromMsg('except');

/** What "Update a Participant" can change, in the client's order. */
export const PARTICIPANT_OPTION_FIELDS: readonly FieldDefinition[] = UPDATE_OPTION_NAMES.map(fromPayload);

/** The participant list filters. */
export const PARTICIPANT_FILTER_FIELDS: readonly FieldDefinition[] = ['muted', 'hold'].map(fromPayload);

/** The conference list filter. */
export const CONFERENCE_STATUS_FIELD = fromPayload('status');

/** An announcement to a whole conference. */
export const ANNOUNCE_FIELDS: readonly FieldDefinition[] = ['announceUrl', 'announceMethod'].map(fromPayload);

/** How a call joins a room (the `<Conference>` attributes of the same names). */
export const JOIN_OPTION_FIELDS: readonly FieldDefinition[] = [
  'muted',
  'startConferenceOnEnter',
  'endConferenceOnExit',
  'beep',
  'waitUrl',
].map(fromPayload);

/** Placing a call into a room: whom to call, from which number, which room, how many seconds it rings. */
export const TO_FIELD = fromMsg('to');
export const FROM_FIELD = fromMsg('from');
export const CONFERENCE_FIELD = fromMsg('conference');
export const RING_TIMEOUT_FIELD = fromMsg('timeout');
