import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { accountPath, call, participantPath } from './http';

const RFC_2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const REQUIRED_FIELDS = [
  'account_sid',
  'call_sid',
  'call_sid_to_coach',
  'coaching',
  'conference_sid',
  'date_created',
  'date_updated',
  'status',
  'end_conference_on_exit',
  'muted',
  'hold',
  'start_conference_on_enter',
  'uri',
];

describe('emulator: participants', () => {
  let emulator: Emulator;
  const bob = (suffix = ''): string => participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob, suffix);

  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('mutes a participant and answers with exactly the fields of the participant', async () => {
    const reply = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.deepEqual(Object.keys(reply.json).sort(), [...REQUIRED_FIELDS].sort(), 'no field missing, none added');
    assert.equal(reply.json.muted, true);
    assert.equal(reply.json.account_sid, emulator.projectId);
    assert.equal(reply.json.conference_sid, DEMO_SIDS.weeklySync);
    assert.equal(reply.json.call_sid, DEMO_SIDS.bob);
    assert.equal(reply.json.status, 'in-progress');
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.label, 'Bob', 'the name stays local');
    assert.equal(reply.json.uri, `${bob()}.json`);
    assert.match(reply.json.date_created, RFC_2822);
    assert.match(reply.json.date_updated, RFC_2822);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted, true);
  });

  it('leaves the fields that are not sent as they were', async () => {
    await call(emulator, bob(), {
      form: { Hold: 'true', HoldUrl: 'https://example.com/music.mp3', HoldMethod: 'get' },
    });
    const reply = await call(emulator, bob(), { form: { Muted: 'true' } });
    assert.equal(reply.json.hold, true);
    assert.equal(reply.json.muted, true);
    const stored = emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
    assert.equal(stored?.hold_url, 'https://example.com/music.mp3');
    assert.equal(stored?.hold_method, 'GET');
    const daveBefore = emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.dave);
    assert.equal(daveBefore?.muted, true, 'the demo seed has Dave muted');
  });

  it('records the announce and wait options without fetching them', async () => {
    const reply = await call(emulator, bob(), {
      form: {
        AnnounceUrl: 'http://127.0.0.1:9/announce.xml',
        AnnounceMethod: 'Post',
        WaitUrl: 'https://example.com/wait',
        WaitMethod: 'GET',
      },
    });
    assert.equal(reply.status, 200);
    const stored = emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
    assert.equal(stored?.announce_url, 'http://127.0.0.1:9/announce.xml');
    assert.equal(stored?.announce_method, 'POST');
    assert.equal(stored?.wait_url, 'https://example.com/wait');
    assert.equal(stored?.wait_method, 'GET');
  });

  it('refuses a field the update does not define (Beep) with 400, changing nothing', async () => {
    const reply = await call(emulator, bob(), { form: { Muted: 'true', Beep: 'true' } });
    assert.equal(reply.status, 400);
    assert.match(reply.json.message, /`Beep`: is not a parameter/);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted, false);
  });

  it('refuses a URL that is not a URI (a space, an é) with 400, and takes the same URL percent-encoded', async () => {
    for (const url of ['https://example.com/hold music.mp3', 'https://example.com/café.mp3']) {
      const reply = await call(emulator, bob(), { form: { HoldUrl: url } });
      assert.equal(reply.status, 400, url);
      assert.match(reply.json.message, /HoldUrl/);
    }
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.hold_url, null);
    const ok = await call(emulator, bob(), { form: { HoldUrl: 'https://example.com/caf%C3%A9%20music.mp3' } });
    assert.equal(ok.status, 200);
    assert.equal(
      emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.hold_url,
      'https://example.com/caf%C3%A9%20music.mp3',
    );
  });

  it('moves date_updated on an update and keeps date_created', async () => {
    const sid = '11111111-2222-4333-8444-555555555555';
    emulator.addParticipant(DEMO_SIDS.weeklySync, { callSid: sid, dateCreated: '2020-01-02T03:04:05Z' });
    const reply = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, sid), {
      form: { Hold: 'false' },
    });
    assert.equal(reply.json.date_created, 'Thu, 02 Jan 2020 03:04:05 +0000');
    assert.notEqual(reply.json.date_updated, reply.json.date_created);
    assert.ok(Date.parse(reply.json.date_updated) > Date.parse('2020-01-02T03:04:05Z'));
  });

  it('sets coaching with the call to coach, and Coaching=false clears it', async () => {
    const dave = participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.dave);
    const coached = await call(emulator, dave, { form: { Coaching: 'true', CallSidToCoach: DEMO_SIDS.carol } });
    assert.equal(coached.status, 200);
    assert.equal(coached.json.coaching, true);
    assert.equal(coached.json.call_sid_to_coach, DEMO_SIDS.carol);
    const cleared = await call(emulator, dave, { form: { Coaching: 'false' } });
    assert.equal(cleared.json.coaching, false);
    assert.equal(cleared.json.call_sid_to_coach, null);
  });

  it('accepts booleans in any letter case', async () => {
    const reply = await call(emulator, bob(), { form: { Muted: 'True', Hold: 'FALSE' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.muted, true);
    assert.equal(reply.json.hold, false);
  });

  it('answers the same on paths with the .json suffix', async () => {
    const updated = await call(emulator, bob('.json'), { form: { Hold: 'true' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.hold, true);
    const fetched = await call(emulator, bob('.json'));
    assert.equal(fetched.json.hold, true);
    const list = await call(emulator, `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}/Participants.json`);
    assert.equal(list.json.participants.length, 4);
    const conference = await call(emulator, `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}.json`);
    assert.equal(conference.json.friendly_name, 'Weekly sync');
    const account = await call(emulator, `${accountPath(emulator)}.json`);
    assert.equal(account.json.sid, emulator.projectId);
  });

  it('retrieves a participant as it stands', async () => {
    await call(emulator, bob(), { form: { Muted: 'true' } });
    const reply = await call(emulator, bob());
    assert.equal(reply.status, 200);
    assert.equal(reply.json.muted, true);
    assert.equal(reply.json.call_sid, DEMO_SIDS.bob);
  });

  it('lists participants, filtered by Muted and Hold', async () => {
    const list = `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}/Participants`;
    await call(emulator, bob(), { form: { Hold: 'true' } });
    const all = await call(emulator, list);
    assert.deepEqual(
      all.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.carol, DEMO_SIDS.dave],
    );
    const muted = await call(emulator, `${list}?Muted=true`);
    assert.deepEqual(
      muted.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.dave],
    );
    const onHold = await call(emulator, `${list}?Hold=true`);
    assert.deepEqual(
      onHold.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.bob],
    );
    const notMutedNotHeld = await call(emulator, `${list}?Muted=false&Hold=false`);
    assert.deepEqual(
      notMutedNotHeld.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.alice, DEMO_SIDS.carol],
    );
    const bad = await call(emulator, `${list}?Muted=yes`);
    assert.equal(bad.status, 400);
  });

  it('pages a list with PageSize and Page', async () => {
    const list = `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}/Participants.json`;
    const first = await call(emulator, `${list}?PageSize=3`);
    assert.equal(first.json.participants.length, 3);
    assert.ok(first.json.next_page_uri);
    const second = await call(emulator, first.json.next_page_uri);
    assert.deepEqual(
      second.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.dave],
    );
    assert.equal(second.json.next_page_uri, null);
  });

  it('removes a participant with DELETE (204), after which it is not found', async () => {
    const removed = await call(emulator, bob(), { method: 'DELETE' });
    assert.equal(removed.status, 204);
    assert.equal(removed.text, '');
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob), undefined);
    const again = await call(emulator, bob());
    assert.equal(again.status, 404);
  });

  it('reads the completed conference and its participants with status completed', async () => {
    const path = participantPath(emulator, DEMO_SIDS.mondayStandup, DEMO_SIDS.erin);
    const reply = await call(emulator, path);
    assert.equal(reply.status, 200);
    assert.equal(reply.json.status, 'completed');
  });
});

describe('emulator: account and conferences', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('answers GET of the account with its sid, name and status (the connection check)', async () => {
    const reply = await call(emulator, accountPath(emulator));
    assert.equal(reply.status, 200);
    assert.equal(reply.json.sid, emulator.projectId);
    assert.equal(reply.json.status, 'active');
    assert.equal(typeof reply.json.friendly_name, 'string');
    assert.ok(!reply.text.includes(emulator.token), 'the account never echoes the token');
  });

  it('lists conferences, filtered by Status', async () => {
    const all = await call(emulator, `${accountPath(emulator)}/Conferences`);
    assert.deepEqual(
      all.json.conferences.map((c: { sid: string }) => c.sid),
      [DEMO_SIDS.weeklySync, DEMO_SIDS.mondayStandup],
    );
    const live = await call(emulator, `${accountPath(emulator)}/Conferences?Status=in-progress`);
    assert.deepEqual(
      live.json.conferences.map((c: { friendly_name: string }) => c.friendly_name),
      ['Weekly sync'],
    );
    const done = await call(emulator, `${accountPath(emulator)}/Conferences?Status=completed`);
    assert.deepEqual(
      done.json.conferences.map((c: { sid: string }) => c.sid),
      [DEMO_SIDS.mondayStandup],
    );
  });

  it('retrieves a conference with its status and participants link', async () => {
    const reply = await call(emulator, `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.json.status, 'in-progress');
    assert.equal(
      reply.json.subresource_uris.participants,
      `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}/Participants.json`,
    );
  });

  it('ends a conference with Status=completed, after which its participants cannot be updated', async () => {
    const conference = `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}`;
    const ended = await call(emulator, conference, { form: { Status: 'completed' } });
    assert.equal(ended.json.status, 'completed');
    const update = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob), {
      form: { Muted: 'true' },
    });
    assert.equal(update.status, 422);
    assert.equal(update.json.code, 10000);
  });

  it('starts empty with seed: null and with what options.seed says otherwise', async () => {
    const empty = await startEmulator({ seed: null });
    try {
      assert.deepEqual(empty.snapshot(), []);
    } finally {
      await empty.close();
    }
    const custom = await startEmulator({
      seed: { conferences: [{ friendlyName: 'Other', participants: [{ label: 'Zoe', muted: true }] }] },
    });
    try {
      const [conference] = custom.snapshot();
      assert.equal(conference.friendly_name, 'Other');
      assert.equal(conference.participants[0].label, 'Zoe');
      const reply = await call(custom, participantPath(custom, conference.sid, conference.participants[0].call_sid));
      assert.equal(reply.json.muted, true);
    } finally {
      await custom.close();
    }
  });

  it('accepts its own project ID and token when given', async () => {
    const projectId = '99999999-8888-4777-8666-555555555555';
    const other = await startEmulator({ projectId, token: 'another-token' });
    try {
      const ok = await call(other, `/api/laml/2010-04-01/Accounts/${projectId}`);
      assert.equal(ok.status, 200);
      const wrong = await call(other, `/api/laml/2010-04-01/Accounts/${projectId}`, {
        auth: { user: projectId, password: emulator.token },
      });
      assert.equal(wrong.status, 401);
    } finally {
      await other.close();
    }
  });
});
