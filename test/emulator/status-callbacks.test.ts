import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { SignalWireClient } from '../../src/lib';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../support/recording-server';
import { sign } from '../nodes/events-kit';

const KEY = 'PSK_emulator-test-key';

/** The fields of a recorded callback, and whether its signature is right for where it arrived. */
function read(receiver: RecordingServer, request: RecordedRequest) {
  const url = `${receiver.url}${request.path}`;
  const fields = request.method === 'GET' ? [] : Array.from(new URLSearchParams(request.body));
  const query = new URLSearchParams(request.path.split('?')[1] ?? '');
  const form = Object.fromEntries(request.method === 'GET' ? query : new URLSearchParams(request.body));
  return { form, signed: request.headers['x-signalwire-signature'] === sign(KEY, url, fields) };
}

describe('emulator: conference status callbacks', function () {
  let receiver: RecordingServer;
  let emulator: Emulator;
  let client: SignalWireClient;

  before(async () => {
    receiver = await startRecordingServer();
    receiver.fallback = () => ({ status: 204 });
  });
  after(async () => {
    await receiver.close();
  });
  beforeEach(async () => {
    receiver.reset();
    receiver.fallback = () => ({ status: 204 });
    emulator = await startEmulator({ signingKey: KEY });
    client = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      retries: 0,
    });
  });
  afterEach(async () => {
    await client.close();
    await emulator.close();
  });

  const events = () => receiver.requests.map((r) => read(receiver, r).form.StatusCallbackEvent);

  it('signs each callback; the first participant sets URL and events for the whole conference', async () => {
    const { conference, participant } = emulator.calls.join({
      friendlyName: 'Retro',
      label: 'Host',
      statusCallback: `${receiver.url}/first`,
      statusCallbackEvent: 'join leave',
    });
    emulator.calls.join({
      conferenceSid: conference.sid,
      callSid: DEMO_SIDS.erin,
      startConferenceOnEnter: false,
      statusCallback: `${receiver.url}/second`,
      statusCallbackEvent: 'start end join leave mute hold',
    });
    await emulator.callbacks.whenDelivered(2);
    // No conference-start: the first participant did not ask for "start".
    assert.deepEqual(events(), ['participant-join', 'participant-join']);
    assert.deepEqual(
      receiver.requests.map((r) => r.path),
      ['/first', '/first'],
    );
    const first = read(receiver, receiver.requests[0]!);
    assert.equal(first.signed, true);
    assert.equal(receiver.requests[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(
      { ...first.form, Timestamp: 'x' },
      {
        AccountSid: emulator.projectId,
        ConferenceSid: conference.sid,
        FriendlyName: 'Retro',
        StatusCallbackEvent: 'participant-join',
        Timestamp: 'x',
        SequenceNumber: '1',
        CallSid: participant.call_sid,
        Muted: 'false',
        Hold: 'false',
        StartConferenceOnEnter: 'true',
        EndConferenceOnExit: 'false',
      },
    );
    assert.match(first.form.Timestamp!, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('starts a new conference with its first moderator, and ends it when a participant with endConferenceOnExit leaves', async () => {
    emulator.callbacks.setDefaultTarget({ statusCallback: `${receiver.url}/events` });
    const waiting = emulator.calls.join({ friendlyName: 'Board', startConferenceOnEnter: false });
    const host = emulator.calls.join({ friendlyName: 'Board', endConferenceOnExit: true });
    assert.equal(host.conference.sid, waiting.conference.sid);
    emulator.calls.leave({ conferenceSid: host.conference.sid, callSid: host.participant.call_sid });
    await emulator.callbacks.whenDelivered(6);
    assert.deepEqual(events(), [
      'participant-join',
      'participant-join',
      'conference-start',
      'participant-leave',
      'participant-leave',
      'conference-end',
    ]);
    assert.equal(emulator.getConference(host.conference.sid)!.status, 'completed');
    assert.ok(receiver.requests.every((r) => read(receiver, r).signed));
  });

  it('sends the events of changes made through the API: mute, unmute, hold, remove, end', async () => {
    emulator.callbacks.setDefaultTarget({ statusCallback: `${receiver.url}/events` });
    const conference = DEMO_SIDS.weeklySync;
    await client.updateParticipant(conference, DEMO_SIDS.bob, { muted: true });
    await client.updateParticipant(conference, DEMO_SIDS.bob, { muted: false, hold: true });
    await client.updateParticipant(conference, DEMO_SIDS.bob, { muted: false }); // no change: no event
    await emulator.callbacks.whenDelivered(3);
    assert.deepEqual(events(), ['participant-mute', 'participant-unmute', 'participant-hold']);
    const mute = read(receiver, receiver.requests[0]!);
    assert.equal(mute.form.CallSid, DEMO_SIDS.bob);
    assert.equal(mute.form.Muted, 'true');
    assert.equal(mute.signed, true);

    const auth = `Basic ${Buffer.from(`${emulator.projectId}:${emulator.token}`).toString('base64')}`;
    const base = `${emulator.url}/api/laml/2010-04-01/Accounts/${emulator.projectId}/Conferences/${conference}`;
    assert.equal(
      (await fetch(`${base}/Participants/${DEMO_SIDS.carol}`, { method: 'DELETE', headers: { authorization: auth } }))
        .status,
      204,
    );
    const end = await fetch(base, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Status=completed',
    });
    assert.equal(end.status, 200);
    await emulator.callbacks.whenDelivered(8);
    assert.deepEqual(events().slice(3), [
      'participant-leave',
      'participant-leave',
      'participant-leave',
      'participant-leave',
      'conference-end',
    ]);
    assert.equal(read(receiver, receiver.requests[3]!).form.CallSid, DEMO_SIDS.carol);
  });

  it('sends GET callbacks with the fields in the signed query', async () => {
    emulator.calls.join({
      friendlyName: 'Standup',
      statusCallback: `${receiver.url}/get?tenant=a`,
      statusCallbackMethod: 'GET',
      statusCallbackEvent: 'start',
    });
    await emulator.callbacks.whenDelivered(1);
    const request = receiver.requests[0]!;
    assert.equal(request.method, 'GET');
    const { form, signed } = read(receiver, request);
    assert.equal(form.StatusCallbackEvent, 'conference-start');
    assert.equal(form.tenant, 'a');
    assert.equal(signed, true);
  });

  it('faults: delivers twice, out of order, or late', async () => {
    emulator.callbacks.setDefaultTarget({ statusCallback: `${receiver.url}/events`, statusCallbackEvent: 'mute' });
    const mute = (muted: boolean) => client.updateParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob, { muted });

    emulator.callbacks.faults.set([{ kind: 'duplicate', count: 1 }]);
    await mute(true);
    await emulator.callbacks.whenDelivered(2);
    assert.deepEqual(
      receiver.requests.map((r) => read(receiver, r).form.SequenceNumber),
      ['1', '1'],
    );
    // The same signed request twice, byte for byte, as a retry would be.
    const [one, two] = receiver.requests;
    assert.deepEqual(
      [two!.body, two!.headers['x-signalwire-signature']],
      [one!.body, one!.headers['x-signalwire-signature']],
    );

    emulator.callbacks.faults.set([{ kind: 'out-of-order', count: 1 }]);
    await mute(false);
    await mute(true);
    await emulator.callbacks.whenDelivered(4);
    assert.deepEqual(
      receiver.requests.slice(2).map((r) => read(receiver, r).form.StatusCallbackEvent),
      ['participant-mute', 'participant-unmute'],
    );

    // Late: the API answers at once; the callback has not left yet.
    emulator.callbacks.faults.set([{ kind: 'delay', ms: 60_000 }]);
    await mute(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(receiver.requests.length, 4);
    assert.deepEqual(emulator.callbacks.faults.list(), [{ kind: 'delay', ms: 60_000 }]);
  });

  it('joins, leaves and shows deliveries and faults through the control API', async () => {
    const put = (p: string, body: unknown) =>
      fetch(`${emulator.url}/__emulator/${p}`, { method: 'PUT', body: JSON.stringify(body) });
    assert.equal((await put('callbacks/target', { statusCallback: `${receiver.url}/events` })).status, 204);
    assert.equal((await put('callbacks/faults', [{ kind: 'wobble' }])).status, 400);
    const rules = [{ kind: 'delay', ms: [5, 10], probability: 0.5 }];
    assert.deepEqual(await (await put('callbacks/faults', rules)).json(), rules);
    assert.deepEqual(await (await fetch(`${emulator.url}/__emulator/callbacks/faults`)).json(), rules);
    const cleared = await fetch(`${emulator.url}/__emulator/callbacks/faults`, { method: 'DELETE' });
    assert.equal(cleared.status, 204);
    assert.deepEqual(emulator.callbacks.faults.list(), []);
    const joined = await fetch(`${emulator.url}/__emulator/calls/join`, {
      method: 'POST',
      body: JSON.stringify({ friendlyName: 'Weekly sync', label: 'Erin', callSid: DEMO_SIDS.erin }),
    });
    assert.equal(joined.status, 201);
    const { conference } = (await joined.json()) as { conference: { sid: string } };
    assert.equal(conference.sid, DEMO_SIDS.weeklySync); // the one in progress with that name
    const left = await fetch(`${emulator.url}/__emulator/calls/leave`, {
      method: 'POST',
      // By the conference's name and the name she joined with, as a button in a flow would say it.
      body: JSON.stringify({ friendlyName: 'Weekly sync', label: 'Erin' }),
    });
    assert.equal(left.status, 200);
    await emulator.callbacks.whenDelivered(2);
    const log = (await (await fetch(`${emulator.url}/__emulator/callbacks`)).json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      log.map((d) => [d.event, d.callSid, d.outcome]),
      [
        ['participant-join', DEMO_SIDS.erin, 204],
        ['participant-leave', DEMO_SIDS.erin, 204],
      ],
    );
    const bad = await fetch(`${emulator.url}/__emulator/calls/join`, { method: 'POST', body: '{}' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /conferenceSid, or friendlyName/);
  });

  it("command line: prints its signing key, and --status-callback sends the seeded conferences' events", async () => {
    const cli = path.join(__dirname, '../../src/emulator/cli.ts');
    const args = ['--port', '0', '--signing-key', KEY, '--status-callback', `${receiver.url}/cli`];
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    try {
      while (!out.includes('Ctrl-C')) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.match(out, new RegExp(`Signing Key ${KEY}`));
      assert.match(out, /API token/);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const cliClient = new SignalWireClient({ space: url, projectId: emulator.projectId, token: emulator.token });
      await cliClient.updateParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.dave, { muted: false });
      await cliClient.close();
      while (receiver.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const { form, signed } = read(receiver, receiver.requests[0]!);
      assert.equal(receiver.requests[0]!.path, '/cli');
      assert.equal(form.StatusCallbackEvent, 'participant-unmute');
      assert.equal(form.CallSid, DEMO_SIDS.dave);
      assert.equal(signed, true);
    } finally {
      child.kill('SIGINT');
    }
  });
});
