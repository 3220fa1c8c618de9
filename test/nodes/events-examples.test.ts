import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { captureNodeApp, NodeHttpServer } from './events-kit';
import { DebugSidebar } from './debug-sidebar';
import type { FlowNode, Msg } from './flow-kit';
import { setEnvironment } from '../support/environment';
import { readExample } from '../support/example-flows';

const CORE = [
  'common/20-inject.js',
  'common/21-debug.js',
  'common/90-comment.js',
  'function/10-switch.js',
  'function/15-change.js',
  'network/21-httprequest.js',
];

/**
 * The event examples, deployed as shipped on a real Node-RED runtime whose node HTTP server is served here, with
 * the environment `npm start` gives Node-RED. Their buttons have the emulator start a conference whose first
 * participant points its callbacks at the example's node; the emulator then sends signed callbacks, as SignalWire
 * would.
 */
describe('conference event examples', function () {
  let emulator: Emulator;
  let server: NodeHttpServer;
  let sidebar: DebugSidebar;
  let restoreEnvironment: () => void;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator();
    restoreEnvironment = setEnvironment({
      // The examples leave the whole connection to the environment, the signing key too.
      SIGNALWIRE_SPACE: emulator.url,
      SIGNALWIRE_PROJECT_ID: emulator.projectId,
      SIGNALWIRE_TOKEN: emulator.token,
      SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
      // Where Node-RED listens: the buttons build the callback URL from it.
      NODE_RED_PORT: new URL(server.url).port,
    });
  });
  after(async () => {
    emulator.callbacks.setDefaultTarget(undefined);
    restoreEnvironment();
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(() => {
    sidebar = new DebugSidebar();
    emulator.reset();
    // As under `npm start`: conferences that set no callback of their own send their events to the demo's node.
    emulator.callbacks.setDefaultTarget({ statusCallback: `${server.url}/signalwire/conference-events` });
  });
  afterEach(async () => {
    sidebar.close();
    await helper.unload();
  });

  /** Deploys the example exactly as shipped. */
  async function deploy(name: string): Promise<FlowNode[]> {
    const flow = readExample<FlowNode>(name);
    const connection = flow.find((n) => n.type === 'signalwire-config')!;
    assert.equal(connection.space, '');
    assert.ok(!('credentials' in connection));
    await helper.load([...CORE.map(coreNode), ...signalwireNodes, captureNodeApp], flow, {});
    return flow;
  }

  /** Clicks an inject button. */
  function click(flow: FlowNode[], name: string): void {
    (helper.getNode(flow.find((n) => n.name === name && n.type === 'inject')!.id) as Node).receive({});
  }

  /** The conference in progress with that name. */
  const room = (name: string) =>
    emulator.snapshot().find((c) => c.friendly_name === name && c.status === 'in-progress');
  const retro = () => room('Retro');

  /** Collects what reaches the named nodes until `count` messages have arrived. */
  function watch(flow: FlowNode[], names: string[]) {
    const got: Record<string, Msg[]> = {};
    const waiters: Array<() => void> = [];
    for (const name of names) {
      got[name] = [];
      (helper.getNode(flow.find((n) => n.name === name)!.id) as Node).on('input', (msg: Msg) => {
        got[name]!.push(msg);
        for (const wake of waiters.splice(0)) wake();
      });
    }
    const total = () => Object.values(got).reduce((sum, list) => sum + list.length, 0);
    return {
      got,
      until: async (count: number) => {
        while (total() < count) await new Promise<void>((resolve) => waiters.push(resolve));
      },
    };
  }

  /** Where each event went so far: event and path. */
  const sentTo = () => emulator.callbacks.deliveries.map((d) => [d.event, new URL(d.url).pathname]);

  it('mute-on-join works in either order: Erin joining first is muted by this example, Alice after her left as is', async () => {
    const flow = await deploy('mute-on-join');
    const seen = watch(flow, ['result', 'moderator: left as is', 'error']);
    click(flow, 'Erin joins Retro');
    await emulator.callbacks.whenDelivered(1);
    // Erin is the first participant: her own callback, the example's path, holds for the whole conference.
    assert.deepEqual(sentTo(), [['participant-join', '/signalwire/mute-on-join']]);
    await seen.until(1);
    const erin = retro()!.participants.find((p) => p.label === 'Erin')!;
    assert.equal(seen.got.result![0]!.payload.call_sid, erin.call_sid);
    assert.equal(erin.muted, true);

    click(flow, 'Alice opens Retro (moderator)');
    await seen.until(2);
    const alice = retro()!.participants.find((p) => p.label === 'Alice')!;
    await sidebar.until(2);
    assert.deepEqual(sidebar.lines(), [
      `${erin.call_sid.slice(0, 8)}… joined: muted`,
      `${alice.call_sid.slice(0, 8)}… joined Retro: a moderator, left as is`,
    ]);
    assert.equal(seen.got['moderator: left as is']![0]!.payload.callSid, alice.call_sid);
    assert.equal(alice.muted, false);
    assert.equal(seen.got.error!.length, 0);
    assert.deepEqual(sentTo(), [
      ['participant-join', '/signalwire/mute-on-join'],
      ['participant-join', '/signalwire/mute-on-join'],
    ]);
  });

  it('meeting-start-mute works whoever of Bob and Carol arrives first: every event goes to this example', async () => {
    const flow = await deploy('meeting-start-mute');
    const seen = watch(flow, ['result', 'error']);
    const joined = async (count: number) => {
      while ((room('Board meeting')?.participants.length ?? 0) < count) await new Promise((r) => setTimeout(r, 10));
    };
    click(flow, 'Carol joins Board meeting');
    await joined(1);
    click(flow, 'Bob joins Board meeting');
    await joined(2);
    click(flow, 'Alice (host) joins: the meeting starts');
    await emulator.callbacks.whenDelivered(1);
    assert.deepEqual(sentTo(), [['conference-start', '/signalwire/meeting-start']]);
    await seen.until(1);
    assert.equal(seen.got.error!.length, 0);
    const muted = Object.fromEntries(room('Board meeting')!.participants.map((p) => [p.label, p.muted]));
    assert.deepEqual(muted, { Carol: true, Bob: true, Alice: false });
    await sidebar.until(1);
    assert.deepEqual(sidebar.lines(), ['The meeting started: 2 muted, 1 left alone']);
  });

  it('mute-on-join: leaves the moderator who opens the conference as is, mutes Erin when she joins', async () => {
    const flow = await deploy('mute-on-join');
    const seen = watch(flow, ['result', 'moderator: left as is', 'error']);
    click(flow, 'Alice opens Retro (moderator)');
    await seen.until(1);
    const alice = retro()!.participants.find((p) => p.label === 'Alice')!;
    assert.equal(seen.got['moderator: left as is']![0]!.payload.callSid, alice.call_sid);
    assert.equal(alice.muted, false);

    click(flow, 'Erin joins Retro');
    await seen.until(2);
    const erin = retro()!.participants.find((p) => p.label === 'Erin')!;
    assert.equal(seen.got.result![0]!.payload.call_sid, erin.call_sid);
    assert.equal(erin.muted, true);
    assert.equal(seen.got.error!.length, 0);
    // The callbacks went to this example's node, signed; the mute made through the API followed, and the filter
    // (joins only: the first participant asked for "join") kept it out of the emulator's sends.
    assert.deepEqual(
      emulator.callbacks.deliveries.map((d) => [d.event, new URL(d.url).pathname, d.outcome]),
      [
        ['participant-join', '/signalwire/mute-on-join', 204],
        ['participant-join', '/signalwire/mute-on-join', 204],
      ],
    );
  });

  it('join-leave-log: one line when Erin opens the conference, one when she leaves', async () => {
    const flow = await deploy('join-leave-log');
    const seen = watch(flow, ['who joined and left']);
    click(flow, 'Erin opens Planning');
    await seen.until(1);
    const erin = room('Planning')!.participants.find((p) => p.label === 'Erin')!;
    click(flow, 'Erin leaves Planning');
    await seen.until(2);
    assert.deepEqual(
      seen.got['who joined and left']!.map((m) => m.payload),
      [`${erin.call_sid.slice(0, 8)}… joined Planning`, `${erin.call_sid.slice(0, 8)}… left Planning`],
    );
  });

  it('meeting-start-mute: when the host joins and the meeting starts, mutes everyone but the host', async () => {
    const flow = await deploy('meeting-start-mute');
    const seen = watch(flow, ['result', 'error']);
    // One at a time, as callers arrive: the first one in sets where the conference's events go.
    const joined = async (count: number) => {
      while ((room('Board meeting')?.participants.length ?? 0) < count) await new Promise((r) => setTimeout(r, 10));
    };
    click(flow, 'Bob joins Board meeting');
    await joined(1);
    click(flow, 'Carol joins Board meeting');
    await joined(2);
    // The host last: her join starts the meeting, the only event this conference sends.
    click(flow, 'Alice (host) joins: the meeting starts');
    await seen.until(1);
    assert.equal(seen.got.error!.length, 0);
    const muted = Object.fromEntries(room('Board meeting')!.participants.map((p) => [p.label, p.muted]));
    assert.deepEqual(muted, { Bob: true, Carol: true, Alice: false });
    assert.deepEqual(
      emulator.callbacks.deliveries.map((d) => [d.event, new URL(d.url).pathname, d.outcome]),
      [['conference-start', '/signalwire/meeting-start', 204]],
    );
  });
});
