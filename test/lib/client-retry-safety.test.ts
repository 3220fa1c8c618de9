/**
 * Retrying an action (an announcement, hold music) after SignalWire may have processed it would play it twice.
 * Actions are retried only when the request was certainly not processed; state updates are retried as before.
 */
import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { SignalWireClient, SignalWireError } from '../../src/lib';
import { RecordingServer, startRecordingServer } from '../support/recording-server';
import { CALL_SID, clientFor, CONFERENCE_SID, PROJECT_ID, rejectionOf, TOKEN } from './fixtures';

const ANNOUNCE = { announceUrl: 'https://example.com/announce.xml' };
const HOLD_MUSIC = { hold: true, holdUrl: 'https://example.com/music.xml' };

describe('retrying actions at most once', () => {
  describe('against the emulator, which processes the request and then drops the answer', () => {
    let emulator: Emulator;
    let client: SignalWireClient;
    const conference = DEMO_SIDS.weeklySync;

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
        retries: 3,
        retryDelay: 5,
      });
    });
    afterEach(() => client.close());

    it('plays an announcement once when its answer is lost, and reports the failure', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const error = await rejectionOf(client.updateParticipant(conference, DEMO_SIDS.bob, ANNOUNCE));
      assert.ok(error instanceof SignalWireError);
      assert.equal(error.source, 'network');
      // Processed exactly once: one request reached the emulator and changed the participant.
      assert.equal(emulator.stats.requests, 1);
      assert.equal(emulator.stats.updates, 1);
      assert.equal(emulator.getParticipant(conference, DEMO_SIDS.bob)!.announce_url, ANNOUNCE.announceUrl);
    });

    it('starts hold music once when its answer is lost', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      await rejectionOf(client.updateParticipant(conference, DEMO_SIDS.bob, HOLD_MUSIC));
      assert.equal(emulator.stats.updates, 1);
      assert.equal(emulator.getParticipant(conference, DEMO_SIDS.bob)!.hold, true);
    });

    it('still retries a mute whose answer is lost (repeating it changes nothing)', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const result = await client.updateParticipant(conference, DEMO_SIDS.bob, { muted: true });
      assert.equal(result.participant.muted, true);
      assert.equal(emulator.stats.updates, 2);
    });

    it('still retries hold without music (no music restarts)', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const result = await client.updateParticipant(conference, DEMO_SIDS.bob, { hold: true });
      assert.equal(result.participant.hold, true);
      assert.equal(emulator.stats.updates, 2);
    });

    for (const kind of ['429', '503'] as const) {
      it(`retries an announcement after a ${kind}, which says it was not processed`, async () => {
        emulator.setFaults([{ kind, count: 1 }]);
        const result = await client.updateParticipant(conference, DEMO_SIDS.bob, ANNOUNCE);
        assert.equal(result.statusCode, 200);
        assert.equal(emulator.stats.requests, 2);
        assert.equal(emulator.stats.updates, 1);
      });
    }
  });

  describe('against a recording server', () => {
    let server: RecordingServer;

    before(async () => {
      server = await startRecordingServer();
    });
    after(() => server.close());
    beforeEach(() => server.reset());

    it('does not retry an announcement that timed out (it may have played)', async () => {
      const client = clientFor(server, { retries: 3, retryDelay: 5, timeout: 200 });
      server.respond({ hang: true });
      const error = await rejectionOf(client.updateParticipant(CONFERENCE_SID, CALL_SID, ANNOUNCE));
      await client.close();
      assert.ok(error instanceof SignalWireError);
      assert.equal(error.source, 'timeout');
      assert.equal(server.requests.length, 1);
    });

    it('does not retry an announcement on a reset connection', async () => {
      const client = clientFor(server, { retries: 3, retryDelay: 5 });
      server.respond({ destroySocket: true });
      const error = await rejectionOf(client.updateParticipant(CONFERENCE_SID, CALL_SID, ANNOUNCE));
      await client.close();
      assert.ok(error instanceof SignalWireError);
      assert.equal(error.code, 'ECONNRESET');
      assert.equal(server.requests.length, 1);
    });

    it('retries an announcement whose connection was refused (it never arrived)', async () => {
      const gone = await startRecordingServer();
      const port = gone.port;
      await gone.close();
      const client = new SignalWireClient({
        space: `http://127.0.0.1:${port}`,
        projectId: PROJECT_ID,
        token: TOKEN,
        retries: 3,
        retryDelay: 300,
      });
      const pending = client.updateParticipant(CONFERENCE_SID, CALL_SID, ANNOUNCE);
      // The first attempt is refused at once; the server is back well before the first retry.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const back = await new RecordingServer().listen(port);
      try {
        const result = await pending;
        assert.equal(result.statusCode, 200);
        assert.equal(back.requests.length, 1);
        assert.equal(new URLSearchParams(back.requests[0]!.body).get('AnnounceUrl'), ANNOUNCE.announceUrl);
      } finally {
        await client.close();
        await back.close();
      }
    });
  });
});
