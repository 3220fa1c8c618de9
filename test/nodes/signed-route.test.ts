/**
 * The signed route as another node uses it: a small node serving the cXML a call fetches, built on
 * serveSignedRoute the way any node SignalWire calls would be. What it gets at the door is what the conference
 * events node gets.
 */
import assert from 'node:assert/strict';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { serveSignedRoute } from '../../src/nodes/signed-route';
import { helper, signalwireNodes, startRuntime, stopRuntime, withMessages } from '../support/node-red-runtime';
import { captureNodeApp, NodeHttpServer, sign, type Fields } from './events-kit';
import { Recorder, settle, statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_signed-route-key-77aa';
const CALL = 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66';

const cxml = (callSid: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello ${callSid}</Say></Response>`;

function cxmlNode(RED: NodeAPI): void {
  function CxmlNode(this: Node, def: NodeDef & { path: string }) {
    RED.nodes.createNode(this, def);
    serve(this, def.path);
  }
  function serve(node: Node, path: string) {
    const callSidOf = (fields: ReadonlyArray<readonly [string, string]>) => fields.find(([k]) => k === 'CallSid')?.[1];
    const route = serveSignedRoute(RED, node, {
      path,
      publicUrl: '',
      gate: { signingKey: KEY, verify: true },
      showIdle: () => node.status({ fill: 'green', shape: 'ring', text: 'ready' }),
      onRequest: (request, reply) => {
        const callSid = callSidOf(request.fields);
        if (!callSid)
          return reply.refuse({ code: 400, answer: 'No CallSid', reason: 'no CallSid field', label: 'no call' });
        reply.res.type('text/xml').send(cxml(callSid));
        node.send({ payload: callSid });
      },
      // A retry after a lost answer must get the same instructions, and the flow must not run again.
      answerRepeat: (request, reply) => reply.res.type('text/xml').send(cxml(callSidOf(request.fields)!)),
    });
    node.on('close', (_removed: boolean, done: () => void) => {
      route.close();
      done();
    });
  }
  RED.nodes.registerType('test-signed-cxml', CxmlNode);
}

/** A call's webhook as SignalWire sends it: the standard parameters, no Timestamp. */
const callFields = (callSid = CALL): Fields => [
  ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
  ['CallSid', callSid],
  ['CallStatus', 'ringing'],
  ['Direction', 'inbound'],
  ['From', '+15551230000'],
  ['To', '+15559870000'],
];

describe('signed route, as another node serves it', function () {
  let server: NodeHttpServer;
  const path = '/signalwire/join';

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
  });
  after(async () => {
    await server.close();
    await stopRuntime();
  });
  afterEach(() => helper.unload());

  async function deploy(extra: FlowNode[] = []): Promise<Recorder> {
    const flow: FlowNode[] = [
      { id: 'tab', type: 'tab', label: 'test' },
      { id: 'voice', type: 'test-signed-cxml', z: 'tab', path, wires: [['out']] },
      { id: 'out', type: 'helper', z: 'tab', wires: [] },
      ...extra,
    ];
    await helper.load([...signalwireNodes, withMessages('test-signed-cxml', cxmlNode), captureNodeApp], flow, {});
    return new Recorder(['out']);
  }

  async function post(fields: Fields, signed = true) {
    const url = `${server.url}${path}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(signed ? { 'X-SignalWire-Signature': sign(KEY, url, fields) } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  it('answers a signed call webhook (it carries no Timestamp) once to the flow, and a retry with the same cXML', async () => {
    const out = await deploy();
    assert.deepEqual(statusesOf('voice').at(-1), { fill: 'green', shape: 'ring', text: 'ready' });
    const first = await post(callFields());
    const retry = await post(callFields());
    for (const answer of [first, retry]) {
      assert.equal(answer.status, 200);
      assert.match(answer.type, /text\/xml/);
      assert.equal(answer.text, cxml(CALL));
    }
    await out.until(1, 'out');
    await settle();
    assert.equal(out.count('out'), 1);
  });

  it('refuses, logs and counts at the door as the conference events node does, and its own refusals too', async () => {
    const out = await deploy();
    assert.equal((await post(callFields(), false)).status, 403);
    assert.deepEqual(statusesOf('voice').at(-1), { fill: 'red', shape: 'ring', text: 'unsigned ×1' });
    const noCall = await post(callFields().filter(([k]) => k !== 'CallSid'));
    assert.deepEqual([noCall.status, noCall.text], [400, 'No CallSid']);
    assert.deepEqual(statusesOf('voice').at(-1), { fill: 'red', shape: 'ring', text: 'no call ×2' });
    const warnings = (helper.getNode('voice') as unknown as { warn: { getCalls(): Array<{ args: unknown[] }> } }).warn
      .getCalls()
      .map((c) => String(c.args[0]));
    assert.deepEqual(warnings, [
      `Refused a request to ${path} (403): not signed (no X-SignalWire-Signature or X-Twilio-Signature header)`,
      `Refused a request to ${path} (400): no CallSid field`,
    ]);
    await settle();
    assert.equal(out.count('out'), 0);
  });

  it('shares one claim on paths with the conference events node: the same path is an error on both', async () => {
    await deploy([
      { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
      { id: 'ev', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', path, wires: [[]] },
    ]);
    for (const id of ['voice', 'ev']) {
      assert.deepEqual(statusesOf(id).at(-1), { fill: 'red', shape: 'ring', text: 'path in use' }, id);
    }
    assert.equal((await post(callFields())).status, 500);
  });
});
