import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { SignalWireClient } from '../../src/lib';
import { startRecordingServer, type RecordingServer, type ScriptedResponse } from '../support/recording-server';
import { CALL_SID, clientFor, CONFERENCE_SID, PROJECT_ID, TOKEN } from './fixtures';

const CREDENTIALS = Buffer.from(`${PROJECT_ID}:${TOKEN}`).toString('base64');

/** Every way an error can be turned into text by a caller, a logger or Node-RED's debug sidebar. */
function renderings(value: unknown): string[] {
  const texts = [String(value), inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '');
  return texts;
}

function assertNoSecret(value: unknown): void {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(TOKEN), `the token leaked: ${text}`);
    assert.ok(!text.includes(CREDENTIALS), `the Basic credentials leaked: ${text}`);
  }
}

describe('the token never leaves in an error', () => {
  let server: RecordingServer;
  let client: SignalWireClient;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    client = clientFor(server, { retries: 1, timeout: 150 });
  });
  afterEach(() => client.close());

  const failures: Array<[string, ScriptedResponse]> = [
    ['a 401', { status: 401, body: { code: 20003, message: 'Authentication Error', more_info: 'x', status: 401 } }],
    ['a 200 that is not a participant', { status: 200, body: 'not json' }],
    ['a reset connection', { destroySocket: true }],
    ['a timeout', { hang: true }],
    ['a 503 after retries', { status: 503, body: 'Service Unavailable' }],
  ];
  for (const [what, response] of failures) {
    it(`keeps it out of ${what}`, async () => {
      server.fallback = () => response;
      let caught: unknown;
      await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }).catch((error: unknown) => {
        caught = error;
      });
      assert.ok(caught, 'expected a failure');
      assertNoSecret(caught);
      // The request really carried the credentials, so their absence above means something.
      assert.equal(server.requests[0]!.headers.authorization, `Basic ${CREDENTIALS}`);
    });
  }

  it('redacts credentials a server echoes back in an error body', async () => {
    server.fallback = (request) => ({
      status: 400,
      body: { code: 400, message: `Bad request with ${request.headers.authorization} for token ${TOKEN}`, status: 400 },
    });
    let caught: unknown;
    await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }).catch((error: unknown) => {
      caught = error;
    });
    assertNoSecret(caught);
    assert.match(String((caught as Error).message), /Bad request with Basic \[redacted\] for token \[redacted\]/);
  });

  it('redacts credentials echoed in the code and the more-info link, not only the message', async () => {
    server.fallback = (request) => ({
      status: 400,
      body: {
        code: `bad token ${TOKEN}`,
        message: 'Bad request',
        more_info: `https://errors.example.com/?auth=${request.headers.authorization}&token=${encodeURIComponent(TOKEN)}`,
        status: 400,
      },
    });
    let caught: unknown;
    await client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }).catch((error: unknown) => {
      caught = error;
    });
    assertNoSecret(caught);
    const error = caught as { code?: unknown; moreInfo?: unknown };
    assert.equal(error.code, 'bad token [redacted]');
    assert.equal(error.moreInfo, 'https://errors.example.com/?auth=Basic [redacted]&token=[redacted]');
  });

  it('redacts a token with characters that a URL encodes, in both forms', async () => {
    const odd = 'tok/en+with=signs';
    const oddClient = clientFor(server, { token: odd, retries: 0 });
    server.fallback = () => ({
      status: 400,
      body: { code: 400, message: `raw ${odd} encoded ${encodeURIComponent(odd)}`, status: 400 },
    });
    const caught = await oddClient.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }).catch((e: Error) => e);
    await oddClient.close();
    assert.equal((caught as Error).message, 'raw [redacted] encoded [redacted]');
  });

  it('leaves a message readable when the token is a single letter', async () => {
    for (const token of ['x', 'e', 'o']) {
      const short = clientFor(server, { token, retries: 0 });
      server.fallback = () => ({
        status: 404,
        body: {
          code: 20404,
          message: 'The requested resource was not found on example.com: see the error reference',
          more_info: 'https://www.example.com/docs/errors/20404',
          status: 404,
        },
      });
      const caught = (await short
        .updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true })
        .catch((e: unknown) => e)) as { message: string; moreInfo?: string };
      await short.close();
      assert.equal(caught.message, 'The requested resource was not found on example.com: see the error reference');
      assert.equal(caught.moreInfo, 'https://www.example.com/docs/errors/20404');
    }
  });

  it('still hides a short token where it stands as a credential', async () => {
    const short = clientFor(server, { token: 'x', retries: 0 });
    server.fallback = () => ({
      status: 401,
      body: { code: 20003, message: `token x was refused for ${PROJECT_ID}:x (example.com)`, status: 401 },
    });
    const caught = (await short
      .updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true })
      .catch((e: unknown) => e)) as Error;
    await short.close();
    assert.equal(caught.message, `token [redacted] was refused for ${PROJECT_ID}:[redacted] (example.com)`);
  });

  it('keeps it out of validation errors, including a bad project ID next to it', () => {
    try {
      new SignalWireClient({ space: server.url, projectId: 'nope', token: TOKEN });
      assert.fail('expected a validation error');
    } catch (error) {
      assertNoSecret(error);
    }
  });

  it('keeps it out of the client object when inspected or serialized', () => {
    assertNoSecret(client);
  });

  it('keeps it out of a failed connection check', async () => {
    server.fallback = () => ({ status: 401, body: { code: 20003, message: 'Authentication Error', status: 401 } });
    const check = await client.checkConnection();
    assert.equal(check.ok, false);
    assertNoSecret(check);
  });
});
