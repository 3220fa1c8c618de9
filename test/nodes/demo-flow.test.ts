/**
 * The `npm start` demo flow, deployed as start.js deploys it (environment included) on a real runtime against the
 * emulator, its conference events served on a real port: each button changes what its label says and shows one
 * line in the Debug sidebar, read as the runtime sends it to the editor. The flow is read from the built package,
 * as `npm start` does (`npm test` builds first).
 */
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { DEMO_NUMBERS, DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { DebugSidebar } from './debug-sidebar';
import { captureNodeApp, NodeHttpServer } from './events-kit';
import type { FlowNode } from './flow-kit';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../scripts/demo-flow.js') as {
  demoFlow(): FlowNode[];
  demoSidEnv(sids: typeof DEMO_SIDS): Record<string, string>;
  audioUrlDefaults: Record<string, string>;
  DEMO_EVENTS_PATH: string;
  FRANK_NUMBER: string;
  DEMO_INCOMING_PATH: string;
};

const CORE = [
  'common/20-inject.js',
  'common/21-debug.js',
  'common/25-catch.js',
  'common/90-comment.js',
  'function/15-change.js',
  'function/89-delay.js',
  'function/10-switch.js',
  'sequence/17-split.js',
  'network/21-httprequest.js',
];
const WEEKLY = DEMO_SIDS.weeklySync;

describe('demo flow', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let server: NodeHttpServer;
  let sidebar: DebugSidebar;
  let flow: FlowNode[];
  /** Every line the sidebar should show so far, in order: one per click. */
  let expected: string[];
  const savedEnv = { ...process.env };

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    // As start.js starts it: the seeded conferences send their events to the demo's conference events node.
    emulator = await startEmulator({ statusCallback: { statusCallback: `${server.url}${demo.DEMO_EVENTS_PATH}` } });
  });
  after(async () => {
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(async () => {
    emulator.reset();
    Object.assign(process.env, demo.demoSidEnv(DEMO_SIDS), demo.audioUrlDefaults, {
      SIGNALWIRE_SPACE: emulator.url,
      SIGNALWIRE_PROJECT_ID: emulator.projectId,
      SIGNALWIRE_TOKEN: emulator.token,
      SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
      // As start.js sets them: calls come from the emulator's number and fetch their join from this Node-RED.
      SIGNALWIRE_FROM_NUMBER: emulator.numbers.list()[0]!.phoneNumber,
      SIGNALWIRE_PUBLIC_URL: server.url,
    });
    // The announcement's pause is shortened; everything else is deployed as start.js writes it.
    flow = demo.demoFlow().map((n) => (n.type === 'delay' ? { ...n, timeout: '0.05' } : n));
    // As start.js sets it: a call to the office number rings the demo's incoming call node.
    const office = await fetch(`${emulator.url}/__emulator/numbers/${encodeURIComponent(DEMO_NUMBERS.office)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ voiceUrl: `${server.url}${demo.DEMO_INCOMING_PATH}` }),
    });
    assert.equal(office.status, 200);
    sidebar = new DebugSidebar();
    expected = [];
    await helper.load([...CORE.map(coreNode), ...signalwireNodes, captureNodeApp], flow, {});
  });
  afterEach(async () => {
    // Each click showed exactly one line: none more arrived, up to the last click's.
    assert.deepEqual(sidebar.lines(), expected);
    sidebar.close();
    await helper.unload();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  /** Clicks the button with that label and returns the `count` lines the Debug sidebar shows for it. */
  async function clickLines(button: string, count: number): Promise<string[]> {
    const inject = flow.find((n) => n.type === 'inject' && n.name === button);
    assert.ok(inject, `a button "${button}"`);
    const before = sidebar.entries.length;
    (helper.getNode(inject.id) as Node).receive({});
    await sidebar.until(before + count);
    const lines = sidebar.lines().slice(before, before + count);
    expected.push(...lines);
    return lines;
  }

  /** Clicks the button with that label and returns the line the Debug sidebar shows for it. */
  async function click(button: string): Promise<string> {
    const inject = flow.find((n) => n.type === 'inject' && n.name === button);
    assert.ok(inject, `a button "${button}"`);
    const before = sidebar.entries.length;
    (helper.getNode(inject.id) as Node).receive({});
    await sidebar.until(before + 1);
    const line = sidebar.lines()[before]!;
    expected.push(line);
    return line;
  }

  const participant = (callSid: string) => emulator.getParticipant(WEEKLY, callSid);
  const tabOf = (name: string) => flow.find((n) => n.id === flow.find((m) => m.name === name)!.z)!.label;

  it('puts each part on its own tab, in reading order: one person, everyone, someone joins, call someone in, a call comes in', () => {
    assert.deepEqual(
      flow.filter((n) => n.type === 'tab').map((n) => n.label),
      ['1. One person', '2. Everyone', '3. Someone joins', '5. Call someone in', '6. A call comes in'],
    );
    assert.equal(tabOf('Mute Bob'), '1. One person');
    assert.equal(tabOf('Mute all but the host'), '2. Everyone');
    assert.equal(tabOf('Erin joins Weekly sync'), '3. Someone joins');
    assert.equal(tabOf('Call Frank into Weekly sync'), '5. Call someone in');
    assert.equal(tabOf('Frank calls the office'), '6. A call comes in');
    // Every wire stays on its tab.
    const tab = new Map(flow.map((n) => [n.id, n.z]));
    for (const node of flow.filter((n) => Array.isArray(n.wires))) {
      for (const target of (node.wires as string[][]).flat())
        assert.equal(tab.get(target), node.z, node.name as string);
    }
  });

  it('one person: each button changes whom it names and says what changed, in one line', async () => {
    assert.equal(await click('Mute Bob'), 'Bob: muted');
    assert.equal(participant(DEMO_SIDS.bob)!.muted, true);
    assert.equal(await click('Unmute Bob'), 'Bob: unmuted');
    assert.equal(participant(DEMO_SIDS.bob)!.muted, false);
    assert.equal(await click('Hold Carol with music'), 'Carol: on hold');
    assert.equal(participant(DEMO_SIDS.carol)!.hold_url, process.env.SIGNALWIRE_HOLD_URL);
    assert.equal(await click('Take Carol off hold'), 'Carol: off hold');
    assert.equal(participant(DEMO_SIDS.carol)!.hold, false);
    // A coach is unmuted so the agent hears him; stopping mutes him again.
    assert.equal(await click('Dave coaches Carol'), 'Dave: coaching, unmuted');
    assert.equal(participant(DEMO_SIDS.dave)!.call_sid_to_coach, DEMO_SIDS.carol);
    assert.equal(await click('Dave stops coaching'), 'Dave: stopped coaching, muted');
    assert.equal(await click('Announce to Alice (host)'), 'Alice: announcement sent');
    assert.equal(participant(DEMO_SIDS.alice)!.announce_url, process.env.SIGNALWIRE_ANNOUNCE_URL);
  });

  it('one person: errors say in one line what went wrong, naming the conference the demo knows', async () => {
    assert.equal(
      await click('Mute Erin (stand-up has ended)'),
      'Erin: error 422 — Conference Monday stand-up has completed',
    );
    assert.equal(
      await click('Mute a malformed call SID'),
      'Bad SID: error — callSid must be a call SID, a UUID (got "not-a-call-sid")',
    );
  });

  it('still names whom it knows when some SIDs are not set, as in a real space given only some', async () => {
    await helper.unload();
    delete process.env.SIGNALWIRE_ENDED_CONFERENCE_SID;
    delete process.env.SIGNALWIRE_ENDED_CALL_SID;
    await helper.load([...CORE.map(coreNode), ...signalwireNodes, captureNodeApp], flow, {});
    assert.equal(await click('Mute all but the host'), 'Weekly sync: muted Bob, Carol, Dave; Alice left alone');
    assert.equal(
      await click('Mute a malformed call SID'),
      'Bad SID: error — callSid must be a call SID, a UUID (got "not-a-call-sid")',
    );
  });

  it('everyone: mutes and unmutes everyone but the host, naming them', async () => {
    assert.equal(await click('Mute all but the host'), 'Weekly sync: muted Bob, Carol, Dave; Alice left alone');
    assert.equal(participant(DEMO_SIDS.alice)!.muted, false);
    for (const sid of [DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave]) assert.equal(participant(sid)!.muted, true);
    assert.equal(await click('Unmute all but the host'), 'Weekly sync: unmuted Bob, Carol, Dave; Alice left alone');
    assert.equal(participant(DEMO_SIDS.dave)!.muted, false);
  });

  it('everyone: "Remove all on hold" says "nobody on hold", then removes Carol once she is on hold', async () => {
    assert.equal(await click('Remove all on hold'), 'Weekly sync: nobody on hold');
    assert.equal(emulator.getConference(WEEKLY)!.participants.length, 4);
    assert.equal(await click('Hold Carol with music'), 'Carol: on hold');
    assert.equal(await click('Remove all on hold'), 'Weekly sync: removed Carol');
    assert.equal(participant(DEMO_SIDS.carol), undefined);
    assert.ok(participant(DEMO_SIDS.bob));
  });

  it('everyone: announces, then ends "Weekly sync"; "Start again" brings it back', async () => {
    assert.equal(await click('Announce, then end'), 'Weekly sync: announced, then ended');
    const ended = emulator.getConference(WEEKLY) as unknown as Record<string, unknown>;
    assert.equal(ended.status, 'completed');
    assert.equal(ended.announce_url, process.env.SIGNALWIRE_ANNOUNCE_URL);
    assert.equal(
      await click('Mute all but the host'),
      'Weekly sync (find by name): error 404 — No conference named "Weekly sync" is in progress',
    );
    assert.equal(await click('Start again (emulator)'), 'Emulator: conferences back as they were at the start');
    assert.equal(emulator.getConference(WEEKLY)!.status, 'in-progress');
  });

  it('someone joins: Erin is muted as she joins, by name; a second click is the same Erin, who can hang up and rejoin', async () => {
    const erins = () => emulator.getConference(WEEKLY)!.participants.filter((p) => p.call_sid === DEMO_SIDS.erin);
    assert.equal(await click('Erin joins Weekly sync'), 'Erin joined Weekly sync: muted');
    assert.equal(erins().length, 1);
    assert.equal(erins()[0]!.muted, true);
    assert.equal(await click('Erin joins Weekly sync'), 'Emulator: Participant Erin is already in Weekly sync');
    assert.equal(emulator.getConference(WEEKLY)!.participants.filter((p) => p.label === 'Erin').length, 1);
    assert.equal(await click('Erin hangs up'), 'Erin hung up');
    assert.equal(erins().length, 0);
    assert.equal(await click('Erin joins Weekly sync'), 'Erin joined Weekly sync: muted');
    // The events came from the emulator, signed, to the demo's path, and the node accepted them.
    assert.deepEqual(
      emulator.callbacks.deliveries
        .filter((d) => d.event === 'participant-join')
        .map((d) => [new URL(d.url).pathname, d.outcome]),
      [
        [demo.DEMO_EVENTS_PATH, 204],
        [demo.DEMO_EVENTS_PATH, 204],
      ],
    );
  });

  it('call someone in: Frank rings, answers and joins Weekly sync, one line each, named; then he is hung up on', async () => {
    const frank = () => emulator.getConference(WEEKLY)!.participants.filter((p) => p.label === demo.FRANK_NUMBER);
    assert.deepEqual(await clickLines('Call Frank into Weekly sync', 3), [
      'Frank: ringing',
      'Frank: answered',
      // The room's events go where its first participant said: part 3, which mutes him and names him.
      'Frank joined Weekly sync: muted',
    ]);
    assert.equal(frank().length, 1);
    assert.equal(frank()[0]!.muted, true);
    // His call came from the emulator's number, fetched its join from this Node-RED, and reported here, signed.
    const [call] = emulator.callRecords.all().map((r) => emulator.callRecords.emulatedView(r));
    assert.equal(call!.from, process.env.SIGNALWIRE_FROM_NUMBER);
    assert.ok(call!.url!.startsWith(`${server.url}/signalwire/join?`), call!.url!);
    assert.equal(call!.status_callback, `${server.url}/signalwire/call-events`);
    assert.deepEqual(call!.problems, []);

    assert.deepEqual(await clickLines('Hang up on Frank', 1), ['Frank: call ended']);
    assert.equal(frank().length, 0);
    // Once over, hanging up again says so.
    assert.match(await click('Hang up on Frank'), /^Frank: error 422 — Call .* has ended/);
  });

  it('a call comes in: Frank, whom the office knows, joins Weekly sync; a stranger hears the message', async () => {
    assert.equal(await click('Frank calls the office'), 'Frank joined Weekly sync');
    const [frank] = emulator.callRecords.all();
    const record = emulator.callRecords.emulatedView(frank!);
    assert.deepEqual([record.direction, record.from, record.to], ['inbound', '+15551230006', DEMO_NUMBERS.office]);
    assert.equal(record.conference?.friendly_name, 'Weekly sync');
    assert.ok(participant(frank!.sid), 'Frank is in the room');
    assert.equal(await click('A stranger calls the office'), '+15559990000 heard the message');
    const stranger = emulator.callRecords.emulatedView(emulator.callRecords.all()[1]!);
    assert.deepEqual(stranger.heard, [
      { verb: 'Say', text: 'Hello, this is the office. We do not know your number: please call again later.' },
    ]);
    assert.equal(stranger.status, 'completed');
    // The office number's voice URL was signed for and checked: the demo's node answered both.
    assert.deepEqual(
      [record, stranger].map((c) => [new URL(c.url!).pathname, c.problems]),
      [
        [demo.DEMO_INCOMING_PATH, []],
        [demo.DEMO_INCOMING_PATH, []],
      ],
    );
  });
});
