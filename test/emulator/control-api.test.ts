import assert from 'node:assert/strict';
import { DEMO_SEED, DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { call, participantPath } from './http';

describe('emulator: control API for other processes', () => {
  let emulator: Emulator;
  const control = (path: string, method = 'GET', json?: unknown) =>
    call(emulator, `/__emulator/${path}`, {
      method,
      auth: null,
      ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
    });

  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('shows the seeded state with participant names, and never the token', async () => {
    const reply = await control('state');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.projectId, emulator.projectId);
    const [weekly, standup] = reply.json.conferences;
    assert.equal(weekly.friendly_name, 'Weekly sync');
    assert.equal(weekly.status, 'in-progress');
    assert.deepEqual(
      weekly.participants.map((p: { label: string }) => p.label),
      DEMO_SEED.conferences[0].participants?.map((p) => p.label),
    );
    assert.equal(standup.status, 'completed');
    assert.ok(!reply.text.includes(emulator.token));
  });

  it('explains a known error code, and answers 404 for names inherited by every object', async () => {
    const known = await control('errors/20404');
    assert.equal(known.status, 200);
    assert.equal(known.json.code, 20404);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const reply = await control(`errors/${name}`);
      assert.equal(reply.status, 404, `errors/${name} answered ${reply.status} ${reply.text}`);
    }
  });

  it('adds a conference and a participant that the API then serves', async () => {
    const conference = await control('conferences', 'POST', { friendlyName: 'Support line' });
    assert.equal(conference.status, 201);
    const sid: string = conference.json.sid;
    const participant = await control(`conferences/${sid}/participants`, 'POST', { label: 'Frank' });
    assert.equal(participant.status, 201);
    const callSid: string = participant.json.call_sid;
    const updated = await call(emulator, participantPath(emulator, sid, callSid), { form: { Hold: 'true' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.label, 'Frank');
    const seen = await control(`conferences/${sid}/participants/${callSid}`);
    assert.equal(seen.json.hold, true);
  });

  it('refuses bad seeds with 400 and unknown conferences with 404', async () => {
    assert.equal((await control('conferences', 'POST', { sid: 'nope' })).status, 400);
    assert.equal((await control('conferences', 'POST', { sid: DEMO_SIDS.weeklySync })).status, 400);
    const missing = await control('conferences/00000000-0000-4000-8000-000000000000/participants', 'POST', {});
    assert.equal(missing.status, 404);
    assert.equal(
      (await control(`conferences/${DEMO_SIDS.weeklySync}/participants`, 'POST', { callSid: DEMO_SIDS.bob })).status,
      400,
    );
    const notJson = await call(emulator, '/__emulator/conferences', { method: 'POST', body: '{', auth: null });
    assert.equal(notJson.status, 400);
    assert.match(notJson.json.error, /JSON/);
  });

  it('completes a conference, after which updates get code 10000', async () => {
    const reply = await control(`conferences/${DEMO_SIDS.weeklySync}/status`, 'PUT', { status: 'completed' });
    assert.equal(reply.json.status, 'completed');
    const update = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.alice), {
      form: { Muted: 'true' },
    });
    assert.equal(update.json.code, 10000);
    assert.equal((await control(`conferences/${DEMO_SIDS.weeklySync}/status`, 'PUT', { status: 'ended' })).status, 400);
  });

  it('sets, shows and clears faults', async () => {
    const set = await control('faults', 'PUT', [{ kind: '503', count: 2 }]);
    assert.deepEqual(set.json, [{ kind: '503', count: 2 }]);
    assert.equal((await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob))).status, 503);
    assert.deepEqual((await control('faults')).json, [{ kind: '503', count: 1 }]);
    assert.equal((await control('faults', 'DELETE')).status, 204);
    assert.equal((await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob))).status, 200);
    const wrapped = await control('faults', 'PUT', { rules: [{ kind: 'latency', ms: 1 }] });
    assert.deepEqual(wrapped.json, [{ kind: 'latency', ms: 1 }]);
    const bad = await control('faults', 'PUT', [{ kind: 'meltdown' }]);
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /kind/);
  });

  it('reports and resets the stats', async () => {
    await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob), { form: { Muted: 'true' } });
    await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob));
    const stats = await control('stats');
    assert.equal(stats.json.requests, 2);
    assert.equal(stats.json.updates, 1);
    assert.equal(stats.json.inFlight, 0);
    assert.equal(stats.json.maxInFlight, 1);
    const reset = await control('stats/reset', 'POST');
    assert.equal(reset.json.requests, 0);
    assert.equal(emulator.stats.updates, 0);
  });

  it('goes back to the seed with no faults on reset', async () => {
    await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob), { form: { Muted: 'true' } });
    await control('conferences', 'POST', { friendlyName: 'Extra' });
    emulator.setFaults([{ kind: '429' }]);
    const reply = await control('reset', 'POST');
    assert.equal(reply.json.conferences.length, 2);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted, false);
    assert.deepEqual(emulator.getFaults(), []);
    assert.equal(emulator.stats.requests, 0);
  });

  it('answers 404 for an unknown control route', async () => {
    assert.equal((await control('nothing')).status, 404);
  });
});
