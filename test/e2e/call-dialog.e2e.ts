// "call into conference" in a real browser, on a real Node-RED process (editor and node endpoints both at `/`, as
// Node-RED runs by default) with the emulator as the space: the dialog fits the screens people use and shows what
// each action reads; the Public URL typed in the connection's dialog is what lets a call be placed and joined.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_NUMBERS, startEmulator, type Emulator } from '../../src/emulator';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { closeDialog, deploy, flowNode, openDialog } from './support/editor-page';
import { dragFromPalette } from './support/palette';
import { minimalSettings, startNodeRedProcess, type NodeRedProcess } from './support/node-red-process';

const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const FRANK = '+15551230006';

function flows(emulator: Emulator): object[] {
  return [
    { id: 'tab', type: 'tab', label: 'calls' },
    { id: 'cfg', type: 'signalwire-config', name: 'SignalWire', space: emulator.url },
    {
      id: 'ring',
      type: 'inject',
      z: 'tab',
      name: 'ring Frank',
      props: [{ p: 'payload' }],
      repeat: '',
      crontab: '',
      once: false,
      onceDelay: 0.1,
      topic: '',
      payload: '',
      payloadType: 'date',
      x: 120,
      y: 80,
      wires: [['call']],
    },
    {
      id: 'call',
      type: 'signalwire-call',
      z: 'tab',
      name: 'call Frank',
      signalwire: 'cfg',
      action: 'call',
      to: FRANK,
      toType: 'str',
      from: '',
      fromType: 'str',
      conference: 'Front door',
      conferenceType: 'str',
      timeout: '30',
      timeoutType: 'num',
      events: '',
      x: 320,
      y: 80,
      wires: [[], []],
    },
    {
      id: 'ev',
      type: 'signalwire-conference-events',
      z: 'tab',
      name: 'front door',
      signalwire: 'cfg',
      path: '/signalwire/conference-events',
      x: 140,
      y: 180,
      wires: [[]],
    },
    {
      id: 'find',
      type: 'signalwire-conference',
      z: 'tab',
      name: 'find',
      signalwire: 'cfg',
      x: 320,
      y: 260,
      wires: [[], []],
    },
  ];
}

interface EditorWindow {
  RED: { nodes: { node(id: string): { valid?: boolean } | null } };
}

describe('the call into conference dialog, in a real browser', function () {
  let emulator: Emulator;
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    fs.mkdirSync(artifacts, { recursive: true });
    emulator = await startEmulator();
    red = await startNodeRedProcess({
      settings: minimalSettings('', { quietEditor: true }),
      flows: flows(emulator),
      // Everything but the Public URL, which the test types into the connection's dialog.
      env: {
        SIGNALWIRE_PROJECT_ID: emulator.projectId,
        SIGNALWIRE_TOKEN: emulator.token,
        SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
        SIGNALWIRE_FROM_NUMBER: DEMO_NUMBERS.office,
      },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  beforeEach(async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(red.url);
    await flowNode(page, 'call Frank').waitFor();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await page.screenshot({ path: path.join(artifacts, `failed-call-${name}.png`) });
      console.log(red.output());
    }
  });
  after(async () => {
    await browser?.close();
    await red?.stop();
    await emulator?.close();
  });

  it('is called "call into conference" in the palette, on the canvas and in the dialog', async () => {
    const palette = page.locator('.red-ui-palette-node[data-palette-type="signalwire-call"]');
    assert.equal((await palette.innerText()).replace(/\s+/g, ' ').trim(), 'call into conference');
    await dragFromPalette(page, 'signalwire-call', 520, 420);
    await flowNode(page, 'call into conference').waitFor();
    await openDialog(page, 'call into conference');
    assert.match(await page.locator('.red-ui-tray-titlebar').last().innerText(), /call into conference/);
    await closeDialog(page, 'cancel');
  });

  for (const [width, height] of [
    [1024, 700],
    [1280, 800],
  ] as const) {
    it(`fits at ${width}x${height}, as wide as the other dialogs, and shows only what the action reads`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(red.url);
      await flowNode(page, 'call Frank').waitFor();
      const box = (selector: string) =>
        page.evaluate((s) => {
          const all = document.querySelectorAll(s);
          const r = all[all.length - 1]?.getBoundingClientRect();
          return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width } : null;
        }, selector);
      await openDialog(page, 'find');
      await page.waitForTimeout(600); // the tray's slide-in animation
      const other = { tray: await box('.red-ui-tray'), name: await box('#node-input-name') };
      await closeDialog(page, 'cancel');

      await openDialog(page, 'call Frank');
      await page.waitForTimeout(600);
      const tray = (await box('.red-ui-tray'))!;
      for (const id of ['#node-dialog-ok', '#node-dialog-cancel']) {
        const b = (await box(id))!;
        assert.ok(b.left >= 0 && b.right <= width && b.top >= 0, `${id} on screen: ${JSON.stringify(b)}`);
      }
      assert.ok(tray.right <= width + 1, `tray within the window: ${JSON.stringify(tray)}`);
      assert.ok(Math.abs(tray.width - other.tray!.width) <= 2, `tray ${tray.width} vs ${other.tray!.width}`);
      // Each field's row: its visible parts (a typed input draws its own) end inside the tray.
      const rows = await page.evaluate(
        (ids) =>
          ids.map((id) => {
            const row = document.getElementById(`node-input-${id}`)?.closest('.form-row');
            const parts = Array.from(row?.querySelectorAll<HTMLElement>('input, select, button, span, div') ?? [])
              .map((element) => element.getBoundingClientRect())
              .filter((r) => r.width > 0);
            return { id, right: Math.max(...parts.map((r) => r.right)), shown: parts.length > 0 };
          }),
        ['to', 'from', 'conference', 'timeout', 'muted', 'beep', 'waitUrl', 'events'],
      );
      for (const row of rows) {
        assert.ok(row.shown, `${row.id} shown`);
        assert.ok(row.right <= tray.right, `${row.id} inside the tray: ${row.right} > ${tray.right}`);
      }
      // Every hint in an empty field reads whole.
      const cut = await page
        .locator('.red-ui-tray')
        .last()
        .locator('input[placeholder]:visible')
        .evaluateAll((inputs) =>
          (inputs as HTMLInputElement[])
            .filter((input) => {
              const style = getComputedStyle(input);
              const context = document.createElement('canvas').getContext('2d')!;
              context.font = style.font;
              const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
              return input.value === '' && context.measureText(input.placeholder).width > room;
            })
            .map((input) => `${input.id}: "${input.placeholder}"`),
        );
      assert.deepEqual(cut, []);
      await page.screenshot({ path: path.join(artifacts, `call-dialog-${width}x${height}.png`) });
      // The events picker: the only events node there is, named, first; or none.
      const options = await page.locator('#node-input-events option').allInnerTexts();
      assert.deepEqual(options, ['the only one: front door', 'front door', 'none: report nothing']);

      // Hang up reads only the call SID.
      const row = (id: string) =>
        page.locator(`#node-input-${id}`).locator('xpath=ancestor::div[contains(@class,"form-row")][1]');
      await page.locator('#node-input-action').selectOption('hangup');
      await row('callSid').waitFor();
      for (const id of ['to', 'conference', 'muted', 'events']) assert.equal(await row(id).isVisible(), false, id);
      await page.locator('#node-input-action').selectOption('call');
      await row('to').waitFor();
      assert.equal(await row('callSid').isVisible(), false);
      await closeDialog(page, 'cancel');
      assert.deepEqual(pageErrors, []);
    });
  }

  it('with no Public URL it says so; typed into the connection, the call is placed and Frank is in the room', async () => {
    // As deployed, the connection has no Public URL.
    await flowNode(page, 'call Frank')
      .locator('.red-ui-flow-node-status-label', { hasText: 'no Public URL' })
      .waitFor();
    await openDialog(page, 'call Frank');
    await page.locator('#node-input-btn-signalwire-edit').click();
    const publicUrl = page.locator('#node-config-input-publicUrl');
    await publicUrl.waitFor();
    // Not a base address: marked before anything is saved.
    await publicUrl.fill('home.example.com/?x=1');
    await publicUrl.press('Tab');
    await page.locator('#node-config-input-publicUrl.input-error').waitFor();
    // Where the emulator reaches this Node-RED: its own address, node endpoints at `/`.
    await publicUrl.fill(red.url);
    await publicUrl.press('Tab');
    await page.locator('#node-config-input-publicUrl:not(.input-error)').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'call-connection-public-url.png') });
    await page.locator('#node-config-dialog-ok').click();
    await publicUrl.waitFor({ state: 'detached' });
    await closeDialog(page, 'ok');
    await deploy(page);
    const deployed = (await (await fetch(`${red.url}/flows`)).json()) as Array<Record<string, unknown>>;
    assert.equal(deployed.find((n) => n.id === 'cfg')?.publicUrl, red.url);

    await page.locator('[id="ring"] .red-ui-flow-node-button').click();
    await flowNode(page, 'call Frank').locator('.red-ui-flow-node-status-label', { hasText: 'queued (1)' }).waitFor();
    // The emulator rang, fetched the join from this Node-RED (signed), and Frank is in "Front door".
    const joined = async () =>
      emulator.callRecords.all().find((c) => c.to === FRANK && emulator.callRecords.emulatedView(c).conference);
    while (!(await joined())) await new Promise((resolve) => setTimeout(resolve, 50));
    const call = emulator.callRecords.emulatedView((await joined())!);
    assert.equal(
      call.url,
      `${red.url}/signalwire/join?room=Front+door&statusCallback=${encodeURIComponent(`${red.url}/signalwire/conference-events`)}`,
    );
    assert.deepEqual(call.problems, []);
    await flowNode(page, 'front door')
      .locator('.red-ui-flow-node-status-label', { hasText: /joined|started/ })
      .waitFor();
  });

  it('marks the node invalid when a second events node leaves it unsure where to report, until one is chosen', async () => {
    const valid = () => page.evaluate(() => (window as unknown as EditorWindow).RED.nodes.node('call')!.valid);
    assert.equal(await valid(), true);
    await dragFromPalette(page, 'signalwire-conference-events', 520, 520);
    await page.waitForFunction(() => (window as unknown as EditorWindow).RED.nodes.node('call')!.valid === false);
    await openDialog(page, 'call Frank');
    await page.locator('#node-input-events').selectOption({ label: 'front door' });
    await closeDialog(page, 'ok');
    assert.equal(await valid(), true);
    assert.deepEqual(pageErrors, []);
  });
});
