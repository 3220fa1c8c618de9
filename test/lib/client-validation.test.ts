import assert from 'node:assert/strict';
import { SignalWireClient, SignalWireError } from '../../src/lib';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { CALL_SID, clientFor, COACHED_SID, CONFERENCE_SID, PROJECT_ID, rejectionOf, TOKEN } from './fixtures';

describe('SignalWireClient validation', () => {
  let server: RecordingServer;
  let client: SignalWireClient;

  before(async () => {
    server = await startRecordingServer();
    client = clientFor(server);
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  const badCalls: Array<[string, unknown, unknown, unknown, RegExp]> = [
    [
      'a conference SID that is not a UUID',
      'CF123',
      CALL_SID,
      { muted: true },
      /^conferenceSid must be .*UUID \(got "CF123"\)/,
    ],
    ['a conference SID with ../', '../../Calls', CALL_SID, { muted: true }, /^conferenceSid must be/],
    ['a call SID with a /', CONFERENCE_SID, `${CALL_SID}/x`, { muted: true }, /^callSid must be/],
    ['a call SID of ..', CONFERENCE_SID, '..', { muted: true }, /^callSid must be/],
    ['a missing call SID', CONFERENCE_SID, undefined, { muted: true }, /^callSid must be .*\(got nothing\)/],
    ['a numeric call SID', CONFERENCE_SID, 42, { muted: true }, /^callSid must be .*\(got 42\)/],
    [
      'a boolean string other than true/false',
      CONFERENCE_SID,
      CALL_SID,
      { muted: 'TRUE' },
      /^muted must be true or false \(got "TRUE"\)/,
    ],
    ['a number for a boolean', CONFERENCE_SID, CALL_SID, { hold: 1 }, /^hold must be true or false \(got 1\)/],
    [
      'an unknown method',
      CONFERENCE_SID,
      CALL_SID,
      { holdMethod: 'DELETE' },
      /^holdMethod must be GET or POST \(got "DELETE"\)/,
    ],
    ['a relative URL', CONFERENCE_SID, CALL_SID, { announceUrl: '/say.xml' }, /^announceUrl must be an absolute http/],
    [
      'a non-http URL',
      CONFERENCE_SID,
      CALL_SID,
      { holdUrl: 'ftp://example.com/a.mp3' },
      /^holdUrl must be an absolute http/,
    ],
    [
      'coaching without callSidToCoach',
      CONFERENCE_SID,
      CALL_SID,
      { coaching: true },
      /callSidToCoach is required when coaching is true/,
    ],
    [
      'a callSidToCoach that is not a UUID',
      CONFERENCE_SID,
      CALL_SID,
      { coaching: true, callSidToCoach: '../x' },
      /^callSidToCoach must be a call SID/,
    ],
    ['an empty update', CONFERENCE_SID, CALL_SID, {}, /^nothing to update/],
    ['options that are not an object', CONFERENCE_SID, CALL_SID, 'mute', /^update options must be an object/],
  ];

  for (const [what, conferenceSid, callSid, options, message] of badCalls) {
    it(`refuses ${what} with a message naming the field, and sends nothing`, async () => {
      const error = await rejectionOf(client.updateParticipant(conferenceSid, callSid, options));
      assert.ok(error instanceof SignalWireError, String(error));
      assert.equal(error.source, 'validation');
      assert.match(error.message, message);
      assert.equal(error.status, undefined);
      assert.equal(server.requests.length, 0);
    });
  }

  it('refuses a bad SID on retrieve too, and sends nothing', async () => {
    const error = await rejectionOf(client.getParticipant(CONFERENCE_SID, 'not-a-sid'));
    assert.ok(error instanceof SignalWireError);
    assert.match(error.message, /^callSid must be/);
    assert.equal(server.requests.length, 0);
  });

  it('still sends a valid update after refusing bad ones', async () => {
    await client.updateParticipant(CONFERENCE_SID, CALL_SID, { coaching: true, callSidToCoach: COACHED_SID });
    assert.equal(server.requests.length, 1);
  });

  const badSettings: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a bad space', { space: 'not a space!' }, /^space "not a space!" is not/],
    ['plain http to a non-loopback host', { space: 'http://example.signalwire.com' }, /plain http:\/\//],
    ['a project ID that is not a UUID', { projectId: 'my-project' }, /^projectId must be .*UUID \(got "my-project"\)/],
    ['a missing token', { token: '' }, /^token is missing/],
    ['a zero timeout', { timeout: 0 }, /^timeout must be a positive number/],
    ['a fractional maxInFlight', { maxInFlight: 1.5 }, /^maxInFlight must be a whole number of at least 1/],
    ['negative retries', { retries: -1 }, /^retries must be a whole number of at least 0/],
  ];
  for (const [what, override, message] of badSettings) {
    it(`refuses ${what} when the client is made`, () => {
      assert.throws(
        () => new SignalWireClient({ space: server.url, projectId: PROJECT_ID, token: TOKEN, ...override } as never),
        (error: unknown) =>
          error instanceof SignalWireError && error.source === 'validation' && message.test(error.message),
      );
    });
  }
});
