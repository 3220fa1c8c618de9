import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEMO_SIDS, ManualClock, startEmulator, type Emulator } from '../../src/emulator';
import { DEMO_NUMBERS } from '../../src/emulator/phone-numbers';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { accountPath, call } from './http';

/**
 * The first participant of a conference decides where its events go, so an event can land somewhere the user did
 * not expect. The emulator says, one line per event, where it sent it and why there.
 */
describe('emulator: a line for each status callback sent', function () {
  let receiver: RecordingServer;
  let emulator: Emulator;
  let lines: string[];

  before(async () => {
    receiver = await startRecordingServer();
    // Nothing listens on /nowhere, as when the example meant to receive an event is not deployed.
    receiver.fallback = (request) => ({
      status: request.path.startsWith('/nowhere') ? 404 : request.path.startsWith('/unsigned') ? 403 : 204,
    });
  });
  after(() => receiver.close());
  beforeEach(async () => {
    emulator = await startEmulator({ statusCallback: { statusCallback: `${receiver.url}/default` } });
    lines = [];
    emulator.callbacks.log = (line) => lines.push(line);
  });
  afterEach(() => emulator.close());

  it("names the event, who, the conference, the URL, whose choice the URL was, and the receiver's answer", async () => {
    emulator.calls.join({
      friendlyName: 'Retro',
      label: 'Erin',
      startConferenceOnEnter: false,
      statusCallback: `${receiver.url}/nowhere`,
      statusCallbackEvent: 'join',
    });
    // Alice's own callback is ignored: Erin was first.
    emulator.calls.join({ friendlyName: 'Retro', label: 'Alice', statusCallback: `${receiver.url}/alice` });
    // The seeded conference set none of its own.
    emulator.calls.join({ conferenceSid: DEMO_SIDS.weeklySync, label: 'Frank', startConferenceOnEnter: false });
    await emulator.callbacks.whenDelivered(3);
    assert.deepEqual(lines, [
      `Event participant-join (Erin) of "Retro" sent to ${receiver.url}/nowhere, the URL its first participant gave: nothing listens there (404)`,
      `Event participant-join (Alice) of "Retro" sent to ${receiver.url}/nowhere, the URL its first participant gave: nothing listens there (404)`,
      `Event participant-join (Frank) of "Weekly sync" sent to ${receiver.url}/default, the emulator's default URL: accepted (204)`,
    ]);
  });

  it('says when the receiver refused the event', async () => {
    emulator.calls.join({ friendlyName: 'Planning', label: 'Erin', statusCallback: `${receiver.url}/unsigned` });
    await emulator.callbacks.whenDelivered(2);
    assert.equal(
      lines[0],
      `Event participant-join (Erin) of "Planning" sent to ${receiver.url}/unsigned, the URL its first participant gave: refused (403)`,
    );
  });

  it('says when an event could not be delivered at all', async () => {
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    emulator.calls.join({ friendlyName: 'Planning', label: 'Erin', statusCallback: `${url}/events` });
    await emulator.callbacks.whenDelivered(2);
    assert.deepEqual(lines, [
      `Event participant-join (Erin) of "Planning" sent to ${url}/events, the URL its first participant gave: not delivered (ECONNREFUSED)`,
      `Event conference-start of "Planning" sent to ${url}/events, the URL its first participant gave: not delivered (ECONNREFUSED)`,
    ]);
  });

  it("names a call's progress, the call, the URL its StatusCallback gave, and the answer", async () => {
    const clock = new ManualClock();
    const own = await startEmulator({ clock, seed: null });
    const seen: string[] = [];
    own.callbacks.log = (line) => seen.push(line);
    try {
      const created = await call(own, `${accountPath(own)}/Calls`, {
        form: {
          To: '+15551230001',
          From: DEMO_NUMBERS.office,
          Url: `${receiver.url}/cxml`,
          StatusCallback: `${receiver.url}/progress`,
          StatusCallbackEvent: 'initiated',
        },
      });
      clock.advance(0);
      await own.callbacks.whenDelivered(1);
      assert.deepEqual(seen, [
        `Call ${created.json.sid}: initiated, sent to ${receiver.url}/progress, the call's StatusCallback: accepted (204)`,
      ]);
    } finally {
      await own.close();
    }
  });

  it('prints the lines where `npx signalwire-emulator` runs', async () => {
    const cli = path.join(__dirname, '../../src/emulator/cli.ts');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', cli, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    try {
      while (!out.includes('Ctrl-C')) await new Promise((resolve) => setTimeout(resolve, 20));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const joined = await fetch(`${url}/__emulator/calls/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ friendlyName: 'Retro', label: 'Erin', statusCallback: `${receiver.url}/nowhere` }),
      });
      assert.equal(joined.status, 201);
      while (!out.includes('conference-start')) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(
        out.includes(
          `Event participant-join (Erin) of "Retro" sent to ${receiver.url}/nowhere, the URL its first participant gave: nothing listens there (404)`,
        ),
        out,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
