/**
 * The join route (`/signalwire/join`) as SignalWire and as a forger reach it, over real HTTP: only a request signed
 * with a Signing Key of the connections in use, for the Public URL SignalWire was given, gets cXML; a repeat gets
 * the same cXML; everything else gets none.
 */
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { callFlow, deployCalls, FRANK, said } from './call-kit';
import { captureNodeApp, NodeHttpServer, sign, type Fields } from './events-kit';
import { input, statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_join-route-key-1a2b';
const OTHER_KEY = 'PSK_other-project-key-3c4d';
const CALL = 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66';

/** The cXML fetch as SignalWire makes it: the standard request parameters, no Timestamp. */
const fetchFields = (callSid = CALL): Fields => [
  ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
  ['ApiVersion', '2010-04-01'],
  ['CallSid', callSid],
  ['CallStatus', 'in-progress'],
  ['Direction', 'outbound-api'],
  ['From', '+15550100100'],
  ['To', FRANK],
];

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function post(
  url: string,
  fields: Fields,
  options: { key?: string; signedUrl?: string; signedFields?: Fields } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (options.key) {
    headers['X-SignalWire-Signature'] = sign(options.key, options.signedUrl ?? url, options.signedFields ?? fields);
  }
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('the join route', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let server: NodeHttpServer;
  let route: string;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator({ signingKey: KEY });
    route = `${server.url}/signalwire/join`;
  });
  after(async () => {
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(() => emulator.reset());
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  const joinAt = (query: Record<string, string>) => `${route}?${new URLSearchParams(query)}`;

  it('answers a signed request with the cXML that dials the room its URL names, every value escaped', async () => {
    await deployCalls(emulator, server.url);
    const url = joinAt({ room: 'Tom & Jerry\'s "room"', muted: 'true', beep: 'onEnter', waitUrl: '' });
    const answer = await post(url, fetchFields(), { key: KEY });
    assert.equal(answer.status, 200);
    assert.match(answer.type, /^text\/xml/);
    const conference = new DOMParser().parseFromString(answer.text, 'text/xml').getElementsByTagName('Conference')[0]!;
    assert.equal(conference.textContent, 'Tom & Jerry\'s "room"');
    assert.deepEqual(
      ['muted', 'beep', 'waitUrl', 'statusCallback'].map((name) => conference.getAttribute(name)),
      ['true', 'onEnter', '', null],
    );
  });

  it('gives no cXML without a valid signature: unsigned, forged, another key, a changed query, another address', async () => {
    const out = await deployCalls(emulator, server.url);
    const url = joinAt({ room: 'Front door' });
    const cases: Array<[string, () => Promise<Answer>, string]> = [
      ['unsigned', () => post(url, fetchFields()), 'unsigned'],
      ['another key', () => post(url, fetchFields(), { key: OTHER_KEY }), 'bad signature'],
      // Signed for one room, asking for another: a forger cannot choose the room.
      [
        'changed query',
        () => post(joinAt({ room: 'Board room' }), fetchFields(), { key: KEY, signedUrl: url }),
        'bad signature',
      ],
      [
        'another address',
        () => post(url, fetchFields(), { key: KEY, signedUrl: url.replace('127.0.0.1', 'evil.example') }),
        'bad signature',
      ],
      [
        'changed field',
        () => post(url, fetchFields(CALL.replace('c', 'd')), { key: KEY, signedFields: fetchFields() }),
        'bad signature',
      ],
    ];
    for (const [index, [name, send, label]] of cases.entries()) {
      const answer = await send();
      assert.equal(answer.status, 403, name);
      assert.doesNotMatch(answer.text, /<Response|Conference/, name);
      // Shown where the calls are placed: a wrong key or Public URL is found there.
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: `${label} ×${index + 1}` }, name);
    }
    // Logged once per reason with the path (and never the key), not passed to any output.
    const warnings = said('n1', 'warn');
    assert.deepEqual(
      warnings.map((w) =>
        /^Refused a request to \/signalwire\/join \(403\): (not signed|the signature does not match)/.test(w),
      ),
      [true, true],
    );
    assert.ok(!warnings.join().includes(KEY));
    assert.equal(out.count('ok', 'bad', 'events'), 0);
  });

  it('answers a repeat (a retry after a lost answer) with the same cXML', async () => {
    await deployCalls(emulator, server.url);
    const url = joinAt({ room: 'Front door', endConferenceOnExit: 'true' });
    const first = await post(url, fetchFields(), { key: KEY });
    const again = await post(url, fetchFields(), { key: KEY });
    assert.equal(first.status, 200);
    assert.deepEqual(again, first);
  });

  it('refuses a signed query it did not write: 400 and no cXML', async () => {
    await deployCalls(emulator, server.url);
    for (const query of ['room=', 'room=a&room=b', 'room=a&dial=%2B15550000000', 'room=a&muted=maybe', 'muted=true']) {
      const url = `${route}?${query}`;
      const answer = await post(url, fetchFields(), { key: KEY });
      assert.equal(answer.status, 400, query);
      assert.doesNotMatch(answer.text, /<Response/, query);
    }
    assert.equal(statusesOf('n1').at(-1)?.text, 'not a join ×5');
  });

  it('is served while a call node is deployed, and is gone with the last one', async () => {
    const second: FlowNode = {
      id: 'n2',
      type: 'signalwire-call',
      z: 'tab',
      signalwire: 'cfg',
      from: '+15550100100',
      fromType: 'str',
      wires: [[], []],
    };
    const flow = callFlow(emulator, server.url, { extra: [second] });
    const credentials = { cfg: { projectId: emulator.projectId, token: emulator.token, signingKey: KEY } };
    await helper.load([...signalwireNodes, captureNodeApp], flow, credentials);
    const url = joinAt({ room: 'Front door' });
    assert.equal((await post(url, fetchFields(), { key: KEY })).status, 200);
    // A refusal shows under every node that places calls through the route.
    assert.equal((await post(url, fetchFields())).status, 403);
    for (const id of ['n1', 'n2']) {
      assert.deepEqual(statusesOf(id).at(-1), { fill: 'red', shape: 'ring', text: 'unsigned ×1' }, id);
    }
    // The first node goes: the second still needs the route.
    await helper.setFlows(
      flow.filter((n) => n.id !== 'n1'),
      'nodes',
    );
    assert.equal((await post(url, fetchFields('a0000000-0000-4000-8000-000000000001'), { key: KEY })).status, 200);
    // A node that only hangs up needs no route.
    await helper.setFlows(
      flow.map((n) => (n.id === 'n2' ? { ...n, action: 'hangup' } : n)).filter((n) => n.id !== 'n1'),
      'nodes',
    );
    assert.equal((await post(url, fetchFields(), { key: KEY })).status, 404);
  });

  it('checks with the Signing Key of every connection call nodes use', async () => {
    const flow: FlowNode[] = [
      ...callFlow(emulator, server.url, { events: null, node: { events: 'none' } }),
      { id: 'cfg2', type: 'signalwire-config', space: emulator.url, publicUrl: server.url },
      {
        id: 'n2',
        type: 'signalwire-call',
        z: 'tab',
        signalwire: 'cfg2',
        events: 'none',
        wires: [[], []],
      },
    ];
    await helper.load([...signalwireNodes, captureNodeApp], flow, {
      cfg: { projectId: emulator.projectId, token: emulator.token, signingKey: KEY },
      cfg2: { projectId: emulator.projectId, token: emulator.token, signingKey: OTHER_KEY },
    });
    const url = joinAt({ room: 'Front door' });
    assert.equal((await post(url, fetchFields(), { key: KEY })).status, 200);
    assert.equal((await post(url, fetchFields(), { key: OTHER_KEY })).status, 200);
    assert.equal((await post(url, fetchFields(), { key: 'PSK_nobody' })).status, 403);
  });

  it('refuses to place calls from a node whose connection gives another Public URL than the route is served at', async () => {
    const flow: FlowNode[] = [
      ...callFlow(emulator, server.url, { events: null, node: { events: 'none' } }),
      { id: 'cfg2', type: 'signalwire-config', space: emulator.url, publicUrl: 'https://elsewhere.example.com' },
      { id: 'n2', type: 'signalwire-call', z: 'tab', signalwire: 'cfg2', events: 'none', wires: [['ok'], ['bad']] },
    ];
    const credentials = { projectId: emulator.projectId, token: emulator.token, signingKey: KEY };
    await helper.load([...signalwireNodes, captureNodeApp], flow, { cfg: credentials, cfg2: credentials });
    const other = statusesOf('n1').at(-1)?.text === 'Public URL differs' ? 'n1' : 'n2';
    assert.deepEqual(statusesOf(other).at(-1), { fill: 'red', shape: 'ring', text: 'Public URL differs' });
    assert.match(said(other, 'error').join(), /give every connection the same Public URL/);
    const requests = emulator.stats.requests;
    input(other, { to: FRANK, conference: 'Front door', from: '+15550100100' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(emulator.stats.requests, requests);
  });
});
