import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Node } from 'node-red';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { captureNodeApp, NodeHttpServer } from './events-kit';
import type { FlowNode, Msg } from './flow-kit';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const CORE = ['common/21-debug.js', 'common/90-comment.js', 'function/10-switch.js', 'function/15-change.js'];
const SETTINGS = ['SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_TOKEN', 'SIGNALWIRE_SIGNING_KEY'];

function readExample(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as FlowNode[];
}

/**
 * The event examples, deployed as shipped (only the emulator's port changes) on a real Node-RED runtime whose
 * node HTTP server is served here; the emulator sends its signed callbacks to it, as SignalWire would.
 */
describe('conference event examples', function () {
  let emulator: Emulator;
  let server: NodeHttpServer;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator();
    for (const name of SETTINGS) saved[name] = process.env[name];
    // The examples leave every credential to the environment, the signing key too.
    process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
    process.env.SIGNALWIRE_TOKEN = emulator.token;
    process.env.SIGNALWIRE_SIGNING_KEY = emulator.signingKey;
  });
  after(async () => {
    for (const name of SETTINGS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(() => emulator.reset());
  afterEach(() => helper.unload());

  /** Deploys the example and points the emulator's callbacks at its events node. */
  async function deploy(name: string): Promise<FlowNode[]> {
    const flow = readExample(name).map((node) => {
      if (node.type !== 'signalwire-config') return node;
      assert.equal(node.space, 'http://127.0.0.1:8080');
      assert.ok(!('credentials' in node));
      return { ...node, space: emulator.url };
    });
    await helper.load([...CORE.map(coreNode), ...signalwireNodes, captureNodeApp], flow, {});
    const events = flow.find((n) => n.type === 'signalwire-conference-events')!;
    emulator.callbacks.setDefaultTarget({ statusCallback: `${server.url}${events.path as string}` });
    return flow;
  }

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

  it('mute-on-join: mutes Erin when she joins, leaves a moderator as is', async () => {
    const flow = await deploy('mute-on-join');
    const seen = watch(flow, ['muted', 'moderator: left as is', 'error']);
    const erin = emulator.calls.join({ friendlyName: 'Weekly sync', label: 'Erin', startConferenceOnEnter: false });
    await seen.until(1);
    assert.equal(seen.got.muted![0]!.payload.call_sid, erin.participant.call_sid);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, erin.participant.call_sid)!.muted, true);

    const host = emulator.calls.join({ friendlyName: 'Weekly sync', label: 'Frank', startConferenceOnEnter: true });
    await seen.until(2);
    assert.equal(seen.got['moderator: left as is']![0]!.payload.callSid, host.participant.call_sid);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, host.participant.call_sid)!.muted, false);
    assert.equal(seen.got.error!.length, 0);
    // The mute went through the API: the emulator's own participant-mute followed, and was not acted on.
    await emulator.callbacks.whenDelivered(3);
    assert.deepEqual(
      emulator.callbacks.deliveries.map((d) => [d.event, d.outcome]),
      [
        ['participant-join', 204],
        ['participant-mute', 204],
        ['participant-join', 204],
      ],
    );
  });

  it('join-leave-log: one line per join and leave', async () => {
    const flow = await deploy('join-leave-log');
    const seen = watch(flow, ['who joined and left']);
    const erin = emulator.calls.join({ friendlyName: 'Weekly sync', label: 'Erin' });
    emulator.calls.leave(DEMO_SIDS.weeklySync, erin.participant.call_sid);
    await seen.until(2);
    assert.deepEqual(
      seen.got['who joined and left']!.map((m) => m.payload),
      [`${erin.participant.call_sid} joined Weekly sync`, `${erin.participant.call_sid} left Weekly sync`],
    );
  });
});
