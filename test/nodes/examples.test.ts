import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Node } from 'node-red';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { SignalWireClient } from '../../src/lib/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import type { FlowNode, Msg } from './flow-kit';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const CORE = [
  'common/20-inject.js',
  'common/21-debug.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/89-delay.js',
  'sequence/17-split.js',
];
const CONFERENCE = DEMO_SIDS.weeklySync;

function readExample(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as FlowNode[];
}

describe('example flows', function () {
  let emulator: Emulator;
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
    emulator.reset();
    emulator.setFaults([]);
    // The examples leave the whole connection to the environment, as `npm start` sets it for its emulator.
    process.env.SIGNALWIRE_SPACE = emulator.url;
    process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
    process.env.SIGNALWIRE_TOKEN = emulator.token;
  });
  afterEach(async () => {
    for (const name of ['SIGNALWIRE_SPACE', 'SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_TOKEN']) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await helper.unload();
  });

  /** Deploys an example as it is (or with `change` made), against the emulator on whatever port it got. */
  async function deploy(name: string, change: (node: FlowNode) => FlowNode = (n) => n): Promise<FlowNode[]> {
    assert.doesNotMatch(emulator.url, /:8080$/, 'the emulator is not on the port the examples used to name');
    const flow = readExample(name).map(change);
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

  const participant = (callSid: string) => emulator.getParticipant(CONFERENCE, callSid)!;

  it('ships flows whose connection leaves the space and the credentials to the environment', () => {
    const names = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    assert.deepEqual(names.sort(), [
      'announce-then-end.json',
      'announce.json',
      'coaching.json',
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
      const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
      const flow = JSON.parse(text) as FlowNode[];
      const connection = flow.find((n) => n.type === 'signalwire-config')!;
      assert.ok(!('credentials' in connection), file);
      assert.equal(connection.space, '', `${file}: the space comes from SIGNALWIRE_SPACE`);
      assert.ok(!text.includes(emulator.token), file);
      assert.ok(!text.includes('127.0.0.1:8080"'), `${file} names no fixed emulator address`);
    }
  });

  it('says in each example how it runs under npm start, under npx signalwire-emulator and against a real space', () => {
    for (const file of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
      const flow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as FlowNode[];
      const comment = flow.find((n) => n.type === 'comment')!.info as string;
      assert.match(comment, /`npm start`/, file);
      assert.match(comment, /`npx signalwire-emulator`/, file);
      assert.match(comment, /real space/, file);
      assert.match(comment, /SIGNALWIRE_SPACE/, file);
    }
  });

  it('shares no node id between two examples, so importing one after another raises no conflict', () => {
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const file of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
      for (const node of JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as FlowNode[]) {
        const first = owner.get(node.id);
        if (first) shared.push(`${node.id} (${node.type}) in ${first} and ${file}`);
        else owner.set(node.id, file);
      }
    }
    assert.deepEqual(shared, []);
  });

  it('mute-unmute: mutes and unmutes Bob', async () => {
    const flow = await deploy('mute-unmute');
    let got = await click('mute Bob', flow, ['updated participant', 'error'], 1);
    assert.equal(got['updated participant']![0]!.payload.muted, true);
    assert.equal(participant(DEMO_SIDS.bob).muted, true);
    got = await click('unmute Bob', flow, ['updated participant', 'error'], 1);
    assert.equal(got['updated participant']![0]!.payload.muted, false);
    assert.equal(participant(DEMO_SIDS.bob).muted, false);
  });

  it('hold-with-music: holds Bob with the music set in the node, then brings him back', async () => {
    const flow = await deploy('hold-with-music');
    await click('hold Bob', flow, ['updated participant', 'error'], 1);
    assert.equal(participant(DEMO_SIDS.bob).hold, true);
    assert.equal(participant(DEMO_SIDS.bob).hold_url, 'https://example.com/hold-music.mp3');
    assert.equal(participant(DEMO_SIDS.bob).hold_method, 'GET');
    await click('bring Bob back', flow, ['updated participant', 'error'], 1);
    assert.equal(participant(DEMO_SIDS.bob).hold, false);
  });

  it('coaching: Dave coaches Carol, then stops', async () => {
    const flow = await deploy('coaching');
    await click('start coaching', flow, ['updated participant', 'error'], 1);
    assert.equal(participant(DEMO_SIDS.dave).coaching, true);
    assert.equal(participant(DEMO_SIDS.dave).call_sid_to_coach, DEMO_SIDS.carol);
    assert.equal(participant(DEMO_SIDS.dave).muted, false);
    await click('stop coaching', flow, ['updated participant', 'error'], 1);
    assert.equal(participant(DEMO_SIDS.dave).coaching, false);
    assert.equal(participant(DEMO_SIDS.dave).muted, true);
  });

  it('announce: plays the announcement to each of the four participants', async () => {
    const flow = await deploy('announce');
    const got = await click('announce to everyone', flow, ['updated participant', 'error'], 4);
    assert.equal(got['updated participant']!.length, 4);
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
    const got = await click('mute Bob', flow, ['updated participant', 'gave up'], 1);
    assert.equal(got['updated participant']!.length, 1);
    assert.equal(got['updated participant']![0]!.retries, 1);
    assert.equal(participant(DEMO_SIDS.bob).muted, true);
  });

  it('error-handling-retry: gives up at once on an error no retry can fix', async () => {
    const flow = await deploy('error-handling-retry');
    const got = await click('mute Erin (conference ended)', flow, ['updated participant', 'gave up'], 1);
    assert.equal(got['gave up']!.length, 1);
    assert.equal(got['gave up']![0]!.error.code, 10000);
    assert.deepEqual(got['gave up']![0]!.payload, { muted: true });
  });

  it('mute-everyone-but-the-host: finds "Weekly sync" by name and mutes everyone but Alice, its host', async () => {
    const flow = await deploy('mute-everyone-but-the-host');
    const got = await click('mute everyone but the host', flow, ['updated and skipped', 'error'], 1);
    assert.equal(got.error!.length, 0);
    const result = got['updated and skipped']![0]!.payload;
    assert.deepEqual(result.skipped, [DEMO_SIDS.alice]);
    assert.deepEqual(result.failed, []);
    assert.equal(participant(DEMO_SIDS.alice).muted, false);
    for (const callSid of [DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave])
      assert.equal(participant(callSid).muted, true);
  });

  it('announce-then-end: announces to the whole conference, then ends it', async () => {
    const flow = await deploy('announce-then-end');
    const got = await click('announce, then end', flow, ['ended conference', 'error'], 1);
    assert.equal(got.error!.length, 0);
    assert.equal(got['ended conference']![0]!.payload.status, 'completed');
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
    const got = await click('remove everyone on hold', flow, ['removed', 'error'], 2);
    assert.equal(got.error!.length, 0);
    assert.deepEqual(got.removed!.map((m) => m.payload.callSid).sort(), [DEMO_SIDS.bob, DEMO_SIDS.carol].sort());
    assert.equal(emulator.getParticipant(CONFERENCE, DEMO_SIDS.bob), undefined);
    assert.equal(emulator.getParticipant(CONFERENCE, DEMO_SIDS.carol), undefined);
    assert.ok(emulator.getParticipant(CONFERENCE, DEMO_SIDS.alice));
    assert.ok(emulator.getParticipant(CONFERENCE, DEMO_SIDS.dave));
  });
});
