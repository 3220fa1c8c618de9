/**
 * The conference panel's node on a real Node-RED runtime with Dashboard 2's own base, page and group nodes, against
 * the emulator: what it registers with Dashboard, what it keeps in Dashboard's data store (what every browser
 * gets), what its input does, and what a press sends on its output. The browser side is test/e2e/dashboard.e2e.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import type { RoomView } from '../../src/lib';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { Recorder, statusesOf, type Msg } from '../nodes/flow-kit';
import { RejectionWatch } from '../load/load-flow';

const { weeklySync, alice, bob, carol, dave } = DEMO_SIDS;
const TOKEN_IN_TEST = 'PT-panel-test-token-9f8e7d';
const dashboardDir = path.dirname(require.resolve('@flowfuse/node-red-dashboard/package.json'));
const widgetDir = path.join(__dirname, '..', '..', 'packages', 'dashboard-2');

type NodeModule = (RED: NodeAPI) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (file: string) => require(file) as NodeModule;
const dashboardNodes = ['ui_base', 'ui_page', 'ui_group', 'ui_theme'].map((name) =>
  load(path.join(dashboardDir, 'nodes', 'config', `${name}.js`)),
);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const datastore = require(path.join(dashboardDir, 'nodes', 'store', 'data.js')) as { get(id: string): Msg | undefined };

/** The runtime's i18n, so the panel's words come from its catalog as Node-RED would give them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const i18n = require(require.resolve('@node-red/util', { paths: [path.dirname(require.resolve('node-red'))] })).i18n;
const NAMESPACE = '@callflows/node-red-dashboard-2-signalwire/ui-signalwire-conference';
const catalog = i18n.registerMessageCatalog(
  NAMESPACE,
  path.join(widgetDir, 'nodes', 'locales'),
  'ui-signalwire-conference.json',
) as Promise<void>;
const panelModule: NodeModule = (RED) => {
  const translate = (key: string, values?: object) => i18n._(key.includes(':') ? key : `${NAMESPACE}:${key}`, values);
  load(path.join(widgetDir, 'nodes', 'ui-signalwire-conference.js'))(
    Object.create(RED, { _: { value: translate } }) as NodeAPI,
  );
};

const dashboard = [
  { id: 'base', type: 'ui-base', name: 'Test', path: '/dashboard', includeClientData: true, acceptsClientConfig: [] },
  { id: 'theme', type: 'ui-theme', name: 'Default', colors: {} },
  { id: 'page', type: 'ui-page', name: 'Room', ui: 'base', path: '/room', layout: 'grid', theme: 'theme', order: 1 },
  { id: 'group', type: 'ui-group', name: 'Room', page: 'page', width: '12', height: '1', order: 1 },
];

function flow(emulator: Emulator, panel: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    ...dashboard,
    { id: 'cfg', type: 'signalwire-config', space: emulator.url, retries: 0 },
    {
      id: 'panel',
      type: 'ui-signalwire-conference',
      z: 'tab',
      group: 'group',
      signalwire: 'cfg',
      room: 'Weekly sync',
      refresh: 0,
      wires: [['out']],
      ...panel,
    },
    { id: 'out', type: 'helper', z: 'tab', wires: [] },
    { id: 'catch-panel', type: 'catch', z: 'tab', scope: ['panel'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab', wires: [] },
    { id: 'complete-panel', type: 'complete', z: 'tab', scope: ['panel'], uncaught: false, wires: [['completed']] },
    { id: 'completed', type: 'helper', z: 'tab', wires: [] },
  ];
}

/** The room view Dashboard's data store holds for the panel: what a browser gets when it loads. */
const stored = () => datastore.get('panel')?.payload as RoomView | undefined;

/** Waits, without a clock, until the stored view satisfies `check`; node tests settle within the runtime's turns. */
async function storedWhen(check: (view: RoomView) => boolean): Promise<RoomView> {
  for (;;) {
    const view = stored();
    if (view && check(view)) return view;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

interface WidgetHooks {
  beforeSend(msg: NodeMessage): Promise<NodeMessage | null>;
  onAction: boolean;
}
const hooks = () =>
  (
    helper.getNode('base') as Node & {
      ui: { widgets: Map<string, { hooks: WidgetHooks; props: Record<string, unknown> }> };
    }
  ).ui.widgets.get('panel')!;

/** What Dashboard does with a browser's `widget-action`: beforeSend, then send what it returns. */
async function pressFromBrowser(payload: Record<string, unknown>): Promise<NodeMessage | null> {
  return hooks().hooks.beforeSend({ payload, _event: { type: 'signalwire-press' } } as NodeMessage);
}

describe('conference panel node (with Dashboard 2)', function () {
  let emulator: Emulator;
  let recorder: Recorder;

  before(async () => {
    await catalog;
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  // A server per test, as Dashboard's own tests do: its base node adds listeners to the server it runs on.
  beforeEach(() => startRuntime());
  afterEach(async () => {
    await helper.unload();
    await stopRuntime();
  });
  async function deploy(panel: Record<string, unknown> = {}, token = emulator.token) {
    emulator.reset();
    const core = ['common/25-catch.js', 'common/24-complete.js'].map(coreNode);
    await helper.load([...core, ...dashboardNodes, ...signalwireNodes, panelModule], flow(emulator, panel), {
      cfg: { projectId: emulator.projectId, token },
    });
    recorder = new Recorder(['out', 'caught', 'completed']);
  }

  it("registers as a Dashboard widget of its group, with its words in the editor's language", async () => {
    await deploy();
    const widget = hooks();
    assert.equal(widget.hooks.onAction, true);
    const words = widget.props.words as Record<string, unknown>;
    assert.equal(words.muteLabel, 'Mute __name__');
    assert.deepEqual((words.status as Record<string, string>)['not-found'], 'No meeting in progress');
  });

  it('starts from the participants list: the data store holds the room for every browser', async () => {
    await deploy();
    const view = await storedWhen((v) => v.people.length === 4);
    assert.equal(view.name, 'Weekly sync');
    assert.equal(view.status, 'in-progress');
    assert.deepEqual(
      view.people.map((p) => p.callSid),
      [alice, bob, carol, dave],
    );
    assert.equal(view.people.find((p) => p.callSid === dave)?.muted, true);
  });

  it('applies a conference event from its input and ends the message', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    const event = { event: 'participant-mute', conferenceSid: weeklySync, callSid: bob, muted: true, params: {} };
    (helper.getNode('panel') as Node).receive({ topic: 'participant-mute', payload: event } as NodeMessage);
    await recorder.until(1, 'completed');
    assert.equal((await storedWhen((v) => v.people.some((p) => p.callSid === bob && p.muted))).people.length, 4);
    assert.equal(recorder.count('caught', 'out'), 0);
  });

  it("ends a call's own progress from the same events node quietly, changing nobody", async () => {
    await deploy();
    const before = await storedWhen((v) => v.people.length === 4);
    const ringing = { event: 'call-ringing', callSid: bob, callStatus: 'ringing', to: '+15551230006', params: {} };
    (helper.getNode('panel') as Node).receive({ topic: 'call-ringing', callSid: bob, payload: ringing } as NodeMessage);
    await recorder.until(1, 'completed');
    assert.equal(recorder.count('caught', 'out'), 0);
    assert.deepEqual(stored()?.people, before.people);
  });

  it('names people from msg.labels, and switches the room from msg.room', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    (helper.getNode('panel') as Node).receive({ labels: { [bob]: 'Bob' } } as NodeMessage);
    await storedWhen((v) => v.people.some((p) => p.name === 'Bob'));
    emulator.addConference({ friendlyName: 'Quiet room', participants: [] });
    (helper.getNode('panel') as Node).receive({ room: 'Quiet room' } as NodeMessage);
    const view = await storedWhen((v) => v.name === 'Quiet room' && v.status === 'in-progress');
    assert.deepEqual(view.people, []);
    await recorder.until(2, 'completed');
  });

  it('switches to one conference by msg.conferenceSid', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    const other = emulator.addConference({ friendlyName: 'Side room', participants: [{ label: 'Zoe' }] });
    (helper.getNode('panel') as Node).receive({ conferenceSid: other.sid } as NodeMessage);
    const view = await storedWhen((v) => v.conferenceSid === other.sid && v.people.length === 1);
    assert.equal(view.name, 'Side room');
  });

  it('a Room in the form that is no conference name: a log line, a red status, and msg.room still works', async () => {
    await deploy({ room: 'R'.repeat(65) });
    const panel = helper.getNode('panel') as Node & { error: { getCalls(): Array<{ args: unknown[] }> } };
    assert.ok(panel, 'the node is created');
    assert.deepEqual(
      panel.error.getCalls().map((call) => String(call.args[0])),
      ['the room must be a conference name (1 to 64 characters) or a conference SID'],
    );
    assert.deepEqual(statusesOf('panel').at(-1), { fill: 'red', shape: 'ring', text: 'check settings' });
    (panel as Node).receive({ room: 'Weekly sync' } as NodeMessage);
    await storedWhen((v) => v.name === 'Weekly sync' && v.people.length === 4);
  });

  it('reads the list again every "Re-read every" seconds, catching what no event told', async () => {
    await deploy({ refresh: 1 });
    await storedWhen((v) => v.people.length === 4);
    emulator.addParticipant(weeklySync, { label: 'Erin' });
    await storedWhen((v) => v.people.length === 5);
  });

  it('a press from a browser runs through the client, and its message carries the press and its result', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    const out = (await pressFromBrowser({ action: 'mute', callSid: bob })) as Msg;
    assert.equal(emulator.getParticipant(weeklySync, bob)?.muted, true);
    assert.equal(out.topic, 'mute');
    assert.equal(out.callSid, bob);
    assert.equal(out.conferenceSid, weeklySync);
    assert.deepEqual([out.payload.ok, out.payload.result.muted], [true, true]);
    assert.equal(out._event, undefined, 'sent back in, it is not pressed again');
    assert.equal((await storedWhen((v) => v.notice !== undefined)).notice?.text, 'Caller 8e2a1d3f: muted');
  });

  it('a press that fails says why on the panel and in msg.error; the emulator is unchanged', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    emulator.setConferenceStatus(weeklySync, 'completed');
    const out = (await pressFromBrowser({ action: 'hold', callSid: carol })) as Msg;
    assert.equal(out.payload.ok, false);
    assert.equal(out.error.status, 422);
    assert.equal(emulator.getParticipant(weeklySync, carol)?.hold, false);
    const notice = (await storedWhen((v) => v.notice?.kind === 'error')).notice!;
    assert.match(notice.text, /^Could not put Caller 9f3b2e4a on hold: Conference .* has completed.*\(HTTP 422\)$/);
  });

  it('a refresh press from a browser re-reads the list and sends nothing', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    emulator.addParticipant(weeklySync, { label: 'Erin' });
    assert.equal(await pressFromBrowser({ action: 'refresh' }), null);
    await storedWhen((v) => v.people.length === 5);
  });

  it('bad input ends with an error Catch nodes see, and changes nothing', async () => {
    await deploy();
    const before = await storedWhen((v) => v.people.length === 4);
    const panel = helper.getNode('panel') as Node;
    panel.receive({ payload: 'hello' } as NodeMessage);
    panel.receive({ labels: 'Bob' } as unknown as NodeMessage);
    panel.receive({ room: 42 } as unknown as NodeMessage);
    panel.receive({ conferenceSid: 'not-a-sid' } as unknown as NodeMessage);
    await recorder.until(4, 'caught');
    assert.deepEqual(
      recorder.got.caught!.map((m) => m.error.message),
      [
        'Error: Nothing to do: send a conference event (from the conference events node), msg.room, msg.conferenceSid, msg.labels or msg.refresh.',
        'SignalWireError: labels must be an object of names by number or call SID (got "Bob")',
        'Error: msg.room must be a conference name (got 42).',
        'SignalWireError: conferenceSid must be a conference SID, a UUID (got "not-a-sid")',
      ],
    );
    assert.deepEqual(stored()?.people, before.people);
  });

  it('a message naming people and a room that is no room: an error, and nobody is renamed', async () => {
    await deploy();
    const before = await storedWhen((v) => v.people.length === 4);
    const panel = helper.getNode('panel') as Node;
    panel.receive({ labels: { [bob]: 'Bob' }, conferenceSid: 'not-a-sid' } as unknown as NodeMessage);
    panel.receive({ labels: { [carol]: 'Carol' }, room: ' ' } as unknown as NodeMessage);
    await recorder.until(2, 'caught');
    assert.equal(recorder.count('completed'), 0);
    assert.deepEqual(stored()?.people, before.people);
  });

  it('every message gets exactly one outcome, whatever labels it carries', async () => {
    await deploy();
    await storedWhen((v) => v.people.length === 4);
    const panel = helper.getNode('panel') as Node;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (labels) => {
        sent += 1;
        panel.receive({ labels } as NodeMessage);
        await recorder.until(sent, 'caught', 'completed');
      }),
      { numRuns: 60 },
    );
    assert.equal(recorder.count('caught', 'completed'), sent);
  });

  it('starts on any settings a flow file may hold, or says which is wrong; a message then gets one outcome', async () => {
    const rejections = new RejectionWatch();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom('Weekly sync', weeklySync, '', '   ', 'R'.repeat(65), undefined, null),
            fc.string({ maxLength: 70 }),
            fc.integer(),
            fc.object({ maxDepth: 1 }),
          ),
          fc.constantFrom(0, 1, '5', ' 10 ', -1, 'soon', 1e9, 2.5, null, undefined, '', {}),
          fc.constantFrom(undefined, '', 'https://media.example.com/hold.mp3', 'ftp://x/y', 'not a url', 5),
          fc.constantFrom('cfg', '', 'nobody'),
          async (room, refresh, holdUrl, signalwire) => {
            try {
              await deploy({ room, refresh, holdUrl, signalwire }, TOKEN_IN_TEST);
              const panel = helper.getNode('panel') as Node & { error: { getCalls(): Array<{ args: unknown[] }> } };
              assert.ok(panel, 'the node is created');
              assert.ok(statusesOf('panel').length > 0, 'its status says how it stands');
              const said = JSON.stringify([panel.error.getCalls().map((c) => String(c.args[0])), statusesOf('panel')]);
              assert.equal(said.includes(TOKEN_IN_TEST), false);
              panel.receive({ room: 'Weekly sync' } as NodeMessage);
              await recorder.until(1, 'caught', 'completed');
              await new Promise((resolve) => setImmediate(resolve));
              assert.equal(recorder.count('caught', 'completed'), 1);
            } finally {
              await helper.unload();
            }
          },
        ),
        { numRuns: 40 },
      );
      assert.deepEqual(rejections.seen, []);
    } finally {
      rejections.stop();
    }
  });

  it('never shows the token: not in the stored view, its status or a press, when SignalWire refuses it', async () => {
    await deploy({}, TOKEN_IN_TEST);
    const view = await storedWhen((v) => v.problem !== undefined);
    assert.match(view.problem!, /^Could not read the room: .*\(HTTP 401\)$/);
    const out = await pressFromBrowser({ action: 'end' });
    const shown = JSON.stringify([view, out, datastore.get('panel')]);
    assert.equal(shown.includes(TOKEN_IN_TEST), false);
  });
});
