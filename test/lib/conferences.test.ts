import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  announceToConference,
  endConference,
  findConference,
  listConferences,
  listParticipants,
  retrieveConference,
  SignalWireClient,
  SignalWireError,
} from '../../src/lib';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { clientFor, PROJECT_ID, rejectionOf } from './fixtures';

const LIST_PATH = `/api/laml/2010-04-01/Accounts/${PROJECT_ID}/Conferences`;

describe('conferences: against the emulator', () => {
  const live = randomUUID();
  const endedSameName = randomUUID();
  const others = Array.from({ length: 5 }, () => randomUUID());
  let emulator: Emulator;
  let client: SignalWireClient;

  before(async () => {
    emulator = await startEmulator({
      seed: {
        conferences: [
          {
            sid: endedSameName,
            friendlyName: 'Board',
            status: 'completed',
            dateCreated: '2026-01-05T10:00:00Z',
          },
          {
            sid: live,
            friendlyName: 'Board',
            dateCreated: '2026-02-10T10:00:00Z',
            participants: [{}, {}, {}],
          },
          ...others.map((sid, i) => ({ sid, friendlyName: `Room ${i}`, dateCreated: `2026-03-0${i + 1}T10:00:00Z` })),
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
      retryDelay: 5,
    });
  });
  afterEach(() => client.close());

  it('lists every conference through every page', async () => {
    const listed = await listConferences(client, {}, { pageSize: 2 });
    assert.deepEqual(listed.map((c) => c.sid).sort(), [endedSameName, live, ...others].sort());
    assert.equal(emulator.stats.requests, 4);
  });

  const filters: Array<[Record<string, unknown>, () => string[]]> = [
    [{ friendlyName: 'Board' }, () => [endedSameName, live]],
    [{ status: 'completed' }, () => [endedSameName]],
    [{ status: 'in-progress', friendlyName: 'Board' }, () => [live]],
    [{ dateCreated: '2026-03-02' }, () => [others[1]!]],
    [{ dateCreatedBefore: '2026-02-10' }, () => [endedSameName, live]],
    [{ dateCreatedAfter: '2026-03-04' }, () => [others[3]!, others[4]!]],
  ];
  for (const [filter, expected] of filters) {
    it(`lists only the conferences matching ${JSON.stringify(filter)}, across pages too`, async () => {
      for (const pageSize of [1000, 1]) {
        const listed = await listConferences(client, filter, { pageSize });
        assert.deepEqual(listed.map((c) => c.sid).sort(), expected().sort(), `page size ${pageSize}`);
      }
    });
  }

  it('finds the conference in progress by its name, not an ended one of the same name', async () => {
    const found = await findConference(client, 'Board');
    assert.equal(found.sid, live);
    assert.equal(found.status, 'in-progress');
  });

  it('answers 404 (code 20404) when no conference of that name is in progress', async () => {
    emulator.setConferenceStatus(live, 'completed');
    const error = (await rejectionOf(findConference(client, 'Board'))) as SignalWireError;
    assert.equal(error.status, 404);
    assert.equal(error.code, 20404);
    assert.match(error.message, /No conference named "Board" is in progress/);
  });

  it('retrieves a conference, and a missing one is a 404', async () => {
    assert.equal((await retrieveConference(client, live)).friendly_name, 'Board');
    const error = (await rejectionOf(retrieveConference(client, randomUUID()))) as SignalWireError;
    assert.equal(error.status, 404);
  });

  it('ends a conference: completed, everyone removed, and a second end is refused with 10000', async () => {
    const ended = await endConference(client, live);
    assert.equal(ended.status, 'completed');
    assert.equal(emulator.getConference(live)!.status, 'completed');
    assert.deepEqual(await listParticipants(client, live), []);
    const again = (await rejectionOf(endConference(client, live))) as SignalWireError;
    assert.equal(again.code, 10000);
  });

  it('announces to the whole conference with the URL and method given', async () => {
    const answered = await announceToConference(client, live, {
      announceUrl: 'https://example.com/closing.xml',
      announceMethod: 'get',
    });
    assert.equal(answered.sid, live);
    const recorded = emulator.getConference(live) as unknown as Record<string, unknown>;
    assert.equal(recorded.announce_url, 'https://example.com/closing.xml');
    assert.equal(recorded.announce_method, 'GET');
    assert.equal(recorded.status, 'in-progress');
  });

  it('announces at most once: an announcement whose answer was lost is not sent again', async () => {
    emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
    const error = (await rejectionOf(
      announceToConference(client, live, { announceUrl: 'https://example.com/closing.xml' }),
    )) as SignalWireError;
    assert.equal(error.source, 'network');
    assert.equal(emulator.stats.requests, 1);
    const recorded = emulator.getConference(live) as unknown as Record<string, unknown>;
    assert.equal(recorded.announce_url, 'https://example.com/closing.xml');
  });

  it('sends an announcement again after a 429, which says it was not processed', async () => {
    emulator.setFaults([{ kind: '429', count: 1 }]);
    await announceToConference(client, live, { announceUrl: 'https://example.com/closing.xml' });
    assert.equal(emulator.stats.requests, 2);
  });

  const badInput: Array<[string, () => Promise<unknown>, RegExp]> = [
    [
      'an unknown status',
      () => listConferences(client, { status: 'live' }),
      /status must be one of init, in-progress, completed/,
    ],
    [
      'a date not written YYYY-MM-DD',
      () => listConferences(client, { dateCreated: '05/01/2026' }),
      /dateCreated must be a date written YYYY-MM-DD/,
    ],
    [
      'a date that does not exist',
      () => listConferences(client, { dateUpdatedAfter: '2026-02-30' }),
      /dateUpdatedAfter must be a date/,
    ],
    ['an unknown filter', () => listConferences(client, { region: 'us1' }), /"region" is not a filter/],
    ['a name longer than 64 characters', () => findConference(client, 'x'.repeat(65)), /at most 64 characters/],
    ['an empty name', () => findConference(client, '  '), /friendlyName must be the conference's name/],
    ['a name that is not text', () => findConference(client, 42), /friendlyName must be/],
    ['a SID that is not a UUID', () => endConference(client, 'CF123'), /conferenceSid must be a conference SID/],
    ['an announcement without URL', () => announceToConference(client, live, {}), /announceUrl is missing/],
    [
      'an announcement URL that is not http(s)',
      () => announceToConference(client, live, { announceUrl: 'ftp://x/y' }),
      /announceUrl must be an absolute http/,
    ],
    [
      'an unknown announce method',
      () => announceToConference(client, live, { announceUrl: 'https://example.com/a', announceMethod: 'PUT' }),
      /announceMethod must be GET or POST/,
    ],
    [
      'an announcement with other options',
      () => announceToConference(client, live, { announceUrl: 'https://example.com/a', muted: true }),
      /"muted" is not part of an announcement/,
    ],
    [
      'an announcement that is a string',
      () => announceToConference(client, live, 'https://example.com/a'),
      /must be an object with announceUrl/,
    ],
  ];
  for (const [what, call, says] of badInput) {
    it(`refuses ${what} and sends nothing`, async () => {
      const error = (await rejectionOf(call())) as SignalWireError;
      assert.equal(error.source, 'validation');
      assert.match(error.message, says);
      assert.equal(emulator.stats.requests, 0);
      assert.equal(emulator.getConference(live)!.status, 'in-progress');
    });
  }
});

describe('conferences: on the wire', () => {
  let server: RecordingServer;
  let client: SignalWireClient;
  const sid = randomUUID();
  const conference = (status = 'in-progress') => ({
    sid,
    account_sid: PROJECT_ID,
    friendly_name: 'Weekly sync',
    status,
    date_created: 'Mon, 24 Sep 2018 21:00:00 +0000',
    date_updated: 'Mon, 24 Sep 2018 21:00:00 +0000',
    api_version: '2010-04-01',
    region: 'us1',
    uri: `${LIST_PATH}/${sid}.json`,
    subresource_uris: {},
  });

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    client = clientFor(server, { retries: 0 });
  });
  afterEach(() => client.close());

  it('sends every filter under the API name, the < and > encoded', async () => {
    server.respond({ body: { conferences: [], next_page_uri: null } });
    await listConferences(client, {
      friendlyName: 'Weekly sync',
      status: 'completed',
      dateCreated: '2026-01-01',
      dateCreatedBefore: '2026-01-02',
      dateCreatedAfter: '2026-01-03',
      dateUpdated: '2026-01-04',
      dateUpdatedBefore: '2026-01-05',
      dateUpdatedAfter: '2026-01-06',
    });
    assert.equal(
      server.requests[0]!.path,
      `${LIST_PATH}?FriendlyName=Weekly+sync&Status=completed&DateCreated=2026-01-01&DateCreated%3C=2026-01-02` +
        '&DateCreated%3E=2026-01-03&DateUpdated=2026-01-04&DateUpdated%3C=2026-01-05&DateUpdated%3E=2026-01-06' +
        '&PageSize=1000',
    );
  });

  it('finds by name with FriendlyName and Status=in-progress', async () => {
    server.respond({ body: { conferences: [conference()], next_page_uri: null } });
    await findConference(client, 'Weekly sync');
    assert.equal(server.requests[0]!.path, `${LIST_PATH}?FriendlyName=Weekly+sync&Status=in-progress&PageSize=1000`);
  });

  it('ends with a POST of Status=completed', async () => {
    server.respond({ body: conference('completed') });
    await endConference(client, sid);
    assert.equal(server.requests[0]!.method, 'POST');
    assert.equal(server.requests[0]!.path, `${LIST_PATH}/${sid}`);
    assert.equal(server.requests[0]!.body, 'Status=completed');
    assert.equal(server.requests[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  it('announces with AnnounceUrl and AnnounceMethod (POST when not given, as the API defaults)', async () => {
    server.respond({ body: conference() }, { body: conference() });
    await announceToConference(client, sid, {
      announceUrl: 'https://example.com/a.xml?lang=en',
      announceMethod: 'GET',
    });
    await announceToConference(client, sid, { announceUrl: 'https://example.com/a.xml' });
    assert.equal(
      server.requests[0]!.body,
      'AnnounceUrl=https%3A%2F%2Fexample.com%2Fa.xml%3Flang%3Den&AnnounceMethod=GET',
    );
    assert.equal(server.requests[1]!.body, 'AnnounceUrl=https%3A%2F%2Fexample.com%2Fa.xml');
  });

  it('refuses a 200 whose body is not a conference', async () => {
    server.respond({ body: { ok: true } });
    const error = (await rejectionOf(endConference(client, sid))) as SignalWireError;
    assert.match(error.message, /HTTP 200 but the body is not a conference/);
  });
});
