/**
 * A route on Node-RED's node HTTP server for requests SignalWire signs, behind the signed request gate
 * (src/lib/webhooks/signed-request-gate.ts): one node per path, refusals answered, logged (rate-limited) and
 * counted in the node's status, repeats answered without being passed on. The node gives what to do with each
 * admitted request; everything at the door is the same for every node that serves SignalWire.
 *
 *   const route = serveSignedRoute(RED, node, {
 *     path, publicUrl, gate: { signingKey, verify, toleranceMs },
 *     showIdle: () => node.status({ fill: 'green', shape: 'ring', text: 'listening' }),
 *     onRequest: (request, reply) => { reply.answer(204); node.send({ payload: request.fields }); },
 *   });
 *   node.on('close', (_removed, done) => { route.close(); done(); });
 */
import type { Node, NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import { letGoOfBody } from '../lib/webhooks/read-limited-body';
import {
  REFUSAL_STATUS,
  SignedRequestGate,
  type AdmittedRequest,
  type GateSettings,
  type Refusal,
  type RefusalDetail,
} from '../lib/webhooks/signed-request-gate';
import { RefusalLog } from '../lib/webhooks/refusal-log';
import { signedUrl } from '../lib/webhooks/signed-url';
import { serveRoute } from './http-route';
import { claimPath } from './path-claims';

/** The message catalog these texts live in: the connection's, which holds the Signing Key they are about. */
const CATALOG = '@callflows/node-red-signalwire/signalwire-config:signedRoute.';

/** Who a route speaks through: its refusals are logged and shown in the status of this node (or these nodes). */
export type RouteOwner = Pick<Node, 'warn' | 'error' | 'status'>;

export interface SignedRouteOptions {
  /** Under httpNodeRoot; already checked to be plain segments. */
  path: string;
  /** The URL SignalWire calls when it is not the address Node-RED sees; empty otherwise. */
  publicUrl: string;
  gate: GateSettings;
  /** Shows the node's resting status (listening, or why nothing can be accepted). */
  showIdle(): void;
  /** Called once per admitted request that is not a repeat; it must answer through `reply`. */
  onRequest(request: RouteRequest, reply: Reply): void;
  /**
   * How a repeat of an admitted request is answered, without passing it on: SignalWire's retry must hear
   * success (a cXML route answers the same cXML again). Default: 204.
   */
  answerRepeat?(request: RouteRequest, reply: Reply): void;
}

/** An admitted request, with its headers and the digest a repeat of it shares. */
export type RouteRequest = AdmittedRequest & { headers: Request['headers']; digest: string };

export interface Reply {
  res: Response;
  /** Answers with a status and, optionally, a plain-text body. */
  answer(code: number, text?: string): void;
  /** Refuses for a reason of the route's own (e.g. not a status callback): answered, logged and counted like the gate's. */
  refuse(refusal: RouteRefusal): void;
}

/** A refusal the route decides, already in the user's words. */
export interface RouteRefusal {
  code: number;
  /** The HTTP answer's body, for the sender. */
  answer: string;
  /** Why, for the log. */
  reason: string;
  /** A word or two for the status, e.g. "not an event". */
  label: string;
}

export interface SignedRoute {
  /** Refusals since the route was served. */
  readonly refused: number;
  /** Removes the route, frees the path and writes any refusals not yet logged; a request still arriving gets 503. */
  close(): void;
}

interface LoggedRefusal {
  reason: string;
  code: number;
  text: string;
}

export function serveSignedRoute(RED: NodeAPI, node: RouteOwner, options: SignedRouteOptions): SignedRoute {
  const t = (key: string, values: Record<string, string | number> = {}) => RED._(`${CATALOG}${key}`, values);
  const { path } = options;
  const gate = new SignedRequestGate(options.gate);
  const deadlineMs = gate.settings.bodyDeadlineMs;
  let refused = 0;
  let closed = false;

  const log = new RefusalLog<LoggedRefusal>((entry) => {
    if (entry.kind === 'refusal') {
      const { code, text } = entry.refusal;
      node.warn(t('log.refused', { path, code, reason: text }));
    } else {
      const counts = Object.entries(entry.counts)
        .map(([label, n]) => `${n} ${label}`)
        .join(', ');
      node.warn(t('log.summary', { path, total: entry.total, counts }));
    }
  });

  const claim = claimPath(path, {
    onShareChange: (shared) => {
      if (!shared) return options.showIdle();
      node.error(t('errors.pathInUse', { path }));
      node.status({ fill: 'red', shape: 'ring', text: t('status.pathInUse') });
    },
  });
  if (!claim.shared()) options.showIdle();

  const answer = (res: Response, code: number, text?: string) => {
    if (res.headersSent) return;
    if (text === undefined) res.status(code).end();
    else res.status(code).type('text/plain').send(text);
  };

  const count = (label: string, logged: LoggedRefusal) => {
    refused += 1;
    log.note(logged);
    node.status({ fill: 'red', shape: 'ring', text: t('status.refused', { label, count: refused }) });
  };

  const refuseAtGate = (req: Request, res: Response, refusal: Refusal, detail: RefusalDetail, bodyRead: boolean) => {
    const code = REFUSAL_STATUS[refusal];
    // The sender gave up on time: the connection is not worth keeping.
    if (refusal === 'too-slow') res.set('Connection', 'close');
    answer(res, code, ANSWERS[refusal](detail));
    if (!bodyRead) letGoOfBody(req, deadlineMs);
    const label = t(`label.${refusal}`);
    count(label, { reason: label, code, text: reasonText(t, refusal, detail) });
  };

  const replyTo = (res: Response): Reply => ({
    res,
    answer: (code, text) => answer(res, code, text),
    refuse: (refusal) => {
      answer(res, refusal.code, refusal.answer);
      count(refusal.label, { reason: refusal.label, code: refusal.code, text: refusal.reason });
    },
  });

  const handle = async (req: Request, res: Response) => {
    if (claim.shared()) {
      answer(res, 500, 'Two nodes serve this path');
      letGoOfBody(req, deadlineMs);
      return;
    }
    const url = signedUrl({
      publicUrl: options.publicUrl,
      protocol: req.protocol,
      host: req.headers.host,
      originalUrl: req.originalUrl,
    });
    // On Node-RED's default layout the editor's body parsers have read the body already.
    const alreadyRead = (req as Request & { _body?: boolean })._body === true || req.readableEnded;
    const routeRequest = (outcome: { request: AdmittedRequest; digest: string }): RouteRequest => ({
      ...outcome.request,
      headers: req.headers,
      digest: outcome.digest,
    });
    const outcome = await gate.admit({ req, url, ...(alreadyRead ? { parsedBody: { value: req.body } } : {}) });
    // The node stopped while the body arrived: it can neither pass the request on nor speak of it. A 503 tells
    // the sender to try again, which reaches the node a redeploy started.
    if (closed && outcome.kind !== 'gone') {
      answer(res, 503, 'The node is stopping');
      if (outcome.kind === 'refused' && !outcome.bodyRead) letGoOfBody(req, deadlineMs);
      return;
    }
    switch (outcome.kind) {
      case 'gone':
        return;
      case 'refused':
        return refuseAtGate(req, res, outcome.refusal, outcome.detail, outcome.bodyRead);
      case 'repeat':
        if (options.answerRepeat) options.answerRepeat(routeRequest(outcome), replyTo(res));
        else answer(res, 204);
        return;
      case 'admitted':
        options.onRequest(routeRequest(outcome), replyTo(res));
    }
  };

  const removeRoute = serveRoute(RED, path, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      answer(res, 500, 'Internal error');
      node.error(String((error as Error)?.message ?? error));
    });
  });

  return {
    get refused() {
      return refused;
    },
    close() {
      closed = true;
      removeRoute();
      claim.release();
      log.close();
    },
  };
}

/** What the sender reads in a refusal: enough to fix a setup, nothing about the key. */
const ANSWERS: Record<Refusal, (detail: RefusalDetail) => string> = {
  'no-key': () => 'No Signing Key is configured: no request can be verified',
  unsigned: () => 'Not signed: no X-SignalWire-Signature or X-Twilio-Signature header',
  'bad-signature': () => 'The signature does not match',
  'body-hash': () => 'The body does not match bodySHA256',
  stale: () => "The Timestamp is too far from this server's clock",
  'too-large': (detail) => `The body is larger than ${detail.limit} bytes`,
  'too-slow': () => 'The body did not arrive in time',
};

/** The reason as the log says it. What the request claimed (its URL) is cleaned of control characters and cut short. */
function reasonText(
  t: (key: string, values?: Record<string, string | number>) => string,
  refusal: Refusal,
  d: RefusalDetail,
): string {
  const minutes = (ms: number | undefined) => Math.round(Math.abs(ms ?? 0) / 60_000);
  if (refusal === 'stale' && d.offByMs === undefined) {
    return t('reason.staleUnreadable', { timestamp: clean(d.timestamp) });
  }
  return t(`reason.${refusal}`, {
    url: clean(withoutQueryValues(d.url)),
    timestamp: clean(d.timestamp),
    minutes: minutes(d.offByMs),
    tolerance: minutes(d.toleranceMs),
    limit: d.limit ?? 0,
    seconds: (d.deadlineMs ?? 0) / 1000,
  });
}

/** A callback URL's query may carry a value someone chose to keep private: the log shows only its names. */
function withoutQueryValues(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return url;
  const names = Array.from(new URLSearchParams(url.slice(q + 1)).keys());
  return `${url.slice(0, q)}?${names.map((name) => `${name}=…`).join('&')}`;
}

function clean(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const plain = (text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return plain.length > 300 ? `${plain.slice(0, 300)}…` : plain;
}
