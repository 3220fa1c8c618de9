/**
 * The example "known callers join the team room, others hear a message", deployed as shipped on a real Node-RED
 * runtime whose node HTTP server is served here, with the environment `npm start` gives Node-RED. Its buttons have
 * the emulator (its control API) point the front door number at the example and make a call come in; the emulator
 * fetches the voice URL, signed, and runs the cXML the flow answers.
 */
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { DEMO_NUMBERS, startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { DebugSidebar } from './debug-sidebar';
import { captureNodeApp, NodeHttpServer } from './events-kit';
import { settled } from './incoming-kit';
import type { FlowNode } from './flow-kit';
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

describe('example: known callers join the team room, others hear a message', function () {
  let emulator: Emulator;
  let server: NodeHttpServer;
  let sidebar: DebugSidebar;
  let flow: FlowNode[];
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
      NODE_RED_PORT: new URL(server.url).port,
    });
  });
  after(async () => {
    restoreEnvironment();
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(async () => {
    sidebar = new DebugSidebar();
    emulator.reset();
    flow = readExample<FlowNode>('answer-known-callers');
    await helper.load([...CORE.map(coreNode), ...signalwireNodes, captureNodeApp], flow, {});
  });
  afterEach(async () => {
    sidebar.close();
    await helper.unload();
  });

  /** Clicks a button, and returns the call the emulator then ran, once it ran, and the line the sidebar shows. */
  async function press(button: string) {
    (helper.getNode(flow.find((n) => n.name === button)!.id) as Node).receive({});
    await sidebar.until(1);
    const [record] = emulator.callRecords.all();
    return { call: await settled(emulator, record!.sid), lines: sidebar.lines() };
  }

  it('Frank, a known caller, joins "Team room": the emulator ran the join, and the sidebar says so', async () => {
    const { call, lines } = await press('Frank calls (known)');
    assert.deepEqual(lines, ['+15551230006 joined Team room']);
    assert.equal(call.direction, 'inbound');
    assert.equal(call.to, DEMO_NUMBERS.frontDoor);
    assert.equal(new URL(call.url!).pathname, '/signalwire/known-callers');
    assert.equal(call.conference?.friendly_name, 'Team room');
    assert.equal(call.status, 'in-progress');
    assert.deepEqual(call.problems, []);
  });

  it('an unknown number hears the message and the call ends; it was answered, so it counts', async () => {
    const { call, lines } = await press('An unknown number calls');
    assert.deepEqual(lines, ['+15559990000 heard the message']);
    assert.deepEqual(call.heard, [
      {
        verb: 'Say',
        text: 'Hello. This number does not know you yet: please send us a message instead. Goodbye.',
      },
    ]);
    assert.equal(call.conference, null);
    assert.equal(call.status, 'completed');
    assert.notEqual(call.start_time, null);
  });
});
