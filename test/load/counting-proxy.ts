/**
 * A pass-through HTTP proxy in front of the emulator that counts the requests for each call SID, so a test can
 * tell how many attempts one message took. A connection the emulator resets is reset towards the client too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const CALL_SID = /\/Participants\/([^/.?]+)/;

export class CountingProxy {
  url = '';
  private readonly counts = new Map<string, number>();
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly server: http.Server;

  constructor(target: string) {
    const upstream = new URL(target);
    this.server = http.createServer((req, res) => {
      const callSid = CALL_SID.exec(req.url ?? '')?.[1];
      if (callSid) this.counts.set(callSid, (this.counts.get(callSid) ?? 0) + 1);
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: this.agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => req.socket.destroy());
      req.pipe(forward);
    });
    // Longer than the run: a client never reuses a keep-alive socket the proxy is closing (an extra attempt).
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 61_000;
  }

  /** Requests seen so far for this call SID. */
  count(callSid: string): number {
    return this.counts.get(callSid) ?? 0;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.agent.destroy();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
