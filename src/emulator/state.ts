/**
 * The emulator's conferences and participants, in memory, and how the API's views of them are built. The API
 * views hold exactly the fields of SignalWire's schemas; what only the emulator knows (a participant's demo
 * name, the URLs it was last sent) is in the Emulated* views that the control API and the tests read.
 */
import { randomUUID } from 'node:crypto';
import type { ConferenceParticipant, HttpMethod, ParticipantUpdateOptions } from '../lib/types';
import { ApiError, ErrorCode, notFound } from './api-error';
import { rfc2822, rfc2822Now } from './clock';
import type { ConferenceFilter } from './conference-filter';
import type { Keyed } from './paging';
import { isUuid } from './uuid';
import type { ConferenceStatus, EmulatorSeed, SeedConference, SeedParticipant } from './seed';

export const API_ROOT = '/api/laml/2010-04-01';

interface ParticipantRecord {
  /** Position in the order lists are served in; page tokens point at it. */
  key: number;
  callSid: string;
  label: string | null;
  muted: boolean;
  hold: boolean;
  coaching: boolean;
  callSidToCoach: string | null;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  beepOnExit: boolean | null;
  holdUrl: string | null;
  holdMethod: HttpMethod | null;
  announceUrl: string | null;
  announceMethod: HttpMethod | null;
  waitUrl: string | null;
  waitMethod: HttpMethod | null;
  dateCreated: string;
  dateUpdated: string;
  uri: string;
}

interface ConferenceRecord {
  key: number;
  sid: string;
  friendlyName: string;
  status: ConferenceStatus;
  dateCreated: string;
  dateUpdated: string;
  announceUrl: string | null;
  announceMethod: HttpMethod | null;
  participants: Map<string, ParticipantRecord>;
  uri: string;
}

/** The API's participant body (`ConferenceParticipantResponse`). */
export type ApiParticipant = ConferenceParticipant;

/** What the emulator knows of a participant: the API body plus its demo name and the URLs it was last sent. */
export interface EmulatedParticipant extends ApiParticipant {
  /** The seed's display name: never in an API answer (SignalWire has no such field). */
  label: string | null;
  hold_url: string | null;
  hold_method: HttpMethod | null;
  announce_url: string | null;
  announce_method: HttpMethod | null;
  wait_url: string | null;
  wait_method: HttpMethod | null;
  /** What the last `BeepOnExit` said (null: never set); the emulator plays nothing. */
  beep_on_exit: boolean | null;
}

/** What "Update a Participant" can change in the emulator: the spec's fields, and two the official SDK sends. */
export interface ParticipantUpdate extends ParticipantUpdateOptions {
  endConferenceOnExit?: boolean;
  beepOnExit?: boolean;
}

export interface ApiConference {
  account_sid: string;
  sid: string;
  friendly_name: string;
  status: ConferenceStatus;
  date_created: string;
  date_updated: string;
  api_version: '2010-04-01';
  region: string;
  uri: string;
  subresource_uris: { participants: string; recordings: string };
}

/** What the emulator knows of a conference: the API body, the announcement it was last sent, everyone in it. */
export interface EmulatedConference extends ApiConference {
  announce_url: string | null;
  announce_method: HttpMethod | null;
  participants: EmulatedParticipant[];
}

/** The form of "Update a Conference", once read. */
export interface ConferenceUpdate {
  status?: 'completed';
  announceUrl?: string;
  announceMethod?: HttpMethod;
}

export class EmulatorState {
  private readonly conferences = new Map<string, ConferenceRecord>();
  private nextKey = 1;

  constructor(readonly accountSid: string) {}

  load(seed: EmulatorSeed | null): void {
    this.conferences.clear();
    for (const conference of seed?.conferences ?? []) this.addConference(conference);
  }

  addConference(input: SeedConference): EmulatedConference {
    const sid = input.sid ?? randomUUID();
    if (!isUuid(sid)) throw new TypeError(`Conference sid must be a UUID, got ${JSON.stringify(sid)}`);
    if (this.conferences.has(sid)) throw new TypeError(`Conference ${sid} already exists`);
    const status = input.status ?? 'in-progress';
    checkStatus(status);
    const dateCreated = input.dateCreated === undefined ? rfc2822Now() : toRfc2822('dateCreated', input.dateCreated);
    const dateUpdated = input.dateUpdated === undefined ? dateCreated : toRfc2822('dateUpdated', input.dateUpdated);
    const record: ConferenceRecord = {
      key: this.nextKey++,
      sid,
      friendlyName: input.friendlyName ?? `Conference ${sid.slice(0, 8)}`,
      status,
      dateCreated,
      dateUpdated,
      announceUrl: null,
      announceMethod: null,
      participants: new Map(),
      uri: `${API_ROOT}/Accounts/${this.accountSid}/Conferences/${sid}.json`,
    };
    this.conferences.set(sid, record);
    for (const participant of input.participants ?? []) this.addParticipant(sid, participant);
    return this.conferenceView(record);
  }

  addParticipant(conferenceSid: string, input: SeedParticipant): EmulatedParticipant {
    const conference = this.conferences.get(conferenceSid);
    if (!conference) throw new TypeError(`Conference ${conferenceSid} does not exist`);
    const callSid = input.callSid ?? randomUUID();
    if (!isUuid(callSid)) throw new TypeError(`Participant callSid must be a UUID, got ${JSON.stringify(callSid)}`);
    if (conference.participants.has(callSid))
      throw new TypeError(`Participant ${callSid} is already in ${conferenceSid}`);
    const now = input.dateCreated === undefined ? rfc2822Now() : toRfc2822('dateCreated', input.dateCreated);
    const record: ParticipantRecord = {
      key: this.nextKey++,
      callSid,
      label: input.label ?? null,
      muted: input.muted ?? false,
      hold: input.hold ?? false,
      coaching: input.coaching ?? false,
      callSidToCoach: input.callSidToCoach ?? null,
      startConferenceOnEnter: input.startConferenceOnEnter ?? true,
      endConferenceOnExit: input.endConferenceOnExit ?? false,
      holdUrl: null,
      holdMethod: null,
      announceUrl: null,
      announceMethod: null,
      waitUrl: null,
      waitMethod: null,
      beepOnExit: null,
      dateCreated: now,
      dateUpdated: now,
      uri: `${API_ROOT}/Accounts/${this.accountSid}/Conferences/${conferenceSid}/Participants/${callSid}.json`,
    };
    conference.participants.set(callSid, record);
    return this.participantView(conference, record);
  }

  /** Many participants at once (a large meeting for tests and the benchmark), each like `template`. */
  addParticipants(conferenceSid: string, count: number, template: Omit<SeedParticipant, 'callSid'>): string[] {
    if (!this.conferences.has(conferenceSid)) throw new TypeError(`Conference ${conferenceSid} does not exist`);
    if (!Number.isInteger(count) || count < 1 || count > MAX_BULK) {
      throw new TypeError(`count must be a whole number from 1 to ${MAX_BULK}, got ${JSON.stringify(count)}`);
    }
    if (template.label !== undefined && typeof template.label !== 'string') {
      throw new TypeError('label must be a string');
    }
    const callSids: string[] = [];
    for (let i = 1; i <= count; i++) {
      const label = template.label === undefined ? undefined : `${template.label} ${i}`;
      callSids.push(this.addParticipant(conferenceSid, { ...template, callSid: undefined, label }).call_sid);
    }
    return callSids;
  }

  setConferenceStatus(conferenceSid: string, status: ConferenceStatus): EmulatedConference {
    const conference = this.conferences.get(conferenceSid);
    if (!conference) throw new TypeError(`Conference ${conferenceSid} does not exist`);
    checkStatus(status);
    conference.status = status;
    conference.dateUpdated = rfc2822Now();
    return this.conferenceView(conference);
  }

  getConference(conferenceSid: string): EmulatedConference | undefined {
    const conference = this.conferences.get(conferenceSid);
    return conference && this.conferenceView(conference);
  }

  getParticipant(conferenceSid: string, callSid: string): EmulatedParticipant | undefined {
    const conference = this.conferences.get(conferenceSid);
    const participant = conference?.participants.get(callSid);
    return conference && participant && this.participantView(conference, participant);
  }

  snapshot(): EmulatedConference[] {
    return Array.from(this.conferences.values(), (conference) => this.conferenceView(conference));
  }

  // --- what the API handlers use; these throw ApiError ---

  apiConference(conferenceSid: string): ApiConference {
    return this.apiConferenceView(this.requireConference(conferenceSid));
  }

  apiConferences(filter: ConferenceFilter): Keyed<ApiConference>[] {
    const out: Keyed<ApiConference>[] = [];
    for (const c of this.conferences.values()) {
      if (filter.matches(c.status, c.friendlyName, c.dateCreated, c.dateUpdated)) {
        out.push({ key: c.key, value: this.apiConferenceView(c) });
      }
    }
    return out;
  }

  /**
   * "Update a Conference": `Status=completed` ends it (everyone leaves: the participant list is empty from then
   * on, and each participant reads as completed); an announcement is recorded, never fetched.
   */
  updateConference(conferenceSid: string, update: ConferenceUpdate): ApiConference {
    const conference = this.requireConference(conferenceSid);
    if (conference.status === 'completed') {
      throw new ApiError(
        422,
        ErrorCode.cannotChange,
        `Conference ${conferenceSid} has completed: it can no longer be changed`,
      );
    }
    if (update.announceUrl !== undefined) conference.announceUrl = update.announceUrl;
    if (update.announceMethod !== undefined) conference.announceMethod = update.announceMethod;
    if (update.status === 'completed') conference.status = 'completed';
    conference.dateUpdated = rfc2822Now();
    return this.apiConferenceView(conference);
  }

  apiParticipant(conferenceSid: string, callSid: string): ApiParticipant {
    const conference = this.requireConference(conferenceSid);
    return this.apiParticipantView(conference, this.requireParticipant(conference, callSid));
  }

  /** Active participants only, as the API lists them: none once the conference has completed. */
  apiParticipants(conferenceSid: string, filter: { muted?: boolean; hold?: boolean }): Keyed<ApiParticipant>[] {
    const conference = this.requireConference(conferenceSid);
    const out: Keyed<ApiParticipant>[] = [];
    if (conference.status === 'completed') return out;
    for (const participant of conference.participants.values()) {
      if (filter.muted !== undefined && participant.muted !== filter.muted) continue;
      if (filter.hold !== undefined && participant.hold !== filter.hold) continue;
      out.push({ key: participant.key, value: this.apiParticipantView(conference, participant) });
    }
    return out;
  }

  /** Checks that the participant exists before the body is read for errors, as the API does. */
  requireParticipantExists(conferenceSid: string, callSid: string): void {
    this.requireParticipant(this.requireConference(conferenceSid), callSid);
  }

  /** Applies only the options that are set; everything else stays as it was. */
  updateParticipant(conferenceSid: string, callSid: string, options: ParticipantUpdate): ApiParticipant {
    const conference = this.requireConference(conferenceSid);
    const participant = this.requireParticipant(conference, callSid);
    if (conference.status === 'completed') {
      throw new ApiError(
        422,
        ErrorCode.cannotChange,
        `Conference ${conferenceSid} has completed: its participants can no longer be updated`,
      );
    }
    if (options.coaching === true && options.callSidToCoach === undefined) {
      throw new ApiError(422, ErrorCode.unprocessable, '`CallSidToCoach` is required when `Coaching` is true');
    }
    if (options.callSidToCoach !== undefined && options.coaching !== false) {
      if (options.callSidToCoach === callSid) {
        throw new ApiError(422, ErrorCode.unprocessable, '`CallSidToCoach` cannot be the participant itself');
      }
      if (!conference.participants.has(options.callSidToCoach)) {
        throw new ApiError(
          422,
          ErrorCode.unprocessable,
          `\`CallSidToCoach\` ${options.callSidToCoach} is not a participant of conference ${conferenceSid}`,
        );
      }
    }
    if (options.muted !== undefined) participant.muted = options.muted;
    if (options.hold !== undefined) participant.hold = options.hold;
    if (options.holdUrl !== undefined) participant.holdUrl = options.holdUrl;
    if (options.holdMethod !== undefined) participant.holdMethod = options.holdMethod;
    if (options.announceUrl !== undefined) participant.announceUrl = options.announceUrl;
    if (options.announceMethod !== undefined) participant.announceMethod = options.announceMethod;
    if (options.waitUrl !== undefined) participant.waitUrl = options.waitUrl;
    if (options.waitMethod !== undefined) participant.waitMethod = options.waitMethod;
    if (options.endConferenceOnExit !== undefined) participant.endConferenceOnExit = options.endConferenceOnExit;
    if (options.beepOnExit !== undefined) participant.beepOnExit = options.beepOnExit;
    if (options.coaching === false) {
      participant.coaching = false;
      participant.callSidToCoach = null;
    } else {
      if (options.coaching === true) participant.coaching = true;
      if (options.callSidToCoach !== undefined) participant.callSidToCoach = options.callSidToCoach;
    }
    participant.dateUpdated = rfc2822Now();
    return this.apiParticipantView(conference, participant);
  }

  removeParticipant(conferenceSid: string, callSid: string): void {
    const conference = this.requireConference(conferenceSid);
    const leaving = this.requireParticipant(conference, callSid);
    if (conference.status === 'completed') {
      throw new ApiError(
        422,
        ErrorCode.cannotChange,
        `Conference ${conferenceSid} has completed: its participants have already left`,
      );
    }
    conference.participants.delete(callSid);
    // As in cXML: the conference ends when someone with endConferenceOnExit leaves, or when the last one does.
    if (leaving.endConferenceOnExit || conference.participants.size === 0) {
      conference.status = 'completed';
      conference.dateUpdated = rfc2822Now();
    }
  }

  private requireConference(conferenceSid: string): ConferenceRecord {
    const conference = this.conferences.get(conferenceSid);
    if (!conference) throw notFound(`Conference ${conferenceSid}`);
    return conference;
  }

  private requireParticipant(conference: ConferenceRecord, callSid: string): ParticipantRecord {
    const participant = conference.participants.get(callSid);
    if (!participant) throw notFound(`Participant ${callSid} in conference ${conference.sid}`);
    return participant;
  }

  private apiParticipantView(conference: ConferenceRecord, p: ParticipantRecord): ApiParticipant {
    return {
      account_sid: this.accountSid,
      call_sid: p.callSid,
      call_sid_to_coach: p.callSidToCoach,
      coaching: p.coaching,
      conference_sid: conference.sid,
      date_created: p.dateCreated,
      date_updated: p.dateUpdated,
      status: conference.status === 'completed' ? 'completed' : 'in-progress',
      end_conference_on_exit: p.endConferenceOnExit,
      muted: p.muted,
      hold: p.hold,
      start_conference_on_enter: p.startConferenceOnEnter,
      uri: p.uri,
    };
  }

  private participantView(conference: ConferenceRecord, p: ParticipantRecord): EmulatedParticipant {
    return {
      ...this.apiParticipantView(conference, p),
      label: p.label,
      hold_url: p.holdUrl,
      hold_method: p.holdMethod,
      announce_url: p.announceUrl,
      announce_method: p.announceMethod,
      wait_url: p.waitUrl,
      wait_method: p.waitMethod,
      beep_on_exit: p.beepOnExit,
    };
  }

  private apiConferenceView(c: ConferenceRecord): ApiConference {
    return {
      account_sid: this.accountSid,
      sid: c.sid,
      friendly_name: c.friendlyName,
      status: c.status,
      date_created: c.dateCreated,
      date_updated: c.dateUpdated,
      api_version: '2010-04-01',
      region: 'us1',
      uri: c.uri,
      subresource_uris: {
        participants: c.uri.replace(/\.json$/, '/Participants.json'),
        recordings: c.uri.replace(/\.json$/, '/Recordings.json'),
      },
    };
  }

  private conferenceView(c: ConferenceRecord): EmulatedConference {
    return {
      ...this.apiConferenceView(c),
      announce_url: c.announceUrl,
      announce_method: c.announceMethod,
      participants: Array.from(c.participants.values(), (p) => this.participantView(c, p)),
    };
  }
}

/** The most participants one bulk seed adds: enough for any benchmark, small enough to answer quickly. */
const MAX_BULK = 10_000;

function toRfc2822(name: string, date: unknown): string {
  const time = typeof date === 'string' ? Date.parse(date) : NaN;
  if (Number.isNaN(time)) throw new TypeError(`${name} must be a date, got ${JSON.stringify(date)}`);
  return rfc2822(time);
}

function checkStatus(status: unknown): asserts status is ConferenceStatus {
  if (status !== 'init' && status !== 'in-progress' && status !== 'completed') {
    throw new TypeError(
      `Conference status must be "init", "in-progress" or "completed", got ${JSON.stringify(status)}`,
    );
  }
}
