import assert from 'node:assert/strict';
import { SignalWireClient, SignalWireError } from '../../src/lib';
import { startRecordingServer, type RecordingServer, type ScriptedResponse } from '../support/recording-server';
import { CALL_SID, clientFor, CONFERENCE_SID, rejectionOf } from './fixtures';

describe('SignalWireClient error normalization', () => {
  let server: RecordingServer;
  let client: SignalWireClient;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    client = clientFor(server, { retries: 0 });
  });
  afterEach(() => client.close());

  async function failureFor(response: ScriptedResponse): Promise<SignalWireError> {
    server.respond(response);
    const error = await rejectionOf(client.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }));
    assert.ok(error instanceof SignalWireError, String(error));
    return error;
  }

  it('reads a CompatibilityErrorResponse', async () => {
    const error = await failureFor({
      status: 404,
      body: {
        code: 20404,
        message: 'The requested resource was not found',
        more_info: 'https://developer.signalwire.com/compatibility-api/reference/error-codes',
        status: 404,
      },
    });
    assert.deepEqual(error.toJSON(), {
      message: 'The requested resource was not found',
      source: 'api',
      status: 404,
      code: 20404,
      moreInfo: 'https://developer.signalwire.com/compatibility-api/reference/error-codes',
    });
  });

  it('reads an errors[] array, joining the messages and keeping the first code', async () => {
    const error = await failureFor({
      status: 400,
      body: {
        errors: [
          { code: 21220, message: 'Muted is invalid', more_info: 'https://example.com/21220' },
          { code: 21221, message: 'HoldUrl is invalid' },
        ],
      },
    });
    assert.deepEqual(error.toJSON(), {
      message: 'Muted is invalid; HoldUrl is invalid',
      source: 'api',
      status: 400,
      code: 21220,
      moreInfo: 'https://example.com/21220',
    });
  });

  it('reads a 422 whose body is an array of strings', async () => {
    const error = await failureFor({ status: 422, body: ['CallSidToCoach is required', 'Coaching is invalid'] });
    assert.deepEqual(error.toJSON(), {
      message: 'CallSidToCoach is required; Coaching is invalid',
      source: 'api',
      status: 422,
    });
  });

  it('turns a numeric string code into a number and keeps a word code as a string', async () => {
    const numeric = await failureFor({
      status: 401,
      body: { code: '20003', message: 'Authentication Error', status: '401' },
    });
    assert.equal(numeric.code, 20003);
    assert.equal(numeric.status, 401);
    const word = await failureFor({ status: 409, body: { code: 'conflict', message: 'Participant is busy' } });
    assert.equal(word.code, 'conflict');
    assert.equal(word.message, 'Participant is busy');
  });

  it('quotes a short plain-text body after the status line', async () => {
    const error = await failureFor({
      status: 500,
      body: 'upstream exploded',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.deepEqual(error.toJSON(), {
      message: 'SignalWire answered HTTP 500 Internal Server Error: upstream exploded',
      source: 'api',
      status: 500,
    });
  });

  it('reports an HTML error page by its status only', async () => {
    const error = await failureFor({
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      headers: { 'Content-Type': 'text/html' },
    });
    assert.deepEqual(error.toJSON(), {
      message: 'SignalWire answered HTTP 502 Bad Gateway',
      source: 'api',
      status: 502,
    });
  });

  it('reports an empty error body by its status', async () => {
    const error = await failureFor({ status: 404 });
    assert.deepEqual(error.toJSON(), { message: 'SignalWire answered HTTP 404 Not Found', source: 'api', status: 404 });
  });

  it('treats a 200 with truncated JSON as an api error, not a success', async () => {
    const error = await failureFor({
      status: 200,
      body: '{"call_sid":"' + CALL_SID + '","muted":tr',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(error.source, 'api');
    assert.equal(error.status, 200);
    assert.match(error.message, /not a participant \(not complete JSON\)/);
  });

  it('treats a 200 JSON body without call_sid as an api error', async () => {
    const error = await failureFor({ status: 200, body: { muted: true, hold: false, conference_sid: CONFERENCE_SID } });
    assert.equal(error.source, 'api');
    assert.match(error.message, /not a participant/);
  });

  it('treats a redirect as an error instead of following it', async () => {
    const error = await failureFor({ status: 302, headers: { Location: 'https://elsewhere.example.com/' } });
    assert.equal(error.source, 'api');
    assert.equal(error.status, 302);
    assert.equal(server.requests.length, 1);
  });

  it('reports a reset connection as a network error with its code', async () => {
    const error = await failureFor({ destroySocket: true });
    assert.equal(error.source, 'network');
    assert.equal(error.code, 'ECONNRESET');
    assert.match(error.message, /^Could not reach SignalWire/);
  });

  it('reports a refused connection as a network error with its code', async () => {
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    const refused = new SignalWireClient({
      space: url,
      projectId: clientFor(server).projectId,
      token: 'x',
      retries: 0,
    });
    const error = await rejectionOf(refused.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }));
    await refused.close();
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.source, 'network');
    assert.equal(error.code, 'ECONNREFUSED');
  });

  it('reports a hanging server as a timeout', async () => {
    const quick = clientFor(server, { retries: 0, timeout: 100 });
    server.respond({ hang: true });
    const error = await rejectionOf(quick.updateParticipant(CONFERENCE_SID, CALL_SID, { muted: true }));
    await quick.close();
    assert.ok(error instanceof SignalWireError);
    assert.deepEqual(error.toJSON(), {
      message: 'SignalWire did not answer within 100 ms',
      source: 'timeout',
      code: 'ETIMEDOUT',
    });
  });

  it('keeps no axios request, config or response on the error', async () => {
    const error = await failureFor({ status: 400, body: { code: 21205, message: 'Bad', more_info: 'x', status: 400 } });
    assert.deepEqual(Object.keys(error).sort(), ['code', 'moreInfo', 'source', 'status']);
    assert.equal((error as unknown as { cause?: unknown }).cause, undefined);
    assert.equal(error.name, 'SignalWireError');
  });
});
