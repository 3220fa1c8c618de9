/**
 * What the panel's browser side needs besides the component: the words it falls back on (the node sends them in
 * the editor's language), a view to show before the first one arrives, and how it writes a duration.
 */

export const ENGLISH = {
  room: 'Conference',
  noRoom: 'No room chosen yet',
  status: {
    unknown: 'Connecting…',
    init: 'Starting',
    'in-progress': 'In progress',
    completed: 'Ended',
    'not-found': 'No meeting in progress',
  } as Record<string, string>,
  empty: 'Nobody is in the room.',
  count: '__count__ in the room',
  people: 'People in the room',
  host: 'host',
  inFor: 'in for __time__',
  muted: 'muted',
  live: 'can speak',
  onHold: 'on hold',
  coaching: 'coaching',
  talking: 'talking',
  mute: 'Mute',
  unmute: 'Unmute',
  hold: 'Hold',
  unhold: 'Resume',
  remove: 'Remove',
  confirm: 'Sure?',
  muteAll: 'Mute all but host',
  end: 'End meeting',
  working: 'Working…',
  muteLabel: 'Mute __name__',
  unmuteLabel: 'Unmute __name__',
  holdLabel: 'Put __name__ on hold',
  unholdLabel: 'Take __name__ off hold',
  removeLabel: 'Remove __name__ from the meeting',
  confirmLabel: 'Press again to confirm: __action__',
  muteAllLabel: 'Mute everyone but the host',
  endLabel: 'End the meeting for everyone',
};

export const EMPTY_VIEW = Object.freeze({ status: 'unknown', people: [], revision: 0, now: 0 });

/** Fills Node-RED style placeholders: `fill('in for __time__', { time: '3:05' })`. */
export function fill(text: string, values: Record<string, string>): string {
  return String(text).replace(/__(\w+)__/g, (whole, name: string) => (name in values ? values[name]! : whole));
}

/** A view as the panel's node sends it (other messages given to the node reach the browser too). */
export function isRoomView(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const view = value as { people?: unknown; revision?: unknown; status?: unknown; now?: unknown };
  return (
    Array.isArray(view.people) &&
    typeof view.revision === 'number' &&
    typeof view.status === 'string' &&
    typeof view.now === 'number'
  );
}

/** `0:07`, `12:34`, `1:02:03`: minutes and seconds, hours once there are any. Negative (clock skew) is 0:00. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
