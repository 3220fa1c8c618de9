/**
 * A local SignalWire Compatibility API for tests, the demo, the benchmark and building flows offline.
 *
 *   const emulator = await startEmulator();           // port 0: a free port; DEMO_SEED loaded
 *   // Space = emulator.url, Project ID = emulator.projectId, token = emulator.token
 *   emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted;
 *   emulator.setFaults([{ kind: '429', probability: 0.1, retryAfter: 1 }, { kind: 'latency', ms: [0, 5] }]);
 *   await emulator.close();
 *
 * It serves, under /api/laml/2010-04-01/Accounts/{ProjectID} and under /2010-04-01/Accounts/{ProjectID} (the
 * official SDK's form), each path also with `.json`:
 *   GET  (the account)
 *   GET  /Conferences[?FriendlyName=&Status=&DateCreated=&DateCreated<=&DateCreated>=&DateUpdated...=]
 *   GET|POST /Conferences/{sid}                                (POST: Status=completed, AnnounceUrl, AnnounceMethod)
 *   GET  /Conferences/{sid}/Participants[?Muted=&Hold=]
 *   GET|POST|DELETE /Conferences/{sid}/Participants/{CallSid}
 * Lists page with Page, PageSize and PageToken; every link keeps the list's filters (paging.ts).
 * Status codes and error codes: see api-error.ts. Control API for other processes: see control-api.ts.
 * It never makes an outbound request: hold, announce and wait URLs are only recorded.
 */
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
export type { RateLimit } from './rate-limit';
export type { EmulatorStats } from './stats';
export type { ApiConference, ApiParticipant, ConferenceUpdate, EmulatedConference, EmulatedParticipant } from './state';
export { ErrorCode } from './api-error';
