/**
 * Calls as SignalWire runs them. An outbound call (create_a_call) is queued, initiated, rings the number it is
 * placed to, and then — as that number's behaviour says (phone-numbers.ts) — is answered, busy, fails, or rings
 * out after its Timeout. Answered, it fetches its Url (signed, with the standard request parameters) and runs the
 * cXML: Say and Play are recorded, Hangup and Reject end it, and `<Dial><Conference>` joins the room (the first
 * participant sets the room's callbacks). It stays there until it is hung up, removed, or the room ends, and then
 * runs what follows the Dial. An incoming call rings one of the emulator's numbers and runs that number's voice
 * URL. Each step the call's `StatusCallbackEvent` asks for (initiated, ringing, answered, completed) sends its
 * status callback, with the fields of `VoiceStatusCallbackPayload`. Time comes from the injected clock.
 */
import type { FormField } from '../lib/webhooks/webhook-signature';
import { ApiError, ErrorCode, notFound } from './api-error';
import type { CallEvent, CreateCall, UpdateCall } from './call-form';
import type { CallStatus } from '../lib/types';
import { FINAL_STATUSES, type ApiCall, type CallRecord, type CallRecords, type EmulatedCall } from './call-records';
import { rfc2822, type Clock } from './clock';
import type { ConferenceCalls } from './conference-calls';
import { CxmlError, readCxml, type CxmlVerb } from './cxml-reader';
import type { EmulatorLog } from './emulator-log';
import { DEFAULT_ANSWER_MS, isDialable, type PhoneNumbers } from './phone-numbers';
import type { SignedRequests } from './signed-request';
import type { EmulatorState } from './state';
import type { StatusCallbacks } from './status-callbacks';

export interface CallProgressParts {
  accountSid: string;
  state: EmulatorState;
  records: CallRecords;
  numbers: PhoneNumbers;
  conferenceCalls: ConferenceCalls;
  callbacks: StatusCallbacks;
  requests: SignedRequests;
  clock: Clock;
  log: EmulatorLog;
}

/** A call's cXML document and the index of the verb it runs next. */
interface Run {
  verbs: CxmlVerb[];
  next: number;
}

export class CallProgress {
  /** Per call: its pending timer, and its document (when one is running). */
  private readonly timers = new Map<string, unknown>();
  private readonly runs = new Map<string, Run>();
  /** Calls waiting in a room: looked at after every change, to run on when they have left. */
  private readonly inRooms = new Set<string>();
  /** Moves on each new document a call fetches, so an answer to an older fetch is dropped. */
  private readonly fetches = new Map<string, number>();
  private readonly watchers = new Set<{ sid: string; statuses: CallStatus[]; resolve: (call: EmulatedCall) => void }>();
  private closed = false;

  constructor(private readonly parts: CallProgressParts) {}

  /** "Create a Call": the call, queued; it rings and runs on from there. */
  create(request: CreateCall): ApiCall {
    const { numbers, records } = this.parts;
    const owned = numbers.ownedNumber(request.from);
    if (!owned) {
      throw new ApiError(
        422,
        ErrorCode.callFromNotOwned,
        `The From number ${request.from} is not a number of this project`,
      );
    }
    if (request.applicationSid !== undefined) {
      throw new ApiError(
        422,
        ErrorCode.callApplicationNotFound,
        `Application ${request.applicationSid} does not exist`,
      );
    }
    const record = records.add({
      direction: 'outbound',
      to: request.to,
      from: request.from,
      status: 'queued',
      parentCallSid: null,
      startTime: undefined,
      endTime: undefined,
      phoneNumberSid: owned.sid,
      url: request.url,
      method: request.method,
      fallbackUrl: request.fallbackUrl,
      fallbackMethod: request.fallbackMethod,
      statusCallback: request.statusCallback,
      statusCallbackMethod: request.statusCallbackMethod,
      statusCallbackEvent: request.statusCallbackEvent,
      timeout: request.timeout,
    });
    this.later(record, 0, () => this.dial(record));
    return records.apiView(record);
  }

  retrieve(sid: string): ApiCall {
    return this.parts.records.apiView(this.require(sid));
  }

  /** "Update a Call": a new status callback, a hang-up (`Status`), or a redirect to a new `Url`. */
  update(sid: string, update: UpdateCall): ApiCall {
    const record = this.require(sid);
    if (FINAL_STATUSES.includes(record.status)) {
      throw new ApiError(422, ErrorCode.cannotChange, `Call ${sid} has ended (${record.status})`);
    }
    if (update.status === 'canceled' && record.status === 'in-progress') {
      throw new ApiError(422, ErrorCode.cannotChange, `Call ${sid} is in progress: hang it up with completed`);
    }
    if (update.status === undefined && update.url !== undefined && record.status !== 'in-progress') {
      throw new ApiError(
        422,
        ErrorCode.callNotInProgress,
        `Call ${sid} is ${record.status}: only an answered call is redirected`,
      );
    }
    if (update.statusCallback !== undefined) record.statusCallback = update.statusCallback;
    if (update.statusCallbackMethod !== undefined) record.statusCallbackMethod = update.statusCallbackMethod;
    if (update.fallbackUrl !== undefined) record.fallbackUrl = update.fallbackUrl;
    if (update.fallbackMethod !== undefined) record.fallbackMethod = update.fallbackMethod;
    if (update.status !== undefined) {
      // Hanging up a call nobody has answered yet cancels it.
      this.end(record, record.status === 'in-progress' ? 'completed' : 'canceled');
    } else if (update.url !== undefined) {
      record.url = update.url;
      if (update.method !== undefined) record.method = update.method;
      this.leaveRoom(record);
      this.runs.delete(record.sid);
      this.parts.log.info(`redirected to ${update.url}`, record.sid);
      this.fetchAndRun(record, update.url, record.method);
    }
    this.parts.records.touch(record);
    return this.parts.records.apiView(record);
  }

  /** A call comes in to one of the emulator's numbers, from `from`: it rings and runs the number's voice URL. */
  incoming(input: unknown): EmulatedCall {
    if (typeof input !== 'object' || input === null) throw new TypeError('Send {"from": …, "to": …}');
    const { from, to, ...rest } = input as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new TypeError(`Unknown field ${JSON.stringify(Object.keys(rest)[0])}`);
    if (!isDialable(from))
      throw new TypeError(`from must be an E.164 number or a sip: address, got ${JSON.stringify(from)}`);
    const owned = typeof to === 'string' ? this.parts.numbers.ownedNumber(to) : undefined;
    if (!owned) {
      const mine = this.parts.numbers.list().map((n) => n.phoneNumber);
      throw new TypeError(`to must be one of the emulator's numbers (${mine.join(', ')}), got ${JSON.stringify(to)}`);
    }
    const settings = this.parts.numbers.settingsOf(owned.phoneNumber);
    if (!settings.voiceUrl) {
      throw new TypeError(
        `${owned.phoneNumber} has no voice URL: set one with PUT /__emulator/numbers/${owned.phoneNumber} {"voiceUrl": …}`,
      );
    }
    const record = this.parts.records.add({
      direction: 'inbound',
      to: owned.phoneNumber,
      from,
      status: 'ringing',
      parentCallSid: null,
      startTime: undefined,
      endTime: undefined,
      phoneNumberSid: owned.sid,
      url: settings.voiceUrl,
      method: settings.voiceMethod ?? 'POST',
      fallbackUrl: undefined,
      fallbackMethod: 'POST',
      statusCallback: undefined,
      statusCallbackMethod: 'POST',
      statusCallbackEvent: [],
      timeout: 60,
    });
    const url = settings.voiceUrl;
    const method = settings.voiceMethod ?? 'POST';
    this.later(record, 0, () => this.fetchAndRun(record, url, method));
    return this.parts.records.emulatedView(record);
  }

  /** After any change to the rooms: a call whose participant has left (removed, room ended) runs on after its Dial. */
  settle(): void {
    if (this.inRooms.size === 0) return;
    for (const sid of [...this.inRooms]) {
      const record = this.parts.records.get(sid);
      const room = record?.conference;
      if (!record || !room) {
        this.inRooms.delete(sid);
        continue;
      }
      const conference = this.parts.state.getConference(room.sid);
      const still = conference?.status !== 'completed' && conference?.participants.some((p) => p.call_sid === sid);
      if (still) continue;
      room.left = true;
      this.inRooms.delete(sid);
      this.runVerbs(record);
    }
  }

  /** Settles with the call once it reaches one of `statuses` (at once when it already has). */
  whenStatus(sid: string, ...statuses: CallStatus[]): Promise<EmulatedCall> {
    const record = this.require(sid);
    if (statuses.includes(record.status)) return Promise.resolve(this.parts.records.emulatedView(record));
    return new Promise((resolve) => this.watchers.add({ sid, statuses, resolve }));
  }

  reset(): void {
    for (const handle of this.timers.values()) this.parts.clock.clearTimeout(handle);
    this.timers.clear();
    this.runs.clear();
    this.inRooms.clear();
    this.fetches.clear();
    this.parts.records.clear();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private require(sid: string): CallRecord {
    const record = this.parts.records.get(sid);
    if (!record) throw notFound(`Call ${sid}`);
    return record;
  }

  /** Rings the number and decides, by its behaviour, what happens and when. */
  private dial(record: CallRecord): void {
    this.progress(record, 'initiated', 'initiated');
    const settings = this.parts.numbers.settingsOf(record.to);
    const answer = settings.answer ?? 'answer';
    const after = settings.afterMs ?? DEFAULT_ANSWER_MS;
    if (answer === 'failed') {
      record.sipResultCode = '500';
      this.later(record, after, () => this.end(record, 'failed'));
      return;
    }
    this.setStatus(record, 'ringing');
    this.progress(record, 'ringing', 'ringing');
    const ringsOut = record.timeout * 1000;
    if (answer === 'no-answer' || after >= ringsOut) {
      this.later(record, ringsOut, () => {
        record.sipResultCode = '487';
        this.end(record, 'no-answer');
      });
    } else if (answer === 'busy') {
      this.later(record, after, () => {
        record.sipResultCode = '486';
        this.end(record, 'busy');
      });
    } else {
      this.later(record, after, () => {
        this.answer(record);
        if (record.url) this.fetchAndRun(record, record.url, record.method);
      });
    }
  }

  private answer(record: CallRecord): void {
    record.startTime = this.parts.clock.now();
    record.sipResultCode = '200';
    this.setStatus(record, 'in-progress');
    this.progress(record, 'in-progress', 'answered');
  }

  /** Fetches the call's cXML (its fallback when that fails) and runs it; a call that cannot get any ends. */
  private fetchAndRun(record: CallRecord, url: string, method: 'GET' | 'POST', fallback = true): void {
    const generation = (this.fetches.get(record.sid) ?? 0) + 1;
    this.fetches.set(record.sid, generation);
    const fields: FormField[] = [
      ['AccountSid', this.parts.accountSid],
      ['ApiVersion', '2010-04-01'],
      ['CallSid', record.sid],
      ['CallStatus', record.status],
      ['Direction', record.direction === 'inbound' ? 'inbound' : 'outbound-api'],
      ['From', record.from],
      ['To', record.to],
    ];
    void this.parts.requests.send(url, method, fields).then((reply) => {
      if (this.closed || this.fetches.get(record.sid) !== generation || FINAL_STATUSES.includes(record.status)) return;
      let problem: string | undefined;
      let verbs: CxmlVerb[] = [];
      if (typeof reply.outcome !== 'number') problem = `fetching ${url} failed (${reply.outcome})`;
      else if (reply.outcome < 200 || reply.outcome > 299) problem = `${url} answered HTTP ${reply.outcome}, not cXML`;
      else if (!/^(text|application)\/xml\b/i.test(reply.contentType ?? '')) {
        problem = `${url} answered with Content-Type ${JSON.stringify(reply.contentType ?? null)}, not text/xml`;
      } else {
        try {
          verbs = readCxml(reply.body);
        } catch (error) {
          // Whatever went wrong, the call ends with it in its log: a throw here would reach no one.
          const reason = error instanceof CxmlError ? error.message : `the emulator failed: ${String(error)}`;
          problem = `the cXML from ${url} cannot be run: ${reason}`;
        }
      }
      if (problem) {
        this.problem(record, problem);
        if (fallback && record.fallbackUrl)
          return this.fetchAndRun(record, record.fallbackUrl, record.fallbackMethod, false);
        return this.end(record, record.status === 'in-progress' ? 'completed' : 'failed');
      }
      this.runs.set(record.sid, { verbs, next: 0 });
      this.runVerbs(record);
    });
  }

  /** Runs the verbs from where the call is, until one waits (a room) or ends it; no verb left hangs up. */
  private runVerbs(record: CallRecord): void {
    const run = this.runs.get(record.sid);
    while (run && run.next < run.verbs.length && !FINAL_STATUSES.includes(record.status)) {
      const verb = run.verbs[run.next++]!;
      if (verb.verb === 'Reject') {
        if (record.status === 'in-progress') this.problem(record, '<Reject> in an answered call: hung up instead');
        record.sipResultCode = verb.reason === 'busy' ? '486' : '603';
        return this.end(
          record,
          record.status === 'in-progress' ? 'completed' : verb.reason === 'busy' ? 'busy' : 'no-answer',
        );
      }
      if (verb.verb === 'Hangup') return this.end(record, 'completed');
      // Any other verb answers a call still ringing (an incoming one).
      if (record.status === 'ringing') this.answer(record);
      if (verb.verb === 'Say') record.heard.push({ verb: 'Say', text: verb.text });
      else if (verb.verb === 'Play') record.heard.push({ verb: 'Play', url: verb.url });
      else if (this.join(record, verb)) return;
    }
    if (!FINAL_STATUSES.includes(record.status)) this.end(record, 'completed');
  }

  /** Joins the room; true while the call is waiting there. */
  private join(record: CallRecord, dial: Extract<CxmlVerb, { verb: 'Dial' }>): boolean {
    const noun = dial.conference;
    try {
      const { conference } = this.parts.conferenceCalls.join({
        friendlyName: noun.name,
        callSid: record.sid,
        label: record.direction === 'inbound' ? record.from : record.to,
        muted: noun.muted,
        startConferenceOnEnter: noun.startConferenceOnEnter,
        endConferenceOnExit: noun.endConferenceOnExit,
        ...(noun.statusCallback === undefined
          ? {}
          : {
              statusCallback: noun.statusCallback,
              statusCallbackMethod: noun.statusCallbackMethod,
              ...(noun.statusCallbackEvent === undefined ? {} : { statusCallbackEvent: noun.statusCallbackEvent }),
            }),
      });
      record.conference = { sid: conference.sid, noun, left: false };
      this.inRooms.add(record.sid);
      this.parts.records.touch(record);
      return true;
    } catch (error) {
      this.problem(record, `could not join ${JSON.stringify(noun.name)}: ${(error as Error).message}`);
      return false;
    }
  }

  private leaveRoom(record: CallRecord): void {
    const room = record.conference;
    if (!room || room.left) return;
    room.left = true;
    this.inRooms.delete(record.sid);
    const conference = this.parts.state.getConference(room.sid);
    if (conference?.status !== 'completed' && conference?.participants.some((p) => p.call_sid === record.sid)) {
      // Leaving may end the room (endConferenceOnExit, or the last one out): ConferenceCalls then settles the others.
      this.parts.conferenceCalls.leave({ conferenceSid: room.sid, callSid: record.sid });
    }
  }

  /** The call ends with `status`: it leaves its room, and its `completed` callback goes out. */
  private end(record: CallRecord, status: CallStatus): void {
    if (FINAL_STATUSES.includes(record.status)) return;
    this.clearTimer(record);
    this.runs.delete(record.sid);
    this.fetches.delete(record.sid);
    this.leaveRoom(record);
    record.endTime = this.parts.clock.now();
    this.setStatus(record, status);
    this.progress(record, status, 'completed');
  }

  private setStatus(record: CallRecord, status: CallStatus): void {
    record.status = status;
    this.parts.records.touch(record);
    for (const watcher of [...this.watchers]) {
      if (watcher.sid === record.sid && watcher.statuses.includes(status)) {
        this.watchers.delete(watcher);
        watcher.resolve(this.parts.records.emulatedView(record));
      }
    }
  }

  /** The call's status callback for `event`, when it asked for that event. */
  private progress(record: CallRecord, callStatus: CallStatus | 'initiated', event: CallEvent): void {
    if (!record.statusCallback || !record.statusCallbackEvent.includes(event)) return;
    record.sequence += 1;
    const fields: FormField[] = [
      ['AccountSid', this.parts.accountSid],
      ['ApiVersion', '2010-04-01'],
      ['CallbackSource', 'call-progress-events'],
      ['CallSid', record.sid],
      ['CallStatus', callStatus],
      ['Direction', record.direction === 'inbound' ? 'inbound' : 'outbound-api'],
      ['From', record.from],
      ['To', record.to],
      ['SequenceNumber', String(record.sequence)],
      ['Timestamp', rfc2822(this.parts.clock.now())],
      // Call quality, as the platform reports it: nothing measured on an emulated line.
      ['AudioInAveragePtime', '0'],
      ['AudioInDtmfPacketCount', '0'],
      ['AudioInFlushPacketCount', '0'],
      ['AudioInJitterMaxVariance', '0'],
      ['AudioInJitterMinVariance', '0'],
      ['AudioInLargestJbSize', '0'],
      ['AudioInMos', '0.0'],
      ['AudioInMediaPacketCount', '0'],
      ['AudioInSkipPacketCount', '0'],
      ['AudioOutDtmfPacketCount', '0'],
      ['AudioOutMediaPacketCount', '0'],
    ];
    if (event === 'completed') {
      const seconds =
        record.startTime !== undefined && record.endTime !== undefined
          ? Math.floor((record.endTime - record.startTime) / 1000)
          : 0;
      fields.push(['CallDuration', String(seconds)]);
      if (record.sipResultCode) fields.push(['SipResultCode', record.sipResultCode]);
    }
    this.parts.callbacks.send(record.statusCallback, record.statusCallbackMethod, fields, {
      event: `call-${event}`,
      callSid: record.sid,
      sequenceNumber: record.sequence,
    });
  }

  private problem(record: CallRecord, message: string): void {
    record.problems.push(message);
    this.parts.log.error(message, record.sid);
  }

  private later(record: CallRecord, ms: number, fn: () => void): void {
    this.clearTimer(record);
    const handle = this.parts.clock.setTimeout(() => {
      this.timers.delete(record.sid);
      if (!this.closed) fn();
    }, ms);
    this.timers.set(record.sid, handle);
  }

  private clearTimer(record: CallRecord): void {
    const handle = this.timers.get(record.sid);
    if (handle !== undefined) this.parts.clock.clearTimeout(handle);
    this.timers.delete(record.sid);
  }
}
