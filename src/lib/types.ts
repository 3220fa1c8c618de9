/** The data shapes shared by the client, the emulator, the Node-RED nodes and the tests. */

export type HttpMethod = 'GET' | 'POST';

/**
 * What "Update a Participant" can change. Every field is optional: a field left undefined is not sent,
 * so SignalWire leaves that part of the participant as it is.
 */
export interface ParticipantUpdateOptions {
  muted?: boolean;
  hold?: boolean;
  holdUrl?: string;
  holdMethod?: HttpMethod;
  announceUrl?: string;
  announceMethod?: HttpMethod;
  waitUrl?: string;
  waitMethod?: HttpMethod;
  coaching?: boolean;
  callSidToCoach?: string;
}

export type ParticipantStatus = 'in-progress' | 'completed';

/** `ConferenceParticipantResponse`, exactly as the API returns it (snake_case). */
export interface ConferenceParticipant {
  account_sid: string;
  call_sid: string;
  call_sid_to_coach: string | null;
  coaching: boolean;
  conference_sid: string;
  date_created: string;
  date_updated: string;
  status: ParticipantStatus;
  end_conference_on_exit: boolean;
  muted: boolean;
  hold: boolean;
  start_conference_on_enter: boolean;
  uri: string;
}

/** `CompatibilityErrorResponse` as the API documents it; real bodies vary (see errors.ts). */
export interface CompatibilityErrorResponse {
  code: number | string;
  message: string;
  more_info: string;
  status: number;
}

export type ErrorSource = 'validation' | 'api' | 'network' | 'timeout';

/** Every failure, whatever its cause, reaches the caller in this one shape. It never carries the token. */
export interface NormalizedError {
  message: string;
  source: ErrorSource;
  /** HTTP status, when SignalWire answered. */
  status?: number;
  /** SignalWire's error code (e.g. 20003), or a network error code (e.g. ECONNRESET). */
  code?: number | string;
  /** SignalWire's link explaining the error. */
  moreInfo?: string;
}

export interface ClientSettings {
  /** A space name (`example`), a host (`example.signalwire.com`) or a base URL (`http://127.0.0.1:8080`). */
  space: string;
  projectId: string;
  token: string;
  /** Per attempt, in milliseconds. Default 10 000. */
  timeout?: number;
  /** Retries after the first attempt on 429, 503 and connection errors. Default 3. */
  retries?: number;
  /** Requests in flight at once; further requests wait in order. Default 10. */
  maxInFlight?: number;
  /** First backoff before a retry, in milliseconds; doubles each retry, plus up to 20 % jitter. Default 250. */
  retryDelay?: number;
  /**
   * Longest `Retry-After` honoured, in milliseconds. A server asking for a longer wait gets no retry: the
   * 429/503 is reported at once instead of holding the message. Default 30 000.
   */
  maxRetryAfter?: number;
}

export interface UpdateResult {
  participant: ConferenceParticipant;
  statusCode: number;
}

export type ConnectionCheck =
  /** `space` is the base URL reached, `projectId` the project whose credentials it accepted. */
  | { ok: true; space: string; projectId: string }
  | { ok: false; reason: 'auth' | 'unreachable' | 'invalid' | 'other'; message: string };

/** Participant list filters; a filter left undefined is not sent. */
export interface ParticipantFilter {
  muted?: boolean;
  hold?: boolean;
}

export type ConferenceStatus = 'init' | 'in-progress' | 'completed';

/** `ConferenceResponse`, exactly as the API returns it (snake_case). */
export interface Conference {
  sid: string;
  account_sid: string;
  date_created: string;
  date_updated: string;
  friendly_name: string;
  status: ConferenceStatus;
  api_version: string;
  region: string;
  uri: string;
  subresource_uris: Record<string, string>;
}

/**
 * Conference list filters; one left undefined is not sent. Dates are `YYYY-MM-DD`; `Before`/`After` are the
 * API's `DateCreated<` and `DateCreated>` (and the same for DateUpdated).
 */
export interface ConferenceFilter {
  friendlyName?: string;
  status?: ConferenceStatus;
  dateCreated?: string;
  dateCreatedBefore?: string;
  dateCreatedAfter?: string;
  dateUpdated?: string;
  dateUpdatedBefore?: string;
  dateUpdatedAfter?: string;
}

/** An announcement to a whole conference. */
export interface AnnounceOptions {
  announceUrl: string;
  /** Default POST (the API's default). */
  announceMethod?: HttpMethod;
}

export interface RemoveResult {
  conferenceSid: string;
  callSid: string;
  removed: true;
  statusCode: number;
}

export interface UpdateEveryoneOptions {
  /** Call SIDs to leave alone: an array, or one string separated by commas or spaces. */
  except?: readonly string[] | string;
  /** Leave alone the moderators: participants who joined with `startConferenceOnEnter`. */
  skipModerators?: boolean;
}

/** What "update everyone" did, participant by participant. */
export interface UpdateEveryoneResult {
  /** The participants as the API returned them after the update, in list order. */
  updated: ConferenceParticipant[];
  /** Call SIDs of the participants left alone, each once. */
  skipped: string[];
  /** Call SIDs of the participants who hung up between the list and their update (it answered 404). */
  gone: string[];
  failed: Array<{ callSid: string; error: NormalizedError }>;
  /**
   * Set when leaving the moderators alone left nobody to update, two or more participants being moderators: in a
   * conference nobody configured, everyone is one (cXML's `startConferenceOnEnter` defaults to true).
   */
  allModerators?: true;
}

/** Every status a call can be in (`CallResponse.status`). */
export const CALL_STATUSES = [
  'queued',
  'ringing',
  'in-progress',
  'canceled',
  'completed',
  'busy',
  'failed',
  'no-answer',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** `CallResponse`, as the API returns it (snake_case); the fields a flow reads, and the rest as they came. */
export interface Call {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  status: CallStatus;
  direction: string;
  date_created: string;
  date_updated: string;
  start_time: string | null;
  end_time: string | null;
  duration: number | string | null;
  uri: string;
  [field: string]: unknown;
}

/** The progress a call's status callback can report (`StatusCallbackEvent`). */
export type CallProgressEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** What "Create a Call" sends, once checked. */
export interface CreateCallOptions {
  /** An E.164 number (`+15551230001`) or a `sip:` address. */
  to: string;
  /** One of the project's numbers, E.164. */
  from: string;
  /** Where SignalWire fetches the call's cXML once it is answered. */
  url: string;
  /** Default POST (the API's default). */
  method?: HttpMethod;
  /** Where the call's progress goes. */
  statusCallback?: string;
  statusCallbackMethod?: HttpMethod;
  /** Default: every event, when statusCallback is set. */
  statusCallbackEvents?: CallProgressEvent[];
  /** Seconds to ring, 1 to 600. Left out: the API's default (60). */
  timeout?: number;
}

/** Call list filters; one left undefined is not sent. */
export interface CallFilter {
  to?: string;
  from?: string;
  status?: CallStatus;
}
