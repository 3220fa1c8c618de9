/**
 * What the emulator starts with, and the fixed demo data that the demo flow, the docs and the tests refer to.
 * The SIDs are fixed so a flow built against one emulator run keeps working against the next.
 */

/** The project the emulator accepts. Not a secret: it only opens the local emulator. */
export const DEFAULT_PROJECT_ID = '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e';
export const DEFAULT_TOKEN = 'PTemulator-token-not-secret';

export type ConferenceStatus = 'init' | 'in-progress' | 'completed';

export interface SeedParticipant {
  /** A UUID; a random one when left out. */
  callSid?: string;
  /**
   * A display name for the demo, the CLI banner and the control API. Never part of an API answer: SignalWire's
   * participant has no such field.
   */
  label?: string;
  muted?: boolean;
  hold?: boolean;
  coaching?: boolean;
  callSidToCoach?: string | null;
  /** Default true, as in cXML; a moderator is a participant with true. */
  startConferenceOnEnter?: boolean;
  /** Default false. */
  endConferenceOnExit?: boolean;
  /** When the participant joined (RFC 2822 or ISO 8601); default now. Also its first `date_updated`. */
  dateCreated?: string;
}

export interface SeedConference {
  /** A UUID; a random one when left out. */
  sid?: string;
  friendlyName?: string;
  /** Default 'in-progress'. */
  status?: ConferenceStatus;
  /** RFC 2822 or ISO 8601; default now. What the DateCreated filters compare with. */
  dateCreated?: string;
  /** RFC 2822 or ISO 8601; default dateCreated. Moves on each API update. */
  dateUpdated?: string;
  participants?: SeedParticipant[];
}

export interface EmulatorSeed {
  conferences: SeedConference[];
}

/** Every demo SID by name, for labels and lookups. */
export const DEMO_SIDS = {
  weeklySync: '3f8e2b1a-6c4d-4e9f-8a7b-1c2d3e4f5a60',
  alice: '7d1f0c2e-9a8b-4c3d-8e5f-6a7b8c9d0e11',
  bob: '8e2a1d3f-0b9c-4d4e-9f6a-7b8c9d0e1f22',
  carol: '9f3b2e4a-1c0d-4e5f-a07b-8c9d0e1f2a33',
  dave: 'a04c3f5b-2d1e-4f6a-b18c-9d0e1f2a3b44',
  mondayStandup: 'b15d4a6c-3e2f-4a7b-8c9d-0e1f2a3b4c55',
  erin: 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66',
} as const;

/**
 * "Weekly sync" is live with four people; Alice, the host, is its moderator (she started it and ends it when
 * she leaves). "Monday stand-up" has ended, so updating Erin shows the completed-conference error (code 10000).
 */
export const DEMO_SEED: EmulatorSeed = deepFreeze({
  conferences: [
    {
      sid: DEMO_SIDS.weeklySync,
      friendlyName: 'Weekly sync',
      status: 'in-progress',
      participants: [
        { callSid: DEMO_SIDS.alice, label: 'Alice (host)', startConferenceOnEnter: true, endConferenceOnExit: true },
        { callSid: DEMO_SIDS.bob, label: 'Bob', startConferenceOnEnter: false },
        { callSid: DEMO_SIDS.carol, label: 'Carol (agent)', startConferenceOnEnter: false },
        { callSid: DEMO_SIDS.dave, label: 'Dave (supervisor)', muted: true, startConferenceOnEnter: false },
      ],
    },
    {
      sid: DEMO_SIDS.mondayStandup,
      friendlyName: 'Monday stand-up',
      status: 'completed',
      participants: [{ callSid: DEMO_SIDS.erin, label: 'Erin', startConferenceOnEnter: true }],
    },
  ],
});

/** The demo data is shared by every emulator in the process: nobody may change it by accident. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
