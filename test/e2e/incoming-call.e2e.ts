// The incoming call and answer call dialogs in a real browser, on a real Node-RED process with this package
// linked in: they fit the screens people use, show the fields of the answer chosen, keep what they were given,
// and catch two nodes SignalWire calls on one path before a deploy does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { closeDialog, deploy, deployedFlows, flowNode, openDialog } from './support/editor-page';
import { dragFromPalette } from './support/palette';
import { minimalSettings, startNodeRedProcess, type NodeRedProcess } from './support/node-red-process';

const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');

/** The join options as a node dragged from the palette holds them: each read from msg.payload. */
const JOIN_OPTIONS = Object.fromEntries(
  ['muted', 'startConferenceOnEnter', 'endConferenceOnExit', 'beep', 'waitUrl'].flatMap((name) => [
    [name, `payload.${name}`],
    [`${name}Type`, 'msg'],
  ]),
);

const flows = [
  { id: 'tab', type: 'tab', label: 'calls' },
  { id: 'cfg', type: 'signalwire-config', name: 'SignalWire', space: 'http://127.0.0.1:9' },
  {
    id: 'ev',
    type: 'signalwire-conference-events',
    z: 'tab',
    name: 'room events',
    signalwire: 'cfg',
    x: 200,
    y: 80,
    wires: [[]],
  },
  {
    id: 'door',
    type: 'signalwire-incoming-call',
    z: 'tab',
    name: 'front door',
    signalwire: 'cfg',
    path: '/signalwire/incoming-call',
    x: 200,
    y: 160,
    wires: [['join', 'message']],
  },
  {
    id: 'join',
    type: 'signalwire-answer',
    z: 'tab',
    name: 'join the room',
    action: 'join',
    actionType: 'answerAction',
    conference: 'Front door',
    conferenceType: 'str',
    ...JOIN_OPTIONS,
    events: '',
    x: 450,
    y: 140,
    wires: [[], []],
  },
  {
    id: 'message',
    type: 'signalwire-answer',
    z: 'tab',
    name: 'a message',
    action: 'say',
    actionType: 'answerAction',
    text: 'Nobody is home',
    textType: 'str',
    ...JOIN_OPTIONS,
    events: '',
    x: 450,
    y: 200,
    wires: [[], []],
  },
  {
    id: 'plain',
    type: 'signalwire-answer',
    z: 'tab',
    action: 'hangup',
    actionType: 'answerAction',
    ...JOIN_OPTIONS,
    events: '',
    x: 450,
    y: 260,
    wires: [[], []],
  },
  {
    id: 'caller',
    type: 'signalwire-call',
    z: 'tab',
    name: 'call in',
    signalwire: 'cfg',
    action: 'call',
    ...Object.fromEntries(
      ['to', 'from', 'conference', 'callSid'].flatMap((name) => [
        [name, name],
        [`${name}Type`, 'msg'],
      ]),
    ),
    timeout: '30',
    timeoutType: 'num',
    ...JOIN_OPTIONS,
    events: '',
    x: 200,
    y: 400,
    wires: [[], []],
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

interface EditorWindow {
  RED: { nodes: { eachNode(cb: (n: Record<string, unknown>) => void): void } };
}

/** Picks an option of a typedInput's fixed-choice menu: opens it, clicks the entry. */
async function chooseOption(page: Page, field: string, label: string): Promise<void> {
  await page.locator(`#node-input-${field}`).locator('xpath=..').locator('.red-ui-typedInput-option-trigger').click();
  await page.locator('.red-ui-typedInput-options a', { hasText: label }).first().click();
}

/** Switches a typedInput to another type (msg, str…) from its type menu. */
async function chooseType(page: Page, field: string, label: string): Promise<void> {
  await page.locator(`#node-input-${field}`).locator('xpath=..').locator('.red-ui-typedInput-type-select').click();
  await page.locator('.red-ui-typedInput-options a', { hasText: label }).first().click();
}

describe('the incoming call and answer call dialogs, in a real browser', function () {
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
    await flowNode(page, 'front door').waitFor();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await page.screenshot({ path: path.join(artifacts, `failed-calls-${name}.png`) });
    }
  });
  after(async () => {
    await browser?.close();
    await red?.stop();
  });

  it('names each node the same in the palette, on the canvas and in its dialog', async () => {
    for (const [type, label] of [
      ['signalwire-incoming-call', 'incoming call'],
      ['signalwire-answer', 'answer call'],
    ]) {
      const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"] .red-ui-palette-label`);
      assert.equal((await entry.textContent())?.replace(/\s+/g, ' ').trim(), label);
    }
    // A node with no name of its own goes by the node's name.
    await openDialog(page, 'answer call');
    assert.equal(await page.locator('.red-ui-tray-titlebar').last().textContent(), 'Edit answer call node');
    await closeDialog(page, 'cancel');
    await openDialog(page, 'front door');
    assert.equal(await page.locator('.red-ui-tray-titlebar').last().textContent(), 'Edit incoming call node');
    await closeDialog(page, 'cancel');
    assert.deepEqual(pageErrors, []);
  });

  for (const [width, height] of [
    [1024, 700],
    [1280, 800],
  ] as const) {
    it(`fits both dialogs at ${width}x${height}, inputs inside the tray, buttons on screen`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(red.url);
      await flowNode(page, 'front door').waitFor();
      for (const [name, inputs] of [
        ['front door', ['path', 'publicUrl', 'answerWithin', 'fallback', 'name']],
        ['join the room', ['action', 'conference', 'muted', 'waitUrl', 'events', 'name']],
        ['a message', ['action', 'text', 'voice', 'language', 'name']],
      ] as const) {
        await openDialog(page, name);
        await page.waitForTimeout(600); // the tray's slide-in animation
        const slug = name.replace(/ /g, '-');
        await page.screenshot({ path: path.join(artifacts, `calls-dialog-${slug}-${width}x${height}.png`) });
        // What the user sees of each: a typedInput hides its <input> inside its container.
        const selectors = [
          '.red-ui-tray',
          '#node-dialog-ok',
          '#node-dialog-cancel',
          ...inputs.map((id) => `#node-input-${id}`),
        ];
        const rects = await page.evaluate(
          (list) =>
            list.map((selector) => {
              const all = document.querySelectorAll(selector);
              const el = all[all.length - 1];
              const typed =
                el?.closest('.red-ui-typedInput-container') ??
                el?.parentElement?.querySelector('.red-ui-typedInput-container');
              const r = (typed ?? el)?.getBoundingClientRect();
              return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width } : null;
            }),
          selectors,
        );
        const [tray, ok, cancel, ...fields] = rects;
        const boxes = { tray, ok, cancel, inputs: inputs.map((id, i) => [id, fields[i]] as const) };
        for (const key of ['ok', 'cancel'] as const) {
          const b = boxes[key]!;
          assert.ok(b.left >= 0 && b.right <= width && b.top >= 0, `${name}: ${key} on screen ${JSON.stringify(b)}`);
        }
        assert.ok(boxes.tray!.right <= width + 1, `${name}: tray within the window`);
        for (const [id, b] of boxes.inputs) {
          assert.ok(b && b.width > 0, `${name}: ${id} is shown ${JSON.stringify(b)}`);
          assert.ok(b.right <= boxes.tray!.right, `${name}: ${id} inside the tray ${JSON.stringify(b)}`);
        }
        await closeDialog(page, 'cancel');
      }
      assert.deepEqual(pageErrors, []);
    });
  }

  it('shows the fields of the answer chosen, all of them when the message says which, and keeps them', async () => {
    await openDialog(page, 'a message');
    assert.equal(await page.locator('#node-input-text').isVisible(), false, 'text is in a typedInput');
    const shown = async () => ({
      join: await page.locator('#signalwire-answer-join').isVisible(),
      options: await page.locator('.signalwire-join-options').isVisible(),
      say: await page.locator('#signalwire-answer-say').isVisible(),
      play: await page.locator('#signalwire-answer-play').isVisible(),
    });
    assert.deepEqual(await shown(), { join: false, options: false, say: true, play: false });
    await chooseOption(page, 'action', 'play a sound, then hang up');
    assert.deepEqual(await shown(), { join: false, options: false, say: false, play: true });
    await chooseOption(page, 'action', 'busy');
    assert.deepEqual(await shown(), { join: false, options: false, say: false, play: false });
    await chooseType(page, 'action', 'msg.');
    assert.deepEqual(await shown(), { join: true, options: true, say: true, play: true });
    await page
      .locator('#node-input-action')
      .locator('xpath=..')
      .locator('input.red-ui-typedInput-input')
      .fill('payload.answer');
    await closeDialog(page, 'ok');
    await deploy(page);
    const saved = (await deployedFlows(red.url)).find((n) => n.id === 'message')!;
    assert.deepEqual([saved.action, saved.actionType, saved.text], ['payload.answer', 'msg', 'Nobody is home']);
    assert.deepEqual(pageErrors, []);
  });

  it('offers the conference events node the room reports to, and asks for a message when the fallback says one', async () => {
    await openDialog(page, 'join the room');
    const options = await page.locator('#node-input-events option').allTextContents();
    assert.ok(
      options.some((o) => o.includes('room events')),
      options.join(' | '),
    );
    await closeDialog(page, 'cancel');
    await openDialog(page, 'front door');
    assert.equal(await page.locator('#node-input-signalwire-fallback-text').isVisible(), false);
    await page.locator('#node-input-fallback').selectOption('say');
    assert.equal(await page.locator('#node-input-signalwire-fallback-text').isVisible(), true);
    await page.locator('#node-input-fallbackText').press('Tab');
    await page.locator('#node-input-fallbackText.input-error').waitFor();
    await page.locator('#node-input-fallbackText').fill('Nobody can take your call');
    await page.locator('#node-input-fallbackText').press('Tab');
    await page.locator('#node-input-fallbackText:not(.input-error)').waitFor();
    await closeDialog(page, 'cancel');
    assert.deepEqual(pageErrors, []);
  });

  it('marks an incoming call node on a conference events node path invalid, both of them, or on the join route', async () => {
    await openDialog(page, 'front door');
    const pathInput = page.locator('#node-input-path');
    await pathInput.fill('/SignalWire/Conference-Events/');
    await pathInput.press('Tab');
    await page.locator('#node-input-path.input-error').waitFor();
    await closeDialog(page, 'ok');
    for (const name of ['front door', 'room events']) {
      await flowNode(page, name).locator('.red-ui-flow-node-error:not(.hide)').waitFor();
    }
    await page.screenshot({ path: path.join(artifacts, 'calls-same-path.png') });
    // The join route the call into conference node has the package serve is taken too.
    await openDialog(page, 'front door');
    await pathInput.fill('/signalwire/join');
    await pathInput.press('Tab');
    await page.locator('#node-input-path.input-error').waitFor();
    await pathInput.fill('/signalwire/incoming-call');
    await closeDialog(page, 'ok');
    for (const name of ['front door', 'room events']) {
      await flowNode(page, name).locator('.red-ui-flow-node-error.hide').waitFor({ state: 'attached' });
    }
    assert.deepEqual(pageErrors, []);
  });

  it('gives an incoming call node dragged from the palette a free path and the connection', async () => {
    await dragFromPalette(page, 'signalwire-incoming-call', 600, 420);
    const added = await page.evaluate(() => {
      const { RED } = window as unknown as EditorWindow;
      const found: Array<{ path: unknown; signalwire: unknown }> = [];
      RED.nodes.eachNode((n) => {
        if (n.type === 'signalwire-incoming-call') found.push({ path: n.path, signalwire: n.signalwire });
      });
      return found;
    });
    assert.deepEqual(added.map((n) => n.path).sort(), ['/signalwire/incoming-call', '/signalwire/incoming-call-2']);
    assert.ok(added.every((n) => n.signalwire === 'cfg'));
    assert.deepEqual(pageErrors, []);
  });
});
