/**
 * What a panel draws: the room and its people, with the names the flow gave them, in a steady order (the hosts
 * first, then by when they joined). Plain data, sent as is to every browser showing the panel.
 */
import { labelKey, type Labels } from './labels';
import type { RoomMember, RoomState, RoomStatus } from './room-state';

/** A button the panel offers for one person, or for the whole room. */
export type PanelAction = 'mute' | 'unmute' | 'hold' | 'unhold' | 'remove' | 'mute-all' | 'end';
export const PANEL_ACTIONS: readonly PanelAction[] = ['mute', 'unmute', 'hold', 'unhold', 'remove', 'mute-all', 'end'];
/** Actions on one person (the others act on the room). */
export const PERSON_ACTIONS: readonly PanelAction[] = ['mute', 'unmute', 'hold', 'unhold', 'remove'];

export interface PersonView extends Omit<RoomMember, 'sentLabel'> {
  /** The flow's label, else SignalWire's, else the number, else the start of the call SID. */
  name: string;
  /** The action running for this person, if any (its buttons wait). */
  busy?: PanelAction;
}

/** The last thing a button did, in words, so every browser showing the panel can read it. */
export interface Notice {
  kind: 'done' | 'error';
  text: string;
  /** When, on the server's clock (milliseconds since 1970). */
  at: number;
}

export interface RoomView {
  name?: string;
  conferenceSid?: string;
  status: RoomStatus;
  startedAt?: number;
  people: PersonView[];
  /** A room-wide action running (mute everyone, end), if any. */
  busy?: PanelAction;
  notice?: Notice;
  /** Why the room could not be read, in words (cleared once it could). */
  problem?: string;
  revision: number;
  /** The server's clock when the view was made, so browsers count durations from the same clock. */
  now: number;
}

export interface ViewExtras {
  busy: ReadonlyMap<string, PanelAction>;
  roomBusy?: PanelAction;
  notice?: Notice;
  problem?: string;
  now: number;
}

export function roomView(room: RoomState, labels: Labels, extras: ViewExtras): RoomView {
  const people = room.members.map((member) => personView(member, labels, extras.busy.get(member.callSid)));
  people.sort(
    (a, b) =>
      Number(b.moderator) - Number(a.moderator) ||
      (a.joinedAt ?? Infinity) - (b.joinedAt ?? Infinity) ||
      a.name.localeCompare(b.name),
  );
  const view: RoomView = { status: room.status, people, revision: room.revision, now: extras.now };
  if (room.friendlyName !== undefined) view.name = room.friendlyName;
  if (room.conferenceSid !== undefined) view.conferenceSid = room.conferenceSid;
  if (room.startedAt !== undefined) view.startedAt = room.startedAt;
  if (extras.roomBusy) view.busy = extras.roomBusy;
  if (extras.notice) view.notice = extras.notice;
  if (extras.problem) view.problem = extras.problem;
  return view;
}

/** The name a person shows under. */
export function displayName(member: Pick<RoomMember, 'callSid' | 'number' | 'sentLabel'>, labels: Labels): string {
  return (
    labels.get(labelKey(member.callSid)) ??
    (member.number ? labels.get(labelKey(member.number)) : undefined) ??
    member.sentLabel ??
    member.number ??
    `Caller ${member.callSid.slice(0, 8)}`
  );
}

function personView(member: RoomMember, labels: Labels, busy: PanelAction | undefined): PersonView {
  const person: PersonView = { ...member, name: displayName(member, labels) };
  // SignalWire's label is only one of the sources of `name`; the view carries the name alone.
  delete (person as PersonView & { sentLabel?: string }).sentLabel;
  if (busy) person.busy = busy;
  return person;
}
