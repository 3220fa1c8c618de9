/**
 * The one request set every variant sends: the same participants, cycled, alternating mute and unmute,
 * so each variant does the same work against the same emulator.
 */

export interface Target {
  /** Base URL of the emulator, e.g. http://127.0.0.1:PORT */
  url: string;
  projectId: string;
  token: string;
}

export interface BenchRequest {
  conferenceSid: string;
  callSid: string;
  muted: boolean;
}

export interface Workload {
  target: Target;
  /** Requests are taken from this list in order, wrapping around. */
  requests: BenchRequest[];
  /** Updates measured. */
  n: number;
  /** Updates before measuring; the memory checkpoint is taken after them. */
  warmup: number;
  concurrency: number;
  /** Cap on requests in flight configured in the node; at least `concurrency` so the cap is not the limiter. */
  maxInFlight: number;
}

/** Alternate muted true/false across the participants, so consecutive updates to one participant change it. */
export function buildRequests(participants: { conferenceSid: string; callSid: string }[]): BenchRequest[] {
  const requests: BenchRequest[] = [];
  for (const muted of [true, false]) {
    for (const p of participants) requests.push({ conferenceSid: p.conferenceSid, callSid: p.callSid, muted });
  }
  return requests;
}

/** The path of "Update a Participant", as the API documents it. */
export function participantPath(target: Target, req: BenchRequest): string {
  return `/api/laml/2010-04-01/Accounts/${target.projectId}/Conferences/${req.conferenceSid}/Participants/${req.callSid}`;
}

export function basicAuth(target: Target): string {
  return 'Basic ' + Buffer.from(`${target.projectId}:${target.token}`).toString('base64');
}
