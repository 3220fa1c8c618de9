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
 *   GET|POST /Calls[?To=&From=&Status=&ParentCallSid=&StartTime...=&EndTime...=]   (POST: create a call)
 *   GET|POST /Calls/{Sid}                                      (POST: Status, Url, StatusCallback…)
 * Lists page with Page, PageSize and PageToken; every link keeps the list's filters (paging.ts).
 * Status codes and error codes: see api-error.ts. Control API for other processes: see control-api.ts,
 * events-control.ts and calls-control.ts. Its outbound requests, all signed (signed-request.ts), are status
 * callbacks (status-callbacks.ts) and the cXML its calls fetch (call-progress.ts); hold, announce and wait URLs
 * are only recorded.
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
export {
  DEFAULT_SIGNING_KEY,
  type CallbackDelivery,
  type CallbackTarget,
  type StatusCallbacks,
} from './status-callbacks';
export type { CallbackFaultKind, CallbackFaultRule } from './callback-faults';
export type { ConferenceCalls, JoinRequest, LeaveRequest } from './conference-calls';
export { ManualClock, type Clock } from './clock';
export { DEMO_NUMBERS, DEFAULT_ANSWER_MS, type AnswerBehaviour, type NumberSettings } from './phone-numbers';
export type { ApiCall, EmulatedCall } from './call-records';
export type { CallProgress } from './call-progress';
export type { LogEntry } from './emulator-log';
