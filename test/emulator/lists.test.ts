import assert from 'node:assert/strict';
import { DEMO_SIDS, startEmulator, type Emulator, type SeedParticipant } from '../../src/emulator';
import { accountPath, call, type Reply } from './http';

type Page = Reply['json'];

/** Follows next_page_uri exactly as given until it is null; every page must answer 200. */
async function walk(emulator: Emulator, first: string, key: string): Promise<{ sids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let next: string | null = first;
  while (next !== null) {
    const reply = await call(emulator, next);
    assert.equal(reply.status, 200, `${next}: ${reply.text}`);
    pages.push(reply.json);
    next = reply.json.next_page_uri;
    assert.ok(pages.length < 200, 'paging ends');
  }
  const sids = pages.flatMap((page) => page[key].map((r: { sid?: string; call_sid?: string }) => r.sid ?? r.call_sid));
  return { sids, pages };
}

describe('emulator: lists and paging', () => {
  let emulator: Emulator;
  let conferenceSid: string;
  /** 23 participants, every mix of muted and hold, in the order they joined. */
  const people: Array<Required<Pick<SeedParticipant, 'muted' | 'hold'>> & { callSid: string }> = [];

  beforeEach(async () => {
    emulator = await startEmulator({ seed: null });
    const conference = emulator.addConference({ friendlyName: 'Paging' });
    conferenceSid = conference.sid;
    people.length = 0;
    for (let i = 0; i < 23; i++) {
      const p = emulator.addParticipant(conferenceSid, { muted: i % 3 === 0, hold: i % 4 === 1 });
      people.push({ callSid: p.call_sid, muted: p.muted, hold: p.hold });
    }
  });
  afterEach(() => emulator.close());

  const list = (query: string) => `${accountPath(emulator)}/Conferences/${conferenceSid}/Participants.json?${query}`;

  const participantFilters: Array<Record<string, string>> = [
    {},
    { Muted: 'true' },
    { Muted: 'false' },
    { Hold: 'true' },
    { Hold: 'false' },
    { Muted: 'false', Hold: 'false' },
  ];
  for (const filter of participantFilters) {
    it(`walks every page of ${JSON.stringify(filter)} and gets exactly the matching participants, each once`, async () => {
      const expected = people
        .filter((p) => filter.Muted === undefined || String(p.muted) === filter.Muted)
        .filter((p) => filter.Hold === undefined || String(p.hold) === filter.Hold)
        .map((p) => p.callSid);
      const query = new URLSearchParams({ ...filter, PageSize: '4' }).toString();
      const { sids, pages } = await walk(emulator, list(query), 'participants');
      assert.deepEqual(sids, expected);
      assert.equal(pages.length, Math.max(1, Math.ceil(expected.length / 4)));
      for (const [i, page] of pages.entries()) {
        assert.equal(page.page, i);
        assert.equal(page.page_size, 4);
        for (const link of [page.uri, page.first_page_uri, page.next_page_uri, page.previous_page_uri]) {
          if (link === null) continue;
          const params = new URL(link, 'http://x').searchParams;
          for (const [name, value] of Object.entries(filter))
            assert.equal(params.get(name), value, `${name} in ${link}`);
        }
      }
    });
  }

  it('goes back with previous_page_uri and to the start with first_page_uri, filters kept', async () => {
    const { pages } = await walk(emulator, list('Muted=false&PageSize=5'), 'participants');
    assert.ok(pages.length >= 3);
    const last = pages[pages.length - 1];
    const back = await call(emulator, last.previous_page_uri);
    assert.deepEqual(back.json.participants, pages[pages.length - 2].participants);
    const first = await call(emulator, last.first_page_uri);
    assert.deepEqual(first.json.participants, pages[0].participants);
    assert.equal(pages[0].previous_page_uri, null);
  });

  it('keeps paging right when a participant leaves between pages', async () => {
    const first = await call(emulator, list('PageSize=5'));
    const gone = first.json.participants[4].call_sid;
    assert.equal(
      (
        await call(emulator, `${accountPath(emulator)}/Conferences/${conferenceSid}/Participants/${gone}`, {
          method: 'DELETE',
        })
      ).status,
      204,
    );
    const { sids } = await walk(emulator, first.json.next_page_uri, 'participants');
    assert.deepEqual(
      sids,
      people.slice(5).map((p) => p.callSid),
      'nobody skipped, nobody repeated',
    );
  });

  it('pages with Page alone too, and gives only the documented envelope fields', async () => {
    const reply = await call(emulator, list('PageSize=10&Page=2'));
    assert.deepEqual(
      reply.json.participants.map((p: { call_sid: string }) => p.call_sid),
      people.slice(20).map((p) => p.callSid),
    );
    assert.deepEqual(Object.keys(reply.json).sort(), [
      'first_page_uri',
      'next_page_uri',
      'page',
      'page_size',
      'participants',
      'previous_page_uri',
      'uri',
    ]);
  });

  for (const [query, name] of [
    ['PageSize=0', 'PageSize'],
    ['PageSize=1001', 'PageSize'],
    ['Page=-1', 'Page'],
    ['Page=x', 'Page'],
    ['PageToken=nonsense', 'PageToken'],
    ['Muted=yes', 'Muted'],
    ['Hold=1', 'Hold'],
  ]) {
    it(`refuses ${query} with 400 naming ${name}`, async () => {
      const reply = await call(emulator, list(query));
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 20001);
      assert.match(reply.json.message, new RegExp(name));
    });
  }

  it('lists no participant of a conference that has completed (the list holds active participants only)', async () => {
    emulator.setConferenceStatus(conferenceSid, 'completed');
    const reply = await call(emulator, list(''));
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json.participants, []);
  });
});

describe('emulator: conference list filters', () => {
  let emulator: Emulator;
  type Row = {
    sid: string;
    name: string;
    status: 'init' | 'in-progress' | 'completed';
    created: string;
    updated: string;
  };
  const rows: Row[] = [];
  const names = ['Weekly sync', 'Stand-up', 'Board'];
  const statuses = ['in-progress', 'completed', 'init'] as const;

  before(async () => {
    emulator = await startEmulator({ seed: null });
    rows.length = 0;
    for (let i = 0; i < 30; i++) {
      const created = `2024-03-${String(1 + (i % 10)).padStart(2, '0')}`;
      const updated = `2024-03-${String(5 + (i % 10)).padStart(2, '0')}`;
      const row = { name: names[i % 3]!, status: statuses[i % 3 === 0 ? 0 : (i % 2) + 1]!, created, updated };
      const c = emulator.addConference({
        friendlyName: row.name,
        status: row.status,
        dateCreated: `${created}T${String(i % 24).padStart(2, '0')}:30:00Z`,
        dateUpdated: `${updated}T23:59:59Z`,
      });
      rows.push({ ...row, sid: c.sid });
    }
  });
  after(() => emulator.close());

  const cases: Array<[Record<string, string>, (r: Row) => boolean]> = [
    [{}, () => true],
    [{ Status: 'in-progress' }, (r) => r.status === 'in-progress'],
    [{ Status: 'completed' }, (r) => r.status === 'completed'],
    [{ Status: 'init' }, (r) => r.status === 'init'],
    [{ FriendlyName: 'Weekly sync' }, (r) => r.name === 'Weekly sync'],
    [
      { FriendlyName: 'Weekly sync', Status: 'in-progress' },
      (r) => r.name === 'Weekly sync' && r.status === 'in-progress',
    ],
    [{ DateCreated: '2024-03-03' }, (r) => r.created === '2024-03-03'],
    [{ 'DateCreated<': '2024-03-03' }, (r) => r.created <= '2024-03-03'],
    [{ 'DateCreated>': '2024-03-08' }, (r) => r.created >= '2024-03-08'],
    [{ DateUpdated: '2024-03-10' }, (r) => r.updated === '2024-03-10'],
    [{ 'DateUpdated<': '2024-03-07' }, (r) => r.updated <= '2024-03-07'],
    [{ 'DateUpdated>': '2024-03-12' }, (r) => r.updated >= '2024-03-12'],
    [
      { 'DateCreated>': '2024-03-02', 'DateCreated<': '2024-03-06', Status: 'completed' },
      (r) => r.created >= '2024-03-02' && r.created <= '2024-03-06' && r.status === 'completed',
    ],
  ];
  for (const [filter, keep] of cases) {
    it(`walks every page of ${JSON.stringify(filter)} and gets exactly the matching conferences`, async () => {
      const expected = rows.filter(keep).map((r) => r.sid);
      assert.ok(filter && (Object.keys(filter).length === 0 || expected.length < rows.length), 'the filter filters');
      const query = new URLSearchParams({ ...filter, PageSize: '3' }).toString();
      const { sids, pages } = await walk(emulator, `${accountPath(emulator)}/Conferences.json?${query}`, 'conferences');
      assert.deepEqual(sids, expected);
      for (const page of pages.slice(1)) {
        const params = new URL(page.uri, 'http://x').searchParams;
        for (const [name, value] of Object.entries(filter)) assert.equal(params.get(name), value);
      }
    });
  }

  for (const [query, name] of [
    ['Status=bogus', 'Status'],
    ['Status=in%20progress', 'Status'],
    [`FriendlyName=${'x'.repeat(65)}`, 'FriendlyName'],
    ['DateCreated=2024-02-30', 'DateCreated'],
    ['DateCreated%3C=yesterday', 'DateCreated<'],
    ['DateUpdated%3E=2024-3-1', 'DateUpdated>'],
  ]) {
    it(`refuses ${query.slice(0, 30)} with 400 naming ${name}`, async () => {
      const reply = await call(emulator, `${accountPath(emulator)}/Conferences?${query}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 20001);
      assert.ok(reply.json.message.includes(`\`${name}\``), reply.json.message);
    });
  }
});

describe('emulator: the official SDK path form', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.close());

  it('answers /2010-04-01/Accounts/... like /api/laml/2010-04-01/..., with links in the documented form', async () => {
    const sdkPath = `/2010-04-01/Accounts/${emulator.projectId}/Conferences/${DEMO_SIDS.weeklySync}/Participants.json?PageSize=2&Muted=false`;
    const reply = await call(emulator, sdkPath);
    assert.equal(reply.status, 200);
    assert.deepEqual(
      reply.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.alice, DEMO_SIDS.bob],
    );
    assert.ok(reply.json.next_page_uri.startsWith(`${accountPath(emulator)}/Conferences/`), reply.json.next_page_uri);
    const second = await call(emulator, reply.json.next_page_uri);
    assert.deepEqual(
      second.json.participants.map((p: { call_sid: string }) => p.call_sid),
      [DEMO_SIDS.carol],
    );
    const account = await call(emulator, `/2010-04-01/Accounts/${emulator.projectId}.json`);
    assert.equal(account.json.sid, emulator.projectId);
    const unauthenticated = await call(emulator, `/2010-04-01/Accounts/${emulator.projectId}.json`, { auth: null });
    assert.equal(unauthenticated.status, 401);
  });
});
