import assert from 'node:assert/strict';
import { IncomingAnswers, type FallbackReason } from '../../src/lib/webhooks/incoming-answers';
import { ManualClock } from '../support/manual-clock';

const FALLBACK = '<Response><Reject reason="rejected"/></Response>';
const JOIN = '<Response><Dial><Conference>Team room</Conference></Dial></Response>';
const HOUR = 60 * 60 * 1000;
const FRANK = { callSid: 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66', from: '+15551230006' };

/** A request waiting for its cXML: what it was answered, and whether it was still open. */
class Request {
  answers: string[] = [];
  constructor(readonly open = true) {}
  deliver = (cxml: string): boolean => {
    this.answers.push(cxml);
    return this.open;
  };
}

function desk(clock: ManualClock, max = 100) {
  const fallbacks: Array<{ id: string; reason: FallbackReason }> = [];
  // Timers still set: an answered call must not keep one for nothing.
  const timers = new Set<unknown>();
  const answers = new IncomingAnswers({
    waitMs: 5_000,
    fallback: FALLBACK,
    keepMs: 10 * 60_000,
    max,
    clock: {
      now: clock.now,
      setTimeout: (callback, ms) => {
        const handle = clock.setTimeout(() => {
          timers.delete(handle);
          callback();
        }, ms);
        timers.add(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        timers.delete(handle);
        clock.clearTimeout(handle);
      },
    },
    onFallback: ({ id, reason }) => fallbacks.push({ id, reason }),
  });
  return { answers, fallbacks, timers };
}

describe('incoming answers: a call waits for the flow, then for the fallback', () => {
  it("answers the call with the flow's cXML, once, and a later repeat with the same", async () => {
    const clock = new ManualClock(1_000);
    const { answers, fallbacks, timers } = desk(clock);
    const first = new Request();
    answers.wait('a', FRANK, first.deliver);
    assert.equal(answers.waiting, 1);
    assert.deepEqual(answers.answer('a', JOIN), { ok: true, delivered: true });
    assert.equal(timers.size, 0, "the answered call's timer is gone");
    const retry = new Request();
    answers.repeat('a', retry.deliver);
    await clock.advance(60_000);
    assert.deepEqual([first.answers, retry.answers], [[JOIN], [JOIN]]);
    assert.deepEqual(fallbacks, []);
    assert.equal(answers.waiting, 0);
  });

  it('answers with the fallback after waitMs, says why, and takes no answer after that', async () => {
    const clock = new ManualClock(1_000);
    const { answers, fallbacks } = desk(clock);
    const first = new Request();
    answers.wait('a', FRANK, first.deliver);
    await clock.advance(4_999);
    assert.deepEqual(first.answers, []);
    await clock.advance(1);
    assert.deepEqual(first.answers, [FALLBACK]);
    assert.deepEqual(fallbacks, [{ id: 'a', reason: 'no-answer' }]);
    assert.deepEqual(answers.answer('a', JOIN), { ok: false, reason: 'fallback' });
    assert.deepEqual(first.answers, [FALLBACK]);
  });

  it('holds repeats that come while the flow decides, and answers them all with the one answer', () => {
    const clock = new ManualClock(1_000);
    const { answers } = desk(clock);
    const requests = [new Request(), new Request(), new Request()];
    answers.wait('a', FRANK, requests[0]!.deliver);
    answers.repeat('a', requests[1]!.deliver);
    answers.repeat('a', requests[2]!.deliver);
    answers.answer('a', JOIN);
    assert.deepEqual(
      requests.map((r) => r.answers),
      [[JOIN], [JOIN], [JOIN]],
    );
  });

  it('takes only the first answer: a second is refused and sends nothing', () => {
    const clock = new ManualClock(1_000);
    const { answers } = desk(clock);
    const first = new Request();
    answers.wait('a', FRANK, first.deliver);
    answers.answer('a', JOIN);
    assert.deepEqual(answers.answer('a', FALLBACK), { ok: false, reason: 'answered' });
    assert.deepEqual(first.answers, [JOIN]);
  });

  it('gives the fallback at once when the flow cannot answer, and when the node closes', () => {
    const clock = new ManualClock(1_000);
    const { answers, fallbacks } = desk(clock);
    const [a, b, c] = [new Request(), new Request(), new Request()];
    answers.wait('a', FRANK, a.deliver);
    answers.wait('b', FRANK, b.deliver);
    answers.wait('c', FRANK, c.deliver);
    assert.deepEqual(answers.giveUp('a'), { ok: true, delivered: true });
    assert.deepEqual(answers.giveUp('a'), { ok: false, reason: 'fallback' });
    answers.close();
    assert.deepEqual([a.answers, b.answers, c.answers], [[FALLBACK], [FALLBACK], [FALLBACK]]);
    assert.deepEqual(fallbacks, [
      { id: 'a', reason: 'flow-failed' },
      { id: 'b', reason: 'closing' },
      { id: 'c', reason: 'closing' },
    ]);
  });

  it('says when no request was left open to carry the answer', () => {
    const clock = new ManualClock(1_000);
    const { answers } = desk(clock);
    answers.wait('a', FRANK, new Request(false).deliver);
    assert.deepEqual(answers.answer('a', JOIN), { ok: true, delivered: false });
  });

  it('after hours idle, has forgotten the answers: a repeat gets the fallback, an answer finds no call', async () => {
    const clock = new ManualClock(1_000);
    const { answers } = desk(clock);
    answers.wait('a', FRANK, new Request().deliver);
    answers.answer('a', JOIN);
    await clock.advance(10 * 60_000 - 1);
    const within = new Request();
    answers.repeat('a', within.deliver);
    await clock.advance(6 * HOUR);
    const after = new Request();
    answers.repeat('a', after.deliver);
    assert.deepEqual([within.answers, after.answers], [[JOIN], [FALLBACK]]);
    assert.deepEqual(answers.answer('a', JOIN), { ok: false, reason: 'unknown' });
    // Still working: a new call waits and is answered as before.
    const next = new Request();
    answers.wait('b', FRANK, next.deliver);
    await clock.advance(5_000);
    assert.deepEqual(next.answers, [FALLBACK]);
  });

  it('remembers at most `max` answers, forgetting the oldest first', () => {
    const clock = new ManualClock(1_000);
    const { answers } = desk(clock, 3);
    for (const id of ['a', 'b', 'c', 'd']) {
      answers.wait(id, FRANK, new Request().deliver);
      answers.answer(id, `${JOIN}<!--${id}-->`);
    }
    const repeats = ['a', 'b', 'd'].map((id) => {
      const request = new Request();
      answers.repeat(id, request.deliver);
      return request.answers[0];
    });
    assert.deepEqual(repeats, [FALLBACK, `${JOIN}<!--b-->`, `${JOIN}<!--d-->`]);
  });
});
