/**
 * The filters of "List all Conferences": `Status`, `FriendlyName` (at most 64 characters) and the six date
 * filters. A date is `YYYY-MM-DD` (UTC); `DateCreated` keeps the conferences created that day, `DateCreated<`
 * those created that day or before, `DateCreated>` that day or after (the `<`/`>` are part of the key, as in
 * `DateCreated<=2024-05-01` written in a URL). Likewise for `DateUpdated`.
 */
import { invalidParameter } from './api-error';
import type { ConferenceStatus } from './seed';

const STATUSES: readonly string[] = ['init', 'in-progress', 'completed'];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_KEYS = ['DateCreated', 'DateCreated<', 'DateCreated>', 'DateUpdated', 'DateUpdated<', 'DateUpdated>'];
/** Every filter, in the order the paging links repeat them. */
export const CONFERENCE_FILTER_KEYS: readonly string[] = ['FriendlyName', 'Status', ...DATE_KEYS];

export type Compare = (day: string, bound: string) => boolean;
export const COMPARE: Record<string, Compare> = {
  '': (day, bound) => day === bound,
  '<': (day, bound) => day <= bound,
  '>': (day, bound) => day >= bound,
};

export class ConferenceFilter {
  private readonly status: string | undefined;
  private readonly friendlyName: string | undefined;
  private readonly created: Array<[Compare, string]> = [];
  private readonly updated: Array<[Compare, string]> = [];

  /** Reads and checks the query; a value of the wrong form is a 400 naming the parameter. */
  constructor(query: URLSearchParams | undefined) {
    const status = query?.get('Status') ?? undefined;
    if (status !== undefined && !STATUSES.includes(status)) {
      throw invalidParameter('Status', `must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
    }
    this.status = status;
    const friendlyName = query?.get('FriendlyName') ?? undefined;
    if (friendlyName !== undefined && friendlyName.length > 64) {
      throw invalidParameter('FriendlyName', 'must be at most 64 characters');
    }
    this.friendlyName = friendlyName;
    for (const key of DATE_KEYS) {
      const value = query?.get(key);
      if (value == null) continue;
      if (!isDay(value)) throw invalidParameter(key, `must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
      const list = key.startsWith('DateCreated') ? this.created : this.updated;
      list.push([COMPARE[key.slice('DateCreated'.length)]!, value]);
    }
  }

  matches(status: ConferenceStatus, friendlyName: string, dateCreated: string, dateUpdated: string): boolean {
    if (this.status !== undefined && status !== this.status) return false;
    if (this.friendlyName !== undefined && friendlyName !== this.friendlyName) return false;
    return within(this.created, dateCreated) && within(this.updated, dateUpdated);
  }
}

function within(bounds: Array<[Compare, string]>, date: string): boolean {
  if (bounds.length === 0) return true;
  const day = new Date(Date.parse(date)).toISOString().slice(0, 10);
  return bounds.every(([compare, bound]) => compare(day, bound));
}

export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}
