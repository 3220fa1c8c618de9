import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  listParticipants,
  removeParticipant,
  retrieveParticipant,
  SignalWireClient,
  SignalWireError,
} from '../../src/lib';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { clientFor, CONFERENCE_SID, PROJECT_ID, rejectionOf } from './fixtures';

const LIST_PATH = `/api/laml/2010-04-01/Accounts/${PROJECT_ID}/Conferences/${CONFERENCE_SID}/Participants`;

/** A participant body as the API lists it. */
function participant(callSid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_sid: PROJECT_ID,
    call_sid: callSid,
    call_sid_to_coach: null,
    coaching: false,
    conference_sid: CONFERENCE_SID,
    date_created: 'Mon, 24 Sep 2018 21:00:00 +0000',
    date_updated: 'Mon, 24 Sep 2018 21:00:00 +0000',
    status: 'in-progress',
    end_conference_on_exit: false,
    muted: false,
    hold: false,
    start_conference_on_enter: false,
    uri: `${LIST_PATH}/${callSid}.json`,
    ...extra,
  };
}

function page(callSids: string[], next: string | null): Record<string, unknown> {
  return { participants: callSids.map((sid) => participant(sid)), next_page_uri: next, page: 0, page_size: 50 };
}

describe('participants: against the emulator', () => {
  const conferenceSid = randomUUID();
  const people = Array.from({ length: 7 }, (_, i) => ({
    callSid: randomUUID(),
    muted: i % 2 === 0,
    hold: i % 3 === 0,
  }));
  let emulator: Emulator;
  let client: SignalWireClient;

  before(async () => {
    emulator = await startEmulator({ seed: { conferences: [{ sid: conferenceSid, participants: people }] } });
  });
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    client = new SignalWireClient({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
  });
  afterEach(() => client.close());

  it('lists every participant through every page', async () => {
    const listed = await listParticipants(client, conferenceSid, {}, { pageSize: 3 });
    assert.deepEqual(
      listed.map((p) => p.call_sid),
      people.map((p) => p.callSid),
    );
    assert.equal(emulator.stats.requests, 3);
  });

  for (const [filter, expected] of [
    [{ muted: true }, (p: (typeof people)[number]) => p.muted],
    [{ muted: 'false' }, (p: (typeof people)[number]) => !p.muted],
    [{ hold: true }, (p: (typeof people)[number]) => p.hold],
    [{ hold: false, muted: true }, (p: (typeof people)[number]) => !p.hold && p.muted],
  ] as const) {
    it(`lists only the participants matching ${JSON.stringify(filter)}, on one page and across pages`, async () => {
      const want = people.filter(expected).map((p) => p.callSid);
      const onePage = await listParticipants(client, conferenceSid, filter);
      assert.deepEqual(
        onePage.map((p) => p.call_sid),
        want,
      );
      const paged = await listParticipants(client, conferenceSid, filter, { pageSize: 1 });
      assert.deepEqual(
        paged.map((p) => p.call_sid),
        want,
      );
    });
  }

  it('retrieves one participant', async () => {
    const found = await retrieveParticipant(client, conferenceSid, people[2]!.callSid);
    assert.equal(found.call_sid, people[2]!.callSid);
    assert.equal(found.muted, true);
  });

  it('removes a participant (204, no body): the participant is gone, and removing again is a 404', async () => {
    const removed = await removeParticipant(client, conferenceSid, people[1]!.callSid);
    assert.deepEqual(removed, { conferenceSid, callSid: people[1]!.callSid, removed: true, statusCode: 204 });
    assert.equal(emulator.getParticipant(conferenceSid, people[1]!.callSid), undefined);
    assert.equal(emulator.getConference(conferenceSid)!.participants.length, people.length - 1);
    const again = (await rejectionOf(removeParticipant(client, conferenceSid, people[1]!.callSid))) as SignalWireError;
    assert.equal(again.status, 404);
    assert.equal(again.code, 20404);
  });

  it('reports a conference that does not exist as a 404', async () => {
    const error = (await rejectionOf(listParticipants(client, randomUUID()))) as SignalWireError;
    assert.equal(error.source, 'api');
    assert.equal(error.status, 404);
  });

  const badInput: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['a conference SID that is not a UUID', () => listParticipants(client, '../x'), /conferenceSid must be/],
    ['muted as a word', () => listParticipants(client, conferenceSid, { muted: 'yes' }), /muted must be true or false/],
    ['hold as a number', () => listParticipants(client, conferenceSid, { hold: 1 }), /hold must be true or false/],
    [
      'an unknown filter',
      () => listParticipants(client, conferenceSid, { coaching: true }),
      /"coaching" is not a filter/,
    ],
    ['filters that are not an object', () => listParticipants(client, conferenceSid, 'muted'), /must be an object/],
    ['a call SID that is not a UUID', () => retrieveParticipant(client, conferenceSid, 'CA1'), /callSid must be/],
    ['removing without a call SID', () => removeParticipant(client, conferenceSid, undefined), /callSid must be/],
  ];
  for (const [what, call, says] of badInput) {
    it(`refuses ${what} and sends nothing`, async () => {
      const error = (await rejectionOf(call())) as SignalWireError;
      assert.equal(error.source, 'validation');
      assert.match(error.message, says);
      assert.equal(emulator.stats.requests, 0);
    });
  }
});

describe('participants: paging as the server gives it', () => {
  let server: RecordingServer;
  let client: SignalWireClient;
  const a = randomUUID();
  const b = randomUUID();
  const c = randomUUID();

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    client = clientFor(server, { retries: 0 });
  });
  afterEach(() => client.close());

  it('follows each next_page_uri exactly as given, adding nothing', async () => {
    const second = `${LIST_PATH}.json?Muted=true&PageSize=2&Page=1&PageToken=PA%2Fb%3D1`;
    const third = `${LIST_PATH}.json?Page=2&PageToken=PB-zz&Muted=true&PageSize=2`;
    server.respond({ body: page([a, b], second) }, { body: page([c], third) }, { body: page([], null) });
    const listed = await listParticipants(client, CONFERENCE_SID, { muted: true }, { pageSize: 2 });
    assert.deepEqual(
      listed.map((p) => p.call_sid),
      [a, b, c],
    );
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      [`GET ${LIST_PATH}?Muted=true&PageSize=2`, `GET ${second}`, `GET ${third}`],
    );
    assert.equal(server.requests[0]!.headers['content-type'], undefined);
  });

  it('asks for the largest page the API allows when no page size is given', async () => {
    server.respond({ body: page([a], null) });
    await listParticipants(client, CONFERENCE_SID);
    assert.equal(server.requests[0]!.path, `${LIST_PATH}?PageSize=1000`);
  });

  it('stops a server whose pages go round in a loop, with an error', async () => {
    const loop = `${LIST_PATH}.json?Page=1`;
    server.fallback = () => ({ body: page([a], loop) });
    const error = (await rejectionOf(listParticipants(client, CONFERENCE_SID))) as SignalWireError;
    assert.match(error.message, /go round in a loop/);
    // The first page, then the link once: the second time it comes back, it is not followed.
    assert.equal(server.requests.length, 2);
  });

  it('stops a server that never ends after the page limit, with an error', async () => {
    server.fallback = (_request, index) => ({ body: page([randomUUID()], `${LIST_PATH}.json?Page=${index + 1}`) });
    const error = (await rejectionOf(
      listParticipants(client, CONFERENCE_SID, {}, { maxPages: 25 }),
    )) as SignalWireError;
    assert.match(error.message, /still had more after 25 pages/);
    assert.equal(server.requests.length, 25);
  });

  it('stops at an empty page that claims there is more', async () => {
    server.respond({ body: page([], `${LIST_PATH}.json?Page=1`) });
    const error = (await rejectionOf(listParticipants(client, CONFERENCE_SID))) as SignalWireError;
    assert.match(error.message, /empty page/);
    assert.equal(server.requests.length, 1);
  });

  it('does not follow a link to another host, so the credentials stay with the space', async () => {
    const elsewhere = await startRecordingServer();
    try {
      server.respond({ body: page([a], `${elsewhere.url}${LIST_PATH}.json?Page=1`) });
      const error = (await rejectionOf(listParticipants(client, CONFERENCE_SID))) as SignalWireError;
      assert.match(error.message, /not under http:\/\/127\.0\.0\.1:\d+: not followed/);
      assert.equal(elsewhere.requests.length, 0);
      assert.equal(server.requests.length, 1);
    } finally {
      await elsewhere.close();
    }
  });

  it('follows an absolute link under the space', async () => {
    server.respond({ body: page([a], `${server.url}${LIST_PATH}.json?Page=1`) }, { body: page([b], null) });
    const listed = await listParticipants(client, CONFERENCE_SID);
    assert.equal(listed.length, 2);
    assert.equal(server.requests[1]!.path, `${LIST_PATH}.json?Page=1`);
  });

  it('refuses a 200 whose body is not a list of participants', async () => {
    server.respond({ body: { participants: [{ nope: 1 }], next_page_uri: null } });
    const error = (await rejectionOf(listParticipants(client, CONFERENCE_SID))) as SignalWireError;
    assert.match(error.message, /HTTP 200 but the body is not a list of participants/);
  });

  it('sends DELETE to the participant path with no body', async () => {
    server.respond({ status: 204 });
    const result = await removeParticipant(client, CONFERENCE_SID, a);
    assert.equal(result.statusCode, 204);
    assert.equal(server.requests[0]!.method, 'DELETE');
    assert.equal(server.requests[0]!.path, `${LIST_PATH}/${a}`);
    assert.equal(server.requests[0]!.body, '');
  });
});
