/**
 * Every request the emulator makes (status callbacks, fetching a call's cXML), signed as SignalWire signs them:
 * a POST over its URL and the sorted form fields, a GET over its full URL with the fields in the query. One
 * keep-alive pool per scheme, shared by all of them.
 */
import http from 'node:http';
import https from 'node:https';
import { computeSignature, type FormField } from '../lib/webhooks/webhook-signature';

export interface SignedReply {
  /** The receiver's HTTP status, or the network error's code. */
  outcome: number | string;
  /** The answer's body (cut at MAX_BODY), empty on a network error. */
  body: string;
  contentType: string | undefined;
  /** The URL as requested: for a GET, with the fields in its query. */
  url: string;
}

/** More than any cXML document the emulator is asked to read; a larger answer is cut, and reads as broken. */
const MAX_BODY = 64 * 1024;
const TIMEOUT_MS = 15_000;

export class SignedRequests {
  private readonly agents = [new http.Agent({ keepAlive: true }), new https.Agent({ keepAlive: true })];

  constructor(readonly signingKey: string) {}

  send(target: string, method: 'GET' | 'POST', fields: readonly FormField[]): Promise<SignedReply> {
    const form = new URLSearchParams(fields as Array<[string, string]>).toString();
    const isGet = method === 'GET';
    const url = isGet && form ? `${target}${target.includes('?') ? '&' : '?'}${form}` : target;
    const signature = computeSignature(this.signingKey, url, isGet ? [] : fields);
    return new Promise((resolve) => {
      const failed = (outcome: string): void => resolve({ outcome, body: '', contentType: undefined, url });
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return failed('EINVALIDURL');
      }
      const secure = parsed.protocol === 'https:';
      const headers: Record<string, string> = { 'X-SignalWire-Signature': signature };
      if (!isGet) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = String(Buffer.byteLength(form));
      }
      const req = (secure ? https : http).request(
        parsed,
        { method, headers, agent: this.agents[secure ? 1 : 0], timeout: TIMEOUT_MS },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (body.length < MAX_BODY) body += chunk.slice(0, MAX_BODY - body.length);
          });
          res.on('error', (error: NodeJS.ErrnoException) => failed(error.code ?? 'ERROR'));
          res.on('end', () =>
            resolve({ outcome: res.statusCode ?? 0, body, contentType: res.headers['content-type'], url }),
          );
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => failed(error.code ?? 'ERROR'));
      req.end(isGet ? undefined : form);
    });
  }

  close(): void {
    for (const agent of this.agents) agent.destroy();
  }
}
