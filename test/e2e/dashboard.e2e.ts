// The conference panel in a real browser, on a real Node-RED with Dashboard 2, against the emulator: both packages
// installed from their tarballs, the emulator's signed status callbacks going to a conference events node wired
// into the panel, as a user would set it up. Phone-sized and desktop viewports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { SignalWireClient } from '../../src/lib';
import { computeSignature } from '../../src/lib/webhooks/webhook-signature';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import {
  installFromTarballs,
  startDashboard,
  WIDGET_PACKAGE,
  type Installed,
  type RunningDashboard,
} from './support/dashboard-node-red';
import { freePort } from './support/free-port';

const repoRoot = path.resolve(__dirname, '..', '..');
const artifacts = path.join(repoRoot, 'test-artifacts');
const { weeklySync, alice, bob, carol, dave } = DEMO_SIDS;
const EVENTS_PATH = '/signalwire/conference-events';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** The panel's flow: the events node wired into the panel; commands by HTTP; presses out to a recorder. */
function panelFlow(recorderUrl: string): object[] {
  return [
    { id: 'tab', type: 'tab', label: 'Panel' },
    { id: 'base', type: 'ui-base', name: 'Test', path: '/dashboard', includeClientData: true, acceptsClientConfig: [] },
    {
      id: 'theme',
      type: 'ui-theme',
      name: 'Default',
      colors: {
        surface: '#ffffff',
        primary: '#0094ce',
        bgPage: '#eeeeee',
        groupBg: '#ffffff',
        groupOutline: '#cccccc',
      },
    },
    {
      id: 'page',
      type: 'ui-page',
      name: 'Weekly sync',
      ui: 'base',
      path: '/room',
      layout: 'grid',
      theme: 'theme',
      order: 1,
      visible: 'true',
      disabled: 'false',
    },
    {
      id: 'group',
      type: 'ui-group',
      name: 'Room',
      page: 'page',
      width: '12',
      height: '1',
      order: 1,
      showTitle: false,
      visible: 'true',
      disabled: 'false',
    },
    // Space, project, token and Signing Key from the environment, as a container would give them.
    { id: 'cfg', type: 'signalwire-config', name: 'emulator', space: '', timeout: 10000, retries: 0, maxInFlight: 10 },
    {
      id: 'events',
      type: 'signalwire-conference-events',
      z: 'tab',
      signalwire: 'cfg',
      path: EVENTS_PATH,
      publicUrl: '',
      events: [],
      verify: true,
      wires: [['panel']],
    },
    // refresh 0: the list is read only on start, on a browser's (re)load and after a missed event, so a row that
    // appears or leaves does so because of its event.
    {
      id: 'panel',
      type: 'ui-signalwire-conference',
      z: 'tab',
      group: 'group',
      order: 1,
      width: 0,
      height: 0,
      signalwire: 'cfg',
      room: 'Weekly sync',
      holdUrl: 'https://example.com/hold.mp3',
      refresh: 0,
      wires: [['record']],
    },
    {
      id: 'command',
      type: 'http in',
      z: 'tab',
      url: '/panel',
      method: 'post',
      upload: false,
      wires: [['unpack', 'answer']],
    },
    {
      id: 'unpack',
      type: 'change',
      z: 'tab',
      rules: [
        { t: 'set', p: 'labels', pt: 'msg', to: 'payload.labels', tot: 'msg' },
        { t: 'set', p: 'room', pt: 'msg', to: 'payload.room', tot: 'msg' },
        { t: 'set', p: 'refresh', pt: 'msg', to: 'payload.refresh', tot: 'msg' },
        { t: 'delete', p: 'payload', pt: 'msg' },
      ],
      wires: [['panel']],
    },
    { id: 'answer', type: 'http response', z: 'tab', statusCode: '204', headers: {}, wires: [] },
    {
      id: 'record',
      type: 'http request',
      z: 'tab',
      method: 'POST',
      ret: 'txt',
      paytoqs: 'ignore',
      url: recorderUrl,
      tls: '',
      persist: false,
      proxy: '',
      insecureHTTPParser: false,
      authType: '',
      senderr: false,
      headers: [],
      wires: [[]],
    },
  ];
}

/** What left the panel's output (msg.payload, which the flow posts to the recorder): a press and its result. */
type Press = {
  action: string;
  ok: boolean;
  callSid?: string;
  name?: string;
  error?: { message: string; status?: number };
};

describe('conference panel on Dashboard 2 (browser)', function () {
  let installed: Installed;
  let emulator: Emulator;
  let node: RunningDashboard;
  let browser: Browser;
  let page: Page;
  let recorder: http.Server;
  const presses: Press[] = [];
  const clickToEmulator: number[] = [];

  const panel = (p: Page = page) => p.locator('.swc');
  const row = (callSid: string, p: Page = page) => panel(p).locator(`[data-test="person"][data-call-sid="${callSid}"]`);
  const rows = (p: Page = page) => panel(p).locator('[data-test="person"]');
  const participant = (callSid: string) => emulator.getParticipant(weeklySync, callSid);

  async function command(body: object): Promise<void> {
    const res = await fetch(`${node.url}/panel`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 204);
  }

  /**
   * A signed status callback about Weekly sync, as SignalWire sends it (the emulator does not send speech events):
   * the conference events node checks it and passes it to the panel.
   */
  async function sendEvent(event: string, callSid: string): Promise<void> {
    const url = `${node.url}${EVENTS_PATH}`;
    const fields: Array<[string, string]> = [
      ['AccountSid', emulator.projectId],
      ['ConferenceSid', weeklySync],
      ['FriendlyName', 'Weekly sync'],
      ['StatusCallbackEvent', event],
      ['Timestamp', new Date().toUTCString()],
      ['CallSid', callSid],
    ];
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-SignalWire-Signature': computeSignature(emulator.signingKey, url, fields),
      },
      body: new URLSearchParams(fields).toString(),
    });
    assert.equal(res.status, 204);
  }

  /** Resolves once `check` holds, asking again after each emulator change; no clock involved. */
  async function until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Clicks a row's button and waits until the emulator has changed; records how long that took. */
  async function clickAndWait(button: Locator, changed: () => boolean): Promise<void> {
    const started = performance.now();
    await button.click();
    await until(changed);
    clickToEmulator.push(performance.now() - started);
    if (process.env.SHOW_CLICKS) console.log(`      click: ${(performance.now() - started).toFixed(0)} ms`);
  }

  async function openPanel(viewport = DESKTOP): Promise<Page> {
    const tab = await browser.context.newPage();
    tab.setDefaultTimeout(30_000);
    await tab.setViewportSize(viewport);
    await tab.goto(`${node.url}/dashboard/room`);
    await panel(tab).locator('[data-test="person"]').first().waitFor();
    return tab;
  }

  /** Dashboard's "App is offline ready" note, when it shows, would cover part of a screenshot. */
  async function closeNotes(p: Page): Promise<void> {
    const close = p.getByRole('button', { name: 'Close', exact: true });
    if (await close.isVisible()) await close.click();
  }

  before(async function () {
    requireChromium(this);
    fs.mkdirSync(artifacts, { recursive: true });
    installed = installFromTarballs();
    const port = await freePort();
    emulator = await startEmulator({ statusCallback: { statusCallback: `http://127.0.0.1:${port}${EVENTS_PATH}` } });
    recorder = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        presses.push(JSON.parse(body) as Press);
        res.end();
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/presses`;
    node = await startDashboard(
      installed.userDir,
      panelFlow(recorderUrl),
      {
        SIGNALWIRE_SPACE: emulator.url,
        SIGNALWIRE_PROJECT_ID: emulator.projectId,
        SIGNALWIRE_TOKEN: emulator.token,
        SIGNALWIRE_SIGNING_KEY: emulator.signingKey,
      },
      port,
    );
    await command({ labels: { [alice]: 'Alice', [bob]: 'Bob', [carol]: 'Carol', [dave]: 'Dave' } });
    browser = await launchBrowser();
    page = await openPanel();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page
        .screenshot({ path: path.join(artifacts, 'failed-dashboard.png'), fullPage: true })
        .catch(() => undefined);
      console.log(node?.log());
    }
  });

  after(async function () {
    await browser?.close();
    await node?.stop();
    await emulator?.close();
    recorder?.close();
    if (installed) fs.rmSync(installed.userDir, { recursive: true, force: true });
    if (clickToEmulator.length > 0) {
      const sorted = [...clickToEmulator].sort((a, b) => a - b);
      console.log(
        `    click to emulator state: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, ` +
          `max ${sorted[sorted.length - 1]!.toFixed(0)} ms over ${sorted.length} clicks`,
      );
    }
  });

  it('installs from the packed tarballs into a fresh user directory, and Node-RED loads that copy', async function () {
    const installedWidget = path.join(installed.userDir, 'node_modules', ...WIDGET_PACKAGE.split('/'));
    assert.equal(fs.lstatSync(installedWidget).isSymbolicLink(), false, 'a copy, not a link to the repository');
    assert.ok(fs.existsSync(path.join(installedWidget, 'resources', 'ui-signalwire-conference.umd.js')));
    const res = await fetch(`${node.url}/nodes/${WIDGET_PACKAGE}`, { headers: { Accept: 'application/json' } });
    const info = (await res.json()) as {
      path: string;
      nodes: Array<{ enabled: boolean; types: string[]; err?: string }>;
    };
    assert.equal(fs.realpathSync(info.path), fs.realpathSync(installedWidget));
    assert.deepEqual(
      info.nodes.map((n) => ({ enabled: n.enabled, types: n.types, err: n.err })),
      [{ enabled: true, types: ['ui-signalwire-conference'], err: undefined }],
    );
    const widget = await fetch(`${node.url}/resources/${WIDGET_PACKAGE}/ui-signalwire-conference.umd.js`);
    assert.equal(widget.status, 200);
    // Import → Examples lists the package's example.
    const example = await fetch(`${node.url}/library/examples/flows/${WIDGET_PACKAGE}/conference-panel`);
    assert.equal(example.status, 200);
    assert.ok(((await example.json()) as Array<{ type: string }>).some((n) => n.type === 'ui-signalwire-conference'));
    console.log(
      `    install: ${installed.seconds.toFixed(1)} s, node_modules ${(installed.bytes / 1e6).toFixed(1)} MB, ` +
        `the panel's package ${(installed.widgetBytes / 1e3).toFixed(0)} kB (tarball ${(installed.tarballBytes / 1e3).toFixed(0)} kB)`,
    );
  });

  it('renders the seeded room: its name, status, and each person with their state', async function () {
    await assert.doesNotReject(panel().getByText('In progress').waitFor());
    assert.equal(await panel().locator('h3').innerText(), 'Weekly sync');
    assert.deepEqual(await rows().locator('[data-test="name"]').allInnerTexts(), ['Alice', 'Bob', 'Carol', 'Dave']);
    assert.match(await row(alice).innerText(), /host/);
    assert.match(await row(dave).locator('[data-test="states"]').innerText(), /muted/);
    assert.match(await row(bob).locator('[data-test="states"]').innerText(), /can speak/);
    // How long the meeting and each person have been going, in minutes and seconds.
    const status = (await panel().locator('[data-test="room-status"]').innerText()).replace(/\s+/g, ' ');
    assert.match(status, /^In progress · \d+:\d\d · 4 in the room$/);
    assert.match(await row(bob).innerText(), /in for \d+:\d\d/);
    // Buttons say what they do to whom, for screen readers.
    assert.equal(await row(bob).locator('[data-test="mute"]').getAttribute('aria-label'), 'Mute Bob');
    assert.equal(await row(dave).locator('[data-test="mute"]').getAttribute('aria-label'), 'Unmute Dave');
  });

  it('a row appears on a join event and leaves on a leave event, without a reload', async function () {
    const { participant: erin } = emulator.calls.join({
      friendlyName: 'Weekly sync',
      label: 'Erin',
      startConferenceOnEnter: false,
    });
    await row(erin.call_sid).waitFor();
    assert.match(await row(erin.call_sid).innerText(), new RegExp(`Caller ${erin.call_sid.slice(0, 8)}`));
    await command({ labels: { [erin.call_sid]: 'Erin' } });
    await row(erin.call_sid).getByText('Erin', { exact: true }).waitFor();
    emulator.calls.leave({ conferenceSid: weeklySync, callSid: erin.call_sid });
    await row(erin.call_sid).waitFor({ state: 'detached' });
    assert.equal(await rows().count(), 4);
  });

  it('mute and hold change the emulator and the row, and each press leaves on the output with its result', async function () {
    const bobRow = row(bob);
    await clickAndWait(bobRow.locator('[data-test="mute"]'), () => participant(bob)?.muted === true);
    await bobRow.locator('[data-test="states"]').getByText('muted').waitFor();
    assert.equal(await bobRow.locator('[data-test="mute"]').getAttribute('aria-label'), 'Unmute Bob');
    await panel().locator('[data-test="notice"]').getByText('Bob: muted').waitFor();

    await clickAndWait(bobRow.locator('[data-test="hold"]'), () => participant(bob)?.hold === true);
    await bobRow.locator('[data-test="states"]').getByText('on hold').waitFor();
    assert.equal(emulator.getParticipant(weeklySync, bob)?.hold_url, 'https://example.com/hold.mp3');

    await clickAndWait(bobRow.locator('[data-test="hold"]'), () => participant(bob)?.hold === false);
    await clickAndWait(bobRow.locator('[data-test="mute"]'), () => participant(bob)?.muted === false);
    await bobRow.locator('[data-test="states"]').getByText('can speak').waitFor();

    await until(() => presses.length >= 4);
    assert.deepEqual(
      presses.slice(0, 4).map((p) => [p.action, p.name, p.callSid, p.ok]),
      [
        ['mute', 'Bob', bob, true],
        ['hold', 'Bob', bob, true],
        ['unhold', 'Bob', bob, true],
        ['unmute', 'Bob', bob, true],
      ],
    );
  });

  it('two browser tabs agree: a press in one and an event both show in the other', async function () {
    const other = await openPanel(PHONE);
    try {
      // A person clicks in the tab they look at; a tab in the background gets few frames to draw in.
      await page.bringToFront();
      await clickAndWait(row(carol).locator('[data-test="mute"]'), () => participant(carol)?.muted === true);
      await row(carol, other).locator('[data-test="states"]').getByText('muted').waitFor();
      const { participant: frank } = emulator.calls.join({
        friendlyName: 'Weekly sync',
        label: 'Frank',
        startConferenceOnEnter: false,
      });
      await row(frank.call_sid, other).waitFor();
      await row(frank.call_sid).waitFor();
      emulator.calls.leave({ conferenceSid: weeklySync, callSid: frank.call_sid });
      await row(frank.call_sid, other).waitFor({ state: 'detached' });
      await row(frank.call_sid).waitFor({ state: 'detached' });
      const shown = async (p: Page) => (await rows(p).allInnerTexts()).map((text) => text.replace(/in for [\d:]+/, ''));
      assert.deepEqual(await shown(other), await shown(page));
    } finally {
      await other.close();
    }
  });

  it('shows errors in words: an action SignalWire refuses, and a room it cannot read', async function () {
    emulator.setFaults([{ kind: '503', count: 1 }]);
    await row(dave).locator('[data-test="mute"]').click();
    await panel()
      .locator('[data-test="notice"]')
      .getByText('Could not unmute Dave: Service Unavailable (HTTP 503)')
      .waitFor();
    assert.equal(participant(dave)?.muted, true, 'Dave is still muted, and his row says so');
    assert.match(await row(dave).locator('[data-test="states"]').innerText(), /muted/);
    await until(() => presses.some((p) => p.action === 'unmute' && p.callSid === dave));
    const press = presses.find((p) => p.action === 'unmute' && p.callSid === dave);
    assert.deepEqual([press?.ok, press?.error?.message, press?.error?.status], [false, 'Service Unavailable', 503]);

    emulator.setFaults([{ kind: '503' }]);
    await command({ refresh: true });
    await panel()
      .locator('[data-test="problem"]')
      .getByText('Could not read the room: Service Unavailable (HTTP 503)')
      .waitFor();
    emulator.setFaults([]);
    await command({ refresh: true });
    await panel().locator('[data-test="problem"]').waitFor({ state: 'detached' });
  });

  it('reads the room again when the page loads: coaching set elsewhere, and someone whose join was missed', async function () {
    // Coaching has no event of its own, and this join sends none: only the list tells of them.
    const client = new SignalWireClient({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
    try {
      await client.updateParticipant(weeklySync, dave, { coaching: true, callSidToCoach: carol });
    } finally {
      await client.close();
    }
    const quiet = emulator.addParticipant(weeklySync, { label: 'Grace', startConferenceOnEnter: false });
    await page.reload();
    await row(quiet.call_sid).waitFor();
    await row(dave).locator('[data-test="states"]').getByText('coaching').waitFor();
    await command({ labels: { [quiet.call_sid]: 'Grace' } });
    await row(quiet.call_sid).getByText('Grace', { exact: true }).waitFor();
  });

  it('shows who is talking now: on speech-start, until speech-stop', async function () {
    await sendEvent('participant-speech-start', bob);
    await row(bob).locator('[data-test="states"]').getByText('talking').waitFor();
    await sendEvent('participant-speech-stop', bob);
    await row(bob).locator('[data-test="states"]').getByText('talking').waitFor({ state: 'detached' });
  });

  it('takes desktop and phone screenshots of the room', async function () {
    // A room as it looks mid-meeting: someone talking, someone on hold, the last press said in words.
    await sendEvent('participant-speech-start', bob);
    await clickAndWait(row(carol).locator('[data-test="hold"]'), () => participant(carol)?.hold === true);
    await panel().locator('[data-test="notice"]').getByText('Carol: on hold').waitFor();
    await page.setViewportSize(DESKTOP);
    await closeNotes(page);
    // No button under the pointer or holding the focus, so none is drawn hovered or focused.
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('.v-ripple__container').first().waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(artifacts, 'dashboard-desktop.png'), animations: 'disabled' });
    await page.setViewportSize(PHONE);
    await page.screenshot({
      path: path.join(artifacts, 'dashboard-phone.png'),
      fullPage: true,
      animations: 'disabled',
    });
    // On a phone every button is still there and big enough to press with a thumb.
    const box = await row(bob).locator('[data-test="remove"]').boundingBox();
    assert.ok(
      box && box.height >= 44 && box.x + box.width <= PHONE.width,
      `Remove fits the phone: ${JSON.stringify(box)}`,
    );
    await page.setViewportSize(DESKTOP);
  });

  it('after a burst of joins, leaves and mutes, delivered twice and out of order, the panel shows what the emulator holds', async function () {
    emulator.callbacks.faults.set([
      { kind: 'duplicate', probability: 0.3 },
      { kind: 'out-of-order', probability: 0.3 },
    ]);
    const client = new SignalWireClient({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
    try {
      const guests = Array.from(
        { length: 8 },
        (_, i) =>
          emulator.calls.join({ friendlyName: 'Weekly sync', label: `Guest ${i}`, startConferenceOnEnter: false })
            .participant.call_sid,
      );
      for (const callSid of guests.slice(0, 3)) emulator.calls.leave({ conferenceSid: weeklySync, callSid });
      await Promise.all([
        client.updateParticipant(weeklySync, guests[3], { muted: true }),
        client.updateParticipant(weeklySync, guests[4], { hold: true }),
        client.updateParticipant(weeklySync, bob, { muted: true }),
      ]);
      await client.updateParticipant(weeklySync, guests[3], { muted: false });
      emulator.calls.leave({ conferenceSid: weeklySync, callSid: guests[5] });
    } finally {
      await client.close();
    }
    const truth = () =>
      emulator
        .getConference(weeklySync)!
        .participants.map((p) => `${p.call_sid} ${p.muted ? 'muted' : 'can speak'}${p.hold ? ' on hold' : ''}`)
        .sort();
    const shown = async () =>
      (
        await rows().evaluateAll((items) =>
          items.map((item) => {
            const states = item.querySelector('[data-test="states"]')!.textContent!;
            const muted = states.includes('muted') ? 'muted' : 'can speak';
            return `${item.getAttribute('data-call-sid')} ${muted}${states.includes('on hold') ? ' on hold' : ''}`;
          }),
        )
      ).sort();
    // Each event changes the page: read it again after every change until it agrees (or the test times out).
    while (JSON.stringify(await shown()) !== JSON.stringify(truth())) await page.waitForTimeout(50);
    assert.deepEqual(await shown(), truth());
    emulator.callbacks.faults.set([]);
  });

  it('remove, mute everyone but the host, and end the meeting: each asks to be pressed twice where it cannot be undone', async function () {
    const remove = row(carol).locator('[data-test="remove"]');
    await remove.click();
    assert.match((await remove.getAttribute('aria-label')) ?? '', /^Press again to confirm: Remove Carol/);
    assert.ok(participant(carol), 'one press removes nobody');
    await clickAndWait(remove, () => participant(carol) === undefined);
    await row(carol).waitFor({ state: 'detached' });

    await clickAndWait(panel().locator('[data-test="mute-all"]'), () => participant(bob)?.muted === true);
    await until(() => participant(dave)?.muted === true);
    assert.equal(participant(alice)?.muted, false, 'the host is left alone');
    await row(bob).locator('[data-test="states"]').getByText('muted').waitFor();

    const end = panel().locator('[data-test="end"]');
    await end.click();
    assert.equal(await end.getAttribute('aria-label'), 'Press again to confirm: End the meeting for everyone');
    assert.equal(emulator.getConference(weeklySync)?.status, 'in-progress', 'one press ends nothing');
    await end.click();
    await until(() => emulator.getConference(weeklySync)?.status === 'completed');
    await panel().locator('[data-test="room-status"]').getByText('Ended').waitFor();
    await panel().locator('[data-test="empty"]').waitFor();
  });

  it('an empty room says so', async function () {
    emulator.addConference({ friendlyName: 'Quiet room', status: 'in-progress', participants: [] });
    await command({ room: 'Quiet room' });
    await panel().locator('h3').getByText('Quiet room').waitFor();
    // The panel says "Connecting…" until it has read the room's list.
    await panel().locator('[data-test="empty"]').getByText('Nobody is in the room.').waitFor();
    assert.equal(await panel().locator('[data-test="person"]').count(), 0);
    await command({ room: 'No such room' });
    await panel().locator('[data-test="empty"]').getByText('No meeting in progress').waitFor();
  });
});
