/**
 * A redeploy in the middle of a burst under faults: the messages the old node accepted finish (or fail) on the
 * old node, the new node takes the rest, and each message still gets exactly one outcome.
 *
 * The redeploy is a "Modified Nodes" deploy of a changed config node, which restarts the config node and the
 * participant update node using it while the nodes downstream keep running. (In a full deploy Node-RED stops
 * the downstream nodes too, so whatever a closing node sends is dropped by the runtime, whichever node sent it.)
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Node } from 'node-red';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { FAULTS, TOKEN } from './fault-mix';
import { Outcomes, redeploy, RejectionWatch, SecretWatch, startLoadFlow, updateNode } from './load-flow';

const PARTICIPANTS = 50;
const BEFORE = 1_500;
const TOTAL = 3_000;

describe('a redeploy in the middle of a burst under faults', function () {
  this.timeout(120_000);

  const conferenceSid = randomUUID();
  const callSids = Array.from({ length: PARTICIPANTS }, () => randomUUID());
  let emulator: Emulator;
  let outcomes: Outcomes;
  let secrets: SecretWatch;
  let rejections: RejectionWatch;
  let oldNode: Node;
  let newNode: Node;
  let doneBeforeRedeploy = 0;
  let okAfterRedeploy = 0;

  const send = (node: Node, from: number, to: number): void => {
    for (let id = from; id < to; id++) {
      const muted = id % 2 === 0;
      node.receive({ loadId: id, conferenceSid, callSid: callSids[id % PARTICIPANTS], payload: { muted } } as never);
    }
  };

  before(async () => {
    rejections = new RejectionWatch();
    await startRuntime();
    emulator = await startEmulator({
      token: TOKEN,
      seed: { conferences: [{ sid: conferenceSid, participants: callSids.map((callSid) => ({ callSid })) }] },
      faults: FAULTS,
    });
    const flow = await startLoadFlow(emulator, { config: { retries: '3', maxInFlight: '32' } });
    secrets = new SecretWatch(emulator);
    outcomes = new Outcomes(TOTAL, secrets, (id, port) => {
      if (id >= BEFORE && port === 'ok') okAfterRedeploy++;
    });

    oldNode = updateNode();
    send(oldNode, 0, BEFORE);
    await outcomes.until(BEFORE / 5);
    doneBeforeRedeploy = outcomes.total;
    const changed = flow.map((n) => (n.type === 'signalwire-config' ? { ...n, name: 'emulator (edited)' } : n));
    await redeploy(changed, emulator);
    newNode = updateNode();
    send(newNode, BEFORE, TOTAL);
    await outcomes.until(TOTAL);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  after(async () => {
    secrets?.stop();
    rejections?.stop();
    await helper.unload();
    await emulator?.close();
    await stopRuntime();
  });

  it('redeployed while messages were still waiting, and started a new node', () => {
    assert.ok(doneBeforeRedeploy < BEFORE, 'the burst was over before the redeploy');
    assert.notEqual(newNode, oldNode);
  });

  it('gives every message accepted before the redeploy exactly one outcome', () => {
    assert.deepEqual(outcomes.missing(0, BEFORE), []);
    assert.deepEqual(outcomes.doubled, []);
  });

  it('gives every message sent to the new node exactly one outcome, and keeps working', () => {
    assert.deepEqual(outcomes.missing(BEFORE, TOTAL), []);
    assert.equal(outcomes.total, TOTAL);
    assert.equal(outcomes.unknown, 0);
    assert.ok(okAfterRedeploy > 0);
  });

  it('does not crash or leave an unhandled rejection', () => {
    assert.deepEqual(rejections.seen, []);
  });

  it('never shows the token, redeploy included', () => {
    assert.ok(secrets.checked > TOTAL);
    assert.deepEqual(secrets.leaks, []);
  });
});
