/** Plain node:http requests against a running emulator, so the tests see exactly what crossed the wire. */
import { request } from 'node:http';
import type { Emulator } from '../../src/emulator';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  method?: string;
  /** Form fields, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Raw body (with its own content-type header). */
  body?: string;
  headers?: Record<string, string>;
  /** Basic-auth user and password; default the emulator's; null sends no Authorization. */
  auth?: { user: string; password: string } | null;
  signal?: AbortSignal;
}

export function call(emulator: Emulator, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? { user: emulator.projectId, password: emulator.token } : options.auth;
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  let body = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${path}`,
      { method: options.method ?? (options.form ? 'POST' : 'GET'), headers, signal: options.signal },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function accountPath(emulator: Emulator): string {
  return `/api/laml/2010-04-01/Accounts/${emulator.projectId}`;
}

export function participantPath(emulator: Emulator, conferenceSid: string, callSid: string, suffix = ''): string {
  return `${accountPath(emulator)}/Conferences/${conferenceSid}/Participants/${callSid}${suffix}`;
}

/** Polls a condition on the emulator's own counters (no clock involved) until it holds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
