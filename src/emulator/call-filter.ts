/**
 * The filters of "List all Calls": `To`, `From`, `Status`, `ParentCallSid`, and `StartTime`/`EndTime` with `<` and
 * `>` as the conference list reads its dates (`YYYY-MM-DD`, UTC; that day, that day or before, that day or after).
 * A call not started (or not ended) matches no time filter on it.
 */
import { CALL_STATUSES, type CallStatus } from '../lib/types';
import { invalidParameter } from './api-error';
import { COMPARE, isDay, type Compare } from './conference-filter';
import { isUuid } from './uuid';

const TIME_KEYS = ['StartTime', 'StartTime<', 'StartTime>', 'EndTime', 'EndTime<', 'EndTime>'];
/** Every filter, in the order the paging links repeat them. */
export const CALL_FILTER_KEYS: readonly string[] = ['To', 'From', 'Status', 'ParentCallSid', ...TIME_KEYS];

/** What the filter looks at in a call; times in ms since the epoch. */
export interface FilterableCall {
  to: string;
  from: string;
  status: CallStatus;
  parentCallSid: string | null;
  startTime: number | undefined;
  endTime: number | undefined;
}

export class CallFilter {
  private readonly exact: Partial<Record<'to' | 'from' | 'status' | 'parentCallSid', string>> = {};
  private readonly started: Array<[Compare, string]> = [];
  private readonly ended: Array<[Compare, string]> = [];

  constructor(query: URLSearchParams | undefined) {
    const get = (key: string): string | undefined => query?.get(key) ?? undefined;
    const status = get('Status');
    if (status !== undefined && !(CALL_STATUSES as readonly string[]).includes(status)) {
      throw invalidParameter('Status', `must be one of ${CALL_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
    }
    const parent = get('ParentCallSid');
    if (parent !== undefined && !isUuid(parent)) throw invalidParameter('ParentCallSid', 'must be a UUID');
    for (const [key, name] of [
      ['To', 'to'],
      ['From', 'from'],
      ['Status', 'status'],
      ['ParentCallSid', 'parentCallSid'],
    ] as const) {
      const value = get(key);
      if (value !== undefined) this.exact[name] = value;
    }
    for (const key of TIME_KEYS) {
      const value = get(key);
      if (value === undefined) continue;
      if (!isDay(value)) throw invalidParameter(key, `must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
      const list = key.startsWith('StartTime') ? this.started : this.ended;
      list.push([COMPARE[key.replace(/^(StartTime|EndTime)/, '')]!, value]);
    }
  }

  matches(call: FilterableCall): boolean {
    for (const [name, value] of Object.entries(this.exact)) {
      if (call[name as keyof typeof this.exact] !== value) return false;
    }
    return within(this.started, call.startTime) && within(this.ended, call.endTime);
  }
}

function within(bounds: Array<[Compare, string]>, time: number | undefined): boolean {
  if (bounds.length === 0) return true;
  if (time === undefined) return false;
  const day = new Date(time).toISOString().slice(0, 10);
  return bounds.every(([compare, bound]) => compare(day, bound));
}
