/**
 * 5 000 updates through the participant update node in a real Node-RED runtime while the emulator injects
 * 429s (half with Retry-After), 503s, reset connections, bodies that are not JSON, and latency.
 *
 * The messages run as one sequential stream per participant (100 participants, so far more messages are
 * waiting than the cap lets through): "the last update that succeeded" is then well defined per participant
 * and the emulator's final state can be compared with it, and a counting proxy in front of the emulator tells
 * how many attempts each message took.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { FAULTS, TOKEN } from './fault-mix';
import { helper, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { CountingProxy } from './counting-proxy';
import {
  heapAfterGc,
  Outcomes,
  RejectionWatch,
  SecretWatch,
  startLoadFlow,
  updateNode,
  type Msg,
  type Port,
} from './load-flow';

const PARTICIPANTS = 100;
const FIRST = 1_000;
const TOTAL = 5_000;
const RETRIES = 3;
const MAX_IN_FLIGHT = 32;

interface Ask {
  muted: boolean;
  hold: boolean;
}

describe('5 000 updates while the API fails in every way it can', function () {
  this.timeout(180_000);

  const conferenceSid = randomUUID();
  const callSids = Array.from({ length: PARTICIPANTS }, () => randomUUID());
  const asks: Ask[] = new Array(TOTAL);
  const participantOf = new Uint16Array(TOTAL);
  /** Requests for the message's participant before it was sent; its attempts are the ones counted after. */
  const countBefore = new Uint32Array(TOTAL);
  /** Per participant, what its last successful update asked (undefined: none succeeded). */
  const lastSuccess: Array<Ask | undefined> = new Array(PARTICIPANTS);
  const wrong: string[] = [];
  let exhausted = 0;
  let notJson = 0;
  let emulator: Emulator;
  let proxy: CountingProxy;
  let outcomes: Outcomes;
  let secrets: SecretWatch;
  let rejections: RejectionWatch;
  let heapAfterFirst = 0;
  let heapAfterAll = 0;

  const problem = (text: string): void => {
    if (wrong.length < 10) wrong.push(text);
  };

  function judge(id: number, port: Port, msg: Msg): void {
    const ask = asks[id];
    const callSid = callSids[participantOf[id]];
    const attempts = proxy.count(callSid) - countBefore[id];
    if (attempts < 1 || attempts > RETRIES + 1) problem(`message ${id} took ${attempts} attempts`);
    if (port === 'ok') {
      const p = msg.payload;
      if (msg.statusCode !== 200 || p?.call_sid !== callSid || p?.muted !== ask.muted || p?.hold !== ask.hold) {
        problem(`message ${id} succeeded with the wrong participant: ${JSON.stringify(p)}`);
      }
      return;
    }
    const error = msg.error ?? {};
    // A failed update keeps its payload, so a flow can send it again.
    if (msg.payload?.muted !== ask.muted || msg.payload?.hold !== ask.hold) {
      problem(`message ${id} lost its payload: ${JSON.stringify(msg.payload)}`);
    }
    if (error.status === 429 || error.status === 503 || error.source === 'network') {
      exhausted++;
      if (attempts !== RETRIES + 1)
        problem(`message ${id} gave up after ${attempts} attempts: ${JSON.stringify(error)}`);
    } else if (error.status === 200 && error.source === 'api' && /not a participant/.test(error.message)) notJson++;
    else problem(`message ${id} failed for a reason no fault explains: ${JSON.stringify(error)}`);
  }

  async function stream(participant: number, ids: number[]): Promise<void> {
    const node = updateNode();
    for (const id of ids) {
      const ask = { muted: Math.random() < 0.5, hold: Math.random() < 0.5 };
      asks[id] = ask;
      participantOf[id] = participant;
      countBefore[id] = proxy.count(callSids[participant]);
      const outcome = outcomes.next(id);
      node.receive({ loadId: id, conferenceSid, callSid: callSids[participant], payload: { ...ask } } as never);
      if ((await outcome).port === 'ok') lastSuccess[participant] = ask;
    }
  }

  /** Messages [from, to), dealt round-robin to the participants' streams. */
  async function run(from: number, to: number): Promise<void> {
    const perParticipant: number[][] = Array.from({ length: PARTICIPANTS }, () => []);
    for (let id = from; id < to; id++) perParticipant[id % PARTICIPANTS].push(id);
    await Promise.all(perParticipant.map((ids, p) => stream(p, ids)));
  }

  before(async () => {
    rejections = new RejectionWatch();
    await startRuntime();
    emulator = await startEmulator({
      token: TOKEN,
      seed: {
        conferences: [
          { sid: conferenceSid, friendlyName: 'Load', participants: callSids.map((callSid) => ({ callSid })) },
        ],
      },
      faults: FAULTS,
    });
    proxy = await new CountingProxy(emulator.url).listen();
    await startLoadFlow(emulator, {
      config: { space: proxy.url, retries: String(RETRIES), maxInFlight: String(MAX_IN_FLIGHT) },
    });
    secrets = new SecretWatch(emulator);
    outcomes = new Outcomes(TOTAL, secrets, judge);
    emulator.stats.reset();

    await run(0, FIRST);
    heapAfterFirst = heapAfterGc();
    await run(FIRST, TOTAL);
    // Let anything still on its way (a late duplicate, a stray status) arrive before judging.
    await new Promise((resolve) => setTimeout(resolve, 200));
    heapAfterAll = heapAfterGc();
  });

  after(async () => {
    secrets?.stop();
    rejections?.stop();
    await helper.unload();
    await proxy?.close();
    await emulator?.close();
    await stopRuntime();
  });

  it('gives every message exactly one outcome', () => {
    assert.deepEqual(outcomes.missing(0, TOTAL), [], 'messages without an outcome');
    assert.deepEqual(outcomes.doubled, [], 'messages that came out twice');
    assert.equal(outcomes.unknown, 0, 'messages that were never sent');
    assert.equal(outcomes.total, TOTAL);
  });

  it('actually met the faults it was meant to survive', () => {
    const f = emulator.stats.faults;
    for (const kind of ['429', '503', 'reset', 'non-json', 'latency'] as const) {
      assert.ok(f[kind] > 0, `no ${kind} fault was injected`);
    }
  });

  it('sends successes to output 1 with the participant each message asked for', () => {
    assert.deepEqual(wrong, []);
    assert.ok(outcomes.ports.filter((p) => p === 'ok').length > 0);
  });

  it('sends to output 2 only what failed after its last retry, or a body that is not JSON', () => {
    // Per message (judged as it came out): a 429/503/reset failure took exactly 1 + RETRIES attempts.
    assert.deepEqual(wrong, []);
    assert.ok(exhausted > 0 || notJson > 0, 'nothing failed: the faults did not bite');
    const f = emulator.stats.faults;
    // Every request beyond the first of each message is a retry, and every retryable fault is either retried
    // or, on the last attempt, reported. So: retryable faults = retries + exhausted failures, exactly.
    const retries = emulator.stats.requests - TOTAL;
    assert.equal(f['429'] + f['503'] + f.reset, retries + exhausted, 'retryable faults vs retries + failures');
    // A 200 whose body is not JSON is final: never retried, always reported.
    assert.equal(notJson, f['non-json']);
    assert.equal(outcomes.ports.filter((p) => p === 'error').length, exhausted + notJson);
  });

  it('leaves each participant as its last successful update asked', () => {
    const differ: string[] = [];
    callSids.forEach((callSid, i) => {
      const state = emulator.getParticipant(conferenceSid, callSid);
      const expected = lastSuccess[i] ?? { muted: false, hold: false };
      if (state?.muted !== expected.muted || state?.hold !== expected.hold) {
        differ.push(
          `${callSid}: ${JSON.stringify({ muted: state?.muted, hold: state?.hold })} != ${JSON.stringify(expected)}`,
        );
      }
    });
    assert.deepEqual(differ, []);
  });

  it('never has more requests in flight than the configured cap', () => {
    assert.ok(emulator.stats.maxInFlight <= MAX_IN_FLIGHT, `${emulator.stats.maxInFlight} in flight at once`);
    // The cap was really under pressure: 100 participants' messages competed for it.
    assert.ok(emulator.stats.maxInFlight > 1);
  });

  it('raises no unhandled promise rejection', () => {
    assert.deepEqual(rejections.seen, []);
  });

  it('does not keep memory per message (heap after gc, first 1 000 vs all 5 000)', () => {
    // A leak check, not a timing check: 4 000 more messages retaining even 4 KB each would add 16 MB.
    assert.ok(
      heapAfterAll - heapAfterFirst < 16,
      `heap ${heapAfterFirst.toFixed(1)} MB -> ${heapAfterAll.toFixed(1)} MB`,
    );
  });

  it('never shows the token in an output, a status, a caught error or a log line', () => {
    // Each failure also reached the Catch node (and so the log), each change of state the status: all scanned.
    assert.equal(outcomes.caught, exhausted + notJson);
    assert.ok(outcomes.statuses > 1);
    assert.ok(secrets.checked > TOTAL);
    assert.deepEqual(secrets.leaks, []);
  });
});
