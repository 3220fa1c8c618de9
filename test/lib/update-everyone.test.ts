import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignalWireClient, SignalWireError, updateEveryone } from '../../src/lib';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { participantFor, startRecordingServer, type RecordingServer } from '../support/recording-server';
import { clientFor, CONFERENCE_SID, PROJECT_ID, rejectionOf } from './fixtures';
import { until } from '../emulator/http';

describe('update everyone', () => {
  const conferenceSid = randomUUID();
  const host = randomUUID();
  const cohost = randomUUID();
  const guests = Array.from({ length: 5 }, () => randomUUID());
  const everyone = [host, cohost, ...guests];
  let emulator: Emulator;
  let client: SignalWireClient;

  before(async () => {
    emulator = await startEmulator({
      seed: {
        conferences: [
          {
            sid: conferenceSid,
            participants: [
              { callSid: host, startConferenceOnEnter: true, endConferenceOnExit: true },
              { callSid: cohost, startConferenceOnEnter: true },
              ...guests.map((callSid) => ({ callSid, startConferenceOnEnter: false })),
            ],
          },
        ],
      },
    });
  });
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    client = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      retryDelay: 10,
    });
  });
  afterEach(() => client.close());

  const muted = (callSid: string) => emulator.getParticipant(conferenceSid, callSid)!.muted;

  it('mutes everyone but the call SIDs given, and says who was updated and skipped', async () => {
    const result = await updateEveryone(client, conferenceSid, { muted: true }, { except: [host] });
    assert.deepEqual(result.skipped, [host]);
    assert.deepEqual(result.failed, []);
    assert.deepEqual(
      result.updated.map((p) => [p.call_sid, p.muted]),
      everyone.filter((s) => s !== host).map((s) => [s, true]),
    );
    assert.equal(muted(host), false);
    for (const sid of everyone.filter((s) => s !== host)) assert.equal(muted(sid), true);
  });

  it('takes except as a text of SIDs separated by commas or spaces, any case, each skipped once', async () => {
    const except = `${host.toUpperCase()}, ${guests[0]}\n${guests[0]} ${randomUUID()}`;
    const result = await updateEveryone(client, conferenceSid, { muted: true }, { except });
    assert.deepEqual(result.skipped, [host, guests[0]]);
    assert.equal(result.updated.length, everyone.length - 2);
    assert.equal(muted(host), false);
    assert.equal(muted(guests[0]!), false);
  });

  it('leaves the moderators (start_conference_on_enter) alone when asked, and only then', async () => {
    const skipping = await updateEveryone(client, conferenceSid, { hold: true }, { skipModerators: true });
    assert.deepEqual(skipping.skipped, [host, cohost]);
    assert.deepEqual(
      skipping.updated.map((p) => p.call_sid),
      guests,
    );
    assert.equal(emulator.getParticipant(conferenceSid, host)!.hold, false);

    const all = await updateEveryone(client, conferenceSid, { hold: true }, { skipModerators: false });
    assert.deepEqual(all.skipped, []);
    assert.equal(all.updated.length, everyone.length);
    assert.equal(emulator.getParticipant(conferenceSid, host)!.hold, true);
  });

  it('updates the participants of every page', async () => {
    const result = await updateEveryone(client, conferenceSid, { muted: true }, {}, { pageSize: 2 });
    assert.equal(result.updated.length, everyone.length);
    assert.equal(emulator.stats.requests, 4 + everyone.length);
  });

  it('goes on when one update fails, and names it with its normalized error', async () => {
    // Everyone coaches the host: the host cannot coach itself (422), everyone else can.
    const result = await updateEveryone(client, conferenceSid, { coaching: true, callSidToCoach: host });
    assert.equal(result.updated.length, everyone.length - 1);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0]!.callSid, host);
    assert.equal(result.failed[0]!.error.source, 'api');
    assert.equal(result.failed[0]!.error.status, 422);
    assert.match(result.failed[0]!.error.message, /cannot be the participant itself|CallSidToCoach/);
    assert.equal(emulator.getParticipant(conferenceSid, guests[2]!)!.coaching, true);
  });

  it('sends all updates through the client in-flight cap, also when two run at once', async () => {
    const capped = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      maxInFlight: 3,
    });
    const other = randomUUID();
    emulator.addConference({ sid: other });
    emulator.addParticipants(other, 20, {});
    emulator.setFaults([{ kind: 'latency', ms: 5 }]);
    try {
      const [a, b] = await Promise.all([
        updateEveryone(capped, conferenceSid, { muted: true }),
        updateEveryone(capped, other, { muted: true }),
      ]);
      assert.equal(a.updated.length + b.updated.length, everyone.length + 20);
      assert.equal(emulator.stats.maxInFlight, 3);
    } finally {
      await capped.close();
    }
  });

  it('mutes everyone under a POST rate limit without losing anyone', async () => {
    const big = randomUUID();
    emulator.addConference({ sid: big });
    emulator.addParticipants(big, 60, {});
    // No Retry-After, as SignalWire documents none: the client's own backoff paces it.
    emulator.setRateLimit({ limit: 10, windowMs: 200 });
    const paced = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      retryDelay: 100,
    });
    const result = await updateEveryone(paced, big, { muted: true }).finally(() => paced.close());
    assert.deepEqual(result.failed, []);
    assert.equal(result.updated.length, 60);
    assert.ok(emulator.stats.rateLimited > 0, 'the limit was reached');
    assert.ok(emulator.getConference(big)!.participants.every((p) => p.muted));
  });

  it('closing mid-sweep: updates still waiting their turn are not sent, and say so; the one in flight may be applied', async () => {
    const big = randomUUID();
    emulator.addConference({ sid: big });
    emulator.addParticipants(big, 60, {});
    emulator.setFaults([{ kind: 'latency', ms: 100 }]);
    const closing = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      maxInFlight: 1,
      timeout: 1000,
      // The second update times out just before the close budget ends: its retry, waiting out its backoff, is
      // what the close cancels.
      retries: 3,
    });
    const sweep = updateEveryone(closing, big, { muted: true });
    // The list, then the first update: it is answered; the second one never is.
    await until(() => emulator.stats.requests >= 2);
    emulator.setFaults([{ kind: 'hang' }]);
    await until(() => emulator.stats.requests >= 3);
    await closing.close();
    const result = await sweep;

    assert.equal(result.updated.length, 1);
    const notSent = result.failed.filter((f) => f.error.code === 'ERR_NOT_SENT');
    const maybe = result.failed.filter((f) => f.error.code !== 'ERR_NOT_SENT');
    assert.equal(notSent.length, 58);
    assert.equal(notSent.length, 60 - (emulator.stats.requests - 1), 'exactly those that never reached SignalWire');
    assert.match(notSent[0]!.error.message, /before this request was sent: it was not sent/);
    assert.deepEqual(
      maybe.map((f) => f.error.code),
      ['ERR_CANCELED'],
    );
    assert.match(maybe[0]!.error.message, /may or may not have been applied/);
  });

  const badInput: Array<[string, () => Promise<unknown>, RegExp]> = [
    [
      'a conference SID that is not a UUID',
      () => updateEveryone(client, 'x', { muted: true }),
      /conferenceSid must be/,
    ],
    ['no options', () => updateEveryone(client, conferenceSid, {}), /nothing to update/],
    ['a bad option', () => updateEveryone(client, conferenceSid, { muted: 'yes' }), /muted must be true or false/],
    ['options that are not an object', () => updateEveryone(client, conferenceSid, 'mute'), /must be an object/],
    [
      'an except entry that is not a SID',
      () => updateEveryone(client, conferenceSid, { muted: true }, { except: [host, 'Alice'] }),
      /except\[1\] must be a call SID/,
    ],
    [
      'an except that is a number',
      () => updateEveryone(client, conferenceSid, { muted: true }, { except: 5 as never }),
      /except must be a list of call SIDs/,
    ],
    [
      'skipModerators as a word',
      () => updateEveryone(client, conferenceSid, { muted: true }, { skipModerators: 'yes' as never }),
      /skipModerators must be true or false/,
    ],
  ];
  for (const [what, call, says] of badInput) {
    it(`refuses ${what} before listing anyone`, async () => {
      const error = (await rejectionOf(call())) as SignalWireError;
      assert.equal(error.source, 'validation');
      assert.match(error.message, says);
      assert.equal(emulator.stats.requests, 0);
    });
  }
});

describe('update everyone: easing off after a 429', () => {
  let server: RecordingServer;
  const sids = Array.from({ length: 24 }, () => randomUUID());
  const listPath = `/api/laml/2010-04-01/Accounts/${PROJECT_ID}/Conferences/${CONFERENCE_SID}/Participants`;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());

  it('starts no new update until the Retry-After has passed once 429s come in a row', async () => {
    server.reset();
    let refusedAt = 0;
    let posts = 0;
    server.fallback = (request) => {
      if (request.method === 'GET') {
        return {
          body: {
            participants: sids.map((callSid) => ({
              ...participantFor({ ...request, path: `${listPath}/${callSid}` }),
            })),
            next_page_uri: null,
          },
        };
      }
      posts++;
      // The limit is full for a moment: every update then is refused.
      if (posts >= 11 && posts <= 14) {
        refusedAt = Math.max(refusedAt, request.arrivedAt);
        return { status: 429, headers: { 'Retry-After': '1' }, body: { code: 20429, message: 'Too Many Requests' } };
      }
      return { status: 200, body: participantFor(request) };
    };
    const client = clientFor(server, { maxInFlight: 8, retryDelay: 10 });
    try {
      const result = await updateEveryone(client, CONFERENCE_SID, { muted: true });
      assert.equal(result.updated.length, sids.length);
      assert.equal(result.failed.length, 0);
    } finally {
      await client.close();
    }
    const later = server.requests.filter((r) => r.method === 'POST' && r.arrivedAt > refusedAt);
    const tooSoon = later.filter((r) => r.arrivedAt < refusedAt + 1000);
    // Only the updates already on their way when the last 429 came back may arrive within its Retry-After.
    assert.ok(tooSoon.length <= 7, `${tooSoon.length} updates arrived within the Retry-After`);
    // Every update, and the 4 refused ones again.
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, sids.length + 4);
  });
});
