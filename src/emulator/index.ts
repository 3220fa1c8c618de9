/** A local SignalWire Compatibility API for tests, the demo, the benchmark and building flows offline. */
export { startEmulator, type Emulator, type EmulatorOptions } from './server';
export {
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  DEMO_SEED,
  DEMO_SIDS,
  type ConferenceStatus,
  type EmulatorSeed,
  type SeedConference,
  type SeedParticipant,
} from './seed';
export { FAULT_KINDS, type FaultKind, type FaultRule } from './faults';
export type { EmulatorStats } from './stats';
export type { ApiConference, ApiParticipant, EmulatedConference, EmulatedParticipant } from './state';
export { ErrorCode } from './api-error';
