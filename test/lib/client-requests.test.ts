import assert from 'node:assert/strict';
import { SignalWireClient, USER_AGENT } from '../../src/lib';
import type { ParticipantUpdateOptions } from '../../src/lib';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { CALL_SID, clientFor, COACHED_SID, CONFERENCE_SID, PARTICIPANT_PATH, PROJECT_ID, TOKEN } from './fixtures';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(`${__dirname}/../../package.json`, 'utf8')) as { version: string };

describe('SignalWireClient requests', () => {
  let server: RecordingServer;
  let client: SignalWireClient;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    client = clientFor(server);
  });
  afterEach(() => client.close());

  it('POSTs the update to the participant path with Basic auth, a form body and our User-Agent', async () => {
    const result = await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true });

    assert.equal(server.requests.length, 1);
    const [request] = server.requests;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.path, PARTICIPANT_PATH);
    assert.equal(request!.headers.authorization, `Basic ${Buffer.from(`${PROJECT_ID}:${TOKEN}`).toString('base64')}`);
    assert.equal(request!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request!.headers['user-agent'], `@callflows/node-red-signalwire/${pkg.version}`);
    assert.equal(USER_AGENT, `@callflows/node-red-signalwire/${pkg.version}`);
    assert.equal(request!.body, 'Muted=true');

    assert.equal(result.statusCode, 200);
    assert.equal(result.participant.call_sid, CALL_SID);
    assert.equal(result.participant.conference_sid, CONFERENCE_SID);
    assert.equal(result.participant.muted, true);
  });

  const cases: Array<[ParticipantUpdateOptions | Record<string, unknown>, string]> = [
    [{ muted: false }, 'Muted=false'],
    [{ muted: 'true' }, 'Muted=true'],
    [{ hold: true }, 'Hold=true'],
    [{ hold: 'false' }, 'Hold=false'],
    [{ holdUrl: 'https://example.com/hold.mp3' }, 'HoldUrl=https%3A%2F%2Fexample.com%2Fhold.mp3'],
    [{ holdMethod: 'get' }, 'HoldMethod=GET'],
    [{ announceUrl: 'http://example.com/a.xml' }, 'AnnounceUrl=http%3A%2F%2Fexample.com%2Fa.xml'],
    [{ announceMethod: 'post' }, 'AnnounceMethod=POST'],
    [{ waitUrl: 'https://example.com/wait' }, 'WaitUrl=https%3A%2F%2Fexample.com%2Fwait'],
    [{ waitMethod: 'GET' }, 'WaitMethod=GET'],
    [{ coaching: true, callSidToCoach: COACHED_SID }, `Coaching=true&CallSidToCoach=${COACHED_SID}`],
    [{ coaching: false }, 'Coaching=false'],
    [{ callSidToCoach: COACHED_SID }, `CallSidToCoach=${COACHED_SID}`],
    [
      { holdUrl: 'https://example.com/hold music é.mp3' },
      'HoldUrl=https%3A%2F%2Fexample.com%2Fhold%2520music%2520%25C3%25A9.mp3',
    ],
    [{ holdUrl: 'https://example.com/hold%20music.mp3' }, 'HoldUrl=https%3A%2F%2Fexample.com%2Fhold%2520music.mp3'],
  ];
  for (const [options, body] of cases) {
    it(`sends ${JSON.stringify(options)} as the form ${body}`, async () => {
      await client.updateParticipant(CONFERENCE_SID, CALL_SID, options);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.body, body);
    });
  }

  it('sends only the options that are set', async () => {
    await client.updateParticipant(CONFERENCE_SID, CALL_SID, {
      muted: undefined,
      hold: true,
      holdUrl: 'https://example.com/music.mp3',
      holdMethod: undefined,
    });
    const form = new URLSearchParams(server.requests[0]!.body);
    assert.deepEqual([...form.keys()], ['Hold', 'HoldUrl']);
    assert.equal(form.get('Hold'), 'true');
    assert.equal(form.get('HoldUrl'), 'https://example.com/music.mp3');
  });

  it('reuses one keep-alive connection for successive requests', async () => {
    await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true });
    await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: false });
    assert.equal(server.requests[0]!.headers.connection, 'keep-alive');
    assert.equal(server.requests[1]!.remotePort, server.requests[0]!.remotePort);
  });

  it('retrieves a participant with a GET on the same path', async () => {
    const result = await client.getParticipant(CONFERENCE_SID, CALL_SID);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.method, 'GET');
    assert.equal(server.requests[0]!.path, PARTICIPANT_PATH);
    assert.equal(server.requests[0]!.body, '');
    assert.equal(server.requests[0]!.headers['content-type'], undefined, 'no Content-Type without a body');
    assert.equal(result.participant.call_sid, CALL_SID);
  });

  it('returns the participant exactly as the API sent it', async () => {
    const body = {
      account_sid: PROJECT_ID,
      call_sid: CALL_SID,
      call_sid_to_coach: null,
      coaching: false,
      conference_sid: CONFERENCE_SID,
      date_created: 'Mon, 16 Nov 2026 10:00:00 +0000',
      date_updated: 'Mon, 16 Nov 2026 10:05:00 +0000',
      status: 'in-progress',
      end_conference_on_exit: false,
      muted: true,
      hold: true,
      start_conference_on_enter: true,
      uri: '/2010-04-01/Accounts/x/Conferences/y/Participants/z.json',
      extra_field: 'kept',
    };
    server.respond({ status: 200, body });
    const result = await client.updateParticipant(CONFERENCE_SID, CALL_SID, { hold: true });
    assert.deepEqual(result.participant, body);
  });
});
