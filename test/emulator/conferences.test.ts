import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { accountPath, call, participantPath } from './http';

const CONFERENCE_FIELDS = [
  'account_sid',
  'api_version',
  'date_created',
  'date_updated',
  'friendly_name',
  'region',
  'sid',
  'status',
  'subresource_uris',
  'uri',
];

describe('emulator: updating a conference', () => {
  let emulator: Emulator;
  const weekly = (): string => `${accountPath(emulator)}/Conferences/${DEMO_SIDS.weeklySync}`;
  const participants = (): string => `${weekly()}/Participants`;

  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.close());

  it('answers a conference with exactly its documented fields, recordings link included', async () => {
    const reply = await call(emulator, weekly());
    assert.deepEqual(Object.keys(reply.json).sort(), CONFERENCE_FIELDS);
    assert.deepEqual(reply.json.subresource_uris, {
      participants: `${weekly()}/Participants.json`,
      recordings: `${weekly()}/Recordings.json`,
    });
  });

  it('records an announcement to the whole room without ending it', async () => {
    const reply = await call(emulator, weekly(), {
      form: { AnnounceUrl: 'https://example.com/closing.xml', AnnounceMethod: 'get' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.status, 'in-progress');
    const stored = emulator.getConference(DEMO_SIDS.weeklySync);
    assert.equal(stored?.announce_url, 'https://example.com/closing.xml');
    assert.equal(stored?.announce_method, 'GET');
    assert.equal(stored?.participants.length, 4);
  });

  for (const [form, name] of [
    [{ AnnounceMethod: 'PUT' }, 'AnnounceMethod'],
    [{ AnnounceUrl: 'closing.xml' }, 'AnnounceUrl'],
    [{ AnnounceUrl: 'https://example.com/fin de réunion.xml' }, 'AnnounceUrl'],
    [{ Status: 'in-progress' }, 'Status'],
    [{ Status: 'completed', Beep: 'true' }, 'Beep'],
  ] as const) {
    it(`refuses ${JSON.stringify(form)} with 400 naming ${name}, changing nothing`, async () => {
      const reply = await call(emulator, weekly(), { form });
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 20001);
      assert.ok(reply.json.message.includes(`\`${name}\``), reply.json.message);
      const stored = emulator.getConference(DEMO_SIDS.weeklySync);
      assert.equal(stored?.status, 'in-progress');
      assert.equal(stored?.announce_url, null);
    });
  }

  it('ends the conference with Status=completed: everyone leaves, and each reads as completed', async () => {
    const ended = await call(emulator, weekly(), { form: { Status: 'completed' } });
    assert.equal(ended.status, 200);
    assert.equal(ended.json.status, 'completed');
    const list = await call(emulator, participants());
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.participants, []);
    const bob = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob));
    assert.equal(bob.json.status, 'completed');
    const live = await call(emulator, `${accountPath(emulator)}/Conferences?Status=in-progress`);
    assert.deepEqual(live.json.conferences, []);
  });

  it('refuses any change to a completed conference with 422 and code 10000', async () => {
    await call(emulator, weekly(), { form: { Status: 'completed' } });
    const forms: Array<Record<string, string>> = [
      { Status: 'completed' },
      { AnnounceUrl: 'https://example.com/late.xml' },
    ];
    for (const form of forms) {
      const reply = await call(emulator, weekly(), { form });
      assert.equal(reply.status, 422, JSON.stringify(form));
      assert.equal(reply.json.code, 10000);
    }
    assert.equal(emulator.getConference(DEMO_SIDS.weeklySync)?.announce_url, null);
    const removed = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob), {
      method: 'DELETE',
    });
    assert.equal(removed.status, 422);
    assert.equal(removed.json.code, 10000);
  });

  it('answers 404 for a conference that does not exist, before reading the form', async () => {
    const reply = await call(emulator, `${accountPath(emulator)}/Conferences/00000000-0000-4000-8000-000000000000`, {
      form: { AnnounceMethod: 'PUT' },
    });
    assert.equal(reply.status, 404);
    assert.equal(reply.json.code, 20404);
  });

  it('removes a participant with 204 and no body; the list no longer has them', async () => {
    const removed = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.carol), {
      method: 'DELETE',
    });
    assert.equal(removed.status, 204);
    assert.equal(removed.text, '');
    assert.equal(removed.headers['content-type'], undefined);
    const list = await call(emulator, participants());
    assert.deepEqual(
      list.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.alice, DEMO_SIDS.bob, DEMO_SIDS.dave],
    );
  });

  it('ends the conference when the host (end_conference_on_exit) is removed: everyone else leaves too', async () => {
    const removed = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.alice), {
      method: 'DELETE',
    });
    assert.equal(removed.status, 204);
    assert.equal((await call(emulator, weekly())).json.status, 'completed');
    assert.deepEqual((await call(emulator, participants())).json.participants, []);
    const bob = await call(emulator, participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob));
    assert.equal(bob.json.status, 'completed');
  });

  it('ends the conference when its last participant is removed, and not before', async () => {
    const sid = emulator.addConference({ friendlyName: 'Two people' }).sid;
    const [first, second] = emulator.addParticipants(sid, 2, { startConferenceOnEnter: false });
    const conference = `${accountPath(emulator)}/Conferences/${sid}`;
    await call(emulator, participantPath(emulator, sid, first!), { method: 'DELETE' });
    assert.equal((await call(emulator, conference)).json.status, 'in-progress');
    await call(emulator, participantPath(emulator, sid, second!), { method: 'DELETE' });
    assert.equal((await call(emulator, conference)).json.status, 'completed');
  });

  it('answers the account with every documented field and never the token', async () => {
    const reply = await call(emulator, accountPath(emulator));
    assert.equal(reply.status, 200);
    assert.deepEqual(Object.keys(reply.json).sort(), [
      'auth_token',
      'date_created',
      'date_updated',
      'friendly_name',
      'owner_account_sid',
      'region_preference',
      'sid',
      'signing_key',
      'status',
      'subproject',
      'subresource_uris',
      'type',
      'uri',
    ]);
    assert.equal(Object.keys(reply.json.subresource_uris).length, 19);
    assert.ok(!reply.text.includes(emulator.token));
  });
});
