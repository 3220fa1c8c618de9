/** The emulator's conferences and participants, in memory, and how the API's views of them are built. */
import { randomUUID } from 'node:crypto';
import type { ConferenceParticipant, HttpMethod, ParticipantUpdateOptions } from '../lib/types';
import { ApiError, ErrorCode, notFound } from './api-error';
import { rfc2822Now } from './clock';
import { isUuid } from './uuid';
import type { ConferenceStatus, EmulatorSeed, SeedConference, SeedParticipant } from './seed';

export const API_ROOT = '/api/laml/2010-04-01';

interface ParticipantRecord {
  callSid: string;
  label: string | null;
  muted: boolean;
  hold: boolean;
  coaching: boolean;
  callSidToCoach: string | null;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  holdUrl: string | null;
  holdMethod: HttpMethod | null;
  announceUrl: string | null;
  announceMethod: HttpMethod | null;
  waitUrl: string | null;
  waitMethod: HttpMethod | null;
  beep: string | null;
  dateCreated: string;
  dateUpdated: string;
  uri: string;
}

interface ConferenceRecord {
  sid: string;
  friendlyName: string;
  status: ConferenceStatus;
  dateCreated: string;
  dateUpdated: string;
  participants: Map<string, ParticipantRecord>;
  uri: string;
}

/** The API's participant body plus its label. */
export interface ApiParticipant extends ConferenceParticipant {
  label: string | null;
}

/** What the emulator knows of a participant: the API body plus the URLs and methods it was last sent. */
export interface EmulatedParticipant extends ApiParticipant {
  hold_url: string | null;
  hold_method: HttpMethod | null;
  announce_url: string | null;
  announce_method: HttpMethod | null;
  wait_url: string | null;
  wait_method: HttpMethod | null;
  beep: string | null;
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
  reason_conference_ended: string | null;
  uri: string;
  subresource_uris: { participants: string };
}

export interface EmulatedConference extends ApiConference {
  participants: EmulatedParticipant[];
}

export class EmulatorState {
  private readonly conferences = new Map<string, ConferenceRecord>();

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
    const now = rfc2822Now();
    const record: ConferenceRecord = {
      sid,
      friendlyName: input.friendlyName ?? `Conference ${sid.slice(0, 8)}`,
      status,
      dateCreated: now,
      dateUpdated: now,
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
    const now = input.dateCreated === undefined ? rfc2822Now() : toRfc2822(input.dateCreated);
    const record: ParticipantRecord = {
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
      beep: null,
      dateCreated: now,
      dateUpdated: now,
      uri: `${API_ROOT}/Accounts/${this.accountSid}/Conferences/${conferenceSid}/Participants/${callSid}.json`,
    };
    conference.participants.set(callSid, record);
    return this.participantView(conference, record);
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

  apiConferences(filter: { status?: string; friendlyName?: string }): ApiConference[] {
    const out: ApiConference[] = [];
    for (const conference of this.conferences.values()) {
      if (filter.status !== undefined && conference.status !== filter.status) continue;
      if (filter.friendlyName !== undefined && conference.friendlyName !== filter.friendlyName) continue;
      out.push(this.apiConferenceView(conference));
    }
    return out;
  }

  /** The API's way to end a conference: `Status=completed`. */
  completeConference(conferenceSid: string): ApiConference {
    const conference = this.requireConference(conferenceSid);
    conference.status = 'completed';
    conference.dateUpdated = rfc2822Now();
    return this.apiConferenceView(conference);
  }

  apiParticipant(conferenceSid: string, callSid: string): ApiParticipant {
    const conference = this.requireConference(conferenceSid);
    return this.apiParticipantView(conference, this.requireParticipant(conference, callSid));
  }

  apiParticipants(conferenceSid: string, filter: { muted?: boolean; hold?: boolean }): ApiParticipant[] {
    const conference = this.requireConference(conferenceSid);
    const out: ApiParticipant[] = [];
    for (const participant of conference.participants.values()) {
      if (filter.muted !== undefined && participant.muted !== filter.muted) continue;
      if (filter.hold !== undefined && participant.hold !== filter.hold) continue;
      out.push(this.apiParticipantView(conference, participant));
    }
    return out;
  }

  /** Checks that the participant exists before the body is read for errors, as the API does. */
  requireParticipantExists(conferenceSid: string, callSid: string): void {
    this.requireParticipant(this.requireConference(conferenceSid), callSid);
  }

  /** Applies only the options that are set; everything else stays as it was. */
  updateParticipant(conferenceSid: string, callSid: string, options: ParticipantUpdateOptions): ApiParticipant {
    const conference = this.requireConference(conferenceSid);
    const participant = this.requireParticipant(conference, callSid);
    if (conference.status === 'completed') {
      throw new ApiError(
        422,
        ErrorCode.conferenceCompleted,
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
    if (options.beep !== undefined) participant.beep = String(options.beep);
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
    this.requireParticipant(conference, callSid);
    conference.participants.delete(callSid);
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
      status: conference.status,
      end_conference_on_exit: p.endConferenceOnExit,
      muted: p.muted,
      hold: p.hold,
      start_conference_on_enter: p.startConferenceOnEnter,
      label: p.label,
      uri: p.uri,
    };
  }

  private participantView(conference: ConferenceRecord, p: ParticipantRecord): EmulatedParticipant {
    return {
      ...this.apiParticipantView(conference, p),
      hold_url: p.holdUrl,
      hold_method: p.holdMethod,
      announce_url: p.announceUrl,
      announce_method: p.announceMethod,
      wait_url: p.waitUrl,
      wait_method: p.waitMethod,
      beep: p.beep,
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
      reason_conference_ended: c.status === 'completed' ? 'conference-ended-via-api' : null,
      uri: c.uri,
      subresource_uris: { participants: c.uri.replace(/\.json$/, '/Participants.json') },
    };
  }

  private conferenceView(c: ConferenceRecord): EmulatedConference {
    return {
      ...this.apiConferenceView(c),
      participants: Array.from(c.participants.values(), (p) => this.participantView(c, p)),
    };
  }
}

function toRfc2822(date: string): string {
  const time = Date.parse(date);
  if (Number.isNaN(time)) throw new TypeError(`dateCreated must be a date, got ${JSON.stringify(date)}`);
  return new Date(time).toUTCString().replace('GMT', '+0000');
}

function checkStatus(status: unknown): asserts status is ConferenceStatus {
  if (status !== 'in-progress' && status !== 'completed') {
    throw new TypeError(`Conference status must be "in-progress" or "completed", got ${JSON.stringify(status)}`);
  }
}
