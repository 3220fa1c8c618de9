import assert from 'node:assert/strict';
import { SignalWireClient } from '../../src/lib';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { clientFor, PROJECT_ID, TOKEN } from './fixtures';

describe('SignalWireClient.checkConnection', () => {
  let server: RecordingServer;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  async function check(settings = {}) {
    const client = clientFor(server, settings);
    try {
      return await client.checkConnection();
    } finally {
      await client.close();
    }
  }

  it('makes one authenticated GET of the account and reports connected, naming the space and project', async () => {
    server.fallback = () => ({ status: 200, body: { sid: PROJECT_ID, friendly_name: 'Demo', status: 'active' } });
    assert.deepEqual(await check(), { ok: true, space: server.url, projectId: PROJECT_ID });
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.method, 'GET');
    assert.equal(server.requests[0]!.path, `/api/laml/2010-04-01/Accounts/${PROJECT_ID}`);
    assert.equal(
      server.requests[0]!.headers.authorization,
      `Basic ${Buffer.from(`${PROJECT_ID}:${TOKEN}`).toString('base64')}`,
    );
  });

  for (const status of [401, 403]) {
    it(`reports a ${status} as wrong credentials`, async () => {
      server.fallback = () => ({ status, body: { code: 20003, message: 'Authentication Error', status } });
      const result = await check();
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, 'auth');
      assert.equal(server.requests.length, 1);
    });
  }

  it('reports a refused connection as unreachable, in those words, without retrying', async () => {
    const gone = await startRecordingServer();
    const url = gone.url;
    await gone.close();
    const client = new SignalWireClient({ space: url, projectId: PROJECT_ID, token: TOKEN });
    const result = await client.checkConnection();
    await client.close();
    assert.deepEqual(result, { ok: false, reason: 'unreachable', message: 'connection refused' });
  });

  it('reports a space whose name does not resolve as "no such space", naming the host', async () => {
    // A 64-character label is refused by the resolver itself, so the test never asks a DNS server.
    const host = `${'x'.repeat(64)}.signalwire.com`;
    const client = new SignalWireClient({ space: `https://${host}`, projectId: PROJECT_ID, token: TOKEN });
    const result = await client.checkConnection();
    await client.close();
    assert.deepEqual(result, { ok: false, reason: 'unreachable', message: `no such space: ${host}` });
  });

  it('reports a hanging space as unreachable after the timeout, naming the timeout', async () => {
    server.fallback = () => ({ hang: true });
    const result = await check({ timeout: 100 });
    assert.deepEqual(result, { ok: false, reason: 'unreachable', message: 'no answer within 100 ms' });
    assert.equal(server.requests.length, 1);
  });

  it('reports a 503 as another problem, with no retry', async () => {
    server.fallback = () => ({ status: 503 });
    const result = await check();
    assert.equal(!result.ok && result.reason, 'other');
    assert.equal(server.requests.length, 1);
  });

  it('reports a 200 that is not JSON as another problem', async () => {
    server.fallback = () => ({
      status: 200,
      body: '<html>captive portal</html>',
      headers: { 'Content-Type': 'text/html' },
    });
    const result = await check();
    assert.equal(!result.ok && result.reason, 'other');
  });
});
