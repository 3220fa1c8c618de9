/** The settings of a conference events node, read from its form (or a hand-written flow) and checked. */
import { CALL_EVENTS } from './call-event';
import { CONFERENCE_EVENTS } from './conference-event';
import { readRoutePublicUrl } from './public-url';
import { readRoutePath } from './route-path';

const DEFAULT_EVENTS_PATH = '/signalwire/conference-events';

export interface EventsSettings {
  /** Where the node listens, under Node-RED's httpNodeRoot; always starts with `/`. */
  path: string;
  /** The URL SignalWire calls when it differs from what Node-RED sees (a proxy or tunnel); empty otherwise. */
  publicUrl: string;
  /** The events passed on; empty means all. */
  events: string[];
  verify: boolean;
  /** How far a callback's Timestamp may be from this server's clock, in minutes; 0 switches the check off. */
  timestampTolerance: number;
}

const DEFAULT_TIMESTAMP_TOLERANCE = 15;
/** A day: a callback older than that is no longer news, whatever the clocks say. */
const MAX_TIMESTAMP_TOLERANCE = 24 * 60;

/** A setting that cannot work, by name, with the value as given. */
export interface SettingsProblem {
  field: 'path' | 'publicUrl' | 'events' | 'timestampTolerance';
  value: string;
}

export interface EventsSettingsReading {
  settings: EventsSettings;
  problems: SettingsProblem[];
  /** Well-formed event names SignalWire does not document (a typo filters everything out, so the node warns). */
  unknownEvents: string[];
}

const EVENT_NAME = /^[a-z]+(-[a-z]+)*$/;
const KNOWN_EVENTS = new Set<string>([...CONFERENCE_EVENTS, ...CALL_EVENTS]);

export function readEventsSettings(def: {
  path?: unknown;
  publicUrl?: unknown;
  events?: unknown;
  verify?: unknown;
  timestampTolerance?: unknown;
}): EventsSettingsReading {
  const problems: SettingsProblem[] = [];

  const path = readRoutePath(def.path, DEFAULT_EVENTS_PATH);
  if (path === undefined) {
    const given = typeof def.path === 'string' ? def.path.trim() : String(def.path);
    problems.push({ field: 'path', value: given });
  }

  const publicUrl = readRoutePublicUrl(def.publicUrl);
  if (!publicUrl.ok) problems.push({ field: 'publicUrl', value: publicUrl.value });

  const events: string[] = [];
  const unknownEvents: string[] = [];
  const given = def.events;
  const names = typeof given === 'string' ? given.split(/[\s,]+/).filter(Boolean) : given;
  if (names != null && !Array.isArray(names)) {
    problems.push({ field: 'events', value: String(JSON.stringify(given)) });
  } else {
    for (const name of names ?? []) {
      if (typeof name !== 'string' || !EVENT_NAME.test(name)) {
        problems.push({ field: 'events', value: String(JSON.stringify(name)) });
      } else if (!events.includes(name)) {
        events.push(name);
        if (!KNOWN_EVENTS.has(name)) unknownEvents.push(name);
      }
    }
  }

  // Anything but an explicit "off" keeps the check on.
  const verify = !(def.verify === false || def.verify === 'false');

  // Whole minutes; flows saved before the setting existed get the default.
  const raw = def.timestampTolerance;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : raw == null ? '' : null;
  let timestampTolerance =
    text === '' ? DEFAULT_TIMESTAMP_TOLERANCE : text !== null && /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(timestampTolerance <= MAX_TIMESTAMP_TOLERANCE)) {
    problems.push({ field: 'timestampTolerance', value: String(raw) });
    timestampTolerance = DEFAULT_TIMESTAMP_TOLERANCE;
  }

  return {
    settings: { path: path ?? '', publicUrl: publicUrl.ok ? publicUrl.url : '', events, verify, timestampTolerance },
    problems,
    unknownEvents,
  };
}
