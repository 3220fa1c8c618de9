import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { accountPath, call, participantPath, type Reply } from './http';

/** Every error is a CompatibilityErrorResponse whose `status` repeats the HTTP status. */
function assertError(reply: Reply, status: number, code: number, messagePart?: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  assert.deepEqual(Object.keys(reply.json).sort(), ['code', 'message', 'more_info', 'status']);
  assert.equal(reply.json.status, status);
  assert.equal(reply.json.code, code);
  assert.equal(typeof reply.json.message, 'string');
  assert.match(reply.json.more_info, /^http:\/\/127\.0\.0\.1:\d+\/__emulator\/errors\/\d+$/);
  if (messagePart) assert.match(reply.json.message, messagePart);
}

describe('emulator: errors the API answers with', () => {
  let emulator: Emulator;
  const bob = (): string => participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
  const bobBefore = (): unknown => emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob);

  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await emulator.close();
  });

  describe('authentication', () => {
    it('answers 401 with code 20003 without credentials', async () => {
      assertError(await call(emulator, bob(), { form: { Muted: 'true' }, auth: null }), 401, 20003);
      assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted, false);
    });

    it('answers 401 with code 20003 for a wrong token', async () => {
      const reply = await call(emulator, bob(), {
        form: { Muted: 'true' },
        auth: { user: emulator.projectId, password: 'wrong' },
      });
      assertError(reply, 401, 20003);
      assert.ok(!reply.text.includes(emulator.token));
    });

    it('answers 401 with code 20003 for a wrong project ID', async () => {
      const reply = await call(emulator, accountPath(emulator), {
        auth: { user: '00000000-0000-4000-8000-000000000000', password: emulator.token },
      });
      assertError(reply, 401, 20003);
    });

    it('answers 401 when the AccountSid in the path is not the authenticated project', async () => {
      const reply = await call(emulator, '/api/laml/2010-04-01/Accounts/00000000-0000-4000-8000-000000000000');
      assertError(reply, 401, 20003, /AccountSid/);
    });

    it('accepts the scheme name in any case', async () => {
      const header = `basic ${Buffer.from(`${emulator.projectId}:${emulator.token}`).toString('base64')}`;
      const reply = await call(emulator, accountPath(emulator), { auth: null, headers: { authorization: header } });
      assert.equal(reply.status, 200);
    });
  });

  describe('SIDs', () => {
    for (const [name, path] of [
      ['AccountSid', () => `/api/laml/2010-04-01/Accounts/not-a-uuid/Conferences`],
      ['ConferenceSid', (e: Emulator) => `${accountPath(e)}/Conferences/..%2F..%2Fx/Participants/${DEMO_SIDS.bob}`],
      ['CallSid', (e: Emulator) => `${accountPath(e)}/Conferences/${DEMO_SIDS.weeklySync}/Participants/123`],
    ] as const) {
      it(`refuses ${name} when it is not a UUID, with 400`, async () => {
        assertError(await call(emulator, path(emulator), { form: { Muted: 'true' } }), 400, 20001, new RegExp(name));
      });
    }

    it('refuses a CallSidToCoach that is not a UUID with 400', async () => {
      const reply = await call(emulator, bob(), { form: { Coaching: 'true', CallSidToCoach: 'carol' } });
      assertError(reply, 400, 20001, /CallSidToCoach/);
    });
  });

  describe('parameter values', () => {
    for (const [field, value] of [
      ['Muted', 'yes'],
      ['Muted', '1'],
      ['Hold', ''],
      ['Coaching', 'on'],
      ['HoldMethod', 'PUT'],
      ['AnnounceMethod', 'delete'],
      ['WaitMethod', ''],
      ['HoldUrl', 'music.mp3'],
      ['AnnounceUrl', 'ftp://example.com/a.xml'],
      ['WaitUrl', 'javascript:alert(1)'],
      ['HoldUrl', 'https://example.com/hold music.mp3'],
      ['AnnounceUrl', 'https://example.com/announcé.xml'],
      ['Beep', 'true'],
      ['BeepOnExit', 'yes'],
      ['EndConferenceOnExit', '1'],
    ]) {
      it(`refuses ${field}=${JSON.stringify(value)} with 400 naming the field, and changes nothing`, async () => {
        const before = bobBefore();
        const reply = await call(emulator, bob(), { form: { Muted: 'true', [field]: value } });
        assertError(reply, 400, 20001, new RegExp(field));
        assert.deepEqual(bobBefore(), before);
      });
    }

    it('refuses a body that is not form-urlencoded', async () => {
      const reply = await call(emulator, bob(), {
        method: 'POST',
        body: '{"Muted":true}',
        headers: { 'content-type': 'application/json' },
      });
      assertError(reply, 400, 20001, /Content-Type/);
    });
  });

  describe('coaching', () => {
    it('refuses Coaching=true without CallSidToCoach with 422', async () => {
      assertError(await call(emulator, bob(), { form: { Coaching: 'true' } }), 422, 20002, /CallSidToCoach/);
      assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.coaching, false);
    });

    it('refuses a CallSidToCoach that is not in the same conference with 422', async () => {
      const reply = await call(emulator, bob(), { form: { Coaching: 'true', CallSidToCoach: DEMO_SIDS.erin } });
      assertError(reply, 422, 20002, /not a participant/);
    });

    it('refuses a participant coaching itself with 422', async () => {
      const reply = await call(emulator, bob(), { form: { Coaching: 'true', CallSidToCoach: DEMO_SIDS.bob } });
      assertError(reply, 422, 20002);
    });
  });

  describe('what does not exist', () => {
    it('answers 404 for an unknown conference', async () => {
      const path = participantPath(emulator, '00000000-0000-4000-8000-000000000001', DEMO_SIDS.bob);
      assertError(await call(emulator, path, { form: { Muted: 'true' } }), 404, 20404);
    });

    it('answers 404 for an unknown participant, on update, retrieve and remove', async () => {
      const path = participantPath(emulator, DEMO_SIDS.weeklySync, '00000000-0000-4000-8000-000000000002');
      assertError(await call(emulator, path, { form: { Muted: 'true' } }), 404, 20404);
      assertError(await call(emulator, path), 404, 20404);
      assertError(await call(emulator, path, { method: 'DELETE' }), 404, 20404);
    });

    it('answers 404 for a participant of another conference', async () => {
      const path = participantPath(emulator, DEMO_SIDS.mondayStandup, DEMO_SIDS.bob);
      assertError(await call(emulator, path), 404, 20404);
    });

    it('answers 404 for an unknown path', async () => {
      assertError(await call(emulator, `${accountPath(emulator)}/Queues`), 404, 20404);
      assertError(await call(emulator, '/'), 404, 20404);
    });

    it('answers 405 for a method the resource does not have', async () => {
      const reply = await call(emulator, bob(), { method: 'PUT' });
      assertError(reply, 405, 20004);
      assert.equal(reply.headers.allow, 'GET, POST, DELETE');
    });
  });

  it('refuses an update in a completed conference with code 10000 and changes nothing', async () => {
    const path = participantPath(emulator, DEMO_SIDS.mondayStandup, DEMO_SIDS.erin);
    assertError(await call(emulator, path, { form: { Muted: 'true' } }), 422, 10000, /completed/);
    assert.equal(emulator.getParticipant(DEMO_SIDS.mondayStandup, DEMO_SIDS.erin)?.muted, false);
  });

  it('refuses a body over 64 KB with 413 and changes nothing', async () => {
    const reply = await call(emulator, bob(), {
      form: { Muted: 'true', HoldUrl: `https://example.com/${'a'.repeat(70_000)}` },
    });
    assertError(reply, 413, 20001, /larger/);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.muted, false);
  });

  it('explains each error code at its more_info link', async () => {
    const reply = await call(emulator, bob(), { form: { Muted: 'maybe' } });
    const info = await call(emulator, new URL(reply.json.more_info).pathname, { auth: null });
    assert.equal(info.status, 200);
    assert.equal(info.json.code, 20001);
    assert.match(info.json.explanation, /parameter/);
  });
});
