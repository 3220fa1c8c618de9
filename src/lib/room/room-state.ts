/**
 * One conference room as a panel shows it: who is in, muted, on hold, coaching, talking, since when. It is fed
 * conference events (as the conference events node reads them), participants lists and the answers to the
 * panel's own actions, in whatever order they arrive.
 *
 * What it remembers: the people in the room, and for each person who left, the time they left (so a late event
 * about them does not bring them back), at most MAX_LEFT of those, oldest forgotten first. Times are the
 * injected clock's, so tests need not wait.
 */
import type { ConferenceEvent } from '../webhooks/conference-event';
import type { Conference, ConferenceParticipant } from '../types';

export type RoomStatus = 'unknown' | 'init' | 'in-progress' | 'completed' | 'not-found';

export interface RoomMember {
  callSid: string;
  /** The caller's number when an event carried one: `From` of an incoming call, `To` of one we placed. */
  number?: string;
  /** The participant label SignalWire sent (`ParticipantLabel`), when it sent one. */
  sentLabel?: string;
  /** When they joined, in milliseconds since 1970, when known. */
  joinedAt?: number;
  muted: boolean;
  hold: boolean;
  coaching: boolean;
  talking: boolean;
  /** Joined with startConferenceOnEnter: the person who starts (hosts) the meeting. */
  moderator: boolean;
}

interface Tracked {
  member: RoomMember;
  /** When an event last said something about this person (the clock's time). */
  touchedAt: number;
  /** The highest SequenceNumber applied to this person, when events carry one. */
  sequence?: number;
}

/** Enough to cover any late event; bounds the memory a long meeting with many callers uses. */
const MAX_LEFT = 1_000;

export class RoomState {
  conferenceSid: string | undefined;
  friendlyName: string | undefined;
  status: RoomStatus = 'unknown';
  /** When the conference started, when known. */
  startedAt: number | undefined;
  /** Goes up by one on every change, so whoever shows the room can tell a newer view from an older one. */
  revision = 0;

  readonly #members = new Map<string, Tracked>();
  /** Call SID → when (the clock's time) and at which sequence number they left. */
  readonly #left = new Map<string, { at: number; sequence?: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get members(): RoomMember[] {
    return [...this.#members.values()].map((tracked) => tracked.member);
  }

  /** Starts over for another room (or the same name's next meeting): nobody is known to be in it yet. */
  reset(room: { conferenceSid?: string; friendlyName?: string }): void {
    this.conferenceSid = room.conferenceSid;
    this.friendlyName = room.friendlyName;
    this.status = 'unknown';
    this.startedAt = undefined;
    this.#members.clear();
    this.#left.clear();
    this.#changed();
  }

  /**
   * Whether the event is about this room: its conference SID, or, while only the name is known, its name.
   * A conference of the same name that is not this one is another meeting (see `isNextMeeting`).
   */
  concerns(event: Pick<ConferenceEvent, 'conferenceSid' | 'friendlyName'>): boolean {
    if (this.conferenceSid) return event.conferenceSid.toLowerCase() === this.conferenceSid.toLowerCase();
    return this.friendlyName !== undefined && event.friendlyName === this.friendlyName;
  }

  /** A new meeting under the room's name (the last one ended, or another started): the panel follows the name. */
  isNextMeeting(event: Pick<ConferenceEvent, 'conferenceSid' | 'friendlyName' | 'event'>): boolean {
    return (
      this.friendlyName !== undefined &&
      event.friendlyName === this.friendlyName &&
      !this.concerns(event) &&
      (event.event === 'conference-start' || event.event === 'participant-join')
    );
  }

  /**
   * Applies one conference event; returns whether the room changed. Events about another conference are
   * ignored. A repeated event, or one older than what is already known of that person, changes nothing.
   */
  applyEvent(event: ConferenceEvent): boolean {
    if (!this.concerns(event)) return false;
    if (!this.conferenceSid) this.conferenceSid = event.conferenceSid;
    if (event.friendlyName) this.friendlyName = event.friendlyName;
    const at = timeOf(event.timestamp);
    const before = this.revision;

    switch (event.event) {
      case 'conference-start':
        this.#setStatus('in-progress');
        if (this.startedAt === undefined && at !== undefined) this.startedAt = at;
        this.#changed();
        break;
      case 'conference-end':
        this.#setStatus('completed');
        this.#everyoneLeft();
        this.#changed();
        break;
      default:
        if (event.event.startsWith('participant-') && event.callSid) this.#applyParticipantEvent(event, at);
    }
    return this.revision !== before;
  }

  /**
   * Takes the participants list (and the conference, when read with it) as the truth, except for what events
   * said after `askedAt`, the time the list was asked for: those are newer than the list.
   */
  applyList(participants: readonly ConferenceParticipant[], askedAt: number, conference?: Conference): void {
    if (conference) {
      this.conferenceSid = conference.sid;
      this.friendlyName = conference.friendly_name;
      this.#setStatus(conference.status);
      this.startedAt = timeOf(conference.date_created) ?? this.startedAt;
    }
    const listed = new Set<string>();
    for (const participant of participants) {
      const callSid = participant.call_sid;
      listed.add(callSid);
      const left = this.#left.get(callSid);
      if (left && left.at > askedAt) continue;
      const known = this.#members.get(callSid);
      if (known && known.touchedAt > askedAt) continue;
      this.#left.delete(callSid);
      this.#put(callSid, fromParticipant(participant, known?.member), known?.touchedAt ?? askedAt, known?.sequence);
    }
    for (const [callSid, tracked] of this.#members) {
      if (!listed.has(callSid) && tracked.touchedAt <= askedAt) this.#leave(callSid, askedAt);
    }
    if (this.#members.size > 0 && this.status !== 'completed') this.#setStatus('in-progress');
    this.#changed();
  }

  /** No conference of that name is in progress (yet): the panel says so and waits. */
  notFound(): void {
    this.status = 'not-found';
    this.#everyoneLeft();
    this.#changed();
  }

  /** The participant as the API answered an update: it is what SignalWire holds now. */
  applyParticipant(participant: ConferenceParticipant): void {
    const known = this.#members.get(participant.call_sid);
    if (!known && this.#left.has(participant.call_sid)) return;
    this.#put(participant.call_sid, fromParticipant(participant, known?.member), this.#now(), known?.sequence);
    this.#changed();
  }

  /** The panel removed them: they are gone, whatever events still arrive about them. */
  removed(callSid: string): void {
    this.#leave(callSid, this.#now());
    this.#changed();
  }

  /** The panel ended the meeting. */
  ended(): void {
    this.#setStatus('completed');
    this.#everyoneLeft();
    this.#changed();
  }

  #applyParticipantEvent(event: ConferenceEvent, at: number | undefined): void {
    const callSid = event.callSid!;
    const sequence = event.sequenceNumber;
    const left = this.#left.get(callSid);
    const known = this.#members.get(callSid);
    // Older than what we know of this person: a repeat, or overtaken by a later event.
    if (known && isOlder(sequence, known.sequence)) return;
    if (event.event === 'participant-leave') {
      // Remembered even for someone not seen yet: their join may come after this, late.
      if (!left || !isOlder(sequence, left.sequence)) this.#leave(callSid, this.#now(), sequence);
      if (known) this.#changed();
      return;
    }
    // Someone who left comes back only by joining again, and only after they left.
    if (left && (event.event !== 'participant-join' || isOlder(sequence, left.sequence) || sequence === undefined)) {
      return;
    }
    this.#left.delete(callSid);
    const member: RoomMember = known
      ? { ...known.member }
      : { callSid, muted: false, hold: false, coaching: false, talking: false, moderator: false };
    if (event.muted !== undefined) member.muted = event.muted;
    if (event.hold !== undefined) member.hold = event.hold;
    if (event.startConferenceOnEnter !== undefined) member.moderator = event.startConferenceOnEnter;
    const coaching = flag(event.params.Coaching);
    if (coaching !== undefined) member.coaching = coaching;
    const number = callerNumber(event.params);
    if (number) member.number = number;
    const label = firstValue(event.params.ParticipantLabel);
    if (label) member.sentLabel = label;
    if (event.event === 'participant-join' && member.joinedAt === undefined) member.joinedAt = at ?? this.#now();
    if (event.event === 'participant-speech-start') member.talking = true;
    if (event.event === 'participant-speech-stop') member.talking = false;
    // Nobody is heard talking while muted or on hold, and no speech-stop may come.
    if (member.muted || member.hold) member.talking = false;
    this.#put(callSid, member, this.#now(), sequence ?? known?.sequence);
    if (this.status !== 'completed') this.#setStatus('in-progress');
    this.#changed();
  }

  #put(callSid: string, member: RoomMember, touchedAt: number, sequence: number | undefined): void {
    const tracked: Tracked = { member, touchedAt };
    if (sequence !== undefined) tracked.sequence = sequence;
    this.#members.set(callSid, tracked);
  }

  #leave(callSid: string, at: number, sequence?: number): void {
    this.#members.delete(callSid);
    this.#left.delete(callSid);
    this.#left.set(callSid, sequence === undefined ? { at } : { at, sequence });
    if (this.#left.size > MAX_LEFT) this.#left.delete(this.#left.keys().next().value as string);
  }

  #everyoneLeft(): void {
    const at = this.#now();
    for (const callSid of [...this.#members.keys()]) this.#leave(callSid, at);
  }

  #setStatus(status: string): void {
    if (status === 'init' || status === 'in-progress' || status === 'completed') this.status = status;
  }

  #changed(): void {
    this.revision += 1;
  }
}

/** A sequence number older than (or the same as) one already applied; unknown on either side is not older. */
function isOlder(sequence: number | undefined, than: number | undefined): boolean {
  return sequence !== undefined && than !== undefined && sequence <= than;
}

function fromParticipant(participant: ConferenceParticipant, known: RoomMember | undefined): RoomMember {
  const muted = participant.muted === true;
  const hold = participant.hold === true;
  const member: RoomMember = {
    callSid: participant.call_sid,
    muted,
    hold,
    coaching: participant.coaching === true,
    talking: !muted && !hold && (known?.talking ?? false),
    moderator: participant.start_conference_on_enter === true,
  };
  const joinedAt = known?.joinedAt ?? timeOf(participant.date_created);
  if (joinedAt !== undefined) member.joinedAt = joinedAt;
  if (known?.number) member.number = known.number;
  if (known?.sentLabel) member.sentLabel = known.sentLabel;
  return member;
}

/** RFC 2822 or ISO 8601 to milliseconds; undefined when it is not a date. */
function timeOf(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : undefined;
}

function flag(value: string | string[] | undefined): boolean | undefined {
  const text = firstValue(value)?.toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** The person's number: who called in (`From`), or who was called (`To`) when the call was placed by us. */
function callerNumber(params: Record<string, string | string[]>): string | undefined {
  const direction = firstValue(params.Direction) ?? 'inbound';
  return firstValue(direction.startsWith('outbound') ? params.To : params.From);
}
