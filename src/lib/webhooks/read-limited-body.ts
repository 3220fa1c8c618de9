/** Reads a request body as UTF-8 text, up to a limit, without keeping more than the limit in memory. */
import type { IncomingMessage } from 'node:http';

export type BodyReading = { ok: true; body: string } | { ok: false; reason: 'too-large' | 'aborted' };

export function readLimitedBody(req: IncomingMessage, limit: number): Promise<BodyReading> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain it, so the connection can carry the answer and be reused
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve({ ok: true, body: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
    // A sender that hangs up mid-body: nothing to answer, and nothing left waiting.
    req.on('close', () => {
      if (!req.readableEnded && !over) resolve({ ok: false, reason: 'aborted' });
    });
  });
}
