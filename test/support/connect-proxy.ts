/**
 * A forward proxy on 127.0.0.1 as corporate networks run them: CONNECT opens a tunnel (counted, with every byte
 * the client sent through it kept), and a plain request with an absolute URL is forwarded (kept, headers
 * included). Tests read what the proxy could see.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class ConnectProxy {
  url = '';
  /** `host:port` of each CONNECT, in order. */
  readonly tunnels: string[] = [];
  /** Plain requests the proxy was asked to forward: method, URL and headers as the proxy saw them. */
  readonly forwarded: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  /** Everything clients sent inside tunnels, as the proxy saw it. */
  tunnelled = Buffer.alloc(0);
  readonly #server: http.Server;
  readonly #sockets = new Set<net.Socket>();

  constructor() {
    this.#server = http.createServer((req, res) => {
      this.forwarded.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('this proxy only tunnels');
    });
    this.#server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? '';
      this.tunnels.push(target);
      const [host, port] = target.split(':');
      // Test servers listen on 127.0.0.1 only; `localhost` might resolve to ::1 first.
      const upstream = net.connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        client.on('data', (chunk: Buffer) => {
          this.tunnelled = Buffer.concat([this.tunnelled, chunk]);
        });
        client.pipe(upstream);
        upstream.pipe(client);
      });
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
