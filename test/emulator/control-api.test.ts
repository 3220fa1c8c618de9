import assert from 'node:assert/strict';
import { DEMO_SEED, DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { accountPath, call, participantPath } from './http';

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
    assert.ok(!('label' in updated.json), 'the name is not an API field');
    const seen = await control(`conferences/${sid}/participants/${callSid}`);
    assert.equal(seen.json.hold, true);
    assert.equal(seen.json.label, 'Frank');
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
    emulator.setRateLimit({ limit: 1 });
    await control('reset', 'POST');
    assert.equal(emulator.getRateLimit(), null, 'back to the starting rate limit: none');
  });

  it('seeds the demo host as the only moderator of "Weekly sync"', async () => {
    const list = await call(emulator, `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}/Participants`);
    const moderators = list.json.participants.filter((p: { start_conference_on_enter: boolean }) => {
      return p.start_conference_on_enter;
    });
    assert.deepEqual(
      moderators.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.alice],
    );
    assert.equal(list.json.participants.length, 4);
  });

  it('seeds a large conference in one request, which the API then lists page by page', async () => {
    const conference = await control('conferences', 'POST', {
      friendlyName: 'Town hall',
      participants: [{ label: 'Host', startConferenceOnEnter: true }],
    });
    const sid: string = conference.json.sid;
    const bulk = await control(`conferences/${sid}/participants/bulk`, 'POST', {
      count: 450,
      startConferenceOnEnter: false,
      muted: false,
      label: 'Guest',
    });
    assert.equal(bulk.status, 201);
    assert.equal(bulk.json.conferenceSid, sid);
    assert.equal(bulk.json.callSids.length, 450);
    assert.equal(new Set(bulk.json.callSids).size, 450);
    const seen = await control(`conferences/${sid}/participants/${bulk.json.callSids[449]}`);
    assert.equal(seen.json.label, 'Guest 450');
    assert.equal(seen.json.start_conference_on_enter, false);

    let next: string | null = `${accountPath(emulator)}/Conferences/${sid}/Participants.json?PageSize=200`;
    const listed: string[] = [];
    while (next) {
      const page = await call(emulator, next);
      assert.equal(page.status, 200);
      listed.push(...page.json.participants.map((p: { call_sid: string }) => p.call_sid));
      next = page.json.next_page_uri;
    }
    assert.equal(listed.length, 451);
    assert.deepEqual(listed.slice(1), bulk.json.callSids);
  });

  it('refuses a bulk seed without a sensible count, or with fixed call SIDs, adding nobody', async () => {
    const path = `conferences/${DEMO_SIDS.weeklySync}/participants/bulk`;
    for (const body of [{}, { count: 0 }, { count: 2.5 }, { count: 'ten' }, { count: 100_001 }]) {
      const reply = await control(path, 'POST', body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.match(reply.json.error, /count/);
    }
    assert.equal((await control(path, 'POST', { count: 2, callSid: DEMO_SIDS.bob })).status, 400);
    assert.equal(emulator.getConference(DEMO_SIDS.weeklySync)?.participants.length, 4);
    const missing = await control('conferences/00000000-0000-4000-8000-000000000000/participants/bulk', 'POST', {
      count: 1,
    });
    assert.equal(missing.status, 404);
  });

  it('limits API POSTs when asked: over the limit, 429 with code 20429 and nothing applied', async () => {
    const set = await control('rate-limit', 'PUT', { limit: 2, windowMs: 60_000 });
    assert.deepEqual(set.json, { limit: 2, windowMs: 60_000 });
    const bob = participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
    assert.equal((await call(emulator, bob, { form: { Hold: 'true' } })).status, 200);
    assert.equal((await call(emulator, bob, { form: { Hold: 'false' } })).status, 200);
    const refused = await call(emulator, bob, { form: { Muted: 'true' } });
    assert.equal(refused.status, 429);
    assert.equal(refused.json.code, 20429);
    assert.equal(refused.json.status, 429);
    assert.equal(refused.headers['retry-after'], undefined, 'no Retry-After unless asked');
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted, false);
    assert.equal((await call(emulator, bob)).status, 200, 'GETs are not limited');
    assert.equal((await control('stats')).json.rateLimited, 1);

    await control('rate-limit', 'PUT', { limit: 1, windowMs: 60_000, retryAfter: 7 });
    await call(emulator, bob, { form: { Muted: 'true' } });
    const fixed = await call(emulator, bob, { form: { Muted: 'true' } });
    assert.equal(fixed.status, 429);
    assert.equal(fixed.headers['retry-after'], '7');

    await control('rate-limit', 'PUT', { limit: 1, windowMs: 60_000, retryAfter: 1, retryAfterEvery: 2 });
    await call(emulator, bob, { form: { Muted: 'true' } });
    const alternating = [];
    for (let i = 0; i < 4; i++) alternating.push((await call(emulator, bob, { form: { Muted: 'true' } })).headers);
    assert.deepEqual(
      alternating.map((headers) => headers['retry-after']),
      ['1', undefined, '1', undefined],
      'Retry-After on every other 429',
    );

    await control('rate-limit', 'PUT', { limit: 1, windowMs: 60_000, retryAfter: 'auto' });
    await call(emulator, bob, { form: { Muted: 'true' } });
    const auto = await call(emulator, bob, { form: { Muted: 'true' } });
    assert.equal(auto.status, 429);
    const seconds = Number(auto.headers['retry-after']);
    assert.ok(Number.isInteger(seconds) && seconds >= 59 && seconds <= 60, String(auto.headers['retry-after']));

    assert.equal((await control('rate-limit', 'DELETE')).status, 204);
    assert.equal((await control('rate-limit')).json, null);
    assert.equal((await call(emulator, bob, { form: { Muted: 'false' } })).status, 200);
  });

  it('starts with the rate limit given in its options, and goes back to it on reset', async () => {
    const limited = await startEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const bob = participantPath(limited, DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
      assert.equal((await call(limited, bob, { form: { Muted: 'true' } })).status, 200);
      assert.equal((await call(limited, bob, { form: { Muted: 'true' } })).status, 429);
      limited.reset();
      assert.deepEqual(limited.getRateLimit(), { limit: 1, windowMs: 60_000 });
      assert.equal((await call(limited, bob, { form: { Muted: 'true' } })).status, 200, 'a fresh window after reset');
    } finally {
      await limited.close();
    }
  });

  it('refuses a rate limit it cannot apply', async () => {
    for (const body of [
      {},
      { limit: 0 },
      { limit: 5, windowMs: -1 },
      { limit: 5, retryAfter: 'soon' },
      { limit: 5, retryAfter: 1, retryAfterEvery: 0 },
      { limit: 5, burst: 2 },
    ]) {
      const reply = await control('rate-limit', 'PUT', body);
      assert.equal(reply.status, 400, JSON.stringify(body));
    }
    assert.equal((await control('rate-limit')).json, null);
  });

  it('answers 404 for an unknown control route', async () => {
    assert.equal((await control('nothing')).status, 404);
  });
});
