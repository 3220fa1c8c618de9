/**
 * "The conference events node this call reports to", resolved into the URL SignalWire must call, as a node that
 * places calls resolves it: a small node here asks on each message and sends the answer on. The URL is then the
 * one the events node itself checks signatures against: a callback signed for it is accepted over real HTTP.
 */
import assert from 'node:assert/strict';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { resolveEventsTarget } from '../../src/nodes/events-target';
import { DEMO_SIDS } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime, withMessages } from '../support/node-red-runtime';
import { captureNodeApp, joinFields, NodeHttpServer, postForm } from './events-kit';
import { input, Recorder, statusesOf, type FlowNode, type Msg } from './flow-kit';

const KEY = 'PSK_events-target-key-51c0';
const BASE = 'https://home.example.com';

function askingNode(RED: NodeAPI): void {
  function AskingNode(this: Node, def: NodeDef & { events?: string }) {
    RED.nodes.createNode(this, def);
    this.on('input', (msg: Msg, send, done) => {
      send({ ...msg, payload: resolveEventsTarget(RED, def.events ?? '') });
      done();
    });
  }
  RED.nodes.registerType('test-events-target', AskingNode);
}

const events = (id: string, extra: Record<string, unknown> = {}): FlowNode => ({
  id,
  type: 'signalwire-conference-events',
  z: 'tab',
  signalwire: 'cfg',
  wires: [['heard']],
  ...extra,
});

describe('the conference events node a call reports to', function () {
  let server: NodeHttpServer;
  const saved = process.env.SIGNALWIRE_PUBLIC_URL;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    delete process.env.SIGNALWIRE_PUBLIC_URL;
  });
  after(async () => {
    await server.close();
    await stopRuntime();
    if (saved !== undefined) process.env.SIGNALWIRE_PUBLIC_URL = saved;
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    delete process.env.SIGNALWIRE_PUBLIC_URL;
  });

  async function ask(
    nodes: FlowNode[],
    options: { events?: string; publicUrl?: string; extra?: FlowNode[] } = {},
  ): Promise<Record<string, unknown>> {
    const flow: FlowNode[] = [
      { id: 'tab', type: 'tab', label: 'test' },
      { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9', publicUrl: options.publicUrl ?? BASE },
      { id: 'asker', type: 'test-events-target', z: 'tab', events: options.events ?? '', wires: [['answer']] },
      { id: 'answer', type: 'helper', z: 'tab', wires: [] },
      { id: 'heard', type: 'helper', z: 'tab', wires: [] },
      ...nodes,
      ...(options.extra ?? []),
    ];
    await helper.load([...signalwireNodes, withMessages('test-events-target', askingNode), captureNodeApp], flow, {
      cfg: { signingKey: KEY },
    });
    const out = new Recorder(['answer']);
    input('asker', {});
    await out.until(1, 'answer');
    return out.got.answer![0]!.payload as Record<string, unknown>;
  }

  it("defaults to the only events node: the connection's Public URL with the node's path", async () => {
    const answer = await ask([events('ev', { path: '/hooks/room' })]);
    assert.deepEqual(answer, { ok: true, nodeId: 'ev', url: `${BASE}/hooks/room` });
  });

  it("puts httpNodeRoot between the Public URL and the path, and lets the node's own Public URL override both", async () => {
    helper.settings({ httpNodeRoot: '/red/' });
    const rooted = await ask([events('ev')]);
    assert.equal(rooted.url, `${BASE}/red/signalwire/conference-events`);
    await helper.unload();
    const own = 'https://tunnel.example.net/custom/events';
    assert.equal((await ask([events('ev', { publicUrl: own })])).url, own);
  });

  it('takes SIGNALWIRE_PUBLIC_URL when the connection has no Public URL', async () => {
    process.env.SIGNALWIRE_PUBLIC_URL = 'https://from-env.example.org/';
    const answer = await ask([events('ev')], { publicUrl: '' });
    assert.equal(answer.url, 'https://from-env.example.org/signalwire/conference-events');
  });

  it('says clearly when there is none, more than one, or no Public URL to give', async () => {
    const none = await ask([]);
    assert.equal(none.ok, false);
    assert.equal(none.status, 'no events node');
    assert.match(String(none.message), /No conference events node is deployed/);
    await helper.unload();

    const two = await ask([events('ev', { name: 'front door' }), events('ev2', { path: '/other' })]);
    assert.equal(two.status, 'which events node?');
    assert.match(String(two.message), /2 conference events nodes are deployed \("front door", \/other\)/);
    await helper.unload();

    const chosen = await ask([events('ev'), events('ev2', { path: '/other' })], { events: 'ev2' });
    assert.deepEqual(chosen, { ok: true, nodeId: 'ev2', url: `${BASE}/other` });
    await helper.unload();

    const unreachable = await ask([events('ev')], { publicUrl: '' });
    assert.equal(unreachable.status, 'no Public URL');
    assert.match(String(unreachable.message), /set Public URL on its SignalWire connection/);
  });

  it('counts neither a disabled events node nor one on a disabled tab; a chosen one gone is named', async () => {
    const answer = await ask([events('ev'), events('off', { d: true, path: '/off' }), events('away', { z: 'tab2' })], {
      extra: [{ id: 'tab2', type: 'tab', label: 'off', disabled: true }],
    });
    assert.equal(answer.nodeId, 'ev');
    await helper.unload();
    const gone = await ask([events('ev')], { events: 'deleted-node' });
    assert.equal(gone.status, 'events node gone');
    assert.match(String(gone.message), /deleted-node/);
  });

  it('refuses an events node whose own settings cannot work', async () => {
    const answer = await ask([events('ev', { path: '/a/:id' })]);
    assert.equal(answer.status, 'check events node');
  });

  it('gives the URL the events node checks signatures against: a callback signed for it is accepted', async () => {
    // Behind a tunnel: SignalWire signs the public URL, the request reaches Node-RED at its local address.
    const answer = await ask([events('ev')]);
    const local = `${server.url}/signalwire/conference-events`;
    const fields = joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin);
    assert.equal((await postForm(local, fields, { key: KEY, signedUrl: String(answer.url) })).status, 204);
    // Signed for the local address it is a request SignalWire never made.
    assert.equal((await postForm(local, fields, { key: KEY })).status, 403);
    assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: 'bad signature ×1' });
  });
});
