import assert from 'node:assert/strict';
import { InFlightLimit } from '../../src/lib/transport/in-flight-limit';

/** A task the test finishes by hand, recording when it started. */
function gate(started: number[], id: number) {
  let finish!: (ok: boolean) => void;
  const task = () =>
    new Promise<number>((resolve, reject) => {
      started.push(id);
      finish = (ok) => (ok ? resolve(id) : reject(new Error(`task ${id} failed`)));
    });
  return { task, finish: (ok: boolean) => finish(ok) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InFlightLimit', () => {
  it('runs at most max tasks at once and starts the waiting ones oldest first, whatever order the running ones end', async () => {
    const limit = new InFlightLimit(2);
    const started: number[] = [];
    const gates = [0, 1, 2, 3, 4].map((id) => gate(started, id));
    const results = gates.map((g) => limit.run(g.task));
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(limit.activeCount, 2);
    assert.equal(limit.pendingCount, 3);

    gates[1].finish(true);
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    gates[0].finish(true);
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3]);
    assert.equal(limit.pendingCount, 1);
    gates[3].finish(true);
    gates[2].finish(true);
    await tick();
    gates[4].finish(true);
    assert.deepEqual(await Promise.all(results), [0, 1, 2, 3, 4]);
    assert.equal(limit.activeCount, 0);
    assert.equal(limit.pendingCount, 0);
  });

  it('frees the slot of a task that fails, passing its error to the caller', async () => {
    const limit = new InFlightLimit(1);
    const started: number[] = [];
    const first = gate(started, 0);
    const second = gate(started, 1);
    const failed = limit.run(first.task);
    const next = limit.run(second.task);
    await tick();
    first.finish(false);
    await assert.rejects(failed, /task 0 failed/);
    await tick();
    assert.deepEqual(started, [0, 1]);
    second.finish(true);
    assert.equal(await next, 1);
    assert.equal(limit.activeCount, 0);
  });
});
