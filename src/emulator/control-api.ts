/**
 * The emulator's own HTTP API under /__emulator/, so another process (the demo, a browser test) can seed state,
 * read it and set faults. Loopback tooling: no auth, never faulted, not counted in the stats.
 *
 *   GET    /__emulator/state                                     conferences with participants (recorded URLs too)
 *   POST   /__emulator/conferences                               body SeedConference -> 201 the conference
 *   GET    /__emulator/conferences/{sid}                         the conference
 *   PUT    /__emulator/conferences/{sid}/status                  body {"status": "completed"} -> the conference
 *   POST   /__emulator/conferences/{sid}/participants            body SeedParticipant -> 201 the participant
 *   POST   /__emulator/conferences/{sid}/participants/bulk       body {"count": N, ...SeedParticipant but callSid}
 *                                                                 -> 201 {"conferenceSid", "callSids": [...]}
 *   GET    /__emulator/conferences/{sid}/participants/{callSid}  the participant
 *   GET    /__emulator/faults                                    the rules in force (counts left)
 *   PUT    /__emulator/faults                                    body FaultRule[] (or {"rules": [...]}) replaces them
 *   DELETE /__emulator/faults                                    no more faults
 *   GET    /__emulator/rate-limit                                the POST rate limit in force, or null
 *   PUT    /__emulator/rate-limit                                body RateLimit {"limit", "windowMs"?, "retryAfter"?}
 *   DELETE /__emulator/rate-limit                                no more rate limit
 *   GET    /__emulator/stats                                     requests, inFlight, maxInFlight, updates,
 *                                                                 rateLimited, faults
 *   POST   /__emulator/stats/reset                               zeroes the stats
 *   POST   /__emulator/reset                                     back to the start: seed state, no faults, the
 *                                                                 starting rate limit, zero stats
 *   GET    /__emulator/errors/{code}                             what an error code means (the `more_info` links)
 *
 * Errors here are {"error": message} with 400 (bad input) or 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_EXPLANATIONS } from './api-error';
import type { FaultRule } from './faults';
import type { RateLimit } from './rate-limit';
import { sendEmpty, sendJson } from './respond';
import type { ConferenceStatus, SeedConference, SeedParticipant } from './seed';
import type { EmulatedConference, EmulatedParticipant } from './state';
import type { EmulatorStats } from './stats';

export const CONTROL_PREFIX = '/__emulator/';

/** What the control API drives: the Emulator object itself. */
export interface ControlTarget {
  readonly projectId: string;
  readonly stats: EmulatorStats;
  snapshot(): EmulatedConference[];
  addConference(conference: SeedConference): EmulatedConference;
  getConference(conferenceSid: string): EmulatedConference | undefined;
  setConferenceStatus(conferenceSid: string, status: ConferenceStatus): EmulatedConference;
  addParticipant(conferenceSid: string, participant: SeedParticipant): EmulatedParticipant;
  addParticipants(conferenceSid: string, count: number, template: Omit<SeedParticipant, 'callSid'>): string[];
  getParticipant(conferenceSid: string, callSid: string): EmulatedParticipant | undefined;
  getFaults(): FaultRule[];
  setFaults(rules: readonly FaultRule[]): void;
  getRateLimit(): RateLimit | null;
  setRateLimit(limit: RateLimit | null): void;
  reset(): void;
}

class NotFound extends Error {}

export function handleControl(target: ControlTarget, req: IncomingMessage, res: ServerResponse, body: string): void {
  try {
    route(target, req, res, body);
  } catch (error) {
    sendControlError(res, error);
  }
}

/** A control route's failure as {"error": message}: 404 for what does not exist, 400 for bad input. */
export function sendControlError(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, error instanceof NotFound ? 404 : 400, { error: message });
}

function route(target: ControlTarget, req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const parts = (q < 0 ? url : url.slice(0, q))
    .slice(CONTROL_PREFIX.length)
    .split('/')
    .filter((p) => p !== '');
  const method = req.method ?? 'GET';
  const key = `${method} ${parts.map((p, i) => (i % 2 === 1 && parts[0] !== 'stats' ? ':id' : p)).join('/')}`;

  switch (key) {
    case 'GET state':
      return sendJson(res, 200, { projectId: target.projectId, conferences: target.snapshot() });
    case 'POST conferences':
      return sendJson(res, 201, target.addConference(parseJson(body) as SeedConference));
    case 'GET conferences/:id':
      return sendJson(res, 200, found(target.getConference(parts[1]), `Conference ${parts[1]}`));
    case 'PUT conferences/:id/status': {
      const input = parseJson(body) as { status?: ConferenceStatus };
      if (!target.getConference(parts[1])) throw new NotFound(`Conference ${parts[1]} does not exist`);
      return sendJson(res, 200, target.setConferenceStatus(parts[1], input?.status as ConferenceStatus));
    }
    case 'POST conferences/:id/participants':
      if (!target.getConference(parts[1])) throw new NotFound(`Conference ${parts[1]} does not exist`);
      return sendJson(res, 201, target.addParticipant(parts[1], parseJson(body) as SeedParticipant));
    case 'POST conferences/:id/participants/:id': {
      if (parts[3] !== 'bulk') throw new NotFound(`No control route ${method} ${url}`);
      if (!target.getConference(parts[1])) throw new NotFound(`Conference ${parts[1]} does not exist`);
      const { count, ...template } = parseJson(body) as { count?: number } & SeedParticipant;
      if ('callSid' in template) throw new TypeError('A bulk seed gives each participant a new callSid');
      const callSids = target.addParticipants(parts[1], count as number, template);
      return sendJson(res, 201, { conferenceSid: parts[1], callSids });
    }
    case 'GET conferences/:id/participants/:id':
      return sendJson(res, 200, found(target.getParticipant(parts[1], parts[3]), `Participant ${parts[3]}`));
    case 'GET faults':
      return sendJson(res, 200, target.getFaults());
    case 'PUT faults': {
      const input = parseJson(body) as FaultRule[] | { rules?: FaultRule[] };
      const rules = Array.isArray(input) ? input : input?.rules;
      if (!Array.isArray(rules)) throw new TypeError('Send an array of fault rules (or {"rules": [...]})');
      target.setFaults(rules);
      return sendJson(res, 200, target.getFaults());
    }
    case 'DELETE faults':
      target.setFaults([]);
      return sendEmpty(res, 204);
    case 'GET rate-limit':
      return sendJson(res, 200, target.getRateLimit());
    case 'PUT rate-limit':
      target.setRateLimit(parseJson(body) as RateLimit);
      return sendJson(res, 200, target.getRateLimit());
    case 'DELETE rate-limit':
      target.setRateLimit(null);
      return sendEmpty(res, 204);
    case 'GET stats':
      return sendJson(res, 200, target.stats);
    case 'POST stats/reset':
      target.stats.reset();
      return sendJson(res, 200, target.stats);
    case 'POST reset':
      target.reset();
      return sendJson(res, 200, { projectId: target.projectId, conferences: target.snapshot() });
    case 'GET errors/:id': {
      // Own keys only: `constructor` or `__proto__` is not an error code.
      const explanation = Object.hasOwn(ERROR_EXPLANATIONS, parts[1]) ? ERROR_EXPLANATIONS[parts[1]] : undefined;
      if (!explanation) throw new NotFound(`No explanation for error code ${parts[1]}`);
      return sendJson(res, 200, { code: Number(parts[1]), explanation });
    }
    default:
      throw new NotFound(`No control route ${method} ${url}`);
  }
}

/** A control request's JSON body; an empty body is `{}`. */
export function parseJson(body: string): unknown {
  if (body === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new TypeError('The body must be JSON');
  }
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(`${what} does not exist`);
  return value;
}
