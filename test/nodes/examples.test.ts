import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Node } from 'node-red';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { SignalWireClient } from '../../src/lib/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { DebugSidebar } from './debug-sidebar';
import type { FlowNode, Msg } from './flow-kit';
import { EXAMPLES_DIR, readExample } from '../support/example-flows';

const CORE = [
  'common/20-inject.js',
  'common/21-debug.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/10-switch.js',
  'function/89-delay.js',
  'sequence/17-split.js',
];
const CONFERENCE = DEMO_SIDS.weeklySync;

describe('example flows', function () {
  let emulator: Emulator;
  let sidebar: DebugSidebar;
  const savedEnv = { ...process.env };

  before(async () => {
    await startRuntime();
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
    await stopRuntime();
  });
  beforeEach(() => {
    sidebar = new DebugSidebar();
    emulator.reset();
    emulator.setFaults([]);
    // The examples leave the whole connection to the environment, as `npm start` sets it for its emulator.
    process.env.SIGNALWIRE_SPACE = emulator.url;
    process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
    process.env.SIGNALWIRE_TOKEN = emulator.token;
  });
  afterEach(async () => {
    sidebar.close();
    for (const name of ['SIGNALWIRE_SPACE', 'SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_TOKEN']) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await helper.unload();
  });

  /** Deploys an example as it is (or with `change` made), against the emulator on whatever port it got. */
  async function deploy(name: string, change: (node: FlowNode) => FlowNode = (n) => n): Promise<FlowNode[]> {
    assert.doesNotMatch(emulator.url, /:8080$/, 'the emulator is not on the port the examples used to name');
    const flow = readExample<FlowNode>(name).map(change);
    await helper.load([...CORE.map(coreNode), ...signalwireNodes], flow, {});
    return flow;
  }

  /** Clicks an inject node's button and collects what reaches the given nodes until `count` messages arrived. */
  async function click(
    injectName: string,
    flow: FlowNode[],
    watch: string[],
    count: number,
  ): Promise<Record<string, Msg[]>> {
    const got: Record<string, Msg[]> = {};
    let total = 0;
    let wake = () => {};
    for (const name of watch) {
      got[name] = [];
      const node = helper.getNode(flow.find((n) => n.name === name)!.id) as Node;
      node.on('input', (msg: Msg) => {
        got[name]!.push(msg);
        total++;
        wake();
      });
    }
    (helper.getNode(flow.find((n) => n.name === injectName)!.id) as Node).receive({});
    while (total < count) await new Promise<void>((resolve) => (wake = resolve));
    return got;
  }

  /** Clicks an inject node's button and returns the Debug sidebar's lines once `count` arrived. */
  async function shows(injectName: string, flow: FlowNode[], count = 1): Promise<string[]> {
    sidebar.clear();
    (helper.getNode(flow.find((n) => n.name === injectName)!.id) as Node).receive({});
    await sidebar.until(count);
    return sidebar.lines();
  }

  const participant = (callSid: string) => emulator.getParticipant(CONFERENCE, callSid)!;

  it('ships flows whose connection leaves the space and the credentials to the environment', () => {
    const names = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
    assert.deepEqual(names.sort(), [
      'announce-then-end.json',
      'announce.json',
      'answer-known-callers.json',
      'call-me-at-ten.json',
      'coaching.json',
      'doorbell.json',
      'error-handling-retry.json',
      'hold-with-music.json',
      'join-leave-log.json',
      'meeting-start-mute.json',
      'mute-everyone-but-the-host.json',
      'mute-on-join.json',
      'mute-unmute.json',
      'remove-everyone-on-hold.json',
    ]);
    for (const file of names) {
      const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
      const flow = JSON.parse(text) as FlowNode[];
      const connection = flow.find((n) => n.type === 'signalwire-config')!;
      assert.ok(!('credentials' in connection), file);
      assert.equal(connection.space, '', `${file}: the space comes from SIGNALWIRE_SPACE`);
      assert.ok(!text.includes(emulator.token), file);
      assert.ok(!text.includes('127.0.0.1:8080"'), `${file} names no fixed emulator address`);
    }
  });

  it('says in each example how it runs under npm start, under npx signalwire-emulator and against a real space', () => {
    for (const file of fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'))) {
      const flow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as FlowNode[];
      const comment = flow.find((n) => n.type === 'comment')!.info as string;
      assert.match(comment, /`npm start`/, file);
      assert.match(comment, /`npx signalwire-emulator`/, file);
      assert.match(comment, /real space/, file);
      assert.match(comment, /SIGNALWIRE_SPACE/, file);
    }
  });

  it("shares one connection, the demo's, between every example, and no other node id", () => {
    // Importing a second example (or one into the demo) finds the connection already there: Node-RED asks, and
    // "Import copy" keeps the one connection (test/e2e/editor.e2e.ts clicks it).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const demo = require('../../scripts/demo-flow.js') as { demoFlow(): FlowNode[] };
    const { id, ...connection } = demo.demoFlow().find((n) => n.type === 'signalwire-config')!;
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const file of fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'))) {
      for (const node of JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as FlowNode[]) {
        if (node.type === 'signalwire-config') {
          assert.deepEqual(node, { id, ...connection }, `${file} uses the demo's connection, as it is`);
          continue;
        }
        const first = owner.get(node.id);
        if (first) shared.push(`${node.id} (${node.type}) in ${first} and ${file}`);
        else owner.set(node.id, file);
      }
    }
    assert.deepEqual(shared, []);
  });

  it('mute-unmute: mutes and unmutes Bob, and says so in one line each', async () => {
    const flow = await deploy('mute-unmute');
    assert.deepEqual(await shows('mute Bob', flow), ['Bob: muted']);
    assert.equal(participant(DEMO_SIDS.bob).muted, true);
    assert.deepEqual(await shows('unmute Bob', flow), ['Bob: unmuted']);
    assert.equal(participant(DEMO_SIDS.bob).muted, false);
  });

  it('hold-with-music: holds Bob with the music set in the node, then brings him back', async () => {
    const flow = await deploy('hold-with-music');
    assert.deepEqual(await shows('hold Bob', flow), ['Bob: on hold']);
    assert.equal(participant(DEMO_SIDS.bob).hold, true);
    assert.equal(participant(DEMO_SIDS.bob).hold_url, 'https://example.com/hold-music.mp3');
    assert.equal(participant(DEMO_SIDS.bob).hold_method, 'GET');
    assert.deepEqual(await shows('bring Bob back', flow), ['Bob: off hold']);
    assert.equal(participant(DEMO_SIDS.bob).hold, false);
  });

  it('coaching: Dave coaches Carol, then stops', async () => {
    const flow = await deploy('coaching');
    assert.deepEqual(await shows('start coaching', flow), ['Dave: coaching, unmuted']);
    assert.equal(participant(DEMO_SIDS.dave).coaching, true);
    assert.equal(participant(DEMO_SIDS.dave).call_sid_to_coach, DEMO_SIDS.carol);
    assert.equal(participant(DEMO_SIDS.dave).muted, false);
    assert.deepEqual(await shows('stop coaching', flow), ['Dave: stopped coaching, muted']);
    assert.equal(participant(DEMO_SIDS.dave).coaching, false);
    assert.equal(participant(DEMO_SIDS.dave).muted, true);
  });

  it('announce: plays the announcement to each of the four participants', async () => {
    const flow = await deploy('announce');
    const lines = await shows('announce to everyone', flow, 4);
    const everyone = [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave];
    assert.deepEqual(lines.sort(), everyone.map((sid) => `announcement sent to ${sid.slice(0, 8)}…`).sort());
    for (const callSid of [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave]) {
      assert.equal(participant(callSid).announce_url, 'https://example.com/meeting-ends-in-5-minutes.mp3');
    }
  });

  it('error-handling-retry: retries a transient failure and then succeeds', async () => {
    // Shorter waits than the example's, and no client-level retries, so the flow's own loop is what retries.
    const flow = await deploy('error-handling-retry', (n) =>
      n.type === 'delay' ? { ...n, timeout: '0.05' } : n.type === 'signalwire-config' ? { ...n, retries: 0 } : n,
    );
    emulator.setFaults([{ kind: '503', count: 1 }]);
    assert.deepEqual(await shows('mute Bob', flow), ['Bob: muted after 1 retry']);
    assert.equal(participant(DEMO_SIDS.bob).muted, true);
  });

  it('error-handling-retry: gives up at once on an error no retry can fix', async () => {
    const flow = await deploy('error-handling-retry');
    const got = await click('mute Erin (conference ended)', flow, ['result', 'gave up'], 1);
    assert.equal(got['gave up']!.length, 1);
    assert.equal(got['gave up']![0]!.error.code, 10000);
    assert.deepEqual(got['gave up']![0]!.payload, { muted: true });
  });

  it('mute-everyone-but-the-host: finds "Weekly sync" by name and mutes everyone but Alice, its host', async () => {
    const flow = await deploy('mute-everyone-but-the-host');
    assert.deepEqual(await shows('mute everyone but the host', flow), ['Weekly sync: 3 muted, 1 left alone']);
    assert.equal(participant(DEMO_SIDS.alice).muted, false);
    for (const callSid of [DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave])
      assert.equal(participant(callSid).muted, true);
  });

  it('announce-then-end: announces to the whole conference, then ends it', async () => {
    const flow = await deploy('announce-then-end', (n) => (n.type === 'delay' ? { ...n, timeout: '0.05' } : n));
    assert.deepEqual(await shows('announce, then end', flow), ['Weekly sync: announced, then ended']);
    const conference = emulator.getConference(CONFERENCE) as unknown as Record<string, unknown>;
    assert.equal(conference.announce_url, 'https://example.com/the-meeting-is-over.xml');
    assert.equal(conference.status, 'completed');
  });

  it('remove-everyone-on-hold: removes Bob and Carol, who are on hold, and nobody else', async () => {
    // Bob and Carol wait on hold.
    const client = new SignalWireClient({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
    for (const callSid of [DEMO_SIDS.bob, DEMO_SIDS.carol])
      await client.updateParticipant(CONFERENCE, callSid, { hold: true });
    await client.close();
    const flow = await deploy('remove-everyone-on-hold');
    const lines = await shows('remove everyone on hold', flow, 2);
    const removed = [DEMO_SIDS.bob, DEMO_SIDS.carol].map((sid) => `Weekly sync: removed ${sid.slice(0, 8)}…`);
    assert.deepEqual(lines.sort(), removed.sort());
    assert.equal(emulator.getParticipant(CONFERENCE, DEMO_SIDS.bob), undefined);
    assert.equal(emulator.getParticipant(CONFERENCE, DEMO_SIDS.carol), undefined);
    assert.ok(emulator.getParticipant(CONFERENCE, DEMO_SIDS.alice));
    assert.ok(emulator.getParticipant(CONFERENCE, DEMO_SIDS.dave));
  });

  it('remove-everyone-on-hold: says "nobody on hold" when nobody is, and removes no one', async () => {
    const flow = await deploy('remove-everyone-on-hold');
    const before = emulator.getConference(CONFERENCE)!.participants.length;
    assert.deepEqual(await shows('remove everyone on hold', flow), ['Weekly sync: nobody on hold']);
    assert.equal(emulator.getConference(CONFERENCE)!.participants.length, before);
  });
});
