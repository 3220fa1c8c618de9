/**
 * The emulated Compatibility API under /api/laml/2010-04-01/Accounts/{AccountSid}: the account, conferences and
 * their participants, calls. Every path also answers with a `.json` suffix, and under /2010-04-01/Accounts/ as well,
 * the form the official SDK uses (its base is the space itself). Answers hold exactly the fields of SignalWire's
 * schemas; every error is a CompatibilityErrorResponse.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, ErrorCode, errorArrayBody, invalidParameter, moreInfoPath, notFound } from './api-error';
import { CALL_FILTER_KEYS, CallFilter } from './call-filter';
import { parseCreateCall, parseUpdateCall } from './call-form';
import type { CallProgress } from './call-progress';
import type { CallRecords } from './call-records';
import { rfc2822Now } from './clock';
import { CONFERENCE_FILTER_KEYS, ConferenceFilter } from './conference-filter';
import { pageOf, type ListRequest } from './paging';
import { sendEmpty, sendJson } from './respond';
import { API_ROOT, type EmulatorState } from './state';
import type { EmulatorStats } from './stats';
import { parseBoolean, parseConferenceForm, parseUpdateForm } from './update-form';
import { isUuid } from './uuid';

const ACCOUNTS_PREFIX = `${API_ROOT}/Accounts/`;
/** The official SDK's form of the same paths. */
const SDK_ACCOUNTS_PREFIX = '/2010-04-01/Accounts/';
const PARTICIPANT_FILTER_KEYS = ['Muted', 'Hold'];
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** "Create a Call", whose 400s take the spec's errors-array shape. */
const CREATE_CALL = /\/Accounts\/[^/]*\/Calls(?:\.json)?$/;

export interface CompatApiContext {
  state: EmulatorState;
  stats: EmulatorStats;
  projectId: string;
  token: string;
  calls: CallProgress;
  callRecords: CallRecords;
  /** The emulator's base URL, for `more_info` links; set once the server listens. */
  baseUrl: string;
}

export class CompatApi {
  private readonly expectedAuthorization: string;
  private readonly accountCreated = rfc2822Now();

  constructor(private readonly ctx: CompatApiContext) {
    this.expectedAuthorization = `Basic ${Buffer.from(`${ctx.projectId}:${ctx.token}`).toString('base64')}`;
  }

  handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    try {
      this.route(req, res, body);
    } catch (error) {
      // Anything unexpected still gets an answer in the API's shape, and never takes the server down.
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, ErrorCode.internalError, 'Internal emulator error');
      const path = (req.url ?? '').split('?')[0]!;
      if (apiError.status === 400 && req.method === 'POST' && CREATE_CALL.test(path)) {
        return sendJson(res, 400, errorArrayBody(apiError, this.ctx.baseUrl));
      }
      this.sendError(res, apiError, apiError.headers);
    }
  }

  sendError(res: ServerResponse, error: ApiError, headers?: Record<string, string>): void {
    sendJson(
      res,
      error.status,
      {
        code: error.code,
        message: error.message,
        more_info: `${this.ctx.baseUrl}${moreInfoPath(error.code)}`,
        status: error.status,
      },
      headers,
    );
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const prefix = [ACCOUNTS_PREFIX, SDK_ACCOUNTS_PREFIX].find((p) => path.startsWith(p));
    if (prefix === undefined) throw notFound(path);
    this.authenticate(req);

    const segments = path.slice(prefix.length).split('/');
    const last = segments.length - 1;
    if (segments[last].endsWith('.json')) segments[last] = segments[last].slice(0, -5);
    const [accountSid, conferences, conferenceSid, participants, callSid] = segments;

    if (!isUuid(accountSid)) throw invalidParameter('AccountSid', 'must be a UUID');
    if (accountSid !== this.ctx.projectId) {
      throw new ApiError(
        401,
        ErrorCode.authenticationFailed,
        'Authentication failed: the AccountSid in the URL is not the authenticated project',
      );
    }
    const method = req.method ?? 'GET';
    const query = q < 0 ? undefined : new URLSearchParams(url.slice(q + 1));
    const { state } = this.ctx;
    // Links always name the documented form of the path, whichever form was asked.
    const list = (filterKeys: readonly string[]): ListRequest => ({
      path: `${ACCOUNTS_PREFIX}${segments.join('/')}.json`,
      filters: filterKeys.flatMap((key) => {
        const value = query?.get(key);
        return value == null ? [] : [[key, value] as const];
      }),
      query,
    });

    if (segments.length === 1) {
      allow(method, ['GET']);
      return sendJson(res, 200, this.account());
    }
    if (conferences === 'Calls') return this.calls(req, res, body, segments, list);
    if (conferences !== 'Conferences' || segments.length > 5) throw notFound(path);
    if (segments.length === 2) {
      allow(method, ['GET']);
      const filter = new ConferenceFilter(query);
      return sendJson(res, 200, pageOf('conferences', state.apiConferences(filter), list(CONFERENCE_FILTER_KEYS)));
    }
    if (!isUuid(conferenceSid)) throw invalidParameter('ConferenceSid', 'must be a UUID');
    if (segments.length === 3) {
      allow(method, ['GET', 'POST']);
      if (method === 'GET') return sendJson(res, 200, state.apiConference(conferenceSid));
      state.apiConference(conferenceSid); // 404 before the body is read, as for participants
      const update = parseConferenceForm(readForm(req, body));
      return sendJson(res, 200, state.updateConference(conferenceSid, update));
    }
    if (participants !== 'Participants') throw notFound(path);
    if (segments.length === 4) {
      allow(method, ['GET']);
      const muted = query?.get('Muted');
      const hold = query?.get('Hold');
      const filter = {
        muted: muted == null ? undefined : parseBoolean('Muted', muted),
        hold: hold == null ? undefined : parseBoolean('Hold', hold),
      };
      const participants = state.apiParticipants(conferenceSid, filter);
      return sendJson(res, 200, pageOf('participants', participants, list(PARTICIPANT_FILTER_KEYS)));
    }
    if (!isUuid(callSid)) throw invalidParameter('CallSid', 'must be a UUID');
    allow(method, ['GET', 'POST', 'DELETE']);
    if (method === 'GET') return sendJson(res, 200, state.apiParticipant(conferenceSid, callSid));
    if (method === 'DELETE') {
      state.removeParticipant(conferenceSid, callSid);
      return sendEmpty(res, 204);
    }
    state.requireParticipantExists(conferenceSid, callSid);
    const options = parseUpdateForm(readForm(req, body));
    const participant = state.updateParticipant(conferenceSid, callSid, options);
    this.ctx.stats.updates += 1;
    sendJson(res, 200, participant);
  }

  /** `/Calls` and `/Calls/{Sid}`: list, create, retrieve, update. */
  private calls(
    req: IncomingMessage,
    res: ServerResponse,
    body: string,
    segments: string[],
    list: (filterKeys: readonly string[]) => ListRequest,
  ): void {
    const method = req.method ?? 'GET';
    const { calls, callRecords } = this.ctx;
    if (segments.length === 2) {
      allow(method, ['GET', 'POST']);
      if (method === 'POST') return sendJson(res, 200, calls.create(parseCreateCall(readForm(req, body))));
      const query = list(CALL_FILTER_KEYS);
      const filter = new CallFilter(query.query);
      return sendJson(res, 200, pageOf('calls', callRecords.list(filter), query));
    }
    if (segments.length > 3) throw notFound(`${segments.join('/')}`);
    const sid = segments[2]!;
    if (!isUuid(sid)) throw invalidParameter('Sid', 'must be a UUID');
    allow(method, ['GET', 'POST']);
    if (method === 'GET') return sendJson(res, 200, calls.retrieve(sid));
    calls.retrieve(sid); // 404 before the body is read
    return sendJson(res, 200, calls.update(sid, parseUpdateCall(readForm(req, body))));
  }

  private authenticate(req: IncomingMessage): void {
    const header = req.headers.authorization;
    if (header === this.expectedAuthorization) return;
    // Slow path for the same credentials written differently ("basic", extra spaces).
    if (header && /^basic\s+/i.test(header)) {
      const decoded = Buffer.from(header.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0 && decoded.slice(0, colon) === this.ctx.projectId && decoded.slice(colon + 1) === this.ctx.token) {
        return;
      }
    }
    throw new ApiError(
      401,
      ErrorCode.authenticationFailed,
      header ? 'Authentication failed: wrong Project ID or API token' : 'Authentication required: send Basic auth',
    );
  }

  /**
   * `AccountResponse` with every required field. `auth_token` is a placeholder, never the token: the emulator
   * does not echo a credential; `signing_key` is null as for a project without one.
   */
  private account(): Record<string, unknown> {
    const base = `${ACCOUNTS_PREFIX}${this.ctx.projectId}`;
    const sub = (name: string): string => `${base}/${name}.json`;
    return {
      sid: this.ctx.projectId,
      friendly_name: 'Emulated project',
      status: 'active',
      auth_token: '[not shown by the emulator]',
      date_created: this.accountCreated,
      date_updated: this.accountCreated,
      type: 'Full',
      owner_account_sid: this.ctx.projectId,
      region_preference: 'us1',
      uri: `${base}.json`,
      subproject: false,
      signing_key: null,
      subresource_uris: {
        addresses: null,
        available_phone_numbers: sub('AvailablePhoneNumbers'),
        applications: sub('Applications'),
        authorized_connect_apps: null,
        calls: sub('Calls'),
        conferences: sub('Conferences'),
        connect_apps: null,
        incoming_phone_numbers: sub('IncomingPhoneNumbers'),
        keys: null,
        notifications: null,
        outgoing_caller_ids: null,
        queues: sub('Queues'),
        recordings: sub('Recordings'),
        sandbox: null,
        sip: null,
        short_codes: null,
        messages: sub('Messages'),
        transcriptions: sub('Transcriptions'),
        usage: null,
      },
    };
  }
}

function allow(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) {
    const list = allowed.join(', ');
    throw new ApiError(405, ErrorCode.methodNotAllowed, `Method ${method} is not allowed here (use ${list})`, {
      Allow: list,
    });
  }
}

function readForm(req: IncomingMessage, body: string): URLSearchParams {
  const type = req.headers['content-type'];
  if (body !== '' && (type === undefined || !type.toLowerCase().startsWith(FORM_TYPE))) {
    throw invalidParameter('Content-Type', `the body must be ${FORM_TYPE}, got ${JSON.stringify(type ?? null)}`);
  }
  return new URLSearchParams(body);
}
