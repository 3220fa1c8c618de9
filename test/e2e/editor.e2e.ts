// The editor as a user meets it: a real Node-RED with this package installed, driven in Debian's Chromium.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { deploy, flowNode } from './support/editor-page';
import { dragFromPalette } from './support/palette';
import { importCopy, importExample } from './support/examples';
import { startNodeRed, type RunningNodeRed } from './support/node-red';

const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');
const conferenceSid = DEMO_SIDS.weeklySync;
const callSid = DEMO_SIDS.bob;

/** The parts of the editor's own API these tests call in the page. */
/** A node as the editor holds it. */
interface EditorNode {
  id: string;
  type: string;
  name?: string;
  signalwire?: string;
}

interface EditorWindow {
  RED: {
    actions: { invoke(name: string): void };
    nodes: {
      node(id: string): unknown;
      workspace(id: string): { label: string } | undefined;
      getWorkspaceOrder(): string[];
      filterNodes(filter: { z?: string; type?: string }): EditorNode[];
      eachConfig(callback: (node: EditorNode) => void): void;
    };
    utils: { getNodeLabel(node: EditorNode): string };
    workspaces: { show(id: string): void };
    sidebar: { help: { show(type: string): void } };
  };
}

/** The one name each node goes by: in the palette, on the canvas, in its dialog and its help, in the README. */
const NAMES: Record<string, string> = {
  'signalwire-participant-update': 'participant update',
  'signalwire-conference': 'conference',
  'signalwire-participants': 'participants',
  'signalwire-participants-update': 'update all',
  'signalwire-conference-events': 'conference events',
  'signalwire-call': 'call into conference',
  'signalwire-incoming-call': 'incoming call',
  'signalwire-answer': 'answer call',
};
const CONNECTION_NAME = 'SignalWire connection';

/** The title of the edit tray on top, e.g. "Edit participant update node" (the last of its breadcrumbs). */
async function trayTitle(page: Page): Promise<string> {
  const titlebar = page.locator('.red-ui-tray-header .red-ui-tray-titlebar').last();
  return (await titlebar.locator('.red-ui-tray-breadcrumbs li').last().innerText()).trim();
}

/** The title the help sidebar gives the type. */
async function helpTitle(page: Page, type: string): Promise<string> {
  await page.evaluate((t) => (window as unknown as EditorWindow).RED.sidebar.help.show(t), type);
  return (await page.locator('.red-ui-help-title').innerText()).trim();
}

const links = (page: Page) => page.locator('#red-ui-workspace-chart path.red-ui-flow-link-line');

/** Drags a wire from one port to another, and waits for the editor to draw it. */
async function wire(page: Page, from: Locator, to: Locator): Promise<void> {
  const before = await links(page).count();
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  assert.ok(a && b, 'both ports are visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.up();
  await links(page).nth(before).waitFor({ state: 'attached' });
}

/** Picks a type in a typedInput's type menu, e.g. "bool" or "str", and checks the field took it. */
async function chooseType(page: Page, field: string, type: string): Promise<Locator> {
  const container = page.locator(`#node-input-${field} + .red-ui-typedInput-container`);
  const typeField = page.locator(`#node-input-${field}Type`);
  const openMenu = page.locator('.red-ui-typedInput-options:visible');
  for (let attempt = 1; (await typeField.inputValue()) !== type; attempt++) {
    assert.ok(attempt <= 3, `the ${field} field did not take the type ${type}`);
    // Start with every menu closed: one still sliding shut would take the key meant for this one.
    if ((await openMenu.count()) > 0) await openMenu.first().locator('a').first().press('Escape');
    await openMenu.first().waitFor({ state: 'hidden' });
    await container.locator('.red-ui-typedInput-type-select').click();
    // The menu slides open; the keyboard reaches the entry wherever the slide has got to, where a mouse click
    // on a busy machine can land beside it.
    await openMenu.locator(`a[value="${type}"]`).press('Enter');
  }
  return container;
}

/** The inputs in `scope` whose placeholder is wider than the room the input gives its text. */
async function cutPlaceholders(scope: Locator): Promise<string[]> {
  return scope.locator('input[placeholder]:visible').evaluateAll((inputs) =>
    (inputs as HTMLInputElement[])
      .filter((input) => {
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = style.font;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return context.measureText(input.placeholder).width > room;
      })
      .map((input) => `${input.id}: "${input.placeholder}"`),
  );
}

describe('the editor, in a real browser', function () {
  // Each step builds on the one before it.
  this.bail(true);

  const token = `PTe2e${randomBytes(12).toString('hex')}`;
  let emulator: Emulator;
  let nodeRed: RunningNodeRed;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    fs.mkdirSync(artifacts, { recursive: true });
    emulator = await startEmulator({ token });
    nodeRed = await startNodeRed();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(nodeRed.url);
    await page.locator('.red-ui-palette-node[data-palette-type="inject"]').waitFor();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await page.screenshot({ path: path.join(artifacts, `failed-${name}.png`) });
    }
  });

  after(async function () {
    await browser?.close();
    await nodeRed?.stop();
    await emulator?.close();
  });

  it('lists the participant update node under SignalWire in the palette, with its icon', async function () {
    const category = page.locator('.red-ui-palette-category', {
      has: page.locator('.red-ui-palette-header', { hasText: /^SignalWire$/ }),
    });
    const entry = category.locator('.red-ui-palette-node[data-palette-type="signalwire-participant-update"]');
    await entry.waitFor();
    assert.equal((await entry.innerText()).replace(/\s+/g, ' ').trim(), 'participant update');

    const icon = await entry.locator('.red-ui-palette-icon').evaluate((el) => getComputedStyle(el).backgroundImage);
    const iconUrl = /url\("(.+)"\)/.exec(icon)?.[1] ?? '';
    assert.ok(iconUrl.endsWith('/signalwire-participant.svg'), `the palette shows our icon, got ${icon}`);
    const served = await page.request.get(iconUrl);
    assert.equal(served.status(), 200);
    assert.match(served.headers()['content-type'] ?? '', /svg/);

    await entry.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'palette.png') });
  });

  it('finds the node when the palette is searched for its name or the package: participant, update, signalwire', async function () {
    const search = page.locator('#red-ui-palette-search input');
    const entry = page.locator('.red-ui-palette-node[data-palette-type="signalwire-participant-update"]');
    const inject = page.locator('.red-ui-palette-node[data-palette-type="inject"]');
    for (const term of ['participant', 'update', 'signalwire']) {
      await search.fill('');
      await search.pressSequentially(term); // the palette filters on key presses, as a person types
      // The filter has run once it hides what does not match; then the node must still be there.
      await inject.waitFor({ state: 'hidden' });
      assert.ok(await entry.isVisible(), `searching for "${term}" shows the node`);
    }
    await page.locator('#red-ui-palette-search .red-ui-searchBox-clear').click();
    // The editor can leave other categories folded away after a search; a fresh page starts the next step clean.
    await page.reload();
    await inject.waitFor({ state: 'visible' });
  });

  it('names each node once: the same name in the palette, on the canvas, in its dialog and in its help', async function () {
    const named: Array<{ type: string; palette: string; canvas: string; dialog: string; help: string }> = [];
    for (const type of Object.keys(NAMES)) {
      const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
      await entry.scrollIntoViewIfNeeded();
      const palette = (await entry.innerText()).replace(/\s+/g, ' ').trim();
      const id = await dragFromPalette(page, type, 760, 140);
      const node = page.locator(`[id="${id}"]`);
      const canvas = ((await node.locator('.red-ui-flow-node-label text').textContent()) ?? '').trim();
      await node.locator('rect.red-ui-flow-node').dblclick();
      await page.locator('#node-dialog-cancel').waitFor();
      const dialog = await trayTitle(page);
      await page.locator('#node-dialog-cancel').click();
      await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
      const help = await helpTitle(page, type);
      await node.locator('rect.red-ui-flow-node').click();
      await page.keyboard.press('Delete');
      await node.waitFor({ state: 'detached' });
      named.push({ type, palette, canvas, dialog, help });
    }
    assert.deepEqual(
      named,
      Object.entries(NAMES).map(([type, name]) => ({
        type,
        palette: name,
        // An unnamed conference or participants node says what its action does: "find conference".
        canvas:
          { 'signalwire-conference': 'find conference', 'signalwire-participants': 'list participants' }[type] ?? name,
        dialog: `Edit ${name} node`,
        help: name,
      })),
    );

    // The connection is "SignalWire connection" in its dialogs and its help, not its type.
    await dragFromPalette(page, 'signalwire-participant-update', 760, 140);
    const update = flowNode(page, 'participant update');
    await update.locator('rect.red-ui-flow-node').dblclick();
    await page.locator('#node-input-btn-signalwire-add').click();
    await page.locator('#node-config-input-space').waitFor();
    assert.equal(await trayTitle(page), `Add new ${CONNECTION_NAME} config node`);
    await page.locator('#node-config-dialog-cancel').click();
    await page.locator('#node-config-input-space').waitFor({ state: 'detached' });
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
    assert.equal(await helpTitle(page, 'signalwire-config'), CONNECTION_NAME);
    await update.locator('rect.red-ui-flow-node').click();
    await page.keyboard.press('Delete');
    await update.waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(artifacts, 'names-help.png') });
    assert.deepEqual(pageErrors, []);
  });
  it('creates the connection from the edit dialog, checks it, and sets Muted = true in the form', async function () {
    await dragFromPalette(page, 'signalwire-participant-update', 560, 300);
    const node = flowNode(page, 'participant update');
    await node.waitFor();
    await node.locator('rect.red-ui-flow-node').dblclick();

    const tray = page.locator('.red-ui-tray').last();
    await tray.locator('#node-input-signalwire').waitFor();
    // The "+" beside the connection list adds a new config node.
    await page.locator('#node-input-btn-signalwire-add').click();
    await page.locator('#node-config-input-space').waitFor();
    // Every hint in an empty field reads whole, on a large screen and a small one.
    for (const size of [
      { width: 1280, height: 800 },
      { width: 1024, height: 700 },
    ]) {
      await page.setViewportSize(size);
      assert.deepEqual(
        await cutPlaceholders(page.locator('.red-ui-tray').last()),
        [],
        `at ${size.width}x${size.height}`,
      );
      await page.screenshot({ path: path.join(artifacts, `config-dialog-${size.width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('#node-config-input-space').fill(emulator.url);
    await page.locator('#node-config-input-projectId').fill(emulator.projectId);
    assert.equal(await trayTitle(page), `Add new ${CONNECTION_NAME} config node`);
    // A wrong token first: the check says so, then the right one connects.
    await page.locator('#node-config-input-token').fill(`${token}-wrong`);
    await page.locator('#node-config-signalwire-check').click();
    await page.locator('#node-config-signalwire-check-result', { hasText: 'Wrong project ID or token' }).waitFor();
    await page.locator('#node-config-input-token').fill(token);

    // Each failure says why, in a few words.
    const result = page.locator('#node-config-signalwire-check-result');
    const space = page.locator('#node-config-input-space');
    const closed = await startEmulator();
    const closedUrl = closed.url;
    await closed.close();
    await space.fill(closedUrl);
    await page.locator('#node-config-signalwire-check').click();
    await result.filter({ hasText: /^Not reachable: connection refused$/ }).waitFor();
    // A 64-character label is refused by the resolver itself, so no DNS server is asked.
    const unknownHost = `${'x'.repeat(64)}.signalwire.com`;
    await space.fill(`https://${unknownHost}`);
    await page.locator('#node-config-signalwire-check').click();
    await result.filter({ hasText: `Not reachable: no such space: ${unknownHost}` }).waitFor();
    await space.fill(emulator.url);
    await page.locator('#node-config-signalwire-advanced-toggle').click();
    await page.locator('#node-config-input-timeout').fill('1');
    emulator.setFaults([{ kind: 'hang', count: 1 }]);
    await page.locator('#node-config-signalwire-check').click();
    await result.filter({ hasText: /^Not reachable: no answer within 1 ms$/ }).waitFor();
    emulator.setFaults([]);
    await page.locator('#node-config-input-timeout').fill('10000');

    // Success names the space and the project reached.
    await page.locator('#node-config-signalwire-check').click();
    await result.filter({ hasText: `Connected to ${emulator.url}, project ${emulator.projectId}` }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'config-dialog.png') });
    await page.locator('#node-config-dialog-ok').click();
    await page.locator('#node-config-input-space').waitFor({ state: 'detached' });
    assert.equal(await page.locator('#node-input-signalwire option:checked').innerText(), emulator.url);

    const muted = await chooseType(page, 'muted', 'bool');
    assert.equal((await muted.locator('.red-ui-typedInput-option-label').innerText()).trim(), 'true');
    assert.equal(await page.locator('#node-input-mutedType').inputValue(), 'bool');
    assert.equal(await page.locator('#node-input-muted').inputValue(), 'true');
  });

  it('groups the options by task, with the "unchanged" hint first and every label on one line', async function () {
    const tray = page.locator('.red-ui-tray').last();
    const groups = await tray.locator('.signalwire-options-group').evaluateAll((elements) =>
      elements.map((group) => ({
        title: group.querySelector('h4')?.textContent?.trim(),
        fields: Array.from(group.querySelectorAll('input[id^="node-input-"]:not([id$="Type"])')).map((i) =>
          i.id.slice(11),
        ),
      })),
    );
    assert.deepEqual(groups, [
      { title: 'Mute', fields: ['muted'] },
      { title: 'Hold and its music', fields: ['hold', 'holdUrl', 'holdMethod'] },
      { title: 'Announce', fields: ['announceUrl', 'announceMethod'] },
      { title: 'Wait music', fields: ['waitUrl', 'waitMethod'] },
      { title: 'Coaching', fields: ['coaching', 'callSidToCoach'] },
    ]);
    assert.equal(await tray.locator('#node-input-beep').count(), 0, 'Beep is not a field of this update');

    // The hint comes before any field.
    const tip = tray.locator('.signalwire-unchanged-tip');
    assert.match(await tip.innerText(), /"unchanged".*is not sent/);
    const tipTop = (await tip.boundingBox())!.y;
    const firstRowTop = (await tray.locator('.form-row').first().boundingBox())!.y;
    assert.ok(tipTop < firstRowTop, `the hint (y=${tipTop}) is above the first field (y=${firstRowTop})`);

    // No label wraps onto a second line, and none is cut short.
    const labels = await tray.locator('.form-row > label:visible').evaluateAll((elements) =>
      elements.map((label) => {
        // The lines the label's text sits on (its icon is drawn a little higher, so only text counts).
        const lines = new Set<number>();
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          if (!text.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(text);
          for (const rect of Array.from(range.getClientRects())) lines.add(Math.round(rect.bottom));
        }
        return { text: label.textContent?.trim(), lines: lines.size, cut: label.scrollWidth > label.clientWidth };
      }),
    );
    assert.ok(labels.length >= 14, `found ${labels.length} labels`);
    assert.deepEqual(
      labels.filter((l) => l.lines !== 1 || l.cut),
      [],
      'labels that wrap or are cut',
    );
    const coachLabel = await tray.locator('label[for="node-input-callSidToCoach"]').innerText();
    assert.equal(coachLabel.trim(), 'Call being coached');

    // URL fields show what a URL looks like.
    const holdUrl = await chooseType(page, 'holdUrl', 'str');
    assert.equal(
      await holdUrl.locator('input.red-ui-typedInput-input').getAttribute('placeholder'),
      'https://example.com/hold-music.mp3',
    );
    for (const [field, example] of [
      ['announceUrl', 'https://example.com/announcement.xml'],
      ['waitUrl', 'https://example.com/wait-music.mp3'],
    ]) {
      const input = tray.locator(`#node-input-${field} + .red-ui-typedInput-container input.red-ui-typedInput-input`);
      assert.equal(await input.getAttribute('placeholder'), example, field);
    }
    const back = await chooseType(page, 'holdUrl', 'msg');
    await back.locator('input.red-ui-typedInput-input').fill('payload.holdUrl');
    await page.setViewportSize({ width: 1280, height: 1240 });
    await page.screenshot({ path: path.join(artifacts, 'edit-dialog-groups.png') });
    // The README's picture of the dialog (docs/editor.png).
    await tray.screenshot({ path: path.join(artifacts, 'editor.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('marks a malformed SID as invalid in the form until it is fixed', async function () {
    const conference = await chooseType(page, 'conferenceSid', 'str');
    await conference.locator('input.red-ui-typedInput-input').fill('../not-a-sid');
    await conference.locator('input.red-ui-typedInput-input').press('Tab');
    await page.locator('#node-input-conferenceSid + .red-ui-typedInput-container.input-error').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'edit-dialog-invalid.png') });

    await conference.locator('input.red-ui-typedInput-input').fill(conferenceSid);
    await conference.locator('input.red-ui-typedInput-input').press('Tab');
    await page.locator('#node-input-conferenceSid + .red-ui-typedInput-container:not(.input-error)').waitFor();

    const call = await chooseType(page, 'callSid', 'str');
    await call.locator('input.red-ui-typedInput-input').fill(callSid);
    await call.locator('input.red-ui-typedInput-input').press('Tab');
    await page.locator('#node-input-callSid + .red-ui-typedInput-container:not(.input-error)').waitFor();
    assert.equal(await page.locator('.red-ui-tray .input-error').count(), 0, 'no field is marked invalid');
    await page.screenshot({ path: path.join(artifacts, 'edit-dialog.png') });

    await page.locator('#node-dialog-ok').click();
    await page.locator('#node-input-signalwire').waitFor({ state: 'detached' });
    // A valid node carries no red triangle.
    assert.equal(await flowNode(page, 'participant update').locator('.red-ui-flow-node-error:visible').count(), 0);
  });

  it('deploys, and clicking inject mutes the participant: the debug sidebar shows "muted": true', async function () {
    assert.equal(emulator.getParticipant(conferenceSid, callSid)?.muted, false, 'Bob starts unmuted');

    await dragFromPalette(page, 'inject', 330, 300);
    await dragFromPalette(page, 'debug', 800, 260);
    const inject = flowNode(page, 'timestamp');
    const update = flowNode(page, 'participant update');
    const debug = flowNode(page, /^debug/);
    await wire(page, inject.locator('.red-ui-flow-port-output').first(), update.locator('.red-ui-flow-port-input'));
    await wire(page, update.locator('.red-ui-flow-port-output').first(), debug.locator('.red-ui-flow-port-input'));
    assert.equal(await links(page).count(), 2);
    await deploy(page);

    await page.locator('#red-ui-tab-debug-link-button').click();
    await inject.locator('.red-ui-flow-node-button').click();

    const message = page.locator('.red-ui-debug-msg').first();
    await message.waitFor();
    await message.locator('.red-ui-debug-msg-element').first().click(); // expand the object
    const mutedKey = message.locator('.red-ui-debug-msg-object-key:visible', { hasText: /^muted$/ });
    await mutedKey.waitFor();
    assert.equal((await mutedKey.locator('..').innerText()).replace(/\s+/g, ' ').trim(), 'muted: true');
    assert.match(await message.innerText(), new RegExp(`call_sid\\s*:\\s*"${callSid}"`));

    assert.equal(emulator.getParticipant(conferenceSid, callSid)?.muted, true, 'the emulator has Bob muted');
    await update.locator('.red-ui-flow-node-status-label', { hasText: /muted/ }).waitFor();
    // Notifications close by themselves; the screenshot is clearer without them.
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-notification').length === 0);
    await page.screenshot({ path: path.join(artifacts, 'debug-sidebar.png') });
    assert.deepEqual(pageErrors, [], 'the editor raised no script errors');
  });

  it('never sends the stored token back: not in the page, not in GET /flows', async function () {
    const flows = await page.request.get(`${nodeRed.url}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } });
    assert.equal(flows.status(), 200);
    const flowsText = await flows.text();
    const config = (JSON.parse(flowsText).flows as { type: string; id: string }[]).find(
      (n) => n.type === 'signalwire-config',
    );
    assert.ok(config, 'the deployed flows hold the config node');
    assert.ok(!flowsText.includes(token), 'GET /flows does not contain the token');

    // The runtime does hold it: the editor is only told that a token is stored.
    const credentials = await page.request.get(`${nodeRed.url}/credentials/signalwire-config/${config.id}`);
    const stored = await credentials.json();
    assert.equal(stored.has_token, true);
    assert.equal(stored.projectId, emulator.projectId);
    assert.ok(!JSON.stringify(stored).includes(token));

    await page.reload();
    await flowNode(page, 'participant update').waitFor();
    assert.ok(!(await page.content()).includes(token), 'the page HTML does not contain the token');
    for (const file of fs.readdirSync(nodeRed.userDir).filter((f) => f.endsWith('.json'))) {
      assert.ok(
        !fs.readFileSync(path.join(nodeRed.userDir, file), 'utf8').includes(token),
        `${file} has no token in clear`,
      );
    }
  });

  /** The SignalWire connections in the editor, with the label it shows for each. */
  async function connections(): Promise<Array<{ id: string; label: string }>> {
    return page.evaluate(() => {
      const { RED } = window as unknown as EditorWindow;
      const found: Array<{ id: string; label: string }> = [];
      RED.nodes.eachConfig((node) => {
        if (node.type === 'signalwire-config') found.push({ id: node.id, label: RED.utils.getNodeLabel(node) });
      });
      return found;
    });
  }

  /** The connection of each SignalWire node on the tab with that label. */
  async function connectionsUsedOn(tabLabel: string): Promise<string[]> {
    return page.evaluate((label) => {
      const { RED } = window as unknown as EditorWindow;
      const tab = RED.nodes.getWorkspaceOrder().find((id) => RED.nodes.workspace(id)?.label === label)!;
      return RED.nodes
        .filterNodes({ z: tab })
        .filter((node) => node.type.startsWith('signalwire-'))
        .map((node) => String(node.signalwire));
    }, tabLabel);
  }

  /** Shows the tab with that label and clicks the button of the inject node with that name on it. */
  async function pressOn(tabLabel: string, injectName: string): Promise<void> {
    const id = await page.evaluate(
      ([label, name]) => {
        const { RED } = window as unknown as EditorWindow;
        const tab = RED.nodes.getWorkspaceOrder().find((id) => RED.nodes.workspace(id)?.label === label)!;
        RED.workspaces.show(tab);
        return RED.nodes.filterNodes({ z: tab, type: 'inject' }).find((node) => node.name === name)!.id;
      },
      [tabLabel, injectName],
    );
    await page.locator(`[id="${id}"] .red-ui-flow-node-button`).click();
  }

  it('imports two examples into one connection: Node-RED asks about the second, "Import copy" keeps the one', async function () {
    assert.doesNotMatch(emulator.url, /:8080$/, 'the emulator is not on the port the examples used to name');
    const mine = await connections();
    assert.equal(mine.length, 1, 'the connection made in the dialog before');
    await importExample(page, 'mute-unmute');
    const question = page.locator('.red-ui-notification', { hasText: 'already exist in your workspace' });
    assert.equal(await question.count(), 0, 'the first example asks nothing');
    await importExample(page, 'hold-with-music');
    // Its connection is already there: Node-RED asks, and a copy keeps the connection that exists.
    await importCopy(page);

    const all = await connections();
    assert.equal(all.length, 2, `one connection for both examples, beside mine: ${JSON.stringify(all)}`);
    const examples = all.find((c) => c.id !== mine[0]!.id)!;
    assert.equal(examples.label, 'SignalWire (environment)');
    for (const tab of ['Mute and unmute', 'Hold with music']) {
      const used = await connectionsUsedOn(tab);
      assert.ok(used.length > 0 && used.every((id) => id === examples.id), `${tab}: ${used}`);
    }

    // The examples' connection reads the demo's environment: no address to edit, whatever port the emulator has.
    const saved = { ...process.env };
    process.env.SIGNALWIRE_SPACE = emulator.url;
    process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
    process.env.SIGNALWIRE_TOKEN = token;
    try {
      await deploy(page);
      const lines = page.locator('.red-ui-debug-msg-payload');
      assert.equal(emulator.getParticipant(conferenceSid, callSid)?.muted, true, 'Bob is muted from before');
      await pressOn('Mute and unmute', 'unmute Bob');
      await lines.filter({ hasText: '"Bob: unmuted"' }).waitFor();
      assert.equal(emulator.getParticipant(conferenceSid, callSid)?.muted, false);
      await pressOn('Hold with music', 'hold Bob');
      await lines.filter({ hasText: '"Bob: on hold"' }).waitFor();
      assert.equal(emulator.getParticipant(conferenceSid, callSid)?.hold, true);
      await page.screenshot({ path: path.join(artifacts, 'examples-imported.png') });
    } finally {
      for (const name of ['SIGNALWIRE_SPACE', 'SIGNALWIRE_PROJECT_ID', 'SIGNALWIRE_TOKEN']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('starts a node dropped from the palette with the connection the nodes on its tab use', async function () {
    const [mine, examples] = await connections().then((all) => [all[0]!.id, all[1]!.id]);
    const dropped: Record<string, string> = {};
    for (const type of ['signalwire-participant-update', 'signalwire-conference-events']) {
      for (const [tab, x, y] of [
        ['Hold with music', 700, 520],
        ['Flow 1', 700, 140],
      ] as const) {
        await page.evaluate((label) => {
          const { RED } = window as unknown as EditorWindow;
          RED.workspaces.show(RED.nodes.getWorkspaceOrder().find((id) => RED.nodes.workspace(id)?.label === label)!);
        }, tab);
        const id = await dragFromPalette(page, type, x, y);
        const node = await page.evaluate((added) => {
          const { RED } = window as unknown as EditorWindow;
          return { id: added, signalwire: String((RED.nodes.node(added) as EditorNode).signalwire) };
        }, id);
        dropped[`${type} on ${tab}`] = node.signalwire;
        // Nothing to fix before it can run: no red triangle.
        assert.equal(await page.locator(`[id="${node.id}"] .red-ui-flow-node-error:visible`).count(), 0, tab);
        await page.locator(`[id="${node.id}"] rect.red-ui-flow-node`).click();
        await page.keyboard.press('Delete');
        await page.locator(`[id="${node.id}"]`).waitFor({ state: 'detached' });
      }
    }
    assert.deepEqual(dropped, {
      'signalwire-participant-update on Hold with music': examples,
      'signalwire-participant-update on Flow 1': mine,
      'signalwire-conference-events on Hold with music': examples,
      'signalwire-conference-events on Flow 1': mine,
    });
  });

  it('lists the conference, participants and update all nodes under SignalWire, with their icon', async function () {
    for (const type of ['signalwire-conference', 'signalwire-participants', 'signalwire-participants-update']) {
      const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
      await entry.scrollIntoViewIfNeeded();
      assert.ok(await entry.isVisible(), type);
      const category = await entry.evaluate((el) => el.closest('.red-ui-palette-category')?.id ?? '');
      assert.match(category, /SignalWire/i, type);
      const icon = await entry.locator('.red-ui-palette-icon').evaluate((el) => getComputedStyle(el).backgroundImage);
      assert.match(icon, /signalwire-participant\.svg/, type);
    }
  });

  it('gives update all the same grouped option fields as participant update, plus Except and the moderators box', async function () {
    await dragFromPalette(page, 'signalwire-participants-update', 560, 460);
    const node = flowNode(page, 'update all');
    await node.waitFor();
    await node.locator('rect.red-ui-flow-node').dblclick();
    const tray = page.locator('.red-ui-tray').last();
    await tray.locator('#node-input-except').waitFor({ state: 'attached' });
    const groups = await tray.locator('.signalwire-options-group').evaluateAll((elements) =>
      elements.map((group) => ({
        title: group.querySelector('h4')?.textContent?.trim(),
        fields: Array.from(group.querySelectorAll('input[id^="node-input-"]:not([id$="Type"])')).map((i) =>
          i.id.slice(11),
        ),
      })),
    );
    assert.deepEqual(groups, [
      { title: 'Mute', fields: ['muted'] },
      { title: 'Hold and its music', fields: ['hold', 'holdUrl', 'holdMethod'] },
      { title: 'Announce', fields: ['announceUrl', 'announceMethod'] },
      { title: 'Wait music', fields: ['waitUrl', 'waitMethod'] },
      { title: 'Coaching', fields: ['coaching', 'callSidToCoach'] },
    ]);
    assert.equal(await tray.locator('#node-input-exceptType').inputValue(), 'msg');
    // Leaving nobody out is called what it is.
    const except = await chooseType(page, 'except', 'unchanged');
    assert.equal((await except.innerText()).trim(), 'nobody');
    await chooseType(page, 'except', 'msg');
    assert.equal(await tray.locator('#node-input-skipModerators').isChecked(), false);
    assert.match(await tray.locator('label[for="node-input-skipModerators"]').innerText(), /Leave moderators alone/);
    // Its own fields sit beside their labels, lined up with the shared ones.
    // Measured in one frame: the tray may still be sliding in.
    const beside = await tray.evaluate((el) =>
      ['conferenceSid', 'except', 'muted'].map((field) => {
        const label = el.querySelector(`label[for="node-input-${field}"]`)!.getBoundingClientRect();
        const input = el.querySelector(`#node-input-${field} + .red-ui-typedInput-container`)!.getBoundingClientRect();
        return { field, beside: input.left >= label.right - 1 && input.top < label.bottom };
      }),
    );
    assert.deepEqual(
      beside.filter((f) => !f.beside).map((f) => f.field),
      [],
      'fields below their label instead of beside it',
    );
    // A fixed conference SID is checked as in participant update.
    const conference = await chooseType(page, 'conferenceSid', 'str');
    await conference.locator('input.red-ui-typedInput-input').fill('Weekly sync');
    await conference.locator('input.red-ui-typedInput-input').press('Tab');
    await page.locator('#node-input-conferenceSid + .red-ui-typedInput-container.input-error').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'update-all-dialog.png') });
    await page.locator('#node-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' });
  });

  it('shows in the conference dialog only the fields its action reads', async function () {
    await dragFromPalette(page, 'signalwire-conference', 560, 540);
    const node = flowNode(page, 'find conference');
    await node.waitFor();
    await node.locator('rect.red-ui-flow-node').dblclick();
    const tray = page.locator('.red-ui-tray').last();
    const row = (field: string) =>
      tray.locator(`#node-input-${field}`).locator('xpath=ancestor::div[contains(@class,"form-row")][1]');
    await row('friendlyName').waitFor();
    assert.equal(await row('announceUrl').isVisible(), false, 'find reads no announce URL');
    await tray.locator('#node-input-action').selectOption('announce');
    await row('announceUrl').waitFor();
    assert.equal(await row('friendlyName').isVisible(), false, 'announce reads no name');
    assert.equal(await row('conferenceSid').isVisible(), true);
    await tray.locator('#node-input-action').selectOption('list');
    await row('status').waitFor();
    assert.equal(await row('conferenceSid').isVisible(), false, 'list reads no SID');
    await page.locator('#node-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('conference events: its dialog, the Signing Key in the connection, and the key never sent back', async function () {
    const signingKey = `PSK_e2e${randomBytes(12).toString('hex')}`;
    await dragFromPalette(page, 'signalwire-conference-events', 330, 420);
    const node = flowNode(page, 'conference events');
    await node.waitFor();
    await node.locator('rect.red-ui-flow-node').dblclick();
    await page.locator('#node-input-path').waitFor();
    assert.equal(await page.locator('#node-input-path').inputValue(), '/signalwire/conference-events');
    assert.equal(await page.locator('#node-input-verify').isChecked(), true);
    assert.equal(await page.locator('#node-input-signalwire-events-list input[type=checkbox]').count(), 21);

    // The connection made earlier, with the Signing Key typed in its dialog (the pencil beside the list).
    await page.locator('#node-input-signalwire').selectOption({ label: emulator.url });
    await page.locator('#node-input-btn-signalwire-edit').click();
    await page.locator('#node-config-input-signingKey').waitFor();
    assert.equal(await trayTitle(page), `Edit ${CONNECTION_NAME} node`);
    assert.equal(await page.locator('#node-config-input-signingKey').getAttribute('type'), 'password');
    await page.locator('#node-config-input-signingKey').fill(signingKey);
    await page.locator('#node-config-dialog-ok').click();
    await page.locator('#node-config-input-signingKey').waitFor({ state: 'detached' });

    // A path Express would read as a pattern is marked invalid until it is fixed.
    await page.locator('#node-input-path').fill('/hooks/:id');
    await page.locator('#node-input-path').press('Tab');
    await page.locator('#node-input-path.input-error').waitFor();
    await page.locator('#node-input-path').fill('/hooks/conference');
    await page.locator('#node-input-path').press('Tab');
    await page.locator('#node-input-path:not(.input-error)').waitFor();
    await page.locator('label[for="node-input-signalwire-event-participant-join"]').click();
    // Switching the check off shows the warning at once.
    await page.locator('#node-input-verify').uncheck();
    await page.locator('#node-input-signalwire-verify-warning:visible').waitFor();
    await page.locator('#node-input-verify').check();
    await page.screenshot({ path: path.join(artifacts, 'events-dialog.png') });
    await page.locator('#node-dialog-ok').click();
    await page.locator('#node-input-path').waitFor({ state: 'detached' });
    // Nodes the steps before left unconfigured make the editor ask first; this node is not among them.
    await page.locator('#red-ui-header-button-deploy').click();
    const success = page.locator('.red-ui-notification', { hasText: 'Successfully deployed' });
    const confirm = page.locator('.red-ui-notification', { hasText: 'not properly configured' });
    await Promise.race([success.waitFor(), confirm.waitFor()]);
    if (await confirm.isVisible()) {
      assert.doesNotMatch(await confirm.innerText(), /signalwire-conference-events/);
      await confirm.locator('button', { hasText: 'Confirm deploy' }).click();
      await success.waitFor();
    }
    await page.locator('#red-ui-header-button-deploy.disabled').waitFor();
    // This runtime serves no node HTTP (httpNodeRoot: false): the node says so rather than failing quietly.
    await node.locator('.red-ui-flow-node-status-label', { hasText: 'HTTP disabled' }).waitFor();

    const flows = await page.request.get(`${nodeRed.url}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } });
    const flowsText = await flows.text();
    const deployed = JSON.parse(flowsText).flows as Array<Record<string, unknown>>;
    const events = deployed.find((n) => n.type === 'signalwire-conference-events');
    assert.deepEqual([events?.path, events?.events, events?.verify], ['/hooks/conference', ['participant-join'], true]);
    assert.ok(!flowsText.includes(signingKey), 'GET /flows does not contain the signing key');
    const config = deployed.find((n) => n.id === events?.signalwire)!;
    const stored = await (await page.request.get(`${nodeRed.url}/credentials/signalwire-config/${config.id}`)).json();
    assert.equal(stored.has_signingKey, true);
    assert.equal(stored.has_token, true);
    assert.ok(!JSON.stringify(stored).includes(signingKey) && !JSON.stringify(stored).includes(token));

    await page.reload();
    await flowNode(page, 'conference events').waitFor();
    assert.ok(!(await page.content()).includes(signingKey), 'the page HTML does not contain the signing key');
    for (const file of fs.readdirSync(nodeRed.userDir).filter((f) => f.endsWith('.json'))) {
      const text = fs.readFileSync(path.join(nodeRed.userDir, file), 'utf8');
      assert.ok(!text.includes(signingKey), `${file} has no signing key in clear`);
    }
    assert.deepEqual(pageErrors, [], 'the editor raised no script errors');
  });
});
