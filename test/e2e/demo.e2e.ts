// `npm start` as a newcomer runs it: the start script brings up the emulator and Node-RED with the demo flow,
// the buttons in the editor change the seeded conference, errors leave on output 2, and Ctrl-C stops it all.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DEMO_SIDS } from '../../src/emulator';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { assertBuilt } from './support/node-red';

const repoRoot = path.resolve(__dirname, '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The environment of a shell with no SignalWire settings, so the demo can only reach its own emulator. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SIGNALWIRE_')) env[name] = value;
  return { ...env, ...extra };
}

describe('npm start: the demo flow', function () {
  let start: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let editorUrl: string;
  let emulatorUrl: string;
  let userDir: string;
  let browser: Browser;
  let page: Page;

  async function participant(conferenceSid: string, callSid: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${emulatorUrl}/__emulator/conferences/${conferenceSid}/participants/${callSid}`);
    assert.equal(res.status, 200);
    return (await res.json()) as Record<string, unknown>;
  }

  async function emulatorRequests(): Promise<number> {
    return ((await (await fetch(`${emulatorUrl}/__emulator/stats`)).json()) as { requests: number }).requests;
  }

  /**
   * Clicks an inject button and returns the two debug sidebar entries it produced: the one-line result, and the
   * updated participant or the error.
   */
  async function press(injectId: string) {
    const before = await page.locator('.red-ui-debug-msg').count();
    await page.locator(`#${injectId} .red-ui-flow-node-button`).click();
    await page
      .locator('.red-ui-debug-msg')
      .nth(before + 1)
      .waitFor();
    const entries = [before, before + 1].map((i) => page.locator('.red-ui-debug-msg').nth(i));
    const names = await Promise.all(entries.map((e) => e.locator('.red-ui-debug-msg-name').innerText()));
    const result = entries[names.findIndex((name) => /node: result$/.test(name))];
    const complete = entries[names.findIndex((name) => /node: (participant|error)$/.test(name))];
    assert.ok(result && complete, `one one-line result and one participant or error per click, got ${names}`);
    // The sidebar quotes a string; the line is what is inside the quotes.
    const line = (await result.locator('.red-ui-debug-msg-payload').innerText()).trim().replace(/^"(.*)"$/, '$1');
    return { line, complete };
  }

  /** Opens the participant or error in the sidebar (one click) and returns what it then shows. */
  async function open(complete: Locator): Promise<string> {
    await complete.locator('.red-ui-debug-msg-element').first().click();
    await complete.locator('.red-ui-debug-msg-object-key:visible').first().waitFor();
    return (await complete.innerText()).replace(/\s+/g, ' ');
  }

  before(async function () {
    requireChromium(this);
    assertBuilt();
    fs.mkdirSync(artifacts, { recursive: true });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-demo-user-'));
    const port = await freePort();
    start = spawn(process.execPath, [path.join('scripts', 'start.js'), '--no-build'], {
      cwd: repoRoot,
      env: cleanEnv({ NODE_RED_PORT: String(port), SIGNALWIRE_EMULATOR_PORT: '0', DEMO_USER_DIR: userDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => start.once('exit', (code) => resolve(code)));
    const onData = (chunk: Buffer) => (output += chunk.toString());
    start.stdout?.on('data', onData);
    start.stderr?.on('data', onData);
    const started = await Promise.race([
      new Promise<boolean>((resolve) => start.stdout?.on('data', () => output.includes('Ctrl-C') && resolve(true))),
      exited.then(() => false),
    ]);
    assert.ok(started, `the start script is running; it printed:\n${output}`);
    editorUrl = `http://127.0.0.1:${port}/`;
    emulatorUrl = /the SignalWire emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    assert.ok(emulatorUrl, `the start script names the emulator; it printed:\n${output}`);

    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(editorUrl);
    await page.locator('#demo-mute-bob').waitFor();
    await page.locator('#red-ui-tab-debug-link-button').click();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(artifacts, 'failed-demo.png') }).catch(() => undefined);
      console.log(output);
    }
  });

  after(async function () {
    await browser?.close();
    // SIGTERM lets the start script stop Node-RED and the emulator too.
    if (start && start.exitCode === null) {
      start.kill('SIGTERM');
      await exited;
    }
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('prints where the editor is and what to click', function () {
    assert.ok(output.includes(`Node-RED editor:  ${editorUrl}`), output);
    assert.match(output, /Click the square button on the left of an inject node: "Mute Bob"/);
  });

  it('each button changes the participant its label names, and the sidebar says so in one line', async function () {
    const sync = DEMO_SIDS.weeklySync;
    assert.equal((await participant(sync, DEMO_SIDS.bob)).muted, false);

    let shown = await press('demo-mute-bob');
    assert.equal(shown.line, 'Bob: muted');
    assert.equal((await participant(sync, DEMO_SIDS.bob)).muted, true);
    // The whole participant is one click away.
    assert.match(await open(shown.complete), new RegExp(`call_sid: "${DEMO_SIDS.bob}"`));

    shown = await press('demo-hold-carol');
    assert.equal(shown.line, 'Carol: unmuted, on hold');
    const carol = await participant(sync, DEMO_SIDS.carol);
    assert.equal(carol.hold, true);
    assert.equal(carol.hold_url, 'https://example.com/hold-music.mp3');

    shown = await press('demo-announce');
    assert.equal(shown.line, 'Alice: announcement sent, unmuted');
    assert.equal((await participant(sync, DEMO_SIDS.alice)).announce_url, 'https://example.com/announcement.xml');

    assert.equal((await press('demo-unmute-bob')).line, 'Bob: unmuted');
    assert.equal((await participant(sync, DEMO_SIDS.bob)).muted, false);
    assert.equal((await press('demo-resume-carol')).line, 'Carol: unmuted');
    assert.equal((await participant(sync, DEMO_SIDS.carol)).hold, false);
  });

  it('"Dave coaches Carol" unmutes Dave so Carol hears him, and his node\'s status says so', async function () {
    const sync = DEMO_SIDS.weeklySync;
    assert.equal((await participant(sync, DEMO_SIDS.dave)).muted, true, 'Dave starts muted');

    let shown = await press('demo-coach');
    assert.equal(shown.line, 'Dave: unmuted, coaching');
    let dave = await participant(sync, DEMO_SIDS.dave);
    assert.equal(dave.coaching, true);
    assert.equal(dave.call_sid_to_coach, DEMO_SIDS.carol);
    assert.equal(dave.muted, false);
    await page.locator('#demo-update-dave .red-ui-flow-node-status-label', { hasText: 'unmuted · coaching' }).waitFor();

    shown = await press('demo-stop-coach');
    assert.equal(shown.line, 'Dave: muted');
    dave = await participant(sync, DEMO_SIDS.dave);
    assert.equal(dave.coaching, false);
    assert.equal(dave.muted, true);
  });

  it('sends errors to output 2 and says what went wrong in one line: an ended conference, a bad SID', async function () {
    let shown = await press('demo-mute-erin');
    assert.equal(shown.line, `Erin: error 422 — Conference ${DEMO_SIDS.mondayStandup.slice(0, 8)}… has completed`);
    assert.match(await open(shown.complete), /code: 10000/);
    assert.equal((await participant(DEMO_SIDS.mondayStandup, DEMO_SIDS.erin)).muted, false);

    const requests = await emulatorRequests();
    shown = await press('demo-bad-sid');
    assert.equal(shown.line, 'Bad SID: error — callSid must be a call SID, a UUID (got "not-a-call-sid")');
    assert.match(await open(shown.complete), /source: "validation"/);
    assert.equal(await emulatorRequests(), requests, 'a malformed SID never reaches the API');
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-notification').length === 0);
    await page.screenshot({ path: path.join(artifacts, 'demo.png') });
  });

  it('"Mute everyone but the host" finds "Weekly sync" by name and says in one line what it did', async function () {
    const before = await page.locator('.red-ui-debug-msg').count();
    await page.locator('#demo-mute-all .red-ui-flow-node-button').click();
    const line = page.locator('.red-ui-debug-msg', { hasText: 'node: conference result' }).last();
    await page.locator('.red-ui-debug-msg').nth(before).waitFor();
    await line.waitFor();
    assert.equal(
      (await line.locator('.red-ui-debug-msg-payload').innerText()).trim(),
      '"Weekly sync: 3 updated, 1 left alone"',
    );
    const sync = DEMO_SIDS.weeklySync;
    assert.equal((await participant(sync, DEMO_SIDS.alice)).muted, false);
    for (const sid of [DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave]) {
      assert.equal((await participant(sync, sid)).muted, true);
    }
  });

  it('a button makes Erin join; the events node sees her join and the flow mutes her', async function () {
    const shown = await press('demo-erin-joins');
    const res = await fetch(`${emulatorUrl}/__emulator/conferences/${DEMO_SIDS.weeklySync}`);
    const erin = ((await res.json()) as { participants: Array<Record<string, unknown>> }).participants.find(
      (p) => p.label === 'Erin',
    );
    assert.equal(erin?.muted, true, 'Erin is in Weekly sync, muted');
    // One line names the call that joined and says it is muted; the participant is one click away.
    assert.equal(shown.line, `Joined ${String(erin?.call_sid).slice(0, 8)}…: muted`);
    assert.match(await open(shown.complete), new RegExp(`call_sid: "${String(erin?.call_sid)}"`));
    await page.screenshot({ path: path.join(artifacts, 'demo-events.png') });
    // The terminal says where the emulator sent her join, and why there.
    const port = new URL(editorUrl).port;
    assert.ok(
      output.includes(
        `Emulator: Event participant-join (Erin) of "Weekly sync" sent to http://127.0.0.1:${port}/signalwire/conference-events, the emulator's default URL: answered 204`,
      ),
      output,
    );
  });

  it('stops Node-RED and the emulator on Ctrl-C', async function () {
    start.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output, /Stopped\./);
    await assert.rejects(fetch(editorUrl), 'Node-RED no longer answers');
    await assert.rejects(fetch(`${emulatorUrl}/__emulator/stats`), 'the emulator no longer answers');
  });
});
