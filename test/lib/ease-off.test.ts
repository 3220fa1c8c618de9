/**
 * The schedule the ease-off controller gives POSTs, on a manual clock: hours and days of idle in milliseconds, and
 * no wall-clock timing. The sweeps run the controller against the emulator's own rate limiter (the same class,
 * on the same clock) with the client's retry rules (transport/retry.ts); only the network is modelled, as a fixed
 * delay each way. The real thing, on the wall clock, is in the benchmark's bulk case.
 */
import assert from 'node:assert/strict';
import type { AxiosError } from 'axios';
import fc from 'fast-check';
import { EaseOff, MAX_GAP } from '../../src/lib/transport/ease-off';
import { retryAfterMs, retryDelay, shouldRetry, type RetrySettings } from '../../src/lib/transport/retry';
import { PostRateLimiter } from '../../src/emulator/rate-limit';
import { ManualClock } from '../support/manual-clock';

/** The client's defaults (client.ts). */
const SETTINGS: RetrySettings = { retries: 3, retryDelay: 250, maxRetryAfter: 30_000 };
const IN_FLIGHT = 10;
/** Each way, between the client and SignalWire. */
const NETWORK_MS = 15;
const LIMIT = 20;
const SWEEP = 500;
/** The least time a sweep can take under the limit. */
const FLOOR_MS = (SWEEP / LIMIT) * 1000;
const HOUR = 3_600_000;

/** A client's POSTs and SignalWire's limit, on one manual clock. */
function setUp() {
  const clock = new ManualClock(1_000_000);
  const easeOff = new EaseOff(SETTINGS.retryDelay, SETTINGS.maxRetryAfter, clock);
  const limiter = new PostRateLimiter(clock.now);
  // 20 POSTs per second, and every other 429 says `Retry-After: 1`.
  limiter.set({ limit: LIMIT, windowMs: 1000, retryAfter: 1, retryAfterEvery: 2 });

  /** One update as the client sends it: waits its turn, retried as the client's policy says. */
  async function update(): Promise<boolean> {
    for (let retryCount = 0; ; retryCount++) {
      const startedAt = await easeOff.wait();
      await clock.sleep(NETWORK_MS);
      const refused = limiter.refuse('POST');
      await clock.sleep(NETWORK_MS);
      if (!refused) {
        easeOff.accepted();
        return true;
      }
      easeOff.refused(startedAt, retryAfterMs(refused.retryAfter));
      const error = {
        response: { status: 429, headers: { 'retry-after': refused.retryAfter } },
      } as unknown as AxiosError;
      if (retryCount >= SETTINGS.retries || !shouldRetry(error, SETTINGS.maxRetryAfter)) return false;
      await clock.sleep(retryDelay(retryCount + 1, error, SETTINGS));
    }
  }

  /** Updates everyone, `IN_FLIGHT` at a time: how long it took, and how many updates failed. */
  async function sweep(count = SWEEP): Promise<{ ms: number; failed: number }> {
    const start = clock.now();
    let next = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next++;
        if (!(await update())) failed++;
      }
    };
    await clock.run(Promise.all(Array.from({ length: IN_FLIGHT }, worker)));
    return { ms: clock.now() - start, failed };
  }

  return { clock, easeOff, sweep };
}

const ratio = (ms: number): string => `${(ms / FLOOR_MS).toFixed(2)} × the floor`;

describe('easing off after 429s: the schedule', function () {
  this.timeout(60_000);

  it('ends two sweeps of 500 in a row under 20 POSTs/s within 3× the floor each, nobody failing', async () => {
    const { sweep } = setUp();
    for (const which of ['first', 'second']) {
      const { ms, failed } = await sweep();
      assert.equal(failed, 0, `${which} sweep`);
      assert.ok(ms <= 3 * FLOOR_MS, `${which} sweep: ${ratio(ms)}`);
      assert.ok(ms >= FLOOR_MS, `${which} sweep: ${ratio(ms)}, faster than the limit allows`);
    }
  });

  for (const [idle, ms] of [
    ['30 s', 30_000],
    ['an hour', HOUR],
    ['a day', 24 * HOUR],
  ] as const) {
    it(`sweeps within 3× the floor when deployed ${idle} before the first sweep, and ${idle} after one`, async () => {
      const { clock, sweep } = setUp();
      await clock.advance(ms);
      const first = await sweep();
      await clock.advance(ms);
      const later = await sweep();
      for (const [which, run] of [
        ['first', first],
        ['later', later],
      ] as const) {
        assert.equal(run.failed, 0, which);
        assert.ok(run.ms <= 3 * FLOOR_MS, `${which} sweep after ${idle} idle: ${ratio(run.ms)}`);
      }
    });
  }

  /** Sends `count` POSTs that the limit accepts, one every `every` ms. */
  async function acceptMany(clock: ManualClock, easeOff: EaseOff, count: number, every: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await clock.run(easeOff.wait());
      easeOff.accepted();
      await clock.advance(every);
    }
  }

  /** Three 429s in a row, for POSTs started now. */
  function limitFull(clock: ManualClock, easeOff: EaseOff, retryAfter: number | undefined): void {
    for (let i = 0; i < 3; i++) easeOff.refused(clock.now(), retryAfter);
  }

  it('starts nothing until the Retry-After has passed, then spaces POSTs at the rate accepted over the last second', async () => {
    const { clock, easeOff } = setUp();
    await acceptMany(clock, easeOff, 20, 10);
    limitFull(clock, easeOff, 1000);
    const full = clock.now();
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) starts.push(await clock.run(easeOff.wait()));
    assert.equal(starts[0], full + 1000);
    // 20 accepted in the last second: one every 50 ms, and 5 % wider.
    assert.deepEqual(
      starts.slice(1).map((start, i) => start - starts[i]!),
      [52.5, 52.5, 52.5],
    );
  });

  it('leaves a lone 429 to its own retry: nothing waits', async () => {
    const { clock, easeOff } = setUp();
    await acceptMany(clock, easeOff, 5, 10);
    easeOff.refused(clock.now(), 1000);
    easeOff.refused(clock.now(), 1000);
    easeOff.accepted();
    easeOff.refused(clock.now(), 1000);
    const now = clock.now();
    assert.equal(await clock.run(easeOff.wait()), now);
    assert.equal(easeOff.gap, 0);
  });

  it('ignores the 429s of POSTs that started before the limit was found full, except a longer Retry-After', async () => {
    const { clock, easeOff } = setUp();
    await acceptMany(clock, easeOff, 20, 10);
    const sentEarlier = clock.now() - 20;
    limitFull(clock, easeOff, 1000);
    const gap = easeOff.gap;
    for (let i = 0; i < 10; i++) easeOff.refused(sentEarlier, undefined);
    easeOff.refused(sentEarlier, 2000);
    assert.equal(easeOff.gap, gap);
    assert.equal(await clock.run(easeOff.wait()), sentEarlier + 20 + 2000);
  });

  it('without Retry-After, pauses 250 ms, then twice as long each time the limit is full again before a success', async () => {
    const { clock, easeOff } = setUp();
    const pauses: number[] = [];
    for (let i = 0; i < 3; i++) {
      limitFull(clock, easeOff, undefined);
      const full = clock.now();
      pauses.push((await clock.run(easeOff.wait())) - full);
    }
    easeOff.accepted();
    limitFull(clock, easeOff, undefined);
    const full = clock.now();
    pauses.push((await clock.run(easeOff.wait())) - full);
    assert.deepEqual(pauses, [250, 500, 1000, 250]);
  });

  it('after an hour or a day idle, the first POST starts at once and the next without spacing', async () => {
    for (const idle of [HOUR, 24 * HOUR]) {
      const { clock, easeOff } = setUp();
      await acceptMany(clock, easeOff, 20, 10);
      limitFull(clock, easeOff, 1000);
      assert.ok(easeOff.gap > 0);
      await clock.advance(idle);
      const now = clock.now();
      assert.equal(await clock.run(easeOff.wait()), now);
      assert.equal(await clock.run(easeOff.wait()), now);
      assert.equal(easeOff.gap, 0);
    }
  });

  it('never spaces POSTs more than 2 s apart, nor pauses longer than the longest Retry-After, whatever happens', async () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('accepted' as const), after: fc.integer({ min: 0, max: 5_000 }) }),
      fc.record({
        kind: fc.constant('refused' as const),
        after: fc.integer({ min: 0, max: 5_000 }),
        startedAgo: fc.integer({ min: 0, max: 3_000 }),
        retryAfter: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('idle' as const), after: fc.integer({ min: 0, max: 48 * HOUR }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 60 }), async (events) => {
        const { clock, easeOff } = setUp();
        for (const e of events) {
          await clock.advance(e.after);
          if (e.kind === 'accepted') easeOff.accepted();
          if (e.kind === 'refused') easeOff.refused(clock.now() - e.startedAgo, e.retryAfter);
          assert.ok(easeOff.gap <= MAX_GAP, `gap ${easeOff.gap}`);
        }
        const now = clock.now();
        const first = await clock.run(easeOff.wait());
        const second = await clock.run(easeOff.wait());
        assert.ok(first - now <= SETTINGS.maxRetryAfter, `waited ${first - now} ms`);
        assert.ok(second - first <= MAX_GAP, `then ${second - first} ms`);
      }),
      { numRuns: 200 },
    );
  });
});
