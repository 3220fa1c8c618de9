/**
 * Pieces the conference events tests share. node-red-node-test-helper gives the nodes a fresh RED.httpNode (an
 * Express app) on each load, which no server serves: `NodeHttpServer` serves the latest one on a real port, under
 * an optional httpNodeRoot, as Node-RED's own server would.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NodeAPI } from 'node-red';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

let latestNodeApp: Handler | undefined;

/** Load it with the nodes: it keeps the RED.httpNode of the runtime just loaded. */
export function captureNodeApp(RED: NodeAPI): void {
  latestNodeApp = RED.httpNode as unknown as Handler;
}

export class NodeHttpServer {
  url = '';
  readonly #server: http.Server;

  /**
   * `root` plays httpNodeRoot: the node app is mounted under it. `editorFirst` plays Node-RED's default layout,
   * where the editor shares the root and its body parsers (5 MB, JSON and extended forms) read every request first.
   */
  constructor(
    readonly root = '',
    options: { editorFirst?: boolean } = {},
  ) {
    const outer = express();
    if (options.editorFirst) {
      outer.use(express.json({ limit: '5mb' }), express.urlencoded({ limit: '5mb', extended: true }));
    }
    outer.use(root || '/', (req, res, next) => (latestNodeApp ? latestNodeApp(req, res, next) : next()));
    this.#server = http.createServer(outer);
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${this.root}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export type Fields = Array<[string, string]>;

/**
 * SignalWire's signature, written out here independently of the package: HMAC-SHA1 of the URL and the fields
 * sorted by name, base64.
 */
export function sign(key: string, url: string, fields: Fields = []): string {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', key)
    .update(url + sorted.map(([k, v]) => k + v).join(''))
    .digest('base64');
}

export interface Delivery {
  status: number;
  text: string;
}

/** POSTs a form, signed with `key` over `signedUrl` (default: the URL it is sent to) unless `signature` is given. */
export async function postForm(
  url: string,
  fields: Fields,
  options: { key?: string; signedUrl?: string; signature?: string; header?: string; body?: string } = {},
): Promise<Delivery> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const signature = options.signature ?? (options.key ? sign(options.key, options.signedUrl ?? url, fields) : '');
  if (signature) headers[options.header ?? 'X-SignalWire-Signature'] = signature;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: options.body ?? new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text() };
}

/** A time as SignalWire writes `Timestamp` (RFC 2822), by default now. */
export function rfc2822(at = Date.now()): string {
  return new Date(at).toUTCString().replace('GMT', '+0000');
}

/** A participant-join as SignalWire sends it, stamped now. */
export function joinFields(conferenceSid: string, callSid: string, extra: Fields = []): Fields {
  return [
    ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
    ['ConferenceSid', conferenceSid],
    ['FriendlyName', 'Weekly sync'],
    ['StatusCallbackEvent', 'participant-join'],
    ['Timestamp', rfc2822()],
    ['CallSid', callSid],
    ['Muted', 'false'],
    ['Hold', 'false'],
    ['StartConferenceOnEnter', 'false'],
    ['EndConferenceOnExit', 'false'],
    ['SequenceNumber', '4'],
    ...extra,
  ];
}

/** Replaces the value of a field (the first of that name). */
export function withField(fields: Fields, name: string, value: string): Fields {
  return fields.map(([k, v]) => [k, k === name ? value : v]);
}

/**
 * Sends a raw HTTP request head (and any of the body) over a socket, and resolves with what the server answered
 * (the status line onwards) once it answers or closes the connection. The socket stays open until then: a body
 * promised by Content-Length and never sent is a client that stalls.
 */
export function rawRequest(url: string, head: string[], body = ''): Promise<{ status: number; text: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${head.map((h) => `${h}\r\n`).join('')}\r\n`,
      );
      if (body) socket.write(body);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (/\r\n\r\n/.test(text)) {
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}
