/**
 * The conference events node as the front door SignalWire knocks on: replays, stale callbacks, refusals a person
 * can read, bodies that are too large or too slow, and the layout where Node-RED's editor reads bodies first.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { DEMO_SIDS, startEmulator } from '../../src/emulator/index';
import { SignalWireClient } from '../../src/lib';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import {
  captureNodeApp,
  joinFields,
  NodeHttpServer,
  postForm,
  rawRequest,
  rfc2822,
  sign,
  withField,
  type Fields,
} from './events-kit';
import { Recorder, settle, statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_front-door-key-3b9a';
const PATH = '/signalwire/conference-events';
const CONFERENCE = DEMO_SIDS.weeklySync;
const ERIN = DEMO_SIDS.erin;
const HOUR = 60 * 60 * 1000;

function eventsFlow(node: Record<string, unknown> = {}): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
    {
      id: 'ev',
      type: 'signalwire-conference-events',
      z: 'tab',
      signalwire: 'cfg',
      path: PATH,
      wires: [['out']],
      ...node,
    },
    { id: 'out', type: 'helper', z: 'tab', wires: [] },
  ];
}

async function deploy(node: Record<string, unknown> = {}): Promise<Recorder> {
  await helper.load([...signalwireNodes, captureNodeApp], eventsFlow(node), { cfg: { signingKey: KEY } });
  return new Recorder(['out']);
}

/** What the node said through node.warn / node.error, as text. */
function said(method: 'warn' | 'error', id = 'ev'): string[] {
  const node = helper.getNode(id) as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>;
  return node[method]!.getCalls().map((call) => String(call.args[0]));
}

describe('conference events node: the front door', function () {
  let server: NodeHttpServer;
  let url: string;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    url = `${server.url}${PATH}`;
  });
  after(async () => {
    await server.close();
    await stopRuntime();
  });
  afterEach(async () => {
    await helper.unload();
  });

  describe('replays', () => {
    it('passes on a callback delivered three times once, and answers each delivery 204', async () => {
      const out = await deploy();
      const fields = joinFields(CONFERENCE, ERIN);
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await postForm(url, fields, { key: KEY })).status);
      assert.deepEqual(answers, [204, 204, 204]);
      await out.until(1, 'out');
      await settle();
      assert.equal(out.count('out'), 1);
      // A new event is not a repeat.
      await postForm(url, withField(fields, 'StatusCallbackEvent', 'participant-leave'), { key: KEY });
      await out.until(2, 'out');
      assert.deepEqual(
        out.got.out!.map((m) => m.topic),
        ['participant-join', 'participant-leave'],
      );
    });

    it('knows a repeat sent with its fields reordered, re-encoded, or signed over the URL without its port', async () => {
      const out = await deploy();
      const fields = joinFields(CONFERENCE, ERIN);
      assert.equal((await postForm(url, fields, { key: KEY })).status, 204);
      // The same signature still holds for each of these, so each is the same signed request.
      const signature = sign(KEY, url, fields);
      const reordered = new URLSearchParams([...fields].reverse()).toString();
      const reencoded = new URLSearchParams(fields).toString().replace(/Weekly\+sync/, 'Weekly%20sync');
      for (const body of [reordered, reencoded]) {
        assert.equal((await postForm(url, [], { signature, body })).status, 204);
      }
      const { port } = new URL(url);
      const withoutPort = await rawRequest(
        url,
        [
          'Content-Type: application/x-www-form-urlencoded',
          `X-SignalWire-Signature: ${sign(KEY, url.replace(`:${port}`, ''), fields)}`,
          `Content-Length: ${Buffer.byteLength(new URLSearchParams(fields).toString())}`,
        ],
        new URLSearchParams(fields).toString(),
      );
      // Another signature, valid for the same request (the port left out, as SignalWire sometimes signs).
      assert.equal(withoutPort.status, 204, withoutPort.text);
      await settle();
      assert.equal(out.count('out'), 1);
    });

    it('shows the emulator’s duplicate delivery as one event', async () => {
      const emulator = await startEmulator({ signingKey: KEY });
      const client = new SignalWireClient({
        space: emulator.url,
        projectId: emulator.projectId,
        token: emulator.token,
        retries: 0,
      });
      try {
        const out = await deploy();
        emulator.callbacks.setDefaultTarget({ statusCallback: url, statusCallbackEvent: 'mute' });
        emulator.callbacks.faults.set([{ kind: 'duplicate', count: 1 }]);
        await client.updateParticipant(CONFERENCE, DEMO_SIDS.bob, { muted: true });
        await emulator.callbacks.whenDelivered(2);
        assert.deepEqual(
          emulator.callbacks.deliveries.map((d) => [d.event, d.outcome]),
          [
            ['participant-mute', 204],
            ['participant-mute', 204],
          ],
        );
        await out.until(1, 'out');
        await settle();
        assert.equal(out.count('out'), 1);
        assert.deepEqual(statusesOf('ev').at(-1), { fill: 'green', shape: 'dot', text: 'muted (1)' });
      } finally {
        await client.close();
        await emulator.close();
      }
    });
  });

  describe('stale callbacks', () => {
    const stamped = (at: number): Fields => withField(joinFields(CONFERENCE, ERIN), 'Timestamp', rfc2822(at));

    it('does not pass on a callback stamped two hours ago: 403, logged with the path, and counted', async () => {
      const out = await deploy();
      const res = await postForm(url, stamped(Date.now() - 2 * HOUR), { key: KEY });
      assert.equal(res.status, 403);
      assert.match(res.text, /Timestamp/);
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: 'stale ×1' });
      const warnings = said('warn');
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, new RegExp(`${PATH}.*403.*Timestamp.*120 minutes.*15`));
      // Within the tolerance, on either side of the server's clock: accepted.
      assert.equal((await postForm(url, stamped(Date.now() - 14 * 60 * 1000), { key: KEY })).status, 204);
      assert.equal((await postForm(url, stamped(Date.now() + 5 * 60 * 1000), { key: KEY })).status, 204);
      await out.until(2, 'out');
      await settle();
      assert.equal(out.count('out'), 2);
    });

    it('takes its tolerance from the node: 0 switches the check off, 180 minutes lets the old one through', async () => {
      for (const timestampTolerance of [0, 180, '0']) {
        const out = await deploy({ timestampTolerance });
        assert.equal((await postForm(url, stamped(Date.now() - 2 * HOUR), { key: KEY })).status, 204);
        await out.until(1, 'out');
        await helper.unload();
      }
      for (const timestampTolerance of [-1, 'soon', 100000]) {
        await deploy({ timestampTolerance });
        assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: 'check settings' });
        assert.match(said('error').join('\n'), /tolerance/i, String(timestampTolerance));
        await helper.unload();
      }
    });
  });

  describe('refusals a person can read', () => {
    it('logs a forged request with the path and the reason, never the key or the signature', async () => {
      await deploy();
      const fields = joinFields(CONFERENCE, ERIN);
      const forged = sign('PSK_not-the-key', url, fields);
      assert.equal((await postForm(url, fields, { signature: forged })).status, 403);
      const warnings = said('warn');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, new RegExp(`${PATH}.*signature does not match`));
      // Which URL it was checked against: what someone behind a tunnel needs to see.
      assert.ok(warnings[0]!.includes(url), warnings[0]);
      const everything =
        inspect(
          helper
            .log()
            .getCalls()
            .map((c) => c.args),
          { depth: 6 },
        ) + warnings.join();
      assert.ok(!everything.includes(KEY) && !everything.includes(forged));
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: 'bad signature ×1' });
    });

    it('names the URL it checked with the query’s names only (a callback URL may carry a private value)', async () => {
      await deploy();
      const fields = joinFields(CONFERENCE, ERIN);
      const withQuery = `${url}?tenant=acme&token=s3cret-value`;
      assert.equal((await postForm(withQuery, fields, { key: 'PSK_not-the-key' })).status, 403);
      const [line] = said('warn');
      assert.ok(line!.includes(`${url}?tenant=…&token=…`), line);
      assert.ok(!line!.includes('s3cret-value') && !line!.includes('acme'), line);
    });

    it('counts 1 000 unsigned requests in the status and logs them in a few lines', async function () {
      this.timeout(60000);
      const out = await deploy();
      const fields = joinFields(CONFERENCE, ERIN);
      for (let batch = 0; batch < 20; batch++) {
        const answers = await Promise.all(Array.from({ length: 50 }, () => postForm(url, fields)));
        assert.ok(answers.every((a) => a.status === 403));
      }
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: 'unsigned ×1000' });
      const warnings = said('warn');
      assert.ok(warnings.length >= 1 && warnings.length <= 2, warnings.join('\n'));
      assert.match(warnings[0]!, new RegExp(`${PATH}.*not signed`));
      // Accepted events still come through and show as before.
      assert.equal((await postForm(url, fields, { key: KEY })).status, 204);
      await out.until(1, 'out');
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'green', shape: 'dot', text: 'joined (1)' });
      for (const status of statusesOf('ev')) assert.ok((status.text ?? '').length < 20, status.text);
    });
  });

  describe('bodies', () => {
    it('answers an unsigned request at once, without waiting for its body', async () => {
      await deploy();
      // Content-Length promises 1000 bytes that never come.
      const res = await rawRequest(url, ['Content-Type: application/x-www-form-urlencoded', 'Content-Length: 1000']);
      assert.equal(res.status, 403);
    });

    it('answers 413 from Content-Length before reading, and 408 to a signed body that stalls', async function () {
      this.timeout(30000);
      const out = await deploy();
      const big = await rawRequest(url, [
        'Content-Type: application/x-www-form-urlencoded',
        `X-SignalWire-Signature: ${sign(KEY, url)}`,
        `Content-Length: ${100 * 1024}`,
      ]);
      assert.equal(big.status, 413);
      const stalled = await rawRequest(
        url,
        [
          'Content-Type: application/x-www-form-urlencoded',
          `X-SignalWire-Signature: ${sign(KEY, url)}`,
          'Content-Length: 1000',
        ],
        'ConferenceSid=abc',
      );
      assert.equal(stalled.status, 408);
      assert.equal(statusesOf('ev').at(-1)?.text, 'too slow ×2');
      assert.equal(out.count('out'), 0);
    });

    it('where the editor reads bodies first (the default layout), still answers 413 to 100 KiB', async () => {
      const shared = await new NodeHttpServer('', { editorFirst: true }).listen();
      try {
        const out = await deploy();
        const at = `${shared.url}${PATH}`;
        const big: Fields = [...joinFields(CONFERENCE, ERIN), ['Pad', 'x'.repeat(100 * 1024)]];
        const res = await postForm(at, big, { key: KEY });
        assert.equal(res.status, 413);
        assert.equal(statusesOf('ev').at(-1)?.text, 'too large ×1');
        // A body the editor's parser read is still checked and passed on.
        assert.equal((await postForm(at, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 204);
        await out.until(1, 'out');
        await settle();
        assert.equal(out.count('out'), 1);
      } finally {
        await shared.close();
      }
    });
  });

  describe('Public URL', () => {
    it('warns on deploy when callbacks would travel in clear to another host', async () => {
      const cases: Array<[string, boolean]> = [
        ['http://home.example.com/signalwire/conference-events', true],
        ['https://home.example.com/signalwire/conference-events', false],
        ['http://127.0.0.1:1880/signalwire/conference-events', false],
        ['http://localhost:1880/signalwire/conference-events', false],
        ['', false],
      ];
      for (const [publicUrl, warned] of cases) {
        await deploy({ publicUrl });
        const warnings = said('warn').filter((w) => /in clear/.test(w));
        assert.equal(warnings.length, warned ? 1 : 0, `${publicUrl}: ${warnings.join()}`);
        await helper.unload();
      }
    });

    it('refuses a Public URL holding a password at deploy, and never logs the password', async () => {
      await deploy({ publicUrl: 'http://ops:hunter2-secret@home.example.com/signalwire/conference-events' });
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: 'check settings' });
      assert.deepEqual(said('error'), [
        'The public URL http://…@home.example.com/signalwire/conference-events is not an http:// or https:// URL without a query or a password.',
      ]);
      assert.deepEqual(said('warn'), []);
      assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 404);
    });
  });
});
