// The conference events node in a real Node-RED process, on the HTTP layouts people run: Node-RED's defaults
// (editor and node endpoints both at `/`, so the editor's body parsers read each request first) and the editor
// moved to its own root. What left the node is forwarded by the flow itself to a recording server.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_SIDS } from '../../src/emulator';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { joinFields, postForm, rawRequest, rfc2822, sign, withField } from '../nodes/events-kit';
import { minimalSettings, startNodeRedProcess, type NodeRedProcess } from './support/node-red-process';

const KEY = 'PSK_layout-test-key-51c0';
const PATH = '/signalwire/conference-events';
const HOUR = 60 * 60 * 1000;

/** The events node; its messages and its status both forwarded to the recorder as JSON. */
function recordingFlow(recorder: string): object[] {
  const forward = (id: string, to: string) => ({
    id,
    type: 'http request',
    z: 'tab',
    method: 'POST',
    ret: 'txt',
    paytoqs: 'ignore',
    url: `${recorder}${to}`,
    wires: [[]],
  });
  return [
    { id: 'tab', type: 'tab', label: 'events' },
    { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
    { id: 'ev', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', path: PATH, wires: [['fwd']] },
    forward('fwd', '/event'),
    { id: 'st', type: 'status', z: 'tab', scope: ['ev'], wires: [['text']] },
    {
      id: 'text',
      type: 'function',
      z: 'tab',
      func: 'return { payload: msg.status };',
      outputs: 1,
      wires: [['fwd-st']],
    },
    forward('fwd-st', '/status'),
  ];
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('conference events in a real Node-RED process', function () {
  let recorder: RecordingServer;
  const recorded = (path: string) =>
    recorder.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  /** The status the node showed last, once it shows `text`. */
  const statusShown = async (text: string) => {
    await until(() => recorded('/status').some((s) => s.text === text));
  };

  before(async () => {
    recorder = await startRecordingServer();
    recorder.fallback = () => ({ status: 200, body: 'ok' });
  });
  after(async () => {
    await recorder.close();
  });
  beforeEach(() => {
    recorder.reset();
    recorder.fallback = () => ({ status: 200, body: 'ok' });
  });

  describe("on Node-RED's default settings (editor and node endpoints at /)", () => {
    let red: NodeRedProcess;
    let url: string;
    before(async () => {
      red = await startNodeRedProcess({
        settings: minimalSettings(),
        flows: recordingFlow(recorder.url),
        env: { SIGNALWIRE_SIGNING_KEY: KEY },
      });
      url = `${red.url}${PATH}`;
    });
    after(async () => {
      await red?.stop();
    });

    it('passes on a signed callback once, however often it is delivered; the editor still answers', async () => {
      const fields = joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin);
      for (let i = 0; i < 3; i++) assert.equal((await postForm(url, fields, { key: KEY })).status, 204);
      await until(() => recorded('/event').length >= 1);
      // A fresh event after the repeats: it arrives, and nothing else did before it.
      await postForm(url, withField(fields, 'StatusCallbackEvent', 'participant-leave'), { key: KEY });
      await until(() => recorded('/event').length >= 2);
      assert.deepEqual(
        recorded('/event').map((e) => e.event),
        ['participant-join', 'participant-leave'],
      );
      assert.equal((await fetch(`${red.url}/settings`)).status, 200);
    });

    it('answers 413 to a 100 KiB body, as the README says, though the editor parsed it first', async () => {
      const big = [...joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.bob), ['Pad', 'x'.repeat(100 * 1024)]] as Array<
        [string, string]
      >;
      const res = await postForm(url, big, { key: KEY });
      assert.equal(res.status, 413);
      await statusShown('too large ×1');
    });

    it('refuses a callback stamped two hours ago, logs why, and passes on nothing', async () => {
      const before = recorded('/event').length;
      const old = withField(
        joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.carol),
        'Timestamp',
        rfc2822(Date.now() - 2 * HOUR),
      );
      assert.equal((await postForm(url, old, { key: KEY })).status, 403);
      await statusShown('stale ×2');
      await until(() =>
        /Refused a request to \/signalwire\/conference-events \(403\): its Timestamp/.test(red.output()),
      );
      assert.equal(recorded('/event').length, before);
    });

    it('logs a flood of unsigned requests in a line or two and counts them all in the status', async () => {
      const fields = joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin);
      for (let batch = 0; batch < 4; batch++) {
        const answers = await Promise.all(Array.from({ length: 50 }, () => postForm(url, fields)));
        assert.ok(answers.every((a) => a.status === 403));
      }
      await statusShown('unsigned ×202');
      const lines = red
        .output()
        .split('\n')
        .filter((line) => /Refused .*not signed|more requests/.test(line));
      assert.ok(lines.length >= 1 && lines.length <= 2, lines.join('\n'));
      assert.ok(!red.output().includes(KEY));
    });
  });

  describe('with the editor moved to /admin', () => {
    let red: NodeRedProcess;
    let url: string;
    before(async () => {
      red = await startNodeRedProcess({
        settings: minimalSettings("httpAdminRoot: '/admin',"),
        flows: recordingFlow(recorder.url),
        env: { SIGNALWIRE_SIGNING_KEY: KEY },
      });
      url = `${red.url}${PATH}`;
    });
    after(async () => {
      await red?.stop();
    });

    it('answers an unsigned request at once, with its body not sent yet', async () => {
      const res = await rawRequest(url, ['Content-Type: application/x-www-form-urlencoded', 'Content-Length: 1000']);
      assert.equal(res.status, 403);
    });

    it('answers 413 from Content-Length, and 408 to a signed body that stalls', async function () {
      this.timeout(60000);
      const signed = `X-SignalWire-Signature: ${sign(KEY, url)}`;
      const big = await rawRequest(url, [
        'Content-Type: application/x-www-form-urlencoded',
        signed,
        'Content-Length: 102400',
      ]);
      assert.equal(big.status, 413);
      const stalled = await rawRequest(
        url,
        ['Content-Type: application/x-www-form-urlencoded', signed, 'Content-Length: 1000'],
        'ConferenceSid=',
      );
      assert.equal(stalled.status, 408);
      // Signed callbacks still come through.
      assert.equal((await postForm(url, joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin), { key: KEY })).status, 204);
      await until(() => recorded('/event').length >= 1);
    });
  });

  describe("the README's httpNodeAuth recipe", () => {
    const user = 'admin';
    const password = 'correct horse: battery';
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    const routes = ['/direct', '/hello'];

    /** The recipe exactly as the README prints it, with a password hash made as it says. */
    function recipe(): string {
      const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
      const code = /<!-- recipe: httpNodeAuth -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
      assert.ok(code, 'the README has the recipe');
      const salt = crypto.randomBytes(16).toString('hex');
      const hash = crypto.scryptSync(password, salt, 32).toString('hex');
      assert.ok(code.includes("'PASTE-SALT:HASH-HERE'"));
      return code.replace("'PASTE-SALT:HASH-HERE'", `'${salt}:${hash}'`);
    }

    /** A route mounted straight on RED.httpNode, as Dashboard 1 mounts its UI, and an http in node's route. */
    const files = {
      'extra/direct-route.js':
        "module.exports = function (RED) { RED.httpNode.get('/direct', (req, res) => res.send('direct')); " +
        "RED.nodes.registerType('direct-route', function (n) { RED.nodes.createNode(this, n); }); };",
      'extra/direct-route.html':
        "<script type=\"text/javascript\">RED.nodes.registerType('direct-route', { category: 'x', defaults: {} });</script>",
    };
    /** Every path SignalWire signs, each served: conference events, an incoming call node, the join route. */
    const signedPaths = [PATH, '/signalwire/incoming-call', '/signalwire/join'];
    function authFlow(): object[] {
      return [
        ...recordingFlow(recorder.url).map((n) =>
          (n as { id: string }).id === 'cfg' ? { ...n, publicUrl: 'https://home.example.com' } : n,
        ),
        { id: 'call-in', type: 'signalwire-incoming-call', z: 'tab', signalwire: 'cfg', wires: [[]] },
        { id: 'call-out', type: 'signalwire-call', z: 'tab', signalwire: 'cfg', action: 'call', wires: [[], []] },
        { id: 'in', type: 'http in', z: 'tab', url: '/hello', method: 'get', wires: [['res']] },
        { id: 'res', type: 'http response', z: 'tab', statusCode: '200', wires: [] },
      ];
    }

    /** For each route: the status without credentials, with the right ones, with a wrong password. */
    async function guard(red: NodeRedProcess): Promise<Record<string, number[]>> {
      const seen: Record<string, number[]> = {};
      for (const route of routes) {
        const get = (authorization?: string) =>
          fetch(`${red.url}${route}`, authorization ? { headers: { authorization } } : {}).then((r) => r.status);
        seen[route] = [await get(), await get(basic(user, password)), await get(basic(user, 'wrong'))];
      }
      return seen;
    }

    /** What each signed path answers a request with no signature and no credentials. */
    async function unsigned(red: NodeRedProcess): Promise<number[]> {
      const statuses: number[] = [];
      for (const signed of signedPaths)
        statuses.push((await postForm(`${red.url}${signed}`, [['CallSid', 'x']])).status);
      return statuses;
    }

    it('guards every other route exactly as the user/password form does, and lets signed callbacks in', async function () {
      // Node-RED 3 takes only a user and password in httpNodeAuth, as the README says.
      const runtime = process.env.NODE_RED_RUNTIME || 'node-red';
      const { version } = JSON.parse(
        fs.readFileSync(require.resolve(`${runtime}/package.json`, { paths: [process.cwd()] }), 'utf8'),
      ) as { version: string };
      if (Number(version.split('.')[0]) < 4) {
        console.log(`    skipped: Node-RED ${version} has no httpNodeAuth function`);
        this.skip();
      }
      // Node-RED's own bcrypt, as its user/password form checks with it.
      const nodeRedDir = path.dirname(require.resolve('node-red/package.json'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bcrypt = require(require.resolve('bcryptjs', { paths: [nodeRedDir] })) as {
        hashSync(p: string, rounds: number): string;
      };
      const before = await startNodeRedProcess({
        settings: minimalSettings(
          `httpNodeAuth: { user: '${user}', pass: '${bcrypt.hashSync(password, 8)}' },\n  nodesDir: require('path').join(__dirname, 'extra'),`,
        ),
        flows: authFlow(),
        env: { SIGNALWIRE_SIGNING_KEY: KEY },
        files,
      });
      let guardedBefore: Record<string, number[]>;
      let eventsBefore: number;
      let unsignedBefore: number[];
      try {
        guardedBefore = await guard(before);
        unsignedBefore = await unsigned(before);
        eventsBefore = (
          await postForm(`${before.url}${PATH}`, joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin), { key: KEY })
        ).status;
      } finally {
        await before.stop();
      }
      assert.deepEqual(guardedBefore, { '/direct': [401, 200, 401], '/hello': [401, 200, 401] });
      assert.equal(eventsBefore, 401, 'the user/password form refuses SignalWire too');
      assert.deepEqual(unsignedBefore, [401, 401, 401]);

      const after = await startNodeRedProcess({
        settings: `${recipe()}\n${minimalSettings(
          "httpNodeAuth: nodeAuth,\n  nodesDir: require('path').join(__dirname, 'extra'),",
        )}`,
        flows: authFlow(),
        env: { SIGNALWIRE_SIGNING_KEY: KEY },
        files,
      });
      try {
        assert.deepEqual(await guard(after), guardedBefore);
        const url = `${after.url}${PATH}`;
        const fields = joinFields(DEMO_SIDS.weeklySync, DEMO_SIDS.erin);
        const signedUrl = `https://home.example.com${PATH}`;
        assert.equal((await postForm(url, fields, { key: KEY, signedUrl })).status, 204);
        await until(() => recorded('/event').length >= 1);
        // Open to SignalWire only: on each signed path, the node itself refuses what is not signed.
        assert.deepEqual(await unsigned(after), [403, 403, 403]);
        // Another spelling of the path is not let through.
        assert.equal(
          (await postForm(url.toUpperCase().replace('HTTP://', 'http://'), fields, { key: KEY })).status,
          401,
        );
      } finally {
        await after.stop();
      }
    });
  });
});
