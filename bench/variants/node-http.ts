/** E: bare node:http with a keep-alive agent — the client-side limit on this machine. */
import http from 'node:http';
import { basicAuth, participantPath } from '../workload';
import type { VariantSetup } from './variant';

export const setup: VariantSetup = async (workload) => {
  const { target } = workload;
  const base = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: workload.concurrency });
  const auth = basicAuth(target);
  return {
    update(req) {
      return new Promise<void>((resolve, reject) => {
        const body = `Muted=${req.muted}`;
        const r = http.request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method: 'POST',
            path: participantPath(target, req),
            headers: {
              Authorization: auth,
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              // Parse like every other variant does, so E is the same work minus the client library.
              const data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              if (res.statusCode !== 200 || data.muted !== req.muted) {
                reject(new Error(`unexpected answer ${res.statusCode}`));
              } else resolve();
            });
            res.on('error', reject);
          },
        );
        r.on('error', reject);
        r.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
};
