/**
 * Proxies: credentials never cross a proxy in clear. A plain-http space never uses one, whatever the
 * environment says; an https space uses HTTPS_PROXY (or ALL_PROXY) through a CONNECT tunnel, honours NO_PROXY,
 * and keeps its keep-alive pool and in-flight cap. Everything runs on 127.0.0.1: a real proxy, a real https
 * server with a certificate made for this run.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignalWireClient } from '../../src/lib';
import { ConnectProxy } from '../support/connect-proxy';
import { RecordingServer, startRecordingServer } from '../support/recording-server';
import { CALL_SID, clientFor, CONFERENCE_SID, PROJECT_ID, TOKEN } from './fixtures';

const run = promisify(execFile);
const CREDENTIALS = Buffer.from(`${PROJECT_ID}:${TOKEN}`).toString('base64');
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'];
const ALL_CASES = (names: string[]) => names.flatMap((name) => [name, name.toLowerCase()]);

describe('SignalWireClient behind a proxy', function () {
  this.timeout(60_000);
  let proxy: ConnectProxy;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    proxy = await new ConnectProxy().listen();
    for (const name of ALL_CASES(PROXY_VARIABLES)) saved[name] = process.env[name];
  });
  after(() => proxy.close());
  afterEach(() => {
    for (const name of ALL_CASES(PROXY_VARIABLES)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    proxy.tunnels.length = 0;
    proxy.forwarded.length = 0;
    proxy.tunnelled = Buffer.alloc(0);
  });

  describe('a plain-http space (the emulator, a local gateway)', () => {
    let server: RecordingServer;
    before(async () => {
      server = await startRecordingServer();
    });
    after(() => server.close());

    for (const name of ['HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'HTTPS_PROXY']) {
      it(`never goes through ${name}, so the credentials never reach a proxy in clear`, async () => {
        process.env[name] = proxy.url;
        server.reset();
        const client = clientFor(server, { retries: 0 });
        try {
          const result = await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true });
          assert.equal(result.statusCode, 200);
        } finally {
          await client.close();
        }
        assert.equal(client.proxy, undefined);
        assert.deepEqual(proxy.forwarded, []);
        assert.deepEqual(proxy.tunnels, []);
        assert.equal(server.requests.length, 1);
        assert.equal(server.requests[0]!.headers.authorization, `Basic ${CREDENTIALS}`);
      });
    }
  });

  describe('an https space', () => {
    let dir: string;
    let cert: string;
    let server: RecordingServer;

    before(async () => {
      // A throwaway certificate for localhost, trusted by the child process only (NODE_EXTRA_CA_CERTS). The space
      // is named by host, as a real one is (https-proxy-agent checks an IP-addressed target against "localhost").
      dir = mkdtempSync(path.join(tmpdir(), 'sw-proxy-test-'));
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ]);
      cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
      server = await new RecordingServer({ key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert }).listen();
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => server.reset());
    const space = () => server.url.replace('127.0.0.1', 'localhost');

    /** Runs a burst of `count` updates through the client in a process whose environment is `env`. */
    async function burst(env: Record<string, string>, count: number, maxInFlight: number) {
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !ALL_CASES(PROXY_VARIABLES).includes(name)),
      );
      const { stdout } = await run(
        process.execPath,
        ['--require', 'tsx/cjs', path.join(__dirname, 'proxy-burst.ts'), space(), String(count), String(maxInFlight)],
        { env: { ...clean, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'), ...env } },
      );
      return JSON.parse(stdout) as { proxy: string | null; results: { ok: boolean; message?: string }[] };
    }

    it('tunnels through HTTPS_PROXY, reusing tunnels and keeping the in-flight cap, never showing the token', async () => {
      const answer = server.fallback;
      const capReached = server.whenOpen(3);
      server.fallback = (request, index) => ({ ...answer(request, index), until: capReached });
      const outcome = await burst({ HTTPS_PROXY: proxy.url }, 30, 3);

      assert.equal(outcome.proxy, proxy.url);
      assert.deepEqual(
        outcome.results.filter((r) => !r.ok),
        [],
      );
      assert.equal(server.requests.length, 30);
      const target = new URL(space()).host;
      assert.ok(proxy.tunnels.length > 0, 'no tunnel was opened');
      for (const tunnel of proxy.tunnels) assert.equal(tunnel, target);
      // Keep-alive inside the tunnels: far fewer tunnels than requests. The cap held at the server.
      assert.ok(proxy.tunnels.length <= 6, `${proxy.tunnels.length} tunnels for 30 requests`);
      assert.equal(server.maxOpen, 3);
      // The proxy saw only TLS: neither the token nor the Authorization value in what passed through it.
      assert.ok(proxy.tunnelled.length > 0);
      assert.ok(!proxy.tunnelled.includes(CREDENTIALS), 'the Basic credentials crossed the proxy in clear');
      assert.ok(!proxy.tunnelled.includes(TOKEN));
      assert.ok(!proxy.tunnelled.includes('Authorization'));
    });

    it('uses ALL_PROXY when HTTPS_PROXY is not set', async () => {
      const outcome = await burst({ ALL_PROXY: proxy.url }, 2, 2);
      assert.equal(outcome.proxy, proxy.url);
      assert.ok(outcome.results.every((r) => r.ok));
      assert.ok(proxy.tunnels.length > 0);
    });

    it('goes direct when NO_PROXY names the space', async () => {
      const outcome = await burst({ HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost' }, 5, 2);
      assert.equal(outcome.proxy, null);
      assert.ok(outcome.results.every((r) => r.ok));
      assert.equal(server.requests.length, 5);
      assert.deepEqual(proxy.tunnels, []);
    });

    it('ignores HTTP_PROXY, which is for plain-http addresses', async () => {
      const outcome = await burst({ HTTP_PROXY: proxy.url }, 2, 2);
      assert.equal(outcome.proxy, null);
      assert.ok(outcome.results.every((r) => r.ok));
      assert.deepEqual(proxy.tunnels, []);
      assert.deepEqual(proxy.forwarded, []);
    });
  });

  it('reads the proxy when the client is made, so a connection keeps one route', () => {
    process.env.HTTPS_PROXY = proxy.url;
    const client = new SignalWireClient({ space: 'example', projectId: PROJECT_ID, token: TOKEN });
    delete process.env.HTTPS_PROXY;
    assert.equal(client.proxy, proxy.url);
    void client.close();
  });
});
