/**
 * Reads a request body as UTF-8 text, up to a size limit and within a deadline, without keeping more than the
 * limit in memory; and lets go of a body that is not wanted without waiting on it for long.
 */
import type { IncomingMessage } from 'node:http';

export type BodyReading = { ok: true; body: string } | { ok: false; reason: 'too-large' | 'too-slow' | 'aborted' };

export function readLimitedBody(req: IncomingMessage, limit: number, deadlineMs: number): Promise<BodyReading> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (reading: BodyReading) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks.length = 0;
      resolve(reading);
    };
    // Node's own request timeout is minutes; a webhook's sender delivers in seconds.
    const timer = setTimeout(() => settle({ ok: false, reason: 'too-slow' }), deadlineMs);
    req.on('data', (chunk: Buffer) => {
      if (settled) return; // the rest is read and dropped, so the connection can carry the answer
      size += chunk.length;
      if (size > limit) settle({ ok: false, reason: 'too-large' });
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!settled) settle({ ok: true, body: Buffer.concat(chunks).toString('utf8') });
    });
    // A sender that hangs up mid-body: nothing to answer, and nothing left waiting. Node reports it as an error
    // ("aborted") and then as a close; either alone ends the reading.
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => {
      if (!req.readableEnded) settle({ ok: false, reason: 'aborted' });
    });
  });
}

/**
 * For a request answered before its body was read: drops whatever of the body still comes, and closes the
 * connection if the body has not ended within `ms`, so a sender that trickles it cannot hold the socket.
 */
export function letGoOfBody(req: IncomingMessage, ms: number): void {
  if (req.readableEnded || req.destroyed) return;
  const timer = setTimeout(() => req.socket?.destroy(), ms);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}
