import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';

// The package's exports map hides its type declarations from this project's module resolution: the little
// used of it is typed here.
interface SdkParticipant {
  callSid: string;
  muted: boolean;
  hold: boolean;
  startConferenceOnEnter: boolean;
}
interface SdkConference {
  sid: string;
  friendlyName: string;
  status: string;
  dateCreated: Date;
}
interface SdkParticipantContext {
  fetch(): Promise<SdkParticipant>;
  update(options: Record<string, unknown>): Promise<SdkParticipant>;
  remove(): Promise<boolean>;
}
interface SdkConferenceContext {
  fetch(): Promise<SdkConference>;
  update(options: Record<string, unknown>): Promise<SdkConference>;
  participants: ((callSid: string) => SdkParticipantContext) & {
    list(options?: Record<string, unknown>): Promise<SdkParticipant[]>;
  };
}
interface SdkClient {
  api: { baseUrl: string };
  conferences: ((sid: string) => SdkConferenceContext) & {
    list(options?: Record<string, unknown>): Promise<SdkConference[]>;
  };
}
const { RestClient } = createRequire(__filename)('@signalwire/compatibility-api') as {
  RestClient: (user: string, token: string, options: { signalwireSpaceUrl: string }) => SdkClient;
};

/**
 * SignalWire's own Node SDK against the emulator, as an SDK user would point it there: its base is the space
 * itself (it calls `/2010-04-01/Accounts/....json`), and it follows `next_page_uri` on its own.
 */
describe('the official SDK (@signalwire/compatibility-api) against the emulator', () => {
  let emulator: Emulator;
  let client: SdkClient;
  let town: string;
  const muted: string[] = [];
  const unmuted: string[] = [];

  beforeEach(async () => {
    emulator = await startEmulator();
    // The SDK always builds https://{signalwireSpaceUrl}; the emulator speaks plain http on loopback.
    client = RestClient(emulator.projectId, emulator.token, { signalwireSpaceUrl: new URL(emulator.url).host });
    client.api.baseUrl = emulator.url;
    town = emulator.addConference({ friendlyName: 'Town hall' }).sid;
    muted.length = 0;
    unmuted.length = 0;
    for (let i = 0; i < 23; i++) {
      const p = emulator.addParticipant(town, {
        muted: i % 3 === 0,
        hold: i % 5 === 0,
        startConferenceOnEnter: i === 0,
      });
      (p.muted ? muted : unmuted).push(p.call_sid);
    }
  });
  afterEach(() => emulator.close());

  /** API requests the emulator received while `work` ran. */
  async function requestsFor(work: () => Promise<unknown>): Promise<number> {
    const before = emulator.stats.requests;
    await work();
    return emulator.stats.requests - before;
  }

  it('lists participants with a filter across several pages, exactly the matching ones', async () => {
    let listed: SdkParticipant[] = [];
    const requests = await requestsFor(async () => {
      listed = await client.conferences(town).participants.list({ muted: false, pageSize: 4 });
    });
    assert.deepEqual(
      listed.map((p) => p.callSid),
      unmuted,
    );
    assert.ok(listed.every((p) => p.muted === false));
    assert.equal(requests, Math.ceil(unmuted.length / 4), 'one request per page');

    const mutedAndHeld = await client.conferences(town).participants.list({ muted: true, hold: true, pageSize: 1 });
    const expected = emulator
      .getConference(town)!
      .participants.filter((p) => p.muted && p.hold)
      .map((p) => p.call_sid);
    assert.ok(expected.length >= 2);
    assert.deepEqual(
      mutedAndHeld.map((p) => p.callSid),
      expected,
    );
  });

  it('lists conferences with status, name and date filters across pages', async () => {
    for (let i = 0; i < 9; i++) {
      emulator.addConference({
        friendlyName: 'Retro',
        status: i % 2 === 0 ? 'completed' : 'in-progress',
        dateCreated: `2024-06-0${1 + i}T12:00:00Z`,
      });
    }
    const completed = await client.conferences.list({ friendlyName: 'Retro', status: 'completed', pageSize: 2 });
    assert.equal(completed.length, 5);
    assert.ok(completed.every((c) => c.friendlyName === 'Retro' && c.status === 'completed'));

    const early = await client.conferences.list({
      friendlyName: 'Retro',
      dateCreatedAfter: new Date('2024-06-03T00:00:00Z'),
      dateCreatedBefore: new Date('2024-06-07T00:00:00Z'),
      pageSize: 2,
    });
    assert.deepEqual(
      early.map((c) => new Date(c.dateCreated).toISOString().slice(0, 10)),
      ['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07'],
    );
    const live = await client.conferences.list({ status: 'in-progress', pageSize: 1 });
    assert.deepEqual(
      live.map((c) => c.sid).sort(),
      emulator
        .snapshot()
        .filter((c) => c.status === 'in-progress')
        .map((c) => c.sid)
        .sort(),
    );
  });

  it('retrieves, updates and removes a participant', async () => {
    const bob = client.conferences(DEMO_SIDS.weeklySync).participants(DEMO_SIDS.bob);
    const fetched = await bob.fetch();
    assert.equal(fetched.callSid, DEMO_SIDS.bob);
    assert.equal(fetched.startConferenceOnEnter, false);
    const updated = await bob.update({
      muted: true,
      hold: true,
      holdUrl: 'https://example.com/hold.mp3',
      holdMethod: 'GET',
    });
    assert.equal(updated.muted, true);
    assert.equal(
      emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.hold_url,
      'https://example.com/hold.mp3',
    );
    assert.equal(await bob.remove(), true);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob), undefined);
    await assert.rejects(bob.fetch(), (error: { status?: number; code?: number }) => {
      assert.equal(error.status, 404);
      assert.equal(error.code, 20404);
      return true;
    });
  });

  it("takes the SDK's endConferenceOnExit and beepOnExit: the conference then ends when that participant leaves", async () => {
    const bob = client.conferences(DEMO_SIDS.weeklySync).participants(DEMO_SIDS.bob);
    const updated = (await bob.update({ endConferenceOnExit: true, beepOnExit: false })) as SdkParticipant & {
      endConferenceOnExit: boolean;
    };
    assert.equal(updated.endConferenceOnExit, true);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.end_conference_on_exit, true);
    assert.equal(emulator.getParticipant(DEMO_SIDS.weeklySync, DEMO_SIDS.bob)?.beep_on_exit, false);
    emulator.calls.leave({ conferenceSid: DEMO_SIDS.weeklySync, callSid: DEMO_SIDS.bob });
    assert.equal(emulator.getConference(DEMO_SIDS.weeklySync)?.status, 'completed');
  });

  it('retrieves a conference, announces to it, then ends it', async () => {
    const weekly = client.conferences(DEMO_SIDS.weeklySync);
    assert.equal((await weekly.fetch()).friendlyName, 'Weekly sync');
    const announced = await weekly.update({ announceUrl: 'https://example.com/closing.xml', announceMethod: 'GET' });
    assert.equal(announced.status, 'in-progress');
    assert.equal(emulator.getConference(DEMO_SIDS.weeklySync)?.announce_url, 'https://example.com/closing.xml');
    const ended = await weekly.update({ status: 'completed' });
    assert.equal(ended.status, 'completed');
    assert.deepEqual(await weekly.participants.list(), []);
    await assert.rejects(weekly.update({ status: 'completed' }), (error: { status?: number; code?: number }) => {
      assert.equal(error.status, 422);
      assert.equal(error.code, 10000);
      return true;
    });
  });
});
