/**
 * People joining and leaving conferences, as calls running `<Dial><Conference>` would, with the status callbacks
 * that go with it: participant-join, conference-start when the first moderator (startConferenceOnEnter) is in,
 * participant-leave, and conference-end when a participant with endConferenceOnExit leaves or the last one does.
 */
import type { SeedParticipant } from './seed';
import type { EmulatedConference, EmulatedParticipant, EmulatorState } from './state';
import type { CallbackTarget, StatusCallbacks } from './status-callbacks';

/** A call joining a conference: the participant, the cXML callback settings it dials with, and the room. */
export interface JoinRequest extends SeedParticipant, Partial<CallbackTarget> {
  /** The conference to join; or give `friendlyName`. */
  conferenceSid?: string;
  /** The room name: joins the one in progress with this name, or starts a new one. */
  friendlyName?: string;
}

/** Who leaves: the conference (SID or the name of the one in progress) and the call SID or the joiner's label. */
export interface LeaveRequest {
  conferenceSid?: string;
  friendlyName?: string;
  callSid?: string;
  label?: string;
}

export interface JoinResult {
  conference: EmulatedConference;
  participant: EmulatedParticipant;
}

export class ConferenceCalls {
  constructor(
    private readonly state: EmulatorState,
    private readonly callbacks: StatusCallbacks,
    /** Told after someone leaves, so calls waiting in a room that changed run on (call-progress.ts). */
    private readonly afterLeave: () => void = () => undefined,
  ) {}

  join(request: JoinRequest): JoinResult {
    if (typeof request !== 'object' || request === null) throw new TypeError('Send the participant as an object');
    const { conferenceSid, friendlyName, statusCallback, statusCallbackMethod, statusCallbackEvent, ...participant } =
      request;
    let conference = this.findRoom(conferenceSid, friendlyName);
    const wasStarted = conference.participants.some((p) => p.start_conference_on_enter);
    // The first participant's callback settings hold for the whole conference; later ones are ignored.
    if (conference.participants.length === 0 && statusCallback) {
      this.callbacks.setTarget(conference.sid, { statusCallback, statusCallbackMethod, statusCallbackEvent });
    }
    const joined = this.state.addParticipant(conference.sid, participant);
    conference = this.state.getConference(conference.sid)!;
    this.callbacks.emit('participant-join', conference, joined);
    if (!wasStarted && joined.start_conference_on_enter) this.callbacks.emit('conference-start', conference);
    return { conference, participant: joined };
  }

  /** The participant leaves: found by call SID, or by the name given when it joined (`label`). */
  leave(request: LeaveRequest): EmulatedConference {
    if (typeof request !== 'object' || request === null) throw new TypeError('Send who leaves as an object');
    const found = this.findRoom(request.conferenceSid, request.friendlyName, false);
    const participant = found.participants.find((p) =>
      request.callSid !== undefined ? p.call_sid === request.callSid : p.label === request.label,
    );
    const who = request.callSid ?? request.label;
    if (!participant) throw new TypeError(`Participant ${String(who)} is not in conference ${found.sid}`);
    const conferenceSid = found.sid;
    const callSid = participant.call_sid;
    this.state.removeParticipant(conferenceSid, callSid);
    let now = this.state.getConference(conferenceSid)!;
    this.callbacks.emit('participant-leave', now, participant);
    if (participant.end_conference_on_exit || now.participants.length === 0) {
      for (const other of now.participants) this.callbacks.emit('participant-leave', now, other);
      now = this.state.setConferenceStatus(conferenceSid, 'completed');
      this.callbacks.emit('conference-end', now);
    }
    this.afterLeave();
    return now;
  }

  /** The conference by SID, or the one in progress with that name (started when `create` and there is none). */
  private findRoom(
    conferenceSid: string | undefined,
    friendlyName: string | undefined,
    create = true,
  ): EmulatedConference {
    if (conferenceSid !== undefined) {
      const conference = this.state.getConference(conferenceSid);
      if (!conference) throw new TypeError(`Conference ${conferenceSid} does not exist`);
      if (conference.status === 'completed') throw new TypeError(`Conference ${conferenceSid} has ended`);
      return conference;
    }
    if (typeof friendlyName !== 'string' || friendlyName === '') {
      throw new TypeError('Give the conference to join: conferenceSid, or friendlyName');
    }
    const live = this.state.snapshot().find((c) => c.friendly_name === friendlyName && c.status === 'in-progress');
    if (live) return live;
    if (!create) throw new TypeError(`No conference named ${JSON.stringify(friendlyName)} is in progress`);
    return this.state.addConference({ friendlyName, status: 'in-progress', participants: [] });
  }
}
