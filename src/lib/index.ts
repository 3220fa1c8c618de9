/** The SignalWire conference client: no Node-RED here, usable from any Node.js program. */
export { SignalWireClient } from './client';
export { SignalWireError, normalizeError } from './errors';
export { resolveBaseUrl } from './space';
export { isUuid } from './uuid';
export { isHttpUri, toHttpUri } from './uri';
export { validateUpdateOptions, toFormBody, UPDATE_OPTION_NAMES } from './update-options';
export { isParticipant } from './participant-response';
export { retryAfterMs, type RetryMode } from './retry';
export { CredentialRedactor } from './redact';
export { closeWaitFor, MAX_CLOSE_WAIT } from './shutdown';
export { startsAnAction } from './update-actions';
export { USER_AGENT } from './user-agent';
export type { Transport, ApiRequest, ApiResponse } from './transport';
export { listParticipants, retrieveParticipant, removeParticipant, validateParticipantFilter } from './participants';
export {
  listConferences,
  findConference,
  retrieveConference,
  endConference,
  announceToConference,
  validateConferenceFilter,
} from './conferences';
export { updateEveryone, parseCallSids, type ParticipantUpdater } from './update-everyone';
export { MAX_PAGES, MAX_PAGE_SIZE, type PagingOptions } from './paging';
export type * from './types';
