import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { DEMO_SIDS, startEmulator, type Emulator, type FaultRule } from '../../src/emulator';
import { accountPath, call, participantPath, until } from './http';

describe('emulator: fault injection', () => {
  let emulator: Emulator;
  const bob = (): string => participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
  const bobMuted = (): boolean | undefined => emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted;

  afterEach(async () => {
    await emulator?.close();
  });

  it('answers 429 with Retry-After in seconds, without touching the state', async () => {
    emulator = await startEmulator({ faults: [{ kind: '429', count: 1, retryAfter: 7 }] });
    const limited = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '7');
    assert.equal(limited.json.code, 20429);
    assert.equal(limited.json.status, 429);
    assert.equal(bobMuted(), false);
    const next = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(next.status, 200);
    assert.equal(bobMuted(), true);
  });

  it('answers 429 without Retry-After when the rule has none', async () => {
    emulator = await startEmulator({ faults: [{ kind: '429', count: 1 }] });
    const limited = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], undefined);
  });

  it('sends Retry-After as an HTTP date when given one', async () => {
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    emulator = await startEmulator({ faults: [{ kind: '503', count: 1, retryAfter: date }] });
    const reply = await call(emulator, bob());
    assert.equal(reply.headers['retry-after'], date);
  });

  it('answers 503 as a CompatibilityErrorResponse, without touching the state', async () => {
    emulator = await startEmulator({ faults: [{ kind: '503', count: 1 }] });
    const reply = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(reply.status, 503);
    assert.deepEqual(Object.keys(reply.json).sort(), ['code', 'message', 'more_info', 'status']);
    assert.equal(reply.json.code, 20503);
    assert.equal(bobMuted(), false);
  });

  it('drop-answer processes the update, then resets the connection instead of answering', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'drop-answer', count: 1 }] });
    await assert.rejects(call(emulator, bob(), { form: { Muted: 'true' } }), (error: NodeJS.ErrnoException) => {
      assert.ok(['ECONNRESET', 'EPIPE'].includes(error.code ?? ''), `got ${error.code}`);
      return true;
    });
    assert.equal(bobMuted(), true);
    assert.equal(emulator.stats.updates, 1);
    assert.equal(emulator.stats.faults['drop-answer'], 1);
    assert.equal((await call(emulator, bob(), { form: { Muted: 'false' } })).status, 200);
  });

  it('leave: the participant a request names hangs up just before it is handled; a list does not count', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'leave', count: 1 }] });
    const list = await call(emulator, `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}/Participants`);
    assert.equal(list.status, 200);
    assert.ok(list.json.participants.some((p: { call_sid: string }) => p.call_sid === DEMO_SIDS.bob));
    const update = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(update.status, 404);
    assert.equal(update.json.code, 20404);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob), undefined);
    assert.equal(emulator.stats.faults.leave, 1);
    assert.equal((await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.carol))).status, 200);
  });

  it('resets the connection, without touching the state', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'reset', count: 1 }] });
    await assert.rejects(call(emulator, bob(), { form: { Muted: 'true' } }), (error: NodeJS.ErrnoException) => {
      assert.ok(['ECONNRESET', 'EPIPE'].includes(error.code ?? ''), `got ${error.code}`);
      return true;
    });
    assert.equal(bobMuted(), false);
    assert.equal(emulator.stats.faults.reset, 1);
    assert.equal((await call(emulator, bob(), { form: { Muted: 'true' } })).status, 200);
  });

  it('answers 200 with a body that is not JSON, without touching the state', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'non-json', count: 1 }] });
    const reply = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.throws(() => JSON.parse(reply.text));
    assert.equal(bobMuted(), false);
  });

  it('hangs a request until the client gives up, without touching the state', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'hang', count: 1 }] });
    const abort = new AbortController();
    const pending = call(emulator, bob(), { form: { Muted: 'true' }, signal: abort.signal });
    await until(() => emulator.stats.inFlight === 1);
    abort.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    await until(() => emulator.stats.inFlight === 0);
    assert.equal(bobMuted(), false);
    assert.equal((await call(emulator, bob())).status, 200, 'the next request is answered');
  });

  it('ends hanging requests when it closes', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'hang' }] });
    const pending = call(emulator, bob());
    await until(() => emulator.stats.inFlight === 1);
    await emulator.close();
    await assert.rejects(pending, { code: 'ECONNRESET' });
  });

  it('delays an answer by the latency, then applies the update', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'latency', ms: 5, count: 1 }] });
    const reply = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(reply.status, 200);
    assert.equal(bobMuted(), true);
    assert.equal(emulator.stats.faults.latency, 1);
    assert.deepEqual(emulator.getFaults(), [], 'a counted rule is gone once used');
  });

  it('holds the update back while the latency runs', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'latency', ms: [60_000, 120_000] }] });
    const abort = new AbortController();
    const pending = call(emulator, bob(), { form: { Muted: 'true' }, signal: abort.signal });
    await until(() => emulator.stats.inFlight === 1 && emulator.stats.faults.latency === 1);
    assert.equal(bobMuted(), false);
    abort.abort();
    await assert.rejects(pending);
  });

  it('applies a counted rule to exactly the next N requests', async () => {
    emulator = await startEmulator({ faults: [{ kind: '503', count: 3 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call(emulator, bob())).status);
    assert.deepEqual(statuses, [503, 503, 503, 200, 200]);
  });

  it('plays counted rules in order', async () => {
    emulator = await startEmulator({
      faults: [
        { kind: '429', count: 2 },
        { kind: '503', count: 1 },
      ],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(emulator, bob())).status);
    assert.deepEqual(statuses, [429, 429, 503, 200]);
  });

  it('gives each probability rule its own share of one random draw', async () => {
    // 10 % 429 takes [0, 0.10), 5 % 503 takes [0.10, 0.15), the rest passes.
    const rolls = [0.05, 0.12, 0.2, 0.099, 0.149, 0.151];
    emulator = await startEmulator({
      random: () => rolls.shift() ?? 0.99,
      faults: [
        { kind: '429', probability: 0.1 },
        { kind: '503', probability: 0.05 },
      ],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await call(emulator, bob())).status);
    assert.deepEqual(statuses, [429, 503, 200, 429, 503, 200]);
  });

  it('never fires a rule with probability 0 and always one with probability 1', async () => {
    emulator = await startEmulator({ faults: [{ kind: '429', probability: 0 }] });
    for (let i = 0; i < 20; i += 1) assert.equal((await call(emulator, bob())).status, 200);
    emulator.setFaults([{ kind: '503', probability: 1 }]);
    for (let i = 0; i < 20; i += 1) assert.equal((await call(emulator, bob())).status, 503);
  });

  it('stops a probability rule with a count once it has fired that many times', async () => {
    emulator = await startEmulator({ randomSeed: 7, faults: [{ kind: '429', probability: 0.5, count: 2 }] });
    let limited = 0;
    for (let i = 0; i < 40; i += 1) if ((await call(emulator, bob())).status === 429) limited += 1;
    assert.equal(limited, 2);
  });

  it('replays the same faults for the same randomSeed', async () => {
    const faults: FaultRule[] = [
      { kind: '429', probability: 0.2 },
      { kind: '503', probability: 0.2 },
    ];
    const run = async (): Promise<number[]> => {
      emulator = await startEmulator({ randomSeed: 42, faults });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) statuses.push((await call(emulator, bob())).status);
      await emulator.close();
      return statuses;
    };
    const first = await run();
    const second = await run();
    assert.deepEqual(second, first);
    assert.ok(first.includes(429) && first.includes(503) && first.includes(200), first.join());
  });

  it('under several faults at once, ends in the state the successful requests asked for', async () => {
    emulator = await startEmulator({
      randomSeed: 2024,
      faults: [
        { kind: '429', probability: 0.05, retryAfter: 0 },
        { kind: '429', probability: 0.05 },
        { kind: '503', probability: 0.05 },
        { kind: 'reset', probability: 0.02 },
        { kind: 'non-json', probability: 0.01 },
        { kind: 'latency', ms: [0, 2], probability: 0.1 },
      ],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const seen = new Map<number, number>();
    let lastAsked: { muted: boolean; hold: boolean } | undefined;
    for (let i = 0; i < 400; i += 1) {
      const asked = { muted: i % 2 === 0, hold: i % 3 === 0 };
      const status = await new Promise<number>((resolve) => {
        const body = `Muted=${asked.muted}&Hold=${asked.hold}`;
        const auth = Buffer.from(`${emulator.projectId}:${emulator.token}`).toString('base64');
        const req = request(`${emulator.url}${bob()}`, {
          method: 'POST',
          agent,
          headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => {
            let parsed: { muted?: unknown } | undefined;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            // -1: a 200 that is not the participant asked for (the non-JSON fault).
            if (res.statusCode !== 200) resolve(res.statusCode ?? 0);
            else resolve(parsed?.muted === asked.muted ? 200 : -1);
          });
        });
        req.on('error', () => resolve(0));
        req.end(body);
      });
      seen.set(status, (seen.get(status) ?? 0) + 1);
      if (status === 200) lastAsked = asked;
    }
    agent.destroy();
    for (const status of [200, 429, 503, 0, -1]) assert.ok(seen.has(status), `no outcome ${status}: ${[...seen]}`);
    const bobNow = emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
    assert.deepEqual({ muted: bobNow?.muted, hold: bobNow?.hold }, lastAsked);
    assert.equal(emulator.stats.updates, seen.get(200));
    assert.equal(emulator.stats.requests, 400);
  });

  it('counts the most requests in flight at once', async () => {
    emulator = await startEmulator({ faults: [{ kind: 'hang', count: 5 }] });
    const pending = Array.from({ length: 5 }, () => call(emulator, bob()).catch(() => undefined));
    await until(() => emulator.stats.inFlight === 5);
    assert.equal(emulator.stats.maxInFlight, 5);
    assert.equal(emulator.stats.requests, 5);
    await emulator.close();
    await Promise.all(pending);
    assert.equal(emulator.stats.inFlight, 0);
    assert.equal(emulator.stats.maxInFlight, 5);
  });

  it('leaves the control API alone', async () => {
    emulator = await startEmulator({ faults: [{ kind: '503' }] });
    const state = await call(emulator, '/__emulator/state', { auth: null });
    assert.equal(state.status, 200);
    assert.equal(emulator.stats.requests, 0);
  });

  it('refuses malformed rules with a clear message', () => {
    return (async () => {
      emulator = await startEmulator();
      const bad: unknown[] = [
        { kind: 'explode' },
        { kind: '429', probability: 2 },
        { kind: '429', count: 0 },
        { kind: 'latency' },
        { kind: 'latency', ms: [5, 1] },
        { kind: 'reset', retryAfter: 1 },
      ];
      for (const rule of bad)
        assert.throws(() => emulator.setFaults([rule as FaultRule]), TypeError, JSON.stringify(rule));
      assert.deepEqual(emulator.getFaults(), []);
    })();
  });

  it('closes idle keep-alive connections when it closes', async () => {
    emulator = await startEmulator();
    const agent = new Agent({ keepAlive: true });
    const socketClosed = new Promise<void>((resolve) => {
      agent.once('free', (socket) => socket.once('close', () => resolve()));
    });
    await new Promise<void>((resolve, reject) => {
      request(`${emulator.url}/__emulator/stats`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    await emulator.close();
    await socketClosed;
    agent.destroy();
  });
});
