/**
 * A live conference panel's brain, without any user interface: it keeps one room current from conference
 * events, reads the participants list to start and to correct itself, and runs the panel's buttons through the
 * SignalWire client (so they share its in-flight cap, retries, ease-off and redaction).
 *
 * What it remembers: the room (see RoomState), the labels a flow gave, which buttons are running, and the last
 * outcome in words. One list read runs at a time; asks that come meanwhile make one more read after it.
 */
import { findConference, retrieveConference, endConference } from '../resources/conferences';
import { listParticipants, removeParticipant } from '../resources/participants';
import { updateEveryone, type ParticipantUpdater } from '../resources/update-everyone';
import { normalizeError, validationError } from '../transport/errors';
import type { Conference, NormalizedError, ParticipantUpdateOptions } from '../types';
import type { ConferenceEvent } from '../webhooks/conference-event';
import { describeValue } from '../values/describe-value';
import { isUuid } from '../values/uuid';
import { mergeLabels } from './labels';
import { RoomState } from './room-state';
import {
  displayName,
  PANEL_ACTIONS,
  PERSON_ACTIONS,
  roomView,
  type Notice,
  type PanelAction,
  type RoomView,
} from './room-view';

/** Which room: its name (the panel follows that name's next meeting too), or one conference by SID. */
export interface RoomTarget {
  friendlyName?: string;
  conferenceSid?: string;
}

/** What one button press came to. */
export interface PressOutcome {
  /** One of PANEL_ACTIONS, or what an unknown press asked for. */
  action: string;
  conferenceSid?: string;
  callSid?: string;
  /** The person's name as the panel showed it. */
  name?: string;
  ok: boolean;
  /** What SignalWire answered: the participant, the `updateEveryone` result, the conference, or the removal. */
  result?: unknown;
  error?: NormalizedError;
}

/** The words of a notice, so a caller can give them in the user's language. */
export type DescribeOutcome = (outcome: PressOutcome) => string;
/** The words saying why the room could not be read. */
export type DescribeProblem = (error: NormalizedError) => string;

export interface RoomPanelOptions {
  client: ParticipantUpdater;
  /** Called whenever what the panel shows changed. */
  onChange: (view: RoomView) => void;
  /** Hold music for the hold button; SignalWire's default music when left out. */
  hold?: Pick<ParticipantUpdateOptions, 'holdUrl' | 'holdMethod'>;
  describe?: DescribeOutcome;
  describeProblem?: DescribeProblem;
  now?: () => number;
}

export class RoomPanel {
  readonly #client: ParticipantUpdater;
  readonly #onChange: (view: RoomView) => void;
  readonly #hold: Pick<ParticipantUpdateOptions, 'holdUrl' | 'holdMethod'>;
  readonly #describe: DescribeOutcome;
  readonly #describeProblem: DescribeProblem;
  readonly #now: () => number;
  readonly #room: RoomState;
  #target: RoomTarget = {};
  #labels = new Map<string, string>();
  readonly #busy = new Map<string, PanelAction>();
  #roomBusy: PanelAction | undefined;
  #notice: Notice | undefined;
  #problem: string | undefined;
  #reading: Promise<void> | undefined;
  #readAgain = false;
  #closed = false;

  constructor(options: RoomPanelOptions) {
    this.#client = options.client;
    this.#onChange = options.onChange;
    this.#hold = options.hold ?? {};
    this.#describe = options.describe ?? describeInEnglish;
    this.#describeProblem = options.describeProblem ?? describeProblemInEnglish;
    this.#now = options.now ?? Date.now;
    this.#room = new RoomState(this.#now);
  }

  get view(): RoomView {
    return roomView(this.#room, this.#labels, {
      busy: this.#busy,
      ...(this.#roomBusy ? { roomBusy: this.#roomBusy } : {}),
      ...(this.#notice ? { notice: this.#notice } : {}),
      ...(this.#problem ? { problem: this.#problem } : {}),
      now: this.#now(),
    });
  }

  get target(): RoomTarget {
    return { ...this.#target };
  }

  /** Shows another room (checked first: a bad target changes nothing) and reads it. */
  switchTo(target: RoomTarget): Promise<void> {
    const checked = checkRoomTarget(target);
    this.#target = checked;
    this.#room.reset(checked);
    this.#busy.clear();
    this.#roomBusy = undefined;
    this.#notice = undefined;
    this.#problem = undefined;
    this.#changed();
    return this.refresh();
  }

  /** Adds, changes or takes away names (see labels.ts). */
  setLabels(input: unknown): void {
    this.#labels = mergeLabels(this.#labels, input);
    this.#changed();
  }

  /**
   * One conference event. Events about other conferences are left alone; a new meeting under the room's name
   * is followed; an event about someone the panel did not know of means it missed something: it reads the list.
   */
  handleEvent(event: ConferenceEvent): void {
    if (this.#closed) return;
    if (!this.#target.conferenceSid && this.#room.isNextMeeting(event)) {
      this.#room.reset({ conferenceSid: event.conferenceSid, friendlyName: event.friendlyName });
      this.#room.applyEvent(event);
      this.#changed();
      void this.refresh();
      return;
    }
    if (!this.#room.concerns(event)) return;
    const knew = event.callSid ? this.#room.members.some((m) => m.callSid === event.callSid) : true;
    if (this.#room.applyEvent(event)) this.#changed();
    const missedJoin = !knew && event.event !== 'participant-join' && event.event !== 'participant-leave';
    if (missedJoin || event.event === 'conference-start') void this.refresh();
  }

  /** Reads the conference and its participants list and takes them as the truth. Never rejects. */
  refresh(): Promise<void> {
    if (this.#closed || (!this.#target.friendlyName && !this.#target.conferenceSid)) return Promise.resolve();
    if (this.#reading) {
      this.#readAgain = true;
      return this.#reading;
    }
    const reading = this.#read().finally(() => {
      this.#reading = undefined;
      if (this.#readAgain && !this.#closed) {
        this.#readAgain = false;
        void this.refresh();
      }
    });
    this.#reading = reading;
    return reading;
  }

  /** Runs one button. Never rejects: a failure is in the outcome (and on the panel, in words). */
  async press(action: unknown, callSid?: unknown): Promise<PressOutcome> {
    if (typeof action !== 'string' || !(PANEL_ACTIONS as readonly string[]).includes(action)) {
      // What a flow sent may be anything (a BigInt, an object without a prototype): described, never serialized.
      const named = describeValue(action);
      return this.#fail({ action: named, ok: false }, validationError(`unknown button ${named}`));
    }
    const act = action as PanelAction;
    const forPerson = PERSON_ACTIONS.includes(act);
    const conferenceSid = this.#room.conferenceSid;
    const outcome: PressOutcome = { action: act, ok: false };
    if (conferenceSid) outcome.conferenceSid = conferenceSid;
    const person = forPerson ? this.#room.members.find((m) => m.callSid === callSid) : undefined;
    if (forPerson) {
      if (typeof callSid === 'string') outcome.callSid = callSid;
      if (!isUuid(callSid)) return this.#fail(outcome, validationError('the button names no participant'));
      if (!person) return this.#fail(outcome, validationError('they are no longer in the room'));
      outcome.name = displayName(person, this.#labels);
    }
    if (!conferenceSid || this.#room.status !== 'in-progress') {
      return this.#fail(outcome, validationError('no meeting is in progress'));
    }
    const busyKey = forPerson ? (callSid as string) : undefined;
    if ((busyKey && this.#busy.has(busyKey)) || this.#roomBusy) {
      return this.#fail(outcome, validationError('another button is still running'));
    }
    if (busyKey) this.#busy.set(busyKey, act);
    else this.#roomBusy = act;
    this.#changed();
    try {
      outcome.result = await this.#run(act, conferenceSid, busyKey);
      outcome.ok = true;
      const failed = act === 'mute-all' ? (outcome.result as { failed: unknown[] }).failed.length : 0;
      this.#notice = { kind: failed > 0 ? 'error' : 'done', text: this.#describe(outcome), at: this.#now() };
      return outcome;
    } catch (error) {
      return this.#fail(outcome, error);
    } finally {
      if (busyKey) this.#busy.delete(busyKey);
      else this.#roomBusy = undefined;
      this.#changed();
    }
  }

  /** No more reads or changes; what is running still ends with an outcome. */
  close(): void {
    this.#closed = true;
  }

  async #run(action: PanelAction, conferenceSid: string, callSid: string | undefined): Promise<unknown> {
    const client = this.#client;
    // The panel may have switched rooms while the request ran: the answer is then about a room it no longer shows.
    const room = () => (this.#room.conferenceSid === conferenceSid ? this.#room : undefined);
    switch (action) {
      case 'mute':
      case 'unmute':
      case 'hold':
      case 'unhold': {
        const options: ParticipantUpdateOptions =
          action === 'mute' || action === 'unmute' ? { muted: action === 'mute' } : { hold: action === 'hold' };
        if (action === 'hold') Object.assign(options, this.#hold);
        const { participant } = await client.updateParticipant(conferenceSid, callSid, options);
        room()?.applyParticipant(participant);
        return participant;
      }
      case 'remove': {
        const removed = await removeParticipant(client, conferenceSid, callSid);
        room()?.removed(callSid!);
        return removed;
      }
      case 'mute-all': {
        const result = await updateEveryone(client, conferenceSid, { muted: true }, { skipModerators: true });
        for (const participant of result.updated) room()?.applyParticipant(participant);
        return result;
      }
      case 'end': {
        const conference = await endConference(client, conferenceSid);
        room()?.ended();
        return conference;
      }
    }
  }

  async #read(): Promise<void> {
    const askedAt = this.#now();
    const client = this.#client;
    try {
      const conference = await this.#currentConference();
      if (this.#closed) return;
      if (!conference) {
        // The meeting the panel showed has ended and no new one has begun: it keeps saying it ended.
        if (this.#room.status !== 'completed') this.#room.notFound();
        this.#problem = undefined;
        return;
      }
      if (this.#room.conferenceSid && conference.sid !== this.#room.conferenceSid) {
        this.#room.reset({ conferenceSid: conference.sid, friendlyName: conference.friendly_name });
      }
      const participants = conference.status === 'completed' ? [] : await listParticipants(client, conference.sid);
      if (this.#closed) return;
      this.#room.applyList(participants, askedAt, conference);
      this.#problem = undefined;
    } catch (error) {
      this.#problem = this.#describeProblem(asNormalized(error));
    } finally {
      this.#changed();
    }
  }

  /** The conference to show: by SID, or the live one by name (undefined when none is in progress). */
  async #currentConference(): Promise<Conference | undefined> {
    const client = this.#client;
    if (this.#target.conferenceSid) return retrieveConference(client, this.#target.conferenceSid);
    const known = this.#room.conferenceSid;
    if (known && this.#room.status === 'in-progress') {
      const conference = await retrieveConference(client, known);
      if (conference.status !== 'completed') return conference;
    }
    try {
      return await findConference(client, this.#target.friendlyName);
    } catch (error) {
      if ((error as { status?: unknown } | null)?.status === 404) return undefined;
      throw error;
    }
  }

  #fail(outcome: PressOutcome, error: unknown): PressOutcome {
    outcome.ok = false;
    outcome.error = asNormalized(error);
    this.#notice = { kind: 'error', text: this.#describe(outcome), at: this.#now() };
    this.#changed();
    return outcome;
  }

  #changed(): void {
    if (!this.#closed) this.#onChange(this.view);
  }
}

/**
 * The error as plain data. A SignalWireError is read by its fields, not by its class: the client may come from
 * another copy of this package (a connection node installed twice) whose class is not this one.
 */
function asNormalized(error: unknown): NormalizedError {
  const failure = error as Partial<NormalizedError> | null;
  if (failure && typeof failure.message === 'string' && typeof failure.source === 'string') {
    const plain: NormalizedError = { message: failure.message, source: failure.source };
    if (failure.status !== undefined) plain.status = failure.status;
    if (failure.code !== undefined) plain.code = failure.code;
    if (failure.moreInfo !== undefined) plain.moreInfo = failure.moreInfo;
    return plain;
  }
  return normalizeError(error).toJSON();
}

/** The room a target names, checked: a conference SID, or a name of 1 to 64 characters (trimmed). */
export function checkRoomTarget(target: RoomTarget): RoomTarget {
  if (target.conferenceSid !== undefined) {
    if (!isUuid(target.conferenceSid)) {
      throw validationError(
        `conferenceSid must be a conference SID, a UUID (got ${describeValue(target.conferenceSid)})`,
      );
    }
    return { conferenceSid: target.conferenceSid };
  }
  const name = typeof target.friendlyName === 'string' ? target.friendlyName.trim() : '';
  if (!name || name.length > 64) {
    throw validationError('the room must be a conference name (1 to 64 characters) or a conference SID');
  }
  return { friendlyName: name };
}

const DONE: Record<PanelAction, string> = {
  mute: 'muted',
  unmute: 'unmuted',
  hold: 'on hold',
  unhold: 'off hold',
  remove: 'removed',
  'mute-all': 'everyone but the host muted',
  end: 'meeting ended',
};
const VERB: Record<PanelAction, string> = {
  mute: 'mute',
  unmute: 'unmute',
  hold: 'hold',
  unhold: 'take off hold',
  remove: 'remove',
  'mute-all': 'mute everyone',
  end: 'end the meeting',
};

/** "Bob: muted", "Could not mute Bob: Conference … has completed". */
function describeInEnglish(outcome: PressOutcome): string {
  const who = outcome.name ? ` ${outcome.name}` : '';
  if (outcome.ok) {
    const failed = (outcome.result as { failed?: Array<{ error: NormalizedError }> } | undefined)?.failed ?? [];
    if (outcome.action === 'mute-all' && failed.length > 0) {
      return `Muted ${(outcome.result as { updated: unknown[] }).updated.length}; ${failed.length} could not be muted: ${failed[0]!.error.message}`;
    }
    const done = DONE[outcome.action as PanelAction] ?? outcome.action;
    return outcome.name ? `${outcome.name}: ${done}` : capitalized(done);
  }
  const verb = VERB[outcome.action as PanelAction] ?? 'do that';
  return `Could not ${verb}${who}: ${outcome.error ? inWords(outcome.error) : 'unknown error'}`;
}

/** "Could not read the room: Service Unavailable (HTTP 503)". */
function describeProblemInEnglish(error: NormalizedError): string {
  return `Could not read the room: ${inWords(error)}`;
}

/** An error's message, with the HTTP status when SignalWire answered with one. */
export function inWords(error: NormalizedError): string {
  return error.status === undefined ? error.message : `${error.message} (HTTP ${error.status})`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
