/**
 * The SignalWire conference client: no Node-RED here, usable from any Node.js program.
 *
 * - client.ts: one client per project, putting the transport together.
 * - transport/: how a request travels: authentication, keep-alive and proxies, the in-flight cap, retries and
 *   easing off after 429s, pacing call creation, paging, normalized and redacted errors, the shutdown budget.
 * - resources/: what is asked of the API, by its own names: participants, conferences, calls, update everyone.
 * - webhooks/: what SignalWire sends us: status callbacks, incoming calls, their signatures and replays.
 * - cxml/: what a call is answered with: the cXML, and the join route's URL that carries it.
 * - room/: a live conference panel without its user interface: the room, what it shows, its buttons.
 * - values/: checks of single values a person types (SIDs, URLs) and how they are quoted in errors.
 * - clock.ts: time as the client reads it, injectable so tests need not wait.
 */
export { SignalWireClient } from './client';
export { SignalWireError, normalizeError } from './transport/errors';
export { resolveBaseUrl } from './transport/space';
export { isUuid } from './values/uuid';
export { isHttpUri, toHttpUri } from './values/uri';
export { validateUpdateOptions, toFormBody, UPDATE_OPTION_NAMES } from './resources/update-options';
export { isParticipant } from './resources/participant-response';
export { retryAfterMs, type RetryMode } from './transport/retry';
export { CredentialRedactor } from './transport/redact';
export { closeWaitFor, MAX_CLOSE_WAIT } from './transport/shutdown';
export { startsAnAction } from './resources/update-actions';
export { USER_AGENT } from './transport/user-agent';
export type { Transport, ApiRequest, ApiResponse } from './transport/transport';
export {
  listParticipants,
  retrieveParticipant,
  removeParticipant,
  validateParticipantFilter,
} from './resources/participants';
export {
  listConferences,
  findConference,
  retrieveConference,
  endConference,
  announceToConference,
  validateConferenceFilter,
} from './resources/conferences';
export { updateEveryone, parseCallSids, type ParticipantUpdater } from './resources/update-everyone';
export { MAX_PAGES, MAX_PAGE_SIZE, type PagingOptions } from './transport/paging';
export type * from './types';
export {
  createCall,
  retrieveCall,
  hangUpCall,
  listCalls,
  validateCreateCall,
  validateCallFilter,
  isCall,
} from './resources/calls';
export { CallPacer, validateCallsPerSecond } from './transport/call-pacing';
export type { Clock } from './clock';
export {
  buildCxml,
  validateCallAnswer,
  validateJoinOptions,
  MAX_ROOM_NAME,
  type CallAnswer,
  type JoinOptions,
  type Beep,
} from './cxml/call-answer';
export { joinUrl, readJoinUrl } from './cxml/join-url';
export {
  RoomPanel,
  checkRoomTarget,
  inWords,
  type RoomTarget,
  type PressOutcome,
  type DescribeOutcome,
  type DescribeProblem,
} from './room/room-panel';
export { RoomState, type RoomMember, type RoomStatus } from './room/room-state';
export { roomView, type RoomView, type PersonView, type PanelAction, type Notice } from './room/room-view';
export { mergeLabels, type Labels } from './room/labels';
export { conferenceEventOf, callEventOf } from './room/event-message';
export type { ConferenceEvent } from './webhooks/conference-event';
export type { CallEvent } from './webhooks/call-event';
