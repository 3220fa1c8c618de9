/**
 * Status callbacks, as SignalWire sends them: signed form POSTs (or GETs). A conference's go to its
 * `statusCallback`: the first participant to join a conference sets its URL, method and events for the whole
 * conference; `defaultTarget` plays the cXML every caller of the seeded conferences got. Changes made through
 * the API (mute, hold, remove, end) fire their events too. A call's own progress (call-progress.ts) goes out
 * through `send`. Deliveries leave after the API has answered, one at a time, in order, unless a callback fault
 * says otherwise.
 */
import type { FormField } from '../lib/webhooks/webhook-signature';
import { CallbackFaults } from './callback-faults';
import { rfc2822Now } from './clock';
import type { SignedRequests } from './signed-request';
import type { EmulatedConference, EmulatedParticipant } from './state';

/** The emulator's Signing Key. Not a secret: it only signs the local emulator's callbacks. */
export const DEFAULT_SIGNING_KEY = 'PSK_emulator-signing-key-not-secret';

/** The words of cXML's `statusCallbackEvent` (space-separated) and the events each one sends. */
const EVENT_WORDS: Record<string, string[]> = {
  start: ['conference-start'],
  end: ['conference-end'],
  join: ['participant-join'],
  leave: ['participant-leave'],
  mute: ['participant-mute', 'participant-unmute'],
  hold: ['participant-hold', 'participant-unhold'],
  speaker: ['participant-speech-start', 'participant-speech-stop'],
};

export interface CallbackTarget {
  statusCallback: string;
  /** Default POST. */
  statusCallbackMethod?: 'GET' | 'POST';
  /** Space-separated words from `start end join leave mute hold speaker`; left out: all of them. */
  statusCallbackEvent?: string;
}

/** One delivery attempt, as recorded for tests and the control API. */
export interface CallbackDelivery {
  /** A conference event (`participant-join`), or a call's progress (`call-ringing`, `call-completed`). */
  event: string;
  /** Absent on a call's progress. */
  conferenceSid?: string;
  callSid?: string;
  sequenceNumber: number;
  url: string;
  method: 'GET' | 'POST';
  /** The receiver's HTTP status, or the network error's code. */
  outcome: number | string;
}

/** What the emulator tells this module about its state. */
interface StateView {
  accountSid: string;
  getConference(sid: string): EmulatedConference | undefined;
  snapshot(): EmulatedConference[];
}

interface ResolvedTarget {
  url: string;
  method: 'GET' | 'POST';
  events: Set<string>;
}

export class StatusCallbacks {
  readonly deliveries: CallbackDelivery[] = [];
  readonly faults: CallbackFaults;
  private readonly targets = new Map<string, ResolvedTarget>();
  private defaultTarget: ResolvedTarget | undefined;
  private sequence = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  /** Told one line per delivery: where the event went and why there (the demo and the CLI print it). */
  log: ((line: string) => void) | undefined;

  constructor(
    private readonly state: StateView,
    private readonly requests: SignedRequests,
    random: () => number,
  ) {
    this.faults = new CallbackFaults(random);
  }

  get signingKey(): string {
    return this.requests.signingKey;
  }

  /** The target every conference without its own uses (seeded ones, and joins that name none). */
  setDefaultTarget(target: CallbackTarget | undefined): void {
    this.defaultTarget = target && resolveTarget(target);
  }

  /** Whether any event could be sent: when not, the API's changes are not even compared. */
  get active(): boolean {
    return this.defaultTarget !== undefined || this.targets.size > 0;
  }

  /** Where one conference's events go (ConferenceCalls sets it from its first participant only). */
  setTarget(conferenceSid: string, target: CallbackTarget): void {
    this.targets.set(conferenceSid, resolveTarget(target));
  }

  forget(): void {
    this.targets.clear();
    this.deliveries.length = 0;
    this.sequence = 0;
  }

  /** Sends `event` about the conference (and the participant) to wherever the conference's events go. */
  emit(event: string, conference: EmulatedConference, participant?: EmulatedParticipant): void {
    const target = this.targets.get(conference.sid) ?? this.defaultTarget;
    if (!target || !target.events.has(event) || this.closed) return;
    const sequenceNumber = ++this.sequence;
    const fields: FormField[] = [
      ['AccountSid', this.state.accountSid],
      ['ConferenceSid', conference.sid],
      ['FriendlyName', conference.friendly_name],
      ['StatusCallbackEvent', event],
      ['Timestamp', rfc2822Now()],
      ['SequenceNumber', String(sequenceNumber)],
    ];
    if (participant) {
      fields.push(
        ['CallSid', participant.call_sid],
        ['Muted', String(participant.muted)],
        ['Hold', String(participant.hold)],
        ['StartConferenceOnEnter', String(participant.start_conference_on_enter)],
        ['EndConferenceOnExit', String(participant.end_conference_on_exit)],
      );
    }
    const record = {
      event,
      conferenceSid: conference.sid,
      ...(participant ? { callSid: participant.call_sid } : {}),
      sequenceNumber,
    };
    this.send(target.url, target.method, fields, record);
  }

  /** Sends one signed callback, in order behind the others, with the callback faults in force. */
  send(
    url: string,
    method: 'GET' | 'POST',
    fields: FormField[],
    record: Omit<CallbackDelivery, 'url' | 'outcome' | 'method'>,
  ): void {
    if (this.closed) return;
    const draw = this.faults.next();
    const send = () => this.deliver(url, method, fields, { ...record, method }, draw.delayMs);
    // Deliveries go one after another, so their order is the order of events unless a fault changes it.
    if (draw.holdBack) this.faults.holdBack(send);
    else {
      this.chain = this.chain.then(send);
      const released = this.faults.release();
      if (released) this.chain = this.chain.then(released);
      // The same signed request again, as a platform's retry is: a receiver that remembers what it accepted
      // (the conference events node does) shows the event once.
      if (draw.duplicate) this.chain = this.chain.then(send);
    }
  }

  /** Compares the conferences before and after an API request and sends the events of what changed. */
  emitChanges(before: EmulatedConference[]): void {
    for (const old of before) {
      const now = this.state.getConference(old.sid);
      if (!now) continue;
      const current = new Map(now.participants.map((p) => [p.call_sid, p]));
      for (const was of old.participants) {
        const is = current.get(was.call_sid);
        if (!is || (now.status === 'completed' && old.status !== 'completed')) {
          this.emit('participant-leave', now, is ?? was);
          continue;
        }
        if (is.muted !== was.muted) this.emit(is.muted ? 'participant-mute' : 'participant-unmute', now, is);
        if (is.hold !== was.hold) this.emit(is.hold ? 'participant-hold' : 'participant-unhold', now, is);
      }
      if (now.status === 'completed' && old.status !== 'completed') this.emit('conference-end', now);
    }
  }

  /** Settles once `count` deliveries have been answered (or failed). */
  whenDelivered(count: number): Promise<void> {
    if (this.deliveries.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.faults.close();
  }

  private async deliver(
    target: string,
    method: 'GET' | 'POST',
    fields: FormField[],
    record: Omit<CallbackDelivery, 'url' | 'outcome'>,
    delayMs: number,
  ): Promise<void> {
    if (delayMs > 0) await this.sleep(delayMs);
    if (this.closed) return;
    const { url, outcome } = await this.requests.send(target, method, fields);
    this.deliveries.push({ ...record, url, outcome });
    this.log?.(this.describe(record, target, fields, outcome));
    for (const waiter of this.waiters.filter((w) => this.deliveries.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** E.g. `Event participant-join (Erin) of "Retro" sent to http://…, the URL its first participant gave: accepted (204)`. */
  private describe(
    record: Omit<CallbackDelivery, 'url' | 'outcome'>,
    url: string,
    fields: FormField[],
    outcome: number | string,
  ): string {
    const answer =
      typeof outcome === 'string'
        ? `not delivered (${outcome})`
        : outcome >= 200 && outcome < 300
          ? `accepted (${outcome})`
          : outcome === 404
            ? `nothing listens there (404)`
            : `refused (${outcome})`;
    // A call's progress goes where its own StatusCallback said.
    if (record.conferenceSid === undefined) {
      const progress = record.event.replace(/^call-/, '');
      return `Call ${record.callSid ?? ''}: ${progress}, sent to ${url}, the call's StatusCallback: ${answer}`;
    }
    const conference = this.state.getConference(record.conferenceSid);
    const label = conference?.participants.find((p) => p.call_sid === record.callSid)?.label;
    const name = fields.find(([field]) => field === 'FriendlyName')?.[1];
    const chosenBy = this.targets.has(record.conferenceSid)
      ? 'the URL its first participant gave'
      : "the emulator's default URL";
    return `Event ${record.event}${label ? ` (${label})` : ''} of "${name}" sent to ${url}, ${chosenBy}: ${answer}`;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function resolveTarget(target: CallbackTarget): ResolvedTarget {
  if (typeof target.statusCallback !== 'string' || !/^https?:\/\//i.test(target.statusCallback)) {
    throw new TypeError(
      `statusCallback must be an http:// or https:// URL, got ${JSON.stringify(target.statusCallback)}`,
    );
  }
  const method = (target.statusCallbackMethod ?? 'POST').toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    throw new TypeError(`statusCallbackMethod must be GET or POST, got ${JSON.stringify(target.statusCallbackMethod)}`);
  }
  const words = (target.statusCallbackEvent ?? Object.keys(EVENT_WORDS).join(' ')).split(/\s+/).filter(Boolean);
  const events = new Set<string>();
  for (const word of words) {
    const names = EVENT_WORDS[word];
    if (!names) {
      throw new TypeError(
        `statusCallbackEvent words are ${Object.keys(EVENT_WORDS).join(', ')}; got ${JSON.stringify(word)}`,
      );
    }
    for (const name of names) events.add(name);
  }
  return { url: target.statusCallback, method, events };
}
