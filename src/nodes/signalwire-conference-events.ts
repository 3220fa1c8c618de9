import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import type { Request, Response } from 'express';
import {
  CALLBACK_BODY_LIMIT,
  callbackUrl,
  judgeCallback,
  type CallbackOutcome,
} from '../lib/webhooks/conference-callback';
import { isParticipantEvent } from '../lib/webhooks/conference-event';
import { readEventsSettings } from '../lib/webhooks/events-settings';
import { readLimitedBody } from '../lib/webhooks/read-limited-body';
import { resolveSigningKey, type SignalWireConnection } from './connection';
import { nodeHttpDisabled, serveRoute } from './http-route';
import { claimPath } from './path-claims';

type ConferenceEventsDef = NodeDef & {
  signalwire?: string;
  path?: unknown;
  publicUrl?: unknown;
  events?: unknown;
  verify?: unknown;
};

const STATUS = 'signalwire-conference-events.status.';
const ERRORS = 'signalwire-conference-events.errors.';

export = function (RED: NodeAPI) {
  function ConferenceEventsNode(this: Node, def: ConferenceEventsDef) {
    RED.nodes.createNode(this, def);
    setUp(this, def);
  }

  function setUp(node: Node, def: ConferenceEventsDef) {
    const connection = (def.signalwire ? RED.nodes.getNode(def.signalwire) : null) as SignalWireConnection | null;
    const { settings, problems, unknownEvents } = readEventsSettings(def);
    // The key is read once per deploy and only ever handed to the signature check.
    const signingKey = connection ? connection.getSigningKey() : resolveSigningKey(undefined);
    const policy = { signingKey, verify: settings.verify, events: settings.events };
    const idleFill: NodeStatus['fill'] = settings.verify ? 'green' : 'yellow';
    let count = 0;

    const status = (fill: NodeStatus['fill'], shape: NodeStatus['shape'], key: string, values = {}) =>
      node.status({ fill, shape, text: RED._(`${STATUS}${key}`, values) });
    /** The state the node returns to: listening, or the reason it cannot accept anything. */
    const showIdle = () => {
      if (!settings.verify) status('yellow', 'ring', 'unverified');
      else if (!signingKey) status('red', 'ring', 'noSigningKey');
      else status('green', 'ring', 'listening');
    };

    if (problems.length > 0) {
      for (const problem of problems) node.error(RED._(`${ERRORS}${problem.field}`, { value: problem.value }));
      status('red', 'ring', 'badSettings');
      return;
    }
    if (nodeHttpDisabled(RED)) {
      node.error(RED._(`${ERRORS}httpDisabled`));
      status('red', 'ring', 'httpDisabled');
      return;
    }
    for (const name of unknownEvents) node.warn(RED._(`${ERRORS}unknownEvent`, { name }));
    // Shown on every deploy, so an unverified endpoint is never forgotten.
    if (!settings.verify) node.warn(RED._(`${ERRORS}verifyOff`, { path: settings.path }));
    else if (!signingKey) node.error(RED._(`${ERRORS}noSigningKey`));

    const claim = claimPath(settings.path, {
      onShareChange: (shared) => {
        if (!shared) return showIdle();
        node.error(RED._(`${ERRORS}pathInUse`, { path: settings.path }));
        status('red', 'ring', 'pathInUse');
      },
    });
    if (!claim.shared()) showIdle();

    const answer = (res: Response, code: number, text?: string) => {
      if (res.headersSent) return;
      if (text === undefined) res.status(code).end();
      else res.status(code).type('text/plain').send(text);
    };

    const reject = (res: Response, outcome: Exclude<CallbackOutcome, { status: 204 }>) => {
      const refusal = outcome.status === 403 ? FORBIDDEN[outcome.problem] : BAD_REQUEST[outcome.problem];
      const fields = outcome.status === 400 && outcome.fields.length > 0 ? `: ${outcome.fields.join(', ')}` : '';
      answer(res, outcome.status, refusal.text + fields);
      status('red', 'ring', `rejected.${refusal.status}`);
    };

    const handle = async (req: Request, res: Response) => {
      if (claim.shared()) return answer(res, 500, 'Two conference events nodes use this path');
      const body = await bodyOf(req);
      if (body === null) return; // the sender hung up
      if (body === undefined) {
        answer(res, 413, `The body is larger than ${CALLBACK_BODY_LIMIT} bytes`);
        status('red', 'ring', 'rejected.tooLarge');
        return;
      }
      const url = callbackUrl({
        publicUrl: settings.publicUrl,
        protocol: req.protocol,
        host: req.headers.host,
        originalUrl: req.originalUrl,
      });
      const outcome = judgeCallback({ method: req.method, url, headers: req.headers, body }, policy);
      if (outcome.status !== 204) return reject(res, outcome);
      // SignalWire hears back at once; the flow runs after.
      answer(res, 204);
      if (!outcome.passOn) return;
      const event = outcome.event;
      count += 1;
      node.status({
        fill: idleFill,
        shape: 'dot',
        text: RED._(`${STATUS}event`, { event: shortName(event.event), count }),
      });
      node.send({
        topic: event.event,
        payload: event,
        conferenceSid: event.conferenceSid,
        ...(isParticipantEvent(event.event) && event.callSid ? { callSid: event.callSid } : {}),
      });
    };

    const removeRoute = serveRoute(RED, settings.path, (req, res) => {
      handle(req, res).catch((error: unknown) => {
        answer(res, 500, 'Internal error');
        node.error(String((error as Error)?.message ?? error));
      });
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      removeRoute();
      claim.release();
      done();
    });
  }

  /** The text of a short status: known events by a word or two, others as sent. */
  function shortName(event: string): string {
    const key = `${STATUS}events.${event}`;
    const text = RED._(key);
    return text.endsWith(`events.${event}`) ? event : text;
  }

  RED.nodes.registerType('signalwire-conference-events', ConferenceEventsNode);
};

/** What the sender reads in a refusal (enough to fix a setup, nothing about the key) and the status it leaves. */
const FORBIDDEN = {
  'no-key': { text: 'No Signing Key is configured: no request can be verified', status: 'noKey' },
  missing: { text: 'Not signed: no X-SignalWire-Signature or X-Twilio-Signature header', status: 'unsigned' },
  mismatch: { text: 'The signature does not match', status: 'badSignature' },
  'body-hash': { text: 'The body does not match bodySHA256', status: 'bodyHash' },
} as const;
const BAD_REQUEST = {
  missing: { text: 'Not a conference status callback, missing', status: 'notAnEvent' },
  'unsafe-key': { text: 'Refused field names', status: 'unsafeKey' },
  'not-form': { text: 'The body must be application/x-www-form-urlencoded', status: 'notForm' },
} as const;

/**
 * The raw body; undefined when it is over the limit, null when the sender hung up. A body another middleware
 * (httpNodeMiddleware) already read is taken from `req.body`.
 */
async function bodyOf(req: Request): Promise<string | undefined | null> {
  if (req.method === 'GET' || req.method === 'HEAD') return '';
  const parsed = req as Request & { _body?: boolean };
  if (parsed._body || req.readableEnded) {
    const body: unknown = req.body;
    if (typeof body === 'string') return body;
    if (Buffer.isBuffer(body)) return body.toString('utf8');
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
      for (const one of Array.isArray(value) ? value : [value]) form.append(name, String(one));
    }
    return form.toString();
  }
  const reading = await readLimitedBody(req, CALLBACK_BODY_LIMIT);
  if (reading.ok) return reading.body;
  return reading.reason === 'aborted' ? null : undefined;
}
