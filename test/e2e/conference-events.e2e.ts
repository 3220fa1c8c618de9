// The conference events dialog in a real browser, on a real Node-RED process with this package linked in: it
// keeps the events it was configured with, fits the screens people use, and catches two nodes on one path
// before a deploy does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { closeDialog, deploy, deployedFlows, flowNode, openDialog } from './support/editor-page';
import { dragFromPalette } from './support/palette';
import { minimalSettings, startNodeRedProcess, type NodeRedProcess } from './support/node-red-process';

const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const DEFAULT_PATH = '/signalwire/conference-events';
/** What the runtime accepts and the dialog did not offer, plus a name SignalWire does not document. */
const UNOFFERED = ['participant-modify', 'announcement-end', 'announcement-fail'];

const flows = [
  { id: 'tab', type: 'tab', label: 'events' },
  { id: 'cfg', type: 'signalwire-config', name: 'SignalWire', space: 'http://127.0.0.1:9' },
  {
    id: 'wide',
    type: 'signalwire-conference-events',
    z: 'tab',
    name: 'announcements',
    signalwire: 'cfg',
    path: '/hooks/announcements',
    events: [...UNOFFERED, 'participant-joined'],
    x: 200,
    y: 80,
    wires: [[]],
  },
  {
    id: 'listed',
    type: 'signalwire-conference-events',
    z: 'tab',
    name: 'from a string',
    signalwire: 'cfg',
    path: '/hooks/listed',
    events: 'participant-join, conference-start',
    x: 200,
    y: 160,
    wires: [[]],
  },
  {
    id: 'first',
    type: 'signalwire-conference-events',
    z: 'tab',
    name: 'first',
    signalwire: 'cfg',
    path: DEFAULT_PATH,
    x: 200,
    y: 240,
    wires: [[]],
  },
  {
    id: 'find',
    type: 'signalwire-conference',
    z: 'tab',
    name: 'find',
    signalwire: 'cfg',
    x: 200,
    y: 320,
    wires: [[], []],
  },
];

/** The parts of the editor's own API these tests call in the page. */
interface EditorWindow {
  RED: {
    nodes: {
      node(id: string): Record<string, unknown> | null;
      eachNode(cb: (n: Record<string, unknown>) => void): void;
    };
    editor: { edit(node: unknown): void };
  };
}

describe('the conference events dialog, in a real browser', function () {
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    fs.mkdirSync(artifacts, { recursive: true });
    red = await startNodeRedProcess({ settings: minimalSettings('', { quietEditor: true }), flows });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  beforeEach(async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(red.url);
    await flowNode(page, 'first').waitFor();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await page.screenshot({ path: path.join(artifacts, `failed-events-${name}.png`) });
    }
  });
  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('offers every event the runtime accepts and keeps, on Done, what it was configured with', async () => {
    await openDialog(page, 'announcements');
    const boxes = page.locator('#node-input-signalwire-events-list input[type=checkbox]');
    const offered = await boxes.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    for (const name of [
      'conference-start',
      'conference-end',
      'participant-join',
      'participant-leave',
      'participant-mute',
      'participant-unmute',
      'participant-hold',
      'participant-unhold',
      'participant-speech-start',
      'participant-speech-stop',
      ...UNOFFERED,
    ]) {
      assert.ok(offered.includes(name), `${name} is offered`);
    }
    const checked = await page
      .locator('#node-input-signalwire-events-list input:checked')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    assert.deepEqual([...checked].sort(), [...UNOFFERED, 'participant-joined'].sort());
    await closeDialog(page, 'ok');
    // A list given as text in a hand-written flow is read as the runtime reads it.
    await openDialog(page, 'from a string');
    const fromText = await page
      .locator('#node-input-signalwire-events-list input:checked')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    assert.deepEqual(fromText.sort(), ['conference-start', 'participant-join']);
    await closeDialog(page, 'ok');
    // A node whose flow says nothing of the signature check or the tolerance shows what the runtime does.
    await openDialog(page, 'first');
    assert.equal(await page.locator('#node-input-verify').isChecked(), true);
    assert.equal(await page.locator('#node-input-timestampTolerance').inputValue(), '15');
    await closeDialog(page, 'ok');
    await deploy(page);
    const deployed = await deployedFlows(red.url);
    const first = deployed.find((n) => n.id === 'first')!;
    assert.deepEqual([first.verify, Number(first.timestampTolerance)], [true, 15]);
    assert.deepEqual(deployed.find((n) => n.id === 'wide')?.events, [...UNOFFERED, 'participant-joined']);
    assert.deepEqual((deployed.find((n) => n.id === 'listed')?.events as string[]).sort(), [
      'conference-start',
      'participant-join',
    ]);
    assert.deepEqual(pageErrors, []);
  });

  for (const [width, height] of [
    [1024, 700],
    [1280, 800],
  ] as const) {
    it(`fits at ${width}x${height}, with the widths and layout of the other dialogs`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(red.url);
      await flowNode(page, 'first').waitFor();
      /** Where the tray, its buttons and its inputs are, in one frame (the tray may still be sliding). */
      const parts = {
        tray: '.red-ui-tray',
        ok: '#node-dialog-ok',
        cancel: '#node-dialog-cancel',
        name: '#node-input-name',
        path: '#node-input-path',
        publicUrl: '#node-input-publicUrl',
      };
      type Box = { left: number; right: number; top: number; bottom: number; width: number };
      const measure = async () => {
        const boxes = await page.evaluate(
          (selectors) =>
            selectors.map((selector) => {
              const all = document.querySelectorAll(selector);
              const r = all[all.length - 1]?.getBoundingClientRect();
              return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width } : null;
            }),
          Object.values(parts),
        );
        const keys = Object.keys(parts) as Array<keyof typeof parts>;
        return {
          ...(Object.fromEntries(keys.map((key, i) => [key, boxes[i]])) as Record<keyof typeof parts, Box | null>),
          viewport: page.viewportSize()!,
        };
      };
      await openDialog(page, 'find');
      await page.waitForTimeout(600); // the tray's slide-in animation
      const other = await measure();
      await closeDialog(page, 'cancel');
      await openDialog(page, 'first');
      await page.waitForTimeout(600);
      const events = await measure();
      await page.screenshot({ path: path.join(artifacts, `events-dialog-${width}x${height}.png`) });
      await closeDialog(page, 'cancel');

      const { viewport } = events;
      for (const key of ['ok', 'cancel'] as const) {
        const b = events[key]!;
        assert.ok(
          b.left >= 0 && b.right <= viewport.width && b.top >= 0,
          `${key} button on screen: ${JSON.stringify(b)}`,
        );
      }
      assert.ok(events.tray!.right <= viewport.width + 1, `tray within the window: ${JSON.stringify(events.tray)}`);
      for (const key of ['name', 'path', 'publicUrl'] as const) {
        const b = events[key]!;
        assert.ok(b.right <= events.tray!.right, `${key} input inside the tray: ${JSON.stringify(b)}`);
      }
      // As wide as the other dialog, its inputs as wide as that dialog's name input.
      assert.ok(
        Math.abs(events.tray!.width - other.tray!.width) <= 2,
        `tray ${events.tray!.width} vs ${other.tray!.width}`,
      );
      assert.ok(
        Math.abs(events.name!.width - other.name!.width) <= 2,
        `name ${events.name!.width} vs ${other.name!.width}`,
      );
      assert.ok(
        Math.abs(events.path!.width - other.name!.width) <= 2,
        `path ${events.path!.width} vs ${other.name!.width}`,
      );
      assert.deepEqual(pageErrors, []);
    });
  }

  it('gives a node dragged from the palette a path no other node uses', async () => {
    await dragFromPalette(page, 'signalwire-conference-events', 500, 420);
    const added = await page.evaluate(() => {
      const { RED } = window as unknown as EditorWindow;
      const paths: string[] = [];
      RED.nodes.eachNode((n) => {
        if (n.type === 'signalwire-conference-events') paths.push(String(n.path));
      });
      return paths;
    });
    assert.equal(added.length, 4);
    assert.equal(new Set(added).size, 4, `paths: ${added.join(', ')}`);
    assert.ok(added.includes(`${DEFAULT_PATH}-2`), added.join(', '));
  });

  it('marks a second node on the same path invalid before deploy, and valid again once it moves or goes', async () => {
    await openDialog(page, 'announcements');
    const pathInput = page.locator('#node-input-path');
    // Express would serve both spellings at one address: so they are one path.
    await pathInput.fill('/SignalWire/conference-events/');
    await pathInput.press('Tab');
    await page.locator('#node-input-path.input-error').waitFor();
    await closeDialog(page, 'ok');
    // The usual red triangle, on the node that was changed and on the one already there.
    for (const name of ['announcements', 'first']) {
      await flowNode(page, name).locator('.red-ui-flow-node-error:not(.hide)').waitFor();
    }
    await page.locator('#red-ui-header-button-deploy').click();
    const warning = page.locator('.red-ui-notification', { hasText: 'not properly configured' });
    await warning.waitFor();
    await page.screenshot({ path: path.join(artifacts, 'events-same-path.png') });
    await warning.locator('button', { hasText: 'Cancel' }).click();
    // Moving it clears the mark.
    await openDialog(page, 'announcements');
    await pathInput.fill('/hooks/announcements');
    await pathInput.press('Tab');
    await page.locator('#node-input-path:not(.input-error)').waitFor();
    await closeDialog(page, 'ok');
    for (const name of ['announcements', 'first']) {
      await flowNode(page, name).locator('.red-ui-flow-node-error.hide').waitFor({ state: 'attached' });
    }
    // Deleting the node that clashed clears the mark on the one left.
    await openDialog(page, 'announcements');
    await pathInput.fill(DEFAULT_PATH);
    await closeDialog(page, 'ok');
    await flowNode(page, 'first').locator('.red-ui-flow-node-error:not(.hide)').waitFor();
    await flowNode(page, 'announcements').locator('rect.red-ui-flow-node').click();
    await page.keyboard.press('Delete');
    await flowNode(page, 'announcements').waitFor({ state: 'detached' });
    await flowNode(page, 'first').locator('.red-ui-flow-node-error.hide').waitFor({ state: 'attached' });
    assert.deepEqual(pageErrors, []);
  });
});
