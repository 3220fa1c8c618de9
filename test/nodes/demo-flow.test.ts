/**
 * The `npm start` demo flow's whole-conference buttons, deployed as start.js deploys them (environment included)
 * on a real runtime against the emulator: each click changes what its label says and ends in one line for the
 * Debug sidebar. The flow is read from the built package, as `npm start` does (`npm test` builds first).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Node } from 'node-red';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, runtimeName, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import type { FlowNode, Msg } from './flow-kit';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../scripts/demo-flow.js') as {
  demoFlow(): FlowNode[];
  demoSidEnv(sids: typeof DEMO_SIDS): Record<string, string>;
  audioUrlDefaults: Record<string, string>;
};
// The runtime's own JSONata, as its debug node uses it; the runtime is chosen at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonata = require(require.resolve('jsonata', { paths: [path.dirname(require.resolve(runtimeName))] })) as (
  expression: string,
) => { evaluate(input: unknown): Promise<unknown> };

const CORE = [
  'common/20-inject.js',
  'common/21-debug.js',
  'common/90-comment.js',
  'function/89-delay.js',
  // The demo's conference events part.
  'function/10-switch.js',
  'function/15-change.js',
  'sequence/17-split.js',
  'network/21-httprequest.js',
];
const WEEKLY = DEMO_SIDS.weeklySync;

describe('demo flow: the whole-conference buttons', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let flow: FlowNode[];
  const savedEnv = { ...process.env };

  before(async () => {
    await startRuntime();
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
    await stopRuntime();
  });
  beforeEach(async () => {
    emulator.reset();
    Object.assign(process.env, demo.demoSidEnv(DEMO_SIDS), demo.audioUrlDefaults, {
      SIGNALWIRE_SPACE: emulator.url,
      SIGNALWIRE_PROJECT_ID: emulator.projectId,
      SIGNALWIRE_TOKEN: emulator.token,
    });
    flow = demo.demoFlow();
    await helper.load([...CORE.map(coreNode), ...signalwireNodes], flow, {});
  });
  afterEach(async () => {
    await helper.unload();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  /** Clicks a button and returns the one-line results the Debug sidebar shows, once `count` arrived. */
  async function click(button: string, count: number): Promise<string[]> {
    const result = flow.find((n) => n.name === 'conference result')!;
    const lines: Promise<string>[] = [];
    let wake = () => {};
    (helper.getNode(result.id) as Node).on('input', (msg: Msg) => {
      lines.push(jsonata(result.complete as string).evaluate(msg) as Promise<string>);
      wake();
    });
    (helper.getNode(flow.find((n) => n.name === button)!.id) as Node).receive({});
    while (lines.length < count) await new Promise<void>((resolve) => (wake = resolve));
    return Promise.all(lines);
  }

  const participant = (callSid: string) => emulator.getParticipant(WEEKLY, callSid);

  it('"Mute everyone but the host" mutes Bob, Carol and Dave, leaves Alice, and says so in one line', async () => {
    assert.deepEqual(await click('Mute everyone but the host', 1), ['Weekly sync: 3 updated, 1 left alone']);
    assert.equal(participant(DEMO_SIDS.alice)!.muted, false);
    for (const sid of [DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave]) assert.equal(participant(sid)!.muted, true);
  });

  it('"Unmute everyone but the host" unmutes Dave, who starts muted', async () => {
    assert.deepEqual(await click('Unmute everyone but the host', 1), ['Weekly sync: 3 updated, 1 left alone']);
    assert.equal(participant(DEMO_SIDS.dave)!.muted, false);
  });

  it('"Remove everyone on hold" removes Carol once "Hold Carol with music" was clicked', async () => {
    (helper.getNode('demo-hold-carol') as Node).receive({});
    while (!participant(DEMO_SIDS.carol)!.hold) await new Promise((resolve) => setTimeout(resolve, 10));
    const lines = await click('Remove everyone on hold', 2);
    assert.deepEqual(lines, ['Weekly sync: 1 on hold', `Weekly sync: removed ${DEMO_SIDS.carol.slice(0, 8)}…`]);
    assert.equal(participant(DEMO_SIDS.carol), undefined);
    assert.ok(participant(DEMO_SIDS.bob));
  });

  it('"Announce, then end the meeting" announces, then ends "Weekly sync"; the restart button brings it back', async () => {
    assert.deepEqual(await click('Announce, then end the meeting', 1), ['Weekly sync: conference completed']);
    const ended = emulator.getConference(WEEKLY) as unknown as Record<string, unknown>;
    assert.equal(ended.status, 'completed');
    assert.equal(ended.announce_url, process.env.SIGNALWIRE_ANNOUNCE_URL);
    assert.deepEqual(await click('Start the demo conferences again', 1), [
      'Emulator: conferences back as they were at the start',
    ]);
    assert.equal(emulator.getConference(WEEKLY)!.status, 'in-progress');
  });

  it('says on output 2, in one line, when "Weekly sync" is not in progress', async () => {
    emulator.setConferenceStatus(WEEKLY, 'completed');
    assert.deepEqual(await click('Mute everyone but the host', 1), [
      'Weekly sync: error 404 — No conference named "Weekly sync" is in progress',
    ]);
  });
});
