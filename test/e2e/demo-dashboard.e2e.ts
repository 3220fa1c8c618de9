// `npm start` as a newcomer runs it, then opens /dashboard: the conference panel for "Weekly sync" is there, a click
// on Bob's mute mutes him in the emulator, and "Erin joins" makes her row appear without a reload.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_SIDS } from '../../src/emulator';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { assertWidgetBuilt } from './support/dashboard-node-red';
import { assertBuilt } from './support/node-red';
import { runNpmStart, type RunningStart } from './support/npm-start';

const repoRoot = path.resolve(__dirname, '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');

describe('npm start: the conference panel on /dashboard', function () {
  let demo: RunningStart | undefined;
  /** What the start script printed so far. */
  const output = (): string => demo?.output() ?? '';
  let dashboardUrl: string;
  let emulatorUrl: string;
  let userDir: string;
  let browser: Browser;
  let page: Page;

  async function participant(callSid: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${emulatorUrl}/__emulator/conferences/${DEMO_SIDS.weeklySync}/participants/${callSid}`);
    assert.equal(res.status, 200);
    return (await res.json()) as Record<string, unknown>;
  }

  async function erin(): Promise<Record<string, unknown> | undefined> {
    const res = await fetch(`${emulatorUrl}/__emulator/conferences/${DEMO_SIDS.weeklySync}`);
    const { participants } = (await res.json()) as { participants: Array<Record<string, unknown>> };
    return participants.find((p) => p.label === 'Erin');
  }

  before(async function () {
    requireChromium(this);
    assertBuilt();
    assertWidgetBuilt();
    fs.mkdirSync(artifacts, { recursive: true });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-demo-dashboard-'));
    demo = await runNpmStart(userDir);
    dashboardUrl = /Dashboard: +(http:\S+)/.exec(output())?.[1] ?? '';
    emulatorUrl = /the SignalWire emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1] ?? '';
    assert.ok(dashboardUrl && emulatorUrl, `the start script names the dashboard and the emulator:\n${output()}`);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(artifacts, 'failed-demo-dashboard.png') }).catch(() => undefined);
      console.log(output());
    }
  });

  after(async function () {
    await browser?.close();
    if (demo && demo.child.exitCode === null) {
      demo.child.kill('SIGTERM');
      await demo.exited;
    }
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('says where the dashboard is, and shows the panel for "Weekly sync" there with everyone named', async function () {
    assert.equal(dashboardUrl, `${new URL(dashboardUrl).origin}/dashboard`);
    await page.goto(dashboardUrl);
    const names = page.locator('.swc [data-test="person"] [data-test="name"]');
    await page.locator('.swc [data-test="person"]').nth(3).waitFor();
    await page.locator('.swc', { hasText: 'Alice (host)' }).waitFor();
    assert.deepEqual(await names.allInnerTexts(), ['Alice (host)', 'Bob', 'Carol (agent)', 'Dave (supervisor)']);
  });

  it("clicking mute on Bob's row mutes him in the emulator, and the row says so", async function () {
    const bob = page.locator(`.swc [data-test="person"][data-call-sid="${DEMO_SIDS.bob}"]`);
    await bob.locator('[data-test="mute"]').click();
    await bob.locator('[data-test="states"]').getByText('muted').waitFor();
    assert.equal((await participant(DEMO_SIDS.bob)).muted, true);
  });

  it('"Erin joins" makes her row appear, named, without a reload; the demo flow mutes her and the row shows it', async function () {
    await page.getByRole('button', { name: 'Erin joins' }).click();
    const row = page.locator('.swc [data-test="person"]', { hasText: 'Erin' });
    await row.waitFor();
    await row.locator('[data-test="states"]').getByText('muted').waitFor();
    assert.equal((await erin())?.muted, true);
    await page.getByRole('button', { name: 'Erin leaves' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal(await erin(), undefined);
  });
});
