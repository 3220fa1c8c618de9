import assert from 'node:assert/strict';
import { RoomPanel, SignalWireClient, type ConferenceEvent, type RoomView } from '../../src/lib';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';

const { weeklySync, alice, bob, carol, dave } = DEMO_SIDS;

describe('room panel (against the emulator)', () => {
  let emulator: Emulator;
  let client: SignalWireClient;
  let views: RoomView[];
  let panel: RoomPanel;
  const last = () => views[views.length - 1]!;
  const person = (callSid: string) => last().people.find((p) => p.callSid === callSid);

  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    client = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      retryDelay: 5,
    });
    views = [];
    panel = new RoomPanel({ client, onChange: (view) => views.push(view) });
  });
  afterEach(async () => {
    panel.close();
    await client.close();
  });

  it('starts from the participants list of the live meeting with that name', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    assert.equal(last().status, 'in-progress');
    assert.equal(last().conferenceSid, weeklySync);
    assert.deepEqual(
      last().people.map((p) => p.callSid),
      [alice, bob, carol, dave],
      'the host first',
    );
    assert.equal(person(dave)?.muted, true);
    assert.equal(last().problem, undefined);
  });

  it('each button changes the emulator and the view, and says what it did', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    panel.setLabels({ [bob]: 'Bob' });

    let outcome = await panel.press('mute', bob);
    assert.equal(outcome.ok, true);
    assert.equal(emulator.getParticipant(weeklySync, bob)?.muted, true);
    assert.equal(person(bob)?.muted, true);
    assert.deepEqual(last().notice && { kind: last().notice!.kind, text: last().notice!.text }, {
      kind: 'done',
      text: 'Bob: muted',
    });

    assert.equal((await panel.press('hold', bob)).ok, true);
    assert.equal(emulator.getParticipant(weeklySync, bob)?.hold_url, null, "no hold music set: SignalWire's own");
    assert.equal(emulator.getParticipant(weeklySync, bob)?.hold, true);
    assert.equal(person(bob)?.hold, true);
    await panel.press('unhold', bob);
    await panel.press('unmute', bob);
    assert.deepEqual(
      { muted: emulator.getParticipant(weeklySync, bob)?.muted, hold: emulator.getParticipant(weeklySync, bob)?.hold },
      { muted: false, hold: false },
    );

    outcome = await panel.press('remove', bob);
    assert.equal(outcome.ok, true);
    assert.equal(emulator.getParticipant(weeklySync, bob), undefined);
    assert.equal(person(bob), undefined);

    outcome = await panel.press('mute-all');
    assert.equal(outcome.ok, true);
    assert.equal(emulator.getParticipant(weeklySync, alice)?.muted, false, 'the host is left alone');
    assert.equal(emulator.getParticipant(weeklySync, carol)?.muted, true);
    assert.equal(person(carol)?.muted, true);

    outcome = await panel.press('end');
    assert.equal(outcome.ok, true);
    assert.equal(emulator.getConference(weeklySync)?.status, 'completed');
    assert.equal(last().status, 'completed');
    assert.deepEqual(last().people, []);
  });

  it('while a button runs, the row says so and a second press on it is refused in words', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    emulator.setFaults([{ kind: 'latency', ms: 200 }]);
    const first = panel.press('mute', bob);
    assert.equal(person(bob)?.busy, 'mute');
    const second = await panel.press('unmute', bob);
    assert.equal(second.ok, false);
    assert.match(last().notice!.text, /^Could not unmute .*: another button is still running$/);
    assert.equal((await first).ok, true);
    assert.equal(person(bob)?.busy, undefined);
  });

  it('an answer that comes after the panel switched rooms does not put its person in the new room', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    emulator.addConference({ friendlyName: 'Quiet room', participants: [] });
    emulator.setFaults([{ kind: 'latency', ms: 100, count: 1 }]);
    const muting = panel.press('mute', bob);
    await panel.switchTo({ friendlyName: 'Quiet room' });
    assert.equal((await muting).ok, true);
    assert.equal(last().name, 'Quiet room');
    assert.deepEqual(last().people, []);
  });

  it('an error from SignalWire shows on the panel in words, and the row stays as SignalWire has it', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    emulator.setConferenceStatus(weeklySync, 'completed');
    const outcome = await panel.press('mute', bob);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error?.status, 422);
    assert.match(last().notice!.text, /^Could not mute Caller 8e2a1d3f: Conference 3f8e2b1a-.* has completed/);
    assert.equal(emulator.getParticipant(weeklySync, bob)?.muted, false);
  });

  it('a list that cannot be read says why, and keeps the rows it had', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    emulator.setFaults([{ kind: '503' }]);
    await panel.refresh();
    assert.equal(last().problem, 'Could not read the room: Service Unavailable (HTTP 503)');
    assert.equal(last().people.length, 4);
    emulator.setFaults([]);
    await panel.refresh();
    assert.equal(last().problem, undefined);
  });

  it('a room with no meeting says so, then follows the meeting that starts under its name', async () => {
    await panel.switchTo({ friendlyName: 'Friday retro' });
    assert.equal(last().status, 'not-found');
    assert.deepEqual(last().people, []);
    const { conference, participant } = emulator.calls.join({ friendlyName: 'Friday retro', label: 'Erin' });
    const join: ConferenceEvent = {
      event: 'participant-join',
      conferenceSid: conference.sid,
      friendlyName: 'Friday retro',
      callSid: participant.call_sid,
      muted: false,
      hold: false,
      startConferenceOnEnter: true,
      params: {},
    };
    panel.handleEvent(join);
    assert.deepEqual(
      last().people.map((p) => p.callSid),
      [participant.call_sid],
      'the row is there at once',
    );
    await panel.refresh();
    assert.equal(last().conferenceSid, conference.sid);
    assert.equal(last().status, 'in-progress');
  });

  it('an event about someone it did not know of makes it read the list (a missed join)', async () => {
    await panel.switchTo({ conferenceSid: weeklySync });
    const erin = emulator.addParticipant(weeklySync, { label: 'Erin', muted: true });
    const requests = emulator.stats.requests;
    panel.handleEvent({
      event: 'participant-speech-start',
      conferenceSid: weeklySync,
      callSid: erin.call_sid,
      params: {},
    });
    await panel.refresh();
    assert.ok(emulator.stats.requests > requests, 'the list was read again');
    assert.equal(person(erin.call_sid)?.muted, true, 'the list says she is muted');
  });

  it('a button it does not know is an outcome in words, whatever a flow sent as its name; nothing is changed', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    emulator.stats.reset();
    for (const action of ['unmute-everyone', 10n, Object.create(null), Symbol('mute'), undefined]) {
      const outcome = await panel.press(action, bob);
      assert.equal(outcome.ok, false);
      assert.match(outcome.error!.message, /^unknown button /);
    }
    assert.match((await panel.press(10n)).error!.message, /^unknown button 10$/);
    assert.equal(emulator.stats.requests, 0);
  });

  it('refuses a room that is neither a name nor a conference SID, and keeps the one it had', async () => {
    await panel.switchTo({ friendlyName: 'Weekly sync' });
    assert.throws(() => panel.switchTo({ conferenceSid: 'not-a-sid' }), /conferenceSid must be a conference SID/);
    assert.throws(() => panel.switchTo({ friendlyName: '   ' }), /the room must be a conference name/);
    assert.deepEqual(panel.target, { friendlyName: 'Weekly sync' });
  });
});
