// `npm start` as a newcomer runs it: the start script brings up the emulator and Node-RED with the demo flow, each
// part of the demo fits one screen, the buttons change the seeded conference and say so in one line each, an
// example imported into the demo shares its connection and works in any order, and Ctrl-C stops it all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_SIDS } from '../../src/emulator';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { importCopy, importExample } from './support/examples';
import { assertBuilt } from './support/node-red';
import { runNpmStart, type RunningStart } from './support/npm-start';

const repoRoot = path.resolve(__dirname, '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');
const TABS = {
  one: 'demo-tab-one',
  everyone: 'demo-tab-everyone',
  joins: 'demo-tab-joins',
  dashboard: 'demo-dashboard-tab',
  call: 'demo-tab-call',
  callIn: 'demo-tab-call-in',
};

/** A node or wire as the editor holds it, as far as these tests read it. */
interface EditorNode {
  id: string;
  type: string;
  name?: string;
  z?: string;
  x: number;
  y: number;
  w: number;
  h: number;
}
interface EditorWindow {
  RED: {
    workspaces: { show(id: string): void };
    nodes: {
      filterNodes(filter: { z?: string; type?: string }): EditorNode[];
      eachConfig(callback: (node: EditorNode) => void): void;
      getWorkspaceOrder(): string[];
      workspace(id: string): { label: string } | undefined;
    };
  };
}

async function showTab(page: Page, id: string): Promise<void> {
  await page.evaluate((tab) => (window as unknown as EditorWindow).RED.workspaces.show(tab), id);
  await page.locator(`#red-ui-tab-${id}.active`).waitFor();
}

/** What of the tab shown lies outside the workspace the screen shows (node, button, status, comment). */
async function outOfView(page: Page, only?: string): Promise<string[]> {
  return page.evaluate((type) => {
    const chart = document.getElementById('red-ui-workspace-chart')!;
    const view = chart.getBoundingClientRect();
    const right = view.left + chart.clientWidth;
    const bottom = view.top + chart.clientHeight;
    return Array.from(chart.querySelectorAll<SVGGElement>('g.red-ui-flow-node-group'))
      .map((group) => ({ group, node: (group as unknown as { __data__: { type: string; name?: string } }).__data__ }))
      .filter(({ node }) => !type || node.type === type)
      .filter(({ group }) => {
        const box = group.getBoundingClientRect();
        return box.left < view.left || box.top < view.top || box.right > right || box.bottom > bottom;
      })
      .map(({ node }) => `${node.type} "${node.name ?? ''}"`);
  }, only);
}

/** Wires of the tab shown that pass over a node other than the two they join. */
async function wiresOverNodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const chart = document.getElementById('red-ui-workspace-chart')!;
    const nodes = Array.from(chart.querySelectorAll<SVGGElement>('g.red-ui-flow-node-group')).map((group) => ({
      node: (group as unknown as { __data__: { id: string; name?: string } }).__data__,
      box: group.querySelector('rect.red-ui-flow-node')!.getBoundingClientRect(),
    }));
    const crossings: string[] = [];
    for (const link of Array.from(chart.querySelectorAll<SVGGElement>('g.red-ui-flow-link'))) {
      const { source, target } = (link as unknown as { __data__: { source: { id: string }; target: { id: string } } })
        .__data__;
      const line = link.querySelector<SVGPathElement>('path.red-ui-flow-link-line')!;
      const matrix = line.getScreenCTM()!;
      const length = line.getTotalLength();
      for (const { node, box } of nodes) {
        if (node.id === source.id || node.id === target.id) continue;
        for (let at = 0; at <= length; at += 4) {
          const point = line.getPointAtLength(at).matrixTransform(matrix);
          // A pixel of slack: a wire may run along a node's edge.
          if (point.x > box.left + 1 && point.x < box.right - 1 && point.y > box.top + 1 && point.y < box.bottom - 1) {
            crossings.push(`a wire into "${target.id}" crosses "${node.name ?? node.id}"`);
            break;
          }
        }
      }
    }
    return crossings;
  });
}

describe('npm start: the demo flow', function () {
  let demo: RunningStart | undefined;
  /** What the start script printed so far. */
  const output = (): string => demo?.output() ?? '';
  let editorUrl: string;
  let emulatorUrl: string;
  let userDir: string;
  let browser: Browser;
  let page: Page;
  /** Sidebar entries so far: each click adds exactly one. */
  let entries = 0;

  async function participant(conferenceSid: string, callSid: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${emulatorUrl}/__emulator/conferences/${conferenceSid}/participants/${callSid}`);
    assert.equal(res.status, 200);
    return (await res.json()) as Record<string, unknown>;
  }

  async function emulatorRequests(): Promise<number> {
    return ((await (await fetch(`${emulatorUrl}/__emulator/stats`)).json()) as { requests: number }).requests;
  }

  /** Clicks an inject button and returns the `count` lines it added to the Debug sidebar (without the quotes). */
  async function pressLines(injectId: string, count: number): Promise<string[]> {
    const messages = page.locator('.red-ui-debug-msg');
    assert.equal(await messages.count(), entries, 'the clicks before added their entries');
    await page.locator(`[id="${injectId}"] .red-ui-flow-node-button`).click();
    await messages.nth(entries + count - 1).waitFor();
    const lines: string[] = [];
    for (let i = entries; i < entries + count; i++) {
      const text = await messages.nth(i).locator('.red-ui-debug-msg-payload').innerText();
      lines.push(
        text
          .trim()
          .replace(/^"(.*)"$/s, '$1')
          .replace(/\s+/g, ' '),
      );
    }
    entries += count;
    return lines;
  }

  /** Clicks an inject button and returns the one line it added to the Debug sidebar (without the quotes). */
  async function press(injectId: string): Promise<string> {
    const messages = page.locator('.red-ui-debug-msg');
    assert.equal(await messages.count(), entries, 'the clicks before added one entry each');
    await page.locator(`[id="${injectId}"] .red-ui-flow-node-button`).click();
    await messages.nth(entries).waitFor();
    entries++;
    return (
      await messages
        .nth(entries - 1)
        .locator('.red-ui-debug-msg-payload')
        .innerText()
    )
      .trim()
      .replace(/^"(.*)"$/s, '$1')
      .replace(/\s+/g, ' ');
  }

  before(async function () {
    requireChromium(this);
    assertBuilt();
    fs.mkdirSync(artifacts, { recursive: true });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-demo-user-'));
    demo = await runNpmStart(userDir);
    editorUrl = `${demo.url}/`;
    emulatorUrl = /the SignalWire emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1] ?? '';
    assert.ok(emulatorUrl, `the start script names the emulator; it printed:\n${output()}`);

    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(editorUrl);
    await page.locator('[id="demo-mute-bob"]').waitFor();
    await page.locator('#red-ui-tab-debug-link-button').click();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(artifacts, 'failed-demo.png') }).catch(() => undefined);
      console.log(output());
    }
  });

  after(async function () {
    await browser?.close();
    // SIGTERM lets the start script stop Node-RED and the emulator too.
    if (demo && demo.child.exitCode === null) {
      demo.child.kill('SIGTERM');
      await demo.exited;
    }
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('prints where the editor is and what to click', function () {
    assert.ok(output().includes(`Node-RED editor:  ${editorUrl}`), output());
    assert.match(output(), /Click the square button on the left of an inject node: "Mute Bob"/);
  });

  it('shows each part whole on one screen, read top to bottom, no wire over a node; buttons also at 1024x700', async function () {
    const tabs = await page.evaluate(() => {
      const { RED } = window as unknown as EditorWindow;
      return RED.nodes.getWorkspaceOrder().map((id) => ({ id, label: RED.nodes.workspace(id)!.label }));
    });
    assert.deepEqual(tabs, [
      { id: TABS.one, label: '1. One person' },
      { id: TABS.everyone, label: '2. Everyone' },
      { id: TABS.joins, label: '3. Someone joins' },
      { id: TABS.dashboard, label: '4. Dashboard panel' },
      { id: TABS.call, label: '5. Call someone in' },
      { id: TABS.callIn, label: '6. A call comes in' },
    ]);
    for (const { id } of tabs) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await showTab(page, id);
      assert.deepEqual(await outOfView(page), [], `${id} at 1280x800`);
      assert.deepEqual(await wiresOverNodes(page), [], id);
      await page.screenshot({ path: path.join(artifacts, `demo-${id}-1280.png`) });
      // A smaller screen shows every button; the lines they end in may need a scroll.
      await page.setViewportSize({ width: 1024, height: 700 });
      await showTab(page, id);
      assert.deepEqual(await outOfView(page, 'inject'), [], `${id} at 1024x700`);
      await page.screenshot({ path: path.join(artifacts, `demo-${id}-1024.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await showTab(page, TABS.one);
  });

  it('one person: each button changes whom it names, and the sidebar shows one line saying what changed', async function () {
    const sync = DEMO_SIDS.weeklySync;
    assert.equal(await press('demo-mute-bob'), 'Bob: muted');
    assert.equal((await participant(sync, DEMO_SIDS.bob)).muted, true);

    assert.equal(await press('demo-hold-carol'), 'Carol: on hold');
    const carol = await participant(sync, DEMO_SIDS.carol);
    assert.equal(carol.hold, true);
    assert.equal(carol.hold_url, 'https://example.com/hold-music.mp3');

    assert.equal(await press('demo-coach'), 'Dave: coaching, unmuted');
    const dave = await participant(sync, DEMO_SIDS.dave);
    assert.deepEqual([dave.coaching, dave.call_sid_to_coach, dave.muted], [true, DEMO_SIDS.carol, false]);
    // The node shows the participant's state under it.
    await page.locator('#demo-update-dave .red-ui-flow-node-status-label', { hasText: 'unmuted · coaching' }).waitFor();

    assert.equal(await press('demo-announce'), 'Alice: announcement sent');
    assert.equal((await participant(sync, DEMO_SIDS.alice)).announce_url, 'https://example.com/announcement.xml');

    assert.equal(await press('demo-mute-erin'), 'Erin: error 422 — Conference Monday stand-up has completed');
    const requests = await emulatorRequests();
    assert.equal(
      await press('demo-bad-sid'),
      'Bad SID: error — callSid must be a call SID, a UUID (got "not-a-call-sid")',
    );
    assert.equal(await emulatorRequests(), requests, 'a malformed SID never reaches the API');
    await page.mouse.move(5, 795);
    await page.waitForFunction(() => document.querySelectorAll('.red-ui-notification').length === 0);
    await page.screenshot({ path: path.join(artifacts, 'demo.png') });
  });

  it('everyone: "Mute all but the host" finds "Weekly sync" by name and names whom it muted', async function () {
    await showTab(page, TABS.everyone);
    assert.equal(await press('demo-mute-all'), 'Weekly sync: muted Bob, Carol, Dave; Alice left alone');
    assert.equal((await participant(DEMO_SIDS.weeklySync, DEMO_SIDS.alice)).muted, false);
    assert.equal(await press('demo-remove-held'), 'Weekly sync: removed Carol');
    assert.equal(await press('demo-remove-held'), 'Weekly sync: nobody on hold');
    await page.screenshot({ path: path.join(artifacts, 'demo-everyone.png') });
  });

  it('someone joins: Erin is muted as she joins, named; a second click is the same Erin', async function () {
    await showTab(page, TABS.joins);
    assert.equal(await press('demo-erin-joins'), 'Erin joined Weekly sync: muted');
    assert.equal((await participant(DEMO_SIDS.weeklySync, DEMO_SIDS.erin)).muted, true);
    assert.equal(await press('demo-erin-joins'), 'Emulator: Participant Erin is already in Weekly sync');
    // The terminal says where the emulator sent her join, and why there.
    const port = new URL(editorUrl).port;
    assert.ok(
      output().includes(
        `Emulator: Event participant-join (Erin) of "Weekly sync" sent to http://127.0.0.1:${port}/signalwire/conference-events, the emulator's default URL: accepted (204)`,
      ),
      output(),
    );
    await page.screenshot({ path: path.join(artifacts, 'demo-events.png') });
  });

  it('call someone in: Frank rings, answers and joins "Weekly sync", one line each; then he is hung up on', async function () {
    await showTab(page, TABS.call);
    assert.deepEqual(await pressLines('demo-call-frank', 3), [
      'Frank: ringing',
      'Frank: answered',
      'Frank joined Weekly sync: muted',
    ]);
    const room = (await (await fetch(`${emulatorUrl}/__emulator/conferences/${DEMO_SIDS.weeklySync}`)).json()) as {
      participants: Array<{ label: string; muted: boolean }>;
    };
    assert.deepEqual(
      room.participants.filter((p) => p.label === '+15551230006').map((p) => p.muted),
      [true],
    );
    // The events node shows the call's last step under it.
    await page.locator('#demo-call-events .red-ui-flow-node-status-label', { hasText: 'answered' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'demo-call.png') });
    assert.deepEqual(await pressLines('demo-hang-up-frank', 1), ['Frank: call ended']);
  });

  it('a call comes in: Frank calls the office number, the flow answers, and he joins Weekly sync', async function () {
    await showTab(page, TABS.callIn);
    await page.locator('#demo-incoming .red-ui-flow-node-status-label', { hasText: 'listening' }).waitFor();
    assert.equal(await press('demo-frank-calls'), 'Frank joined Weekly sync');
    // What the emulator ran: the office number's voice URL (set by npm start) is the demo's node, and its cXML
    // put Frank in the room.
    const calls = (await (await fetch(`${emulatorUrl}/__emulator/calls`)).json()) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const frank = calls.find((c) => c.direction === 'inbound' && c.from === '+15551230006')!;
    assert.equal(frank.url, `${new URL(editorUrl).origin}/signalwire/incoming-call`);
    assert.equal(frank.conference?.friendly_name, 'Weekly sync');
    assert.deepEqual(frank.problems, []);
    await page.locator('#demo-incoming .red-ui-flow-node-status-label', { hasText: 'answered (1)' }).waitFor();
    assert.equal(await press('demo-stranger-calls'), '+15559990000 heard the message');
    await page.screenshot({ path: path.join(artifacts, 'demo-call-in.png') });
  });

  it('an example imported into the demo keeps the one connection and works whichever button is clicked first', async function () {
    await importExample(page, 'mute-on-join');
    // The demo's connection is the examples' too: Node-RED asks, and a copy keeps the one there is.
    await importCopy(page);
    const connections = await page.evaluate(() => {
      const found: string[] = [];
      (window as unknown as EditorWindow).RED.nodes.eachConfig((node) => {
        if (node.type === 'signalwire-config') found.push(node.id);
      });
      return found;
    });
    assert.deepEqual(connections, ['signalwire-connection']);
    await page.locator('#red-ui-header-button-deploy').click();
    await page.locator('.red-ui-notification', { hasText: 'Successfully deployed' }).waitFor();
    await page.locator('#red-ui-header-button-deploy.disabled').waitFor();

    const button = async (name: string) =>
      page.evaluate((label) => {
        const { RED } = window as unknown as EditorWindow;
        const inject = RED.nodes.filterNodes({ type: 'inject' }).find((node) => node.name === label)!;
        RED.workspaces.show(inject.z!);
        return inject.id;
      }, name);
    // Erin before Alice: Erin is the first participant, and her join names this example's path too.
    const erinButton = await button('Erin joins Retro');
    // The example's events node is drawn and running on its tab.
    await page.locator('.red-ui-flow-node-status-label', { hasText: 'listening' }).waitFor();
    const erin = await press(erinButton);
    assert.match(erin, /^[0-9a-f]{8}… joined: muted$/);
    const alice = await press(await button('Alice opens Retro (moderator)'));
    assert.match(alice, /^[0-9a-f]{8}… joined Retro: a moderator, left as is$/);
    const port = new URL(editorUrl).port;
    assert.ok(
      output().includes(
        `Emulator: Event participant-join (Erin) of "Retro" sent to http://127.0.0.1:${port}/signalwire/mute-on-join, the URL its first participant gave: accepted (204)`,
      ),
      output(),
    );
    await page.screenshot({ path: path.join(artifacts, 'demo-example-imported.png') });
  });

  it('stops Node-RED and the emulator on Ctrl-C', async function () {
    demo!.child.kill('SIGINT');
    assert.equal(await demo!.exited, 0);
    assert.match(output(), /Stopped\./);
    await assert.rejects(fetch(editorUrl), 'Node-RED no longer answers');
    await assert.rejects(fetch(`${emulatorUrl}/__emulator/stats`), 'the emulator no longer answers');
  });
});
