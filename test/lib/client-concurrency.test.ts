import assert from 'node:assert/strict';
import { SignalWireError } from '../../src/lib';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { clientFor, CONFERENCE_SID, rejectionOf } from './fixtures';

/** 200 distinct call SIDs, so the order requests reached the server can be read from their paths. */
function callSid(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('SignalWireClient in-flight cap and close', () => {
  let server: RecordingServer;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('holds the in-flight cap under a burst of 200, queued requests starting only as earlier ones finish', async () => {
    const client = clientFor(server);
    // Nothing is answered until ten requests are open together, so the cap is reached whatever the machine's speed.
    const answer = server.fallback;
    const capReached = server.whenOpen(10);
    server.fallback = (request, index) => ({ ...answer(request, index), until: capReached });

    const burst = Array.from({ length: 200 }, (_, i) =>
      client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: true }),
    );
    await nextTick();
    assert.equal(client.inFlight, 10);
    assert.equal(client.queued, 190);

    const results = await Promise.all(burst);
    await client.close();

    assert.equal(server.maxOpen, 10);
    assert.equal(server.requests.length, 200);
    assert.deepEqual(
      results.map((r) => r.participant.call_sid),
      Array.from({ length: 200 }, (_, i) => callSid(i)),
    );
    // Ten sockets race to the server, so arrivals may swap within a window; but a queued request only starts when
    // an earlier one has finished, so request i never arrives before i - 9 others have.
    const arrivalPosition = new Map(server.requests.map((r, position) => [r.path.split('/').pop(), position]));
    for (let i = 0; i < 200; i++) {
      assert.ok(
        arrivalPosition.get(callSid(i))! >= i - 9,
        `request ${i} arrived at ${arrivalPosition.get(callSid(i))}`,
      );
    }
    assert.equal(client.inFlight, 0);
    assert.equal(client.queued, 0);
  });

  it('starts queued requests in the order they were made', async () => {
    const client = clientFor(server, { maxInFlight: 1 });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: i % 2 === 0 }),
      ),
    );
    await client.close();
    assert.deepEqual(
      server.requests.map((r) => r.path.split('/').pop()),
      Array.from({ length: 30 }, (_, i) => callSid(i)),
    );
  });

  it('honours a configured cap', async () => {
    const client = clientFor(server, { maxInFlight: 3 });
    const answer = server.fallback;
    const capReached = server.whenOpen(3);
    server.fallback = (request, index) => ({ ...answer(request, index), until: capReached });
    const burst = Array.from({ length: 20 }, (_, i) =>
      client.updateParticipant(CONFERENCE_SID, callSid(i), { hold: true }),
    );
    await nextTick();
    assert.equal(client.inFlight, 3);
    assert.equal(client.queued, 17);
    await Promise.all(burst);
    await client.close();
    assert.equal(server.maxOpen, 3);
    assert.equal(server.requests.length, 20);
  });

  it('runs more than ten requests at once without a listener-leak warning in the log', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const client = clientFor(server, { maxInFlight: 32 });
      const answer = server.fallback;
      const capReached = server.whenOpen(32);
      server.fallback = (request, index) => ({ ...answer(request, index), until: capReached });
      await Promise.all(
        Array.from({ length: 64 }, (_, i) => client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: true })),
      );
      await client.close();
      await nextTick();
      assert.equal(server.maxOpen, 32);
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('keeps no listener per retry or queued request: a burst with retries raises no listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      // Every request is refused once with a 503 and retried, 4 on the wire at a time, 40 queued behind them.
      const client = clientFor(server, { maxInFlight: 4, retries: 2, retryDelay: 1 });
      const answer = server.fallback;
      const refused = new Set<string>();
      server.fallback = (request, index) => {
        if (refused.has(request.path)) return answer(request, index);
        refused.add(request.path);
        return { status: 503 };
      };
      const results = await Promise.all(
        Array.from({ length: 44 }, (_, i) => client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: true })),
      );
      await client.close();
      await nextTick();
      assert.equal(results.length, 44);
      assert.equal(server.requests.length, 88);
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('close waits for requests in flight and queued, then refuses new ones', async () => {
    const client = clientFor(server, { maxInFlight: 2 });
    const answer = server.fallback;
    server.fallback = (request, index) => ({ ...answer(request, index), delay: 50 });
    const work = Array.from({ length: 4 }, (_, i) =>
      client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: false }),
    );
    await nextTick();
    await client.close();

    const settled = await Promise.allSettled(work);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.equal(server.requests.length, 4);

    const error = await rejectionOf(client.updateParticipant(CONFERENCE_SID, callSid(9), { muted: true }));
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.code, 'ERR_CLIENT_CLOSED');
    assert.equal(server.requests.length, 4);
  });

  it('close frees the kept-alive connections', async () => {
    const client = clientFor(server);
    await Promise.all(
      Array.from({ length: 3 }, (_, i) => client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: true })),
    );
    assert.ok(server.sockets > 0, 'connections are kept alive between requests');
    await client.close();
    while (server.sockets > 0) await nextTick();
    assert.equal(server.sockets, 0);
  });

  it('close stops waiting after the timeout and cancels what is left, answering every caller', async () => {
    // The first request is told to come back in 5 s; close() waits at most `timeout` (300 ms) for it.
    const client = clientFor(server, { timeout: 300, retries: 1, maxInFlight: 1, maxRetryAfter: 10_000 });
    server.respond({ status: 503, headers: { 'Retry-After': '5' } });
    const backingOff = client.updateParticipant(CONFERENCE_SID, callSid(1), { muted: true });
    const queued = client.updateParticipant(CONFERENCE_SID, callSid(2), { muted: true });
    await nextTick();
    await client.close();

    const [retry, waiting] = (await Promise.allSettled([backingOff, queued])).map((outcome) => {
      assert.equal(outcome.status, 'rejected');
      const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
      assert.ok(reason instanceof SignalWireError);
      return reason;
    });
    // The retry's first attempt reached the server; the queued request never left.
    assert.equal(retry!.code, 'ERR_CANCELED');
    assert.match(retry!.message, /cancelled because the client was closed/);
    assert.equal(waiting!.code, 'ERR_NOT_SENT');
    assert.match(waiting!.message, /before this request was sent: it was not sent/);
    // Neither the retry nor the queued request reached the server.
    assert.equal(server.requests.length, 1);
  });

  it('close: updates waiting out a full rate limit were never sent, and say so', async () => {
    const client = clientFor(server, { timeout: 300, retries: 1, maxRetryAfter: 30_000 });
    // The limit is full for 20 s: three 429s in a row.
    const tooMany = { status: 429, headers: { 'Retry-After': '20' }, body: { code: 20429, message: 'Too Many' } };
    server.respond(tooMany, tooMany, tooMany);
    const refused = [1, 2, 3].map((i) => client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: true }));
    while (client.rateLimited < 3) await nextTick();
    const waiting = [4, 5].map((i) => client.updateParticipant(CONFERENCE_SID, callSid(i), { muted: true }));
    await client.close();

    for (const outcome of await Promise.allSettled(waiting)) {
      const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
      assert.ok(reason instanceof SignalWireError);
      assert.equal(reason.code, 'ERR_NOT_SENT');
    }
    for (const outcome of await Promise.allSettled(refused)) assert.equal(outcome.status, 'rejected');
    assert.equal(server.requests.length, 3, 'only the three refused reached the server');
  });
});
