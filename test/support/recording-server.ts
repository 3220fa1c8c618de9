import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What one request looked like when it reached the server. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request head arrived: for gaps between requests. */
  arrivedAt: number;
  /** Date.now() when the request head arrived: for comparing with an HTTP date. */
  arrivedAtWall: number;
  /** The client's port: the same port on two requests means one reused connection. */
  remotePort: number;
}

/** How the server answers one request. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Milliseconds to wait before answering. */
  delay?: number;
  /** Destroy the socket instead of answering (the client sees ECONNRESET). */
  destroySocket?: boolean;
  /** Never answer. */
  hang?: boolean;
  /** Answer only once this settles (then after `delay`): holds requests open without a race against a clock. */
  until?: Promise<unknown>;
}

export type Responder = (request: RecordedRequest, index: number) => ScriptedResponse;

const PARTICIPANT_PATH = /\/Accounts\/([^/]+)\/Conferences\/([^/]+)\/Participants\/([^/.]+)/;

/** A participant echoing the path and the form that was sent, as SignalWire's 200 would. */
export function participantFor(request: RecordedRequest): Record<string, unknown> {
  const [, accountSid, conferenceSid, callSid] = PARTICIPANT_PATH.exec(request.path) ?? [];
  const form = new URLSearchParams(request.body);
  const now = new Date().toUTCString().replace('GMT', '+0000');
  return {
    account_sid: accountSid,
    call_sid: callSid,
    call_sid_to_coach: form.get('CallSidToCoach'),
    coaching: form.get('Coaching') === 'true',
    conference_sid: conferenceSid,
    date_created: now,
    date_updated: now,
    status: 'in-progress',
    end_conference_on_exit: false,
    muted: form.get('Muted') === 'true',
    hold: form.get('Hold') === 'true',
    start_conference_on_enter: true,
    uri: request.path.replace(/^\/api\/laml/, ''),
  };
}

/**
 * A real node:http server on 127.0.0.1 that records every request (method, path, headers, raw body, arrival
 * time) and answers from a script: queued responses first, then the fallback. It tracks how many requests are
 * open at once.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  /** Responses used in order, one per request, before the fallback. */
  readonly script: ScriptedResponse[] = [];
  fallback: Responder = (request) => ({ status: 200, body: participantFor(request) });
  open = 0;
  maxOpen = 0;
  /** TCP connections currently open to the server. */
  sockets = 0;
  url = '';
  readonly #server: http.Server;
  readonly #openWaiters: { count: number; resolve: () => void }[] = [];
  readonly #scheme: 'http' | 'https';

  /** With `tls` (a key and certificate), the server speaks https. */
  constructor(tls?: { key: string; cert: string }) {
    this.#scheme = tls ? 'https' : 'http';
    this.#server = tls
      ? https.createServer(tls, (req, res) => this.#handle(req, res))
      : http.createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', (socket) => {
      this.sockets++;
      socket.on('close', () => this.sockets--);
    });
  }

  /** Port 0 picks a free port. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.url = `${this.#scheme}://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Queue responses for the next requests. */
  respond(...responses: ScriptedResponse[]): this {
    this.script.push(...responses);
    return this;
  }

  /** Settles once `count` requests are open at the same time. */
  whenOpen(count: number): Promise<void> {
    if (this.open >= count) return Promise.resolve();
    return new Promise((resolve) => this.#openWaiters.push({ count, resolve }));
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.maxOpen = this.open;
    this.fallback = (request) => ({ status: 200, body: participantFor(request) });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const arrivedAt = performance.now();
    const arrivedAtWall = Date.now();
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    for (const waiter of this.#openWaiters.filter((w) => this.open >= w.count)) {
      this.#openWaiters.splice(this.#openWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.open--;
    };
    res.on('close', finish);

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        arrivedAt,
        arrivedAtWall,
        remotePort: req.socket.remotePort ?? 0,
      };
      const index = this.requests.push(request) - 1;
      const scripted = this.script.shift() ?? this.fallback(request, index);
      const answer = (): void => {
        if (scripted.hang) return;
        if (scripted.destroySocket) {
          req.socket.destroy();
          return;
        }
        const isText = typeof scripted.body === 'string';
        const payload =
          scripted.body === undefined ? '' : isText ? (scripted.body as string) : JSON.stringify(scripted.body);
        const headers: Record<string, string> = {
          ...(scripted.body === undefined || isText ? {} : { 'Content-Type': 'application/json' }),
          ...scripted.headers,
        };
        res.writeHead(scripted.status ?? 200, headers);
        res.end(payload);
      };
      const answerInTime = (): void => {
        if (scripted.delay) setTimeout(answer, scripted.delay);
        else answer();
      };
      if (scripted.until) void scripted.until.then(answerInTime, answerInTime);
      else answerInTime();
    });
  }
}

export function startRecordingServer(): Promise<RecordingServer> {
  return new RecordingServer().listen();
}
