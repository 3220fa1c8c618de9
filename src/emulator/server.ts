/** Starts the emulator: one node:http server serving the emulated API, its faults and the control API. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, ErrorCode } from './api-error';
import { CompatApi, type CompatApiContext } from './compat-api';
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control-api';
import { FaultInjector, type FaultRule } from './faults';
import { seededRandom } from './random';
import { PostRateLimiter, type RateLimit } from './rate-limit';
import { sendJson } from './respond';
import {
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  DEMO_SEED,
  type ConferenceStatus,
  type EmulatorSeed,
  type SeedConference,
  type SeedParticipant,
} from './seed';
import { EmulatorState, type EmulatedConference, type EmulatedParticipant } from './state';
import { EmulatorStats } from './stats';
import { ConferenceCalls } from './conference-calls';
import { handleEventsControl } from './events-control';
import { CallProgress } from './call-progress';
import { CallRecords } from './call-records';
import { handleCallsControl } from './calls-control';
import { WALL_CLOCK, type Clock } from '../lib/clock';
import { EmulatorLog } from './emulator-log';
import { DEMO_NUMBERS, PhoneNumbers } from './phone-numbers';
import { SignedRequests } from './signed-request';
import { DEFAULT_SIGNING_KEY, StatusCallbacks, type CallbackTarget } from './status-callbacks';
import { isUuid } from './uuid';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The AccountSid / Basic-auth user to accept. Default DEFAULT_PROJECT_ID. */
  projectId?: string;
  /** The API token to accept. Default DEFAULT_TOKEN. */
  token?: string;
  /** Conferences and participants to start with (and to go back to on reset). Default DEMO_SEED; null for none. */
  seed?: EmulatorSeed | null;
  /** Fault rules in force from the start. */
  faults?: FaultRule[];
  /** Seeds the random source of fault injection, for replayable runs. */
  randomSeed?: number;
  /** The random source itself (values in [0, 1)); wins over randomSeed. Default Math.random. */
  random?: () => number;
  /** A limit on API POSTs in force from the start (and again after reset). Default none. */
  rateLimit?: RateLimit | null;
  /** Signs every request the emulator makes: status callbacks, cXML fetches. Default DEFAULT_SIGNING_KEY. */
  signingKey?: string;
  /** Where conferences without a callback of their own (the seeded ones) send their status callbacks. */
  statusCallback?: CallbackTarget;
  /** The project's phone numbers (E.164): a call's From must be one. Default the DEMO_NUMBERS. */
  phoneNumbers?: string[];
  /** Paces the calls (ringing, answering, ring timeout). Default the system clock; tests give a ManualClock. */
  clock?: Clock;
  /** Each line of the emulator's log as it is written (cXML it cannot run, a Url that fails). */
  onLog?: (line: string) => void;
}

export interface Emulator extends ControlTarget {
  /** Base URL, e.g. http://127.0.0.1:8080: the "Space" to give a client. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
  readonly token: string;
  readonly stats: EmulatorStats;
  readonly signingKey: string;
  /** Status callbacks: their target, faults and deliveries (see status-callbacks.ts). */
  readonly callbacks: StatusCallbacks;
  /** Participants joining and leaving, with their events (see conference-calls.ts). */
  readonly calls: ConferenceCalls;
  /** Calls placed and taken, as cXML runs them (see call-progress.ts). */
  readonly phoneCalls: CallProgress;
  readonly callRecords: CallRecords;
  /** The project's numbers and how numbers answer (see phone-numbers.ts). */
  readonly numbers: PhoneNumbers;
  /** What the emulator refused to run, and why. */
  readonly log: EmulatorLog;
  readonly clock: Clock;
  /** Stops listening and ends every connection, hanging requests and idle keep-alive sockets included. */
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;
/** The calls resource, whose changes to rooms send their own events. */
const CALLS_PATH = /\/Accounts\/[^/]*\/Calls(?:[/.?]|$)/;
/** A request about one participant: `.../Conferences/{sid}/Participants/{CallSid}`, with or without `.json`. */
const PARTICIPANT_REQUEST = /\/Conferences\/([^/?]+)\/Participants\/([^/?.]+)/;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  if (!isUuid(projectId)) throw new TypeError(`projectId must be a UUID, got ${JSON.stringify(projectId)}`);
  const token = options.token ?? DEFAULT_TOKEN;
  if (typeof token !== 'string' || token === '') throw new TypeError('token must be a non-empty string');
  const seed = options.seed === undefined ? DEMO_SEED : options.seed;
  const random = options.random ?? (options.randomSeed === undefined ? Math.random : seededRandom(options.randomSeed));

  const state = new EmulatorState(projectId);
  state.load(seed);
  const stats = new EmulatorStats();
  const faults = new FaultInjector(random);
  faults.set(options.faults ?? []);
  const rateLimiter = new PostRateLimiter();
  rateLimiter.set(options.rateLimit ?? null);
  const timers = new Set<NodeJS.Timeout>();
  const signingKey = options.signingKey ?? DEFAULT_SIGNING_KEY;
  if (typeof signingKey !== 'string' || signingKey === '') throw new TypeError('signingKey must be a non-empty string');
  const requests = new SignedRequests(signingKey);
  const callbacks = new StatusCallbacks(state, requests, random);
  callbacks.setDefaultTarget(options.statusCallback);
  // Calls waiting in a room run on once they are no longer in it, however the room changed.
  const calls = new ConferenceCalls(state, callbacks, () => phoneCalls.settle());
  const clock = options.clock ?? WALL_CLOCK;
  const log = new EmulatorLog(() => clock.now(), options.onLog);
  const numbers = new PhoneNumbers(options.phoneNumbers ?? Object.values(DEMO_NUMBERS));
  const callRecords = new CallRecords(projectId, () => clock.now());
  const phoneCalls = new CallProgress({
    accountSid: projectId,
    state,
    records: callRecords,
    numbers,
    conferenceCalls: calls,
    callbacks,
    requests,
    clock,
    log,
  });
  const ctx: CompatApiContext = { state, stats, projectId, token, calls: phoneCalls, callRecords, baseUrl: '' };
  const api = new CompatApi(ctx);
  // The API's own changes (mute, hold, remove, end) send their events; compared only when someone listens. A
  // call's hang-up sends its room's events itself. Calls waiting in a room that someone left run on.
  const handleApi = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    if (!callbacks.active || CALLS_PATH.test(req.url ?? '')) api.handle(req, res, body);
    else {
      const before = state.snapshot();
      api.handle(req, res, body);
      callbacks.emitChanges(before);
    }
    phoneCalls.settle();
  };

  const emulator = {
    url: '',
    host: options.host ?? '127.0.0.1',
    port: 0,
    projectId,
    token,
    stats,
    signingKey,
    callbacks,
    calls,
    phoneCalls,
    callRecords,
    numbers,
    log,
    clock,
    snapshot: (): EmulatedConference[] => state.snapshot(),
    addConference: (conference: SeedConference): EmulatedConference => state.addConference(conference),
    getConference: (sid: string): EmulatedConference | undefined => state.getConference(sid),
    setConferenceStatus: (sid: string, status: ConferenceStatus): EmulatedConference => {
      const conference = state.setConferenceStatus(sid, status);
      phoneCalls.settle();
      return conference;
    },
    addParticipant: (sid: string, participant: SeedParticipant): EmulatedParticipant =>
      state.addParticipant(sid, participant),
    addParticipants: (sid: string, count: number, template: Omit<SeedParticipant, 'callSid'> = {}): string[] =>
      state.addParticipants(sid, count, template),
    getParticipant: (sid: string, callSid: string): EmulatedParticipant | undefined =>
      state.getParticipant(sid, callSid),
    getFaults: (): FaultRule[] => faults.list(),
    setFaults: (rules: readonly FaultRule[]): void => faults.set(rules),
    getRateLimit: (): RateLimit | null => rateLimiter.get(),
    setRateLimit: (limit: RateLimit | null): void => rateLimiter.set(limit),
    reset: (): void => {
      phoneCalls.reset();
      numbers.reset();
      log.clear();
      state.load(seed);
      callbacks.forget();
      faults.set([]);
      rateLimiter.set(options.rateLimit ?? null);
      stats.reset();
    },
    close: (): Promise<void> => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      phoneCalls.close();
      callbacks.close();
      requests.close();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (req.socket.destroyed) return; // the client gave up while the latency ran: as if never received
    const refused = rateLimiter.refuse(req.method);
    if (refused) {
      stats.rateLimited += 1;
      const headers = refused.retryAfter === undefined ? undefined : { 'Retry-After': refused.retryAfter };
      return api.sendError(res, new ApiError(429, ErrorCode.tooManyRequests, 'Too Many Requests'), headers);
    }
    handleApi(req, res, body);
  }

  function onApiRequest(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (!faults.active) return answer(req, res, body);
    const { delayMs, fault } = faults.next(PARTICIPANT_REQUEST.test(req.url ?? ''));
    if (delayMs > 0) stats.faults.latency += 1;
    if (fault) stats.faults[fault.kind] += 1;
    const act = (): void => (fault ? injectFault(req, res, fault, body) : answer(req, res, body));
    if (delayMs <= 0) return act();
    const timer = setTimeout(() => {
      timers.delete(timer);
      act();
    }, delayMs);
    timers.add(timer);
  }

  function injectFault(req: IncomingMessage, res: ServerResponse, fault: FaultRule, body: string): void {
    if (req.socket.destroyed) return;
    const headers = fault.retryAfter === undefined ? undefined : { 'Retry-After': String(fault.retryAfter) };
    switch (fault.kind) {
      case '429':
        return api.sendError(res, new ApiError(429, ErrorCode.tooManyRequests, 'Too Many Requests'), headers);
      case '503':
        return api.sendError(res, new ApiError(503, ErrorCode.serviceUnavailable, 'Service Unavailable'), headers);
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // answered never: the client's timeout or close() ends it
      case 'drop-answer':
        // Processed, then the answer is lost: headers and body are only written on end(), which resets instead.
        res.end = ((): ServerResponse => {
          req.socket.destroy();
          return res;
        }) as ServerResponse['end'];
        return answer(req, res, body);
      case 'leave': {
        const [, conferenceSid, callSid] = PARTICIPANT_REQUEST.exec(req.url ?? '') ?? [];
        // Someone never there, or a room that has ended: the request is answered as things stand.
        const live = state.getConference(conferenceSid!)?.status !== 'completed';
        if (live && state.getParticipant(conferenceSid!, callSid!)) calls.leave({ conferenceSid, callSid });
        return answer(req, res, body);
      }
      case 'non-json': {
        const text = `{"account_sid":"${projectId}","call_sid":"`;
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': text.length });
        res.end(text);
        return;
      }
      case 'latency':
        return;
    }
  }

  const server: Server = createServer((req, res) => {
    const isControl = req.url !== undefined && req.url.startsWith(CONTROL_PREFIX);
    if (!isControl) {
      stats.requests += 1;
      stats.inFlight += 1;
      if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
      res.once('close', () => {
        stats.inFlight -= 1;
      });
    }
    let body = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body.length + chunk.length > BODY_LIMIT) tooLarge = true;
      else body += chunk;
    });
    req.on('end', () => {
      if (tooLarge) {
        const error = new ApiError(413, ErrorCode.invalidParameter, `The body is larger than ${BODY_LIMIT} bytes`);
        if (isControl) sendJson(res, 413, { error: error.message });
        else api.sendError(res, error);
      } else if (isControl) {
        const handled = handleCallsControl(emulator, req, res, body) || handleEventsControl(emulator, req, res, body);
        if (!handled) handleControl(emulator, req, res, body);
        phoneCalls.settle();
      } else onApiRequest(req, res, body);
    });
  });
  // Longer than common client idle timeouts, so a client never reuses a socket the server is closing.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 31_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, emulator.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  emulator.port = address.port;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : emulator.host;
  emulator.url = `http://${hostInUrl}:${address.port}`;
  ctx.baseUrl = emulator.url;
  return emulator;
}
