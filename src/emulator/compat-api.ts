/**
 * The emulated Compatibility API under /api/laml/2010-04-01/Accounts/{AccountSid}: the account, conferences and
 * their participants. Every path also answers with a `.json` suffix. Every error is a CompatibilityErrorResponse.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, ErrorCode, invalidParameter, moreInfoPath, notFound } from './api-error';
import { rfc2822Now } from './clock';
import { sendEmpty, sendJson } from './respond';
import { API_ROOT, type EmulatorState } from './state';
import type { EmulatorStats } from './stats';
import { parseBoolean, parseUpdateForm } from './update-form';
import { isUuid } from './uuid';

const ACCOUNTS_PREFIX = `${API_ROOT}/Accounts/`;
const FORM_TYPE = 'application/x-www-form-urlencoded';

export interface CompatApiContext {
  state: EmulatorState;
  stats: EmulatorStats;
  projectId: string;
  token: string;
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
    if (!path.startsWith(ACCOUNTS_PREFIX)) throw notFound(path);
    this.authenticate(req);

    const segments = path.slice(ACCOUNTS_PREFIX.length).split('/');
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

    if (segments.length === 1) {
      allow(method, ['GET']);
      return sendJson(res, 200, this.account());
    }
    if (conferences !== 'Conferences' || segments.length > 5) throw notFound(path);
    if (segments.length === 2) {
      allow(method, ['GET']);
      const filter = {
        status: query?.get('Status') ?? undefined,
        friendlyName: query?.get('FriendlyName') ?? undefined,
      };
      return sendJson(res, 200, this.page('conferences', state.apiConferences(filter), path, query));
    }
    if (!isUuid(conferenceSid)) throw invalidParameter('ConferenceSid', 'must be a UUID');
    if (segments.length === 3) {
      allow(method, ['GET', 'POST']);
      if (method === 'GET') return sendJson(res, 200, state.apiConference(conferenceSid));
      const form = readForm(req, body);
      const status = form.get('Status');
      if (status !== null && status !== 'completed') {
        throw invalidParameter('Status', `can only be set to completed, got ${JSON.stringify(status)}`);
      }
      return sendJson(
        res,
        200,
        status === null ? state.apiConference(conferenceSid) : state.completeConference(conferenceSid),
      );
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
      return sendJson(res, 200, this.page('participants', state.apiParticipants(conferenceSid, filter), path, query));
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

  private account(): Record<string, unknown> {
    return {
      sid: this.ctx.projectId,
      friendly_name: 'Emulated project',
      status: 'active',
      type: 'Full',
      date_created: this.accountCreated,
      date_updated: this.accountCreated,
      uri: `${ACCOUNTS_PREFIX}${this.ctx.projectId}.json`,
      subresource_uris: { conferences: `${ACCOUNTS_PREFIX}${this.ctx.projectId}/Conferences.json` },
    };
  }

  /** Twilio-style paging: `Page` (from 0) and `PageSize` (default 50, at most 1000). */
  private page<T>(key: string, items: T[], path: string, query: URLSearchParams | undefined): Record<string, unknown> {
    const pageSize = pageNumber(query?.get('PageSize'), 'PageSize', 50, 1, 1000);
    const page = pageNumber(query?.get('Page'), 'Page', 0, 0, Number.MAX_SAFE_INTEGER);
    const start = page * pageSize;
    const slice = items.slice(start, start + pageSize);
    const base = path.endsWith('.json') ? path : `${path}.json`;
    const uriFor = (n: number): string => `${base}?PageSize=${pageSize}&Page=${n}`;
    return {
      [key]: slice,
      page,
      page_size: pageSize,
      start,
      end: start + Math.max(slice.length - 1, 0),
      uri: uriFor(page),
      first_page_uri: uriFor(0),
      next_page_uri: start + pageSize < items.length ? uriFor(page + 1) : null,
      previous_page_uri: page > 0 ? uriFor(page - 1) : null,
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

function pageNumber(
  value: string | null | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value == null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalidParameter(name, `must be a whole number from ${min} to ${max}`);
  return n;
}
