import assert from 'node:assert/strict';
import type { AxiosError } from 'axios';
import { SignalWireClient, SignalWireError } from '../../src/lib';
import { retryDelay } from '../../src/lib/transport/retry';
import { RecordingServer, startRecordingServer } from '../support/recording-server';
import { CALL_SID, clientFor, CONFERENCE_SID, PROJECT_ID, rejectionOf, TOKEN } from './fixtures';

describe('SignalWireClient retries', () => {
  let server: RecordingServer;
  let client: SignalWireClient;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    client = clientFor(server, { retries: 2, retryDelay: 5 });
  });
  afterEach(() => client.close());

  const update = (target = client) => target.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true });

  it('retries the POST after a 429 and succeeds', async () => {
    server.respond({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    const result = await update();
    assert.equal(result.participant.muted, true);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['POST', 'POST'],
    );
    // The retry carries the same form as the first attempt.
    assert.equal(server.requests[1]!.body, server.requests[0]!.body);
  });

  it('retries after a 503 and succeeds', async () => {
    server.respond({ status: 503 });
    await update();
    assert.equal(server.requests.length, 2);
  });

  it('retries a reset connection and succeeds', async () => {
    server.respond({ destroySocket: true });
    await update();
    assert.equal(server.requests.length, 2);
  });

  it('retries a timed-out attempt and succeeds', async () => {
    const quick = clientFor(server, { retries: 2, retryDelay: 5, timeout: 150 });
    server.respond({ hang: true });
    await update(quick);
    await quick.close();
    assert.equal(server.requests.length, 2);
  });

  it('retries a refused connection until the server is there', async () => {
    const gone = await startRecordingServer();
    const port = gone.port;
    await gone.close();
    const patient = new SignalWireClient({
      space: `http://127.0.0.1:${port}`,
      projectId: PROJECT_ID,
      token: TOKEN,
      retries: 3,
      retryDelay: 300,
    });
    const pending = update(patient);
    // The first attempt is refused at once; the server is back well before the first retry.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const back = await new RecordingServer().listen(port);
    try {
      const result = await pending;
      assert.equal(result.statusCode, 200);
      assert.equal(back.requests.length, 1);
    } finally {
      await patient.close();
      await back.close();
    }
  });

  it('gives up after the configured number of retries and reports the last answer', async () => {
    server.fallback = () => ({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    const error = await rejectionOf(update());
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.status, 429);
    assert.equal(error.message, 'Too Many Requests');
    assert.equal(server.requests.length, 3);
  });

  it('gives up after the retries on a server that keeps resetting', async () => {
    server.fallback = () => ({ destroySocket: true });
    const error = await rejectionOf(update());
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.code, 'ECONNRESET');
    assert.equal(server.requests.length, 3);
  });

  it('sends exactly one request when retries is 0', async () => {
    const once = clientFor(server, { retries: 0 });
    server.respond({ status: 503 });
    const error = await rejectionOf(update(once));
    await once.close();
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.status, 503);
    assert.equal(server.requests.length, 1);
  });

  for (const status of [400, 401, 403, 404, 409, 422, 500, 502, 504]) {
    it(`never retries a ${status}`, async () => {
      server.respond({ status, body: { code: 1, message: `status ${status}`, status } });
      const error = await rejectionOf(update());
      assert.ok(error instanceof SignalWireError);
      assert.equal(error.status, status);
      assert.equal(server.requests.length, 1);
    });
  }

  it('waits at least the seconds Retry-After asks for', async () => {
    server.respond({ status: 429, headers: { 'Retry-After': '1' } });
    await update();
    assert.equal(server.requests.length, 2);
    const gap = server.requests[1]!.arrivedAt - server.requests[0]!.arrivedAt;
    assert.ok(gap >= 1000, `retried after ${gap.toFixed(1)} ms, before the 1000 ms asked`);
  });

  it('waits exactly what Retry-After asks when it is longer than the backoff, and no longer', () => {
    const settings = { retries: 3, retryDelay: 10, maxRetryAfter: 30_000 };
    const asking = (value: string) => ({ response: { headers: { 'retry-after': value } } }) as unknown as AxiosError;
    assert.equal(retryDelay(1, asking('1'), settings), 1000);
    assert.equal(retryDelay(3, asking('2.5'), settings), 2500);
    // Capped: a server asking for more than maxRetryAfter gets no retry at all (see below); the delay never exceeds it.
    assert.equal(retryDelay(1, asking('120'), settings), 30_000);
    // An HTTP date 5 s ahead, in whole seconds as HTTP dates are: at most 5 s, at least the 4 s left after rounding.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 5000).toUTCString();
    const wait = retryDelay(1, asking(at), settings);
    assert.ok(wait > 3000 && wait <= 5000, `waited ${wait} ms for a date 5 s ahead`);
    // Without Retry-After: the backoff alone, 10 ms doubled per retry, plus up to 20 % jitter.
    const plain = { response: { headers: {} } } as unknown as AxiosError;
    for (const [count, base] of [
      [1, 10],
      [2, 20],
      [3, 40],
    ] as const) {
      const backoff = retryDelay(count, plain, settings);
      assert.ok(backoff >= base && backoff <= base * 1.2, `retry ${count} after ${backoff} ms`);
    }
  });

  it('waits until the HTTP date Retry-After names', async () => {
    // Whole seconds, as HTTP dates are: at least one second from now.
    const until = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    server.respond({ status: 503, headers: { 'Retry-After': new Date(until).toUTCString() } });
    await update();
    assert.equal(server.requests.length, 2);
    const arrived = server.requests[1]!.arrivedAtWall;
    assert.ok(arrived >= until, `retried ${until - arrived} ms before the date asked`);
  });

  it('does not retry when Retry-After asks for more than the cap, and reports the 429 at once', async () => {
    const capped = clientFor(server, { retries: 2, retryDelay: 5, maxRetryAfter: 500 });
    server.respond({
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { code: 20429, message: 'Slow down', status: 429 },
    });
    const error = await rejectionOf(update(capped));
    await capped.close();
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.status, 429);
    assert.equal(server.requests.length, 1);
  });

  it('gives each attempt the full timeout instead of sharing one budget', async () => {
    // Attempt 1 takes 600 ms and gets a 503; attempt 2 also takes 600 ms. With a shared 1000 ms budget the
    // second attempt would be cut short; with a per-attempt timeout both fit.
    const patient = clientFor(server, { retries: 1, retryDelay: 5, timeout: 1000 });
    server.respond({ status: 503, delay: 600 });
    const answer = server.fallback;
    server.fallback = (request, index) => ({ ...answer(request, index), delay: 600 });
    const result = await update(patient);
    await patient.close();
    assert.equal(result.statusCode, 200);
    assert.equal(server.requests.length, 2);
  });
});
