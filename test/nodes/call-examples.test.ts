/**
 * The calling examples, deployed as shipped on a real Node-RED runtime whose node HTTP server is served here, with
 * the environment `npm start` gives Node-RED (the emulator as the space, its number as SIGNALWIRE_FROM_NUMBER,
 * this Node-RED as SIGNALWIRE_PUBLIC_URL), and pressed: the emulator rings, fetches the join from the example's
 * Node-RED, signed, and reports back to the example's own conference events node.
 */
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { DEMO_NUMBERS, startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { FRANK, GRACE } from './call-kit';
import { DebugSidebar } from './debug-sidebar';
import { captureNodeApp, NodeHttpServer } from './events-kit';
import type { FlowNode } from './flow-kit';
import { setEnvironment } from '../support/environment';
import { readExample } from '../support/example-flows';

const CORE = [
  'common/20-inject.js',
  'common/21-debug.js',
  'common/90-comment.js',
  'function/15-change.js',
  'sequence/17-split.js',
];

describe('calling examples', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let server: NodeHttpServer;
  let sidebar: DebugSidebar;
  let restoreEnvironment: () => void;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator();
    restoreEnvironment = setEnvironment({
      SIGNALWIRE_SPACE: emulator.url,
      SIGNALWIRE_PROJECT_ID: emulator.projectId,
      SIGNALWIRE_TOKEN: emulator.token,
      SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
      SIGNALWIRE_FROM_NUMBER: DEMO_NUMBERS.office,
      SIGNALWIRE_PUBLIC_URL: server.url,
    });
  });
  after(async () => {
    restoreEnvironment();
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(() => {
    sidebar = new DebugSidebar();
    emulator.reset();
  });
  afterEach(async () => {
    sidebar.close();
    await helper.unload();
  });

  async function deploy(name: string): Promise<FlowNode[]> {
    const flow = readExample<FlowNode>(name);
    await helper.load([...CORE.map(coreNode), ...signalwireNodes, captureNodeApp], flow, {});
    return flow;
  }

  function press(flow: FlowNode[], name: string): void {
    (helper.getNode(flow.find((n) => n.name === name && n.type === 'inject')!.id) as Node).receive({});
  }

  const calls = () => emulator.callRecords.all().map((r) => emulator.callRecords.emulatedView(r));

  it('doorbell: rings both phones into "Front door"; says who answered and who did not', async () => {
    emulator.numbers.set(GRACE, { answer: 'busy', afterMs: 10 });
    const flow = await deploy('doorbell');
    press(flow, 'Ding dong');
    await sidebar.until(3);
    assert.deepEqual(sidebar.lines().sort(), [`${FRANK} answered`, `${GRACE} is busy`, 'Someone is in Front door']);
    const placed = calls();
    assert.deepEqual(
      placed.map((c) => [c.to, c.timeout]),
      [
        [FRANK, 20],
        [GRACE, 20],
      ],
    );
    // Frank is in the room, beeped in, once; Grace's call ended busy.
    const frank = placed.find((c) => c.to === FRANK)!;
    assert.equal(frank.conference?.friendly_name, 'Front door');
    assert.equal(frank.conference?.attributes.beep, 'onEnter');
    assert.equal(frank.status_callback, `${server.url}/signalwire/doorbell`);
    const room = emulator.getConference(frank.conference!.sid)!;
    assert.deepEqual(
      room.participants.map((p) => p.call_sid),
      [frank.sid],
    );
    assert.equal(placed.find((c) => c.to === GRACE)!.status, 'busy');
  });

  it('call-me-at-ten: fires every Monday at ten, and its button calls now, into Weekly sync', async () => {
    const flow = await deploy('call-me-at-ten');
    const inject = flow.find((n) => n.type === 'inject')!;
    assert.deepEqual([inject.crontab, inject.repeat, inject.once], ['00 10 * * 1', '', false]);
    press(flow, 'at ten');
    await sidebar.until(2);
    assert.deepEqual(sidebar.lines(), ['Weekly sync call: ringing', 'Weekly sync call: answered, you are in']);
    const [call] = calls();
    assert.equal(call!.to, FRANK);
    assert.equal(call!.timeout, 45);
    // The seeded "Weekly sync" is live: Frank joins it, with the people already there.
    while (!emulator.callRecords.emulatedView(emulator.callRecords.get(call!.sid)!).conference) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const room = emulator.snapshot().find((c) => c.friendly_name === 'Weekly sync' && c.status === 'in-progress')!;
    assert.ok(room.participants.some((p) => p.call_sid === call!.sid));
    assert.ok(room.participants.length > 1);
  });

  it('says in each calling example how it runs under npm start, the emulator, and a real space, and what a call costs', () => {
    for (const name of ['doorbell', 'call-me-at-ten']) {
      const comment = readExample<FlowNode>(name).find((n) => n.type === 'comment')!.info as string;
      assert.match(comment, /SIGNALWIRE_PUBLIC_URL/, name);
      assert.match(comment, /SIGNALWIRE_FROM_NUMBER/, name);
      assert.match(comment, /billed by SignalWire/, name);
    }
  });
});
