/**
 * The emulator's calls, in memory, and the API's view of them (`CallResponse`: exactly the schema's fields). What
 * only the emulator knows (the Url it runs, the callbacks asked for, the room its cXML put it in, what it heard,
 * what went wrong) is in the EmulatedCall view that the control API and the tests read. It keeps at most
 * MAX_CALLS; past that the oldest ended call is forgotten.
 */
import { randomUUID } from 'node:crypto';
import type { HttpMethod } from '../lib/types';
import type { CallEvent } from './call-form';
import type { CallStatus } from '../lib/types';
import type { CallFilter, FilterableCall } from './call-filter';
import { rfc2822 } from './clock';
import type { ConferenceNoun } from './cxml-reader';
import type { Keyed } from './paging';
import { API_ROOT } from './state';

export type CallDirection = 'inbound' | 'outbound';

/** Statuses a call does not leave. */
export const FINAL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

/** What the call heard or did, in order (Say and Play). */
export type Heard = { verb: 'Say'; text: string } | { verb: 'Play'; url: string };

export interface CallRecord extends FilterableCall {
  key: number;
  sid: string;
  direction: CallDirection;
  phoneNumberSid: string | null;
  dateCreated: number;
  dateUpdated: number;
  sipResultCode: string | null;
  url: string | undefined;
  method: HttpMethod;
  fallbackUrl: string | undefined;
  fallbackMethod: HttpMethod;
  statusCallback: string | undefined;
  statusCallbackMethod: HttpMethod;
  statusCallbackEvent: CallEvent[];
  /** Seconds it rings before it ends as no-answer. */
  timeout: number;
  /** The last SequenceNumber sent in its status callbacks. */
  sequence: number;
  /** The room its cXML put it in, while there or after. */
  conference: { sid: string; noun: ConferenceNoun; left: boolean } | undefined;
  heard: Heard[];
  /** What went wrong running its cXML. */
  problems: string[];
}

/** `CallResponse`: exactly the fields of SignalWire's schema. */
export interface ApiCall {
  sid: string;
  account_sid: string;
  date_created: string;
  date_updated: string;
  parent_call_sid: string | null;
  to: string;
  formatted_to: string;
  to_formatted: string;
  from: string;
  formatted_from: string;
  from_formatted: string;
  phone_number_sid: string | null;
  status: CallStatus;
  start_time: string | null;
  end_time: string | null;
  duration: number;
  price: number | null;
  price_unit: string;
  direction: CallDirection;
  answered_by: 'human' | 'machine' | null;
  api_version: string;
  forwarded_from: string | null;
  caller_name: string | null;
  uri: string;
  subresource_uris: { notifications: string | null; recordings: string };
  annotation: string | null;
  group_sid: string | null;
  audio_in_mos: number | null;
  sip_result_code: string | null;
  audio_rtt_avg: number | null;
  audio_rtt_min: number | null;
  audio_rtt_max: number | null;
  audio_out_jitter_min: number | null;
  audio_out_jitter_max: number | null;
  audio_out_jitter_avg: number | null;
  audio_out_lost: number | null;
}

/** What the emulator knows of a call: the API body plus how it runs. */
export interface EmulatedCall extends ApiCall {
  url: string | null;
  method: HttpMethod;
  status_callback: string | null;
  status_callback_method: HttpMethod;
  status_callback_event: CallEvent[];
  timeout: number;
  /** The room its cXML put it in, the attributes it joined with, and whether it has left. */
  conference: { sid: string; friendly_name: string; attributes: Record<string, string>; left: boolean } | null;
  heard: Heard[];
  problems: string[];
}

export type NewCall = Omit<
  CallRecord,
  'key' | 'sid' | 'dateCreated' | 'dateUpdated' | 'sequence' | 'conference' | 'heard' | 'problems' | 'sipResultCode'
>;

const MAX_CALLS = 10_000;

export class CallRecords {
  private readonly calls = new Map<string, CallRecord>();
  private nextKey = 1;

  constructor(
    private readonly accountSid: string,
    private readonly now: () => number,
  ) {}

  add(input: NewCall): CallRecord {
    const now = this.now();
    const record: CallRecord = {
      ...input,
      key: this.nextKey++,
      sid: randomUUID(),
      dateCreated: now,
      dateUpdated: now,
      sipResultCode: null,
      sequence: -1,
      conference: undefined,
      heard: [],
      problems: [],
    };
    this.calls.set(record.sid, record);
    if (this.calls.size > MAX_CALLS) {
      const oldest = [...this.calls.values()].find((call) => FINAL_STATUSES.includes(call.status));
      if (oldest) this.calls.delete(oldest.sid);
    }
    return record;
  }

  get(sid: string): CallRecord | undefined {
    return this.calls.get(sid);
  }

  all(): CallRecord[] {
    return [...this.calls.values()];
  }

  /** A change to the call: its date_updated moves. */
  touch(record: CallRecord): void {
    record.dateUpdated = this.now();
  }

  clear(): void {
    this.calls.clear();
  }

  list(filter: CallFilter): Keyed<ApiCall>[] {
    const out: Keyed<ApiCall>[] = [];
    for (const record of this.calls.values()) {
      if (filter.matches(record)) out.push({ key: record.key, value: this.apiView(record) });
    }
    return out;
  }

  apiView(r: CallRecord): ApiCall {
    const uri = `${API_ROOT}/Accounts/${this.accountSid}/Calls/${r.sid}.json`;
    const duration =
      r.startTime !== undefined && r.endTime !== undefined ? Math.floor((r.endTime - r.startTime) / 1000) : 0;
    return {
      sid: r.sid,
      account_sid: this.accountSid,
      date_created: rfc2822(r.dateCreated),
      date_updated: rfc2822(r.dateUpdated),
      parent_call_sid: r.parentCallSid,
      to: r.to,
      formatted_to: formatted(r.to),
      to_formatted: formatted(r.to),
      from: r.from,
      formatted_from: formatted(r.from),
      from_formatted: formatted(r.from),
      phone_number_sid: r.phoneNumberSid,
      status: r.status,
      start_time: r.startTime === undefined ? null : rfc2822(r.startTime),
      end_time: r.endTime === undefined ? null : rfc2822(r.endTime),
      duration,
      price: null,
      price_unit: 'USD',
      direction: r.direction,
      answered_by: null,
      api_version: '2010-04-01',
      forwarded_from: null,
      caller_name: null,
      uri,
      subresource_uris: { notifications: null, recordings: uri.replace(/\.json$/, '/Recordings.json') },
      annotation: null,
      group_sid: null,
      audio_in_mos: null,
      sip_result_code: r.sipResultCode,
      audio_rtt_avg: null,
      audio_rtt_min: null,
      audio_rtt_max: null,
      audio_out_jitter_min: null,
      audio_out_jitter_max: null,
      audio_out_jitter_avg: null,
      audio_out_lost: null,
    };
  }

  emulatedView(r: CallRecord): EmulatedCall {
    return {
      ...this.apiView(r),
      url: r.url ?? null,
      method: r.method,
      status_callback: r.statusCallback ?? null,
      status_callback_method: r.statusCallbackMethod,
      status_callback_event: [...r.statusCallbackEvent],
      timeout: r.timeout,
      conference: r.conference
        ? {
            sid: r.conference.sid,
            friendly_name: r.conference.noun.name,
            attributes: { ...r.conference.noun.attributes },
            left: r.conference.left,
          }
        : null,
      heard: r.heard.map((h) => ({ ...h })),
      problems: [...r.problems],
    };
  }
}

/** A North American number as people write it, `(555) 010-0100`; anything else as it is. */
function formatted(number: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : number;
}
