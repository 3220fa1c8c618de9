/**
 * Conference status callbacks, as SignalWire sends them: signed form POSTs (or GETs) to the conference's
 * `statusCallback`. The first participant to join a conference sets its URL, method and events for the whole
 * conference; `defaultTarget` plays the cXML every caller of the seeded conferences got. Changes made through
 * the API (mute, hold, remove, end) fire their events too. Deliveries leave after the API has answered, one at a
 * time, in order, unless a callback fault says otherwise.
 */
import http from 'node:http';
import https from 'node:https';
import { computeSignature, type FormField } from '../lib/webhooks/webhook-signature';
import { CallbackFaults } from './callback-faults';
import { rfc2822Now } from './clock';
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
  event: string;
  conferenceSid: string;
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
  private readonly agents = [new http.Agent({ keepAlive: true }), new https.Agent({ keepAlive: true })];
  private closed = false;
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    private readonly state: StateView,
    readonly signingKey: string,
    random: () => number,
  ) {
    this.faults = new CallbackFaults(random);
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
      method: target.method,
    };
    const draw = this.faults.next();
    const send = () => this.deliver(target, fields, record, draw.delayMs);
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
    for (const agent of this.agents) agent.destroy();
  }

  private async deliver(
    target: ResolvedTarget,
    fields: FormField[],
    record: Omit<CallbackDelivery, 'url' | 'outcome'>,
    delayMs: number,
  ): Promise<void> {
    if (delayMs > 0) await this.sleep(delayMs);
    if (this.closed) return;
    const form = new URLSearchParams(fields as Array<[string, string]>).toString();
    const isGet = target.method === 'GET';
    const url = isGet ? `${target.url}${target.url.includes('?') ? '&' : '?'}${form}` : target.url;
    // A GET is signed over its full URL; a POST over its URL and the sorted form fields.
    const signature = computeSignature(this.signingKey, url, isGet ? [] : fields);
    const outcome = await this.request(url, target.method, signature, isGet ? undefined : form);
    this.deliveries.push({ ...record, url, outcome });
    for (const waiter of this.waiters.filter((w) => this.deliveries.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private request(url: string, method: string, signature: string, body?: string): Promise<number | string> {
    return new Promise((resolve) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return resolve('EINVALIDURL');
      }
      const secure = parsed.protocol === 'https:';
      const headers: Record<string, string> = { 'X-SignalWire-Signature': signature };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const req = (secure ? https : http).request(
        parsed,
        { method, headers, agent: this.agents[secure ? 1 : 0], timeout: 15_000 },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'ERROR'));
      req.end(body);
    });
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
