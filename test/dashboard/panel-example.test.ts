/**
 * The conference panel's importable example (packages/dashboard-2/examples), deployed as shipped on a real runtime
 * with Dashboard 2's nodes, its connection from the environment, and the emulator sending "Weekly sync"'s signed
 * callbacks to the example's events node, as `npx signalwire-emulator --status-callback` does.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { NodeAPI } from 'node-red';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import type { RoomView } from '../../src/lib';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { captureNodeApp, NodeHttpServer } from '../nodes/events-kit';
import type { FlowNode } from '../nodes/flow-kit';
import { setEnvironment } from '../support/environment';
import { readExample } from '../support/example-flows';

const widgetDir = path.join(__dirname, '..', '..', 'packages', 'dashboard-2');
const dashboardDir = path.dirname(require.resolve('@flowfuse/node-red-dashboard/package.json'));
type NodeModule = (RED: NodeAPI) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (file: string) => require(file) as NodeModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const datastore = require(path.join(dashboardDir, 'nodes', 'store', 'data.js')) as {
  get(id: string): { payload: RoomView } | undefined;
};
const nodes = [
  ...['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js'].map(coreNode),
  ...['ui_base', 'ui_page', 'ui_group', 'ui_theme'].map((name) =>
    load(path.join(dashboardDir, 'nodes', 'config', `${name}.js`)),
  ),
  ...signalwireNodes,
  load(path.join(widgetDir, 'nodes', 'ui-signalwire-conference.js')),
  captureNodeApp,
];

describe('conference panel example', function () {
  let emulator: Emulator;
  let server: NodeHttpServer;
  let flow: FlowNode[];
  let restoreEnvironment: () => void;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    flow = readExample<FlowNode>('conference-panel', path.join(widgetDir, 'examples'));
    const events = flow.find((n) => n.type === 'signalwire-conference-events')!;
    emulator = await startEmulator({ statusCallback: { statusCallback: `${server.url}${String(events.path)}` } });
    restoreEnvironment = setEnvironment({
      SIGNALWIRE_SPACE: emulator.url,
      SIGNALWIRE_PROJECT_ID: emulator.projectId,
      SIGNALWIRE_TOKEN: emulator.token,
      SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
    });
  });
  after(async () => {
    restoreEnvironment();
    await helper.unload();
    await emulator.close();
    await server.close();
    await stopRuntime();
  });

  it('ships the panel wired from a verifying events node, its connection left to the environment', () => {
    const events = flow.find((n) => n.type === 'signalwire-conference-events')!;
    const panel = flow.find((n) => n.type === 'ui-signalwire-conference')!;
    assert.deepEqual(events.wires, [[panel.id]]);
    assert.equal(events.verify, true);
    const connection = flow.find((n) => n.type === 'signalwire-config')!;
    assert.equal(connection.space, '');
    assert.ok(!('credentials' in connection));
    const comment = flow.find((n) => n.type === 'comment')!.info as string;
    assert.match(comment, /real space/);
    assert.match(
      comment,
      /npx signalwire-emulator --status-callback http:\/\/127\.0\.0\.1:1880\/signalwire\/conference-panel/,
    );
  });

  it('deployed as shipped, shows "Weekly sync" and adds the row of whoever joins', async () => {
    await helper.load(nodes, flow, {});
    const panelId = flow.find((n) => n.type === 'ui-signalwire-conference')!.id;
    const view = async (check: (v: RoomView) => boolean) => {
      for (;;) {
        const current = datastore.get(panelId)?.payload;
        if (current && check(current)) return current;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await view((v) => v.people.length === 4);
    const { participant } = emulator.calls.join({
      friendlyName: 'Weekly sync',
      label: 'Erin',
      startConferenceOnEnter: false,
    });
    const after = await view((v) => v.people.some((p) => p.callSid === participant.call_sid));
    assert.equal(after.conferenceSid, DEMO_SIDS.weeklySync);
    const errors = helper
      .log()
      .getCalls()
      .filter((call) => (call.args[0] as { level?: number }).level === 20);
    assert.deepEqual(errors, [], 'no node reported an error (the names inject included)');
  });
});
