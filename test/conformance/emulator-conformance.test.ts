import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { ManualClock } from '../../src/emulator/clock';
import { DEMO_NUMBERS } from '../../src/emulator/phone-numbers';
import { toFormBody, validateUpdateOptions } from '../../src/lib';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../support/recording-server';
import { accountPath, call, participantPath, until, type CallOptions, type Reply } from '../emulator/http';
import { OPERATIONS, operationFor, schemaProblems } from './spec';

/**
 * Answers the spec does not list for the operation, which the emulator gives on purpose. Their bodies must
 * still be a CompatibilityErrorResponse.
 */
const UNDOCUMENTED_STATUSES: Record<number, string> = {
  405: 'a method the resource does not have (PUT on a participant): the spec describes no answer for it',
  413: 'a body over 64 KB: a limit of the emulator that the spec does not describe',
  429:
    'fault injection and the optional POST rate limit: SignalWire documents 429 with code 20429 on its ' +
    'rate-limit page, but its spec lists 429 for no operation',
  503: 'fault injection ("the service is in trouble") on any request: the spec lists 503 for update_conference only',
};

/** Operations the spec describes that the emulator does not serve at all, and why. */
const NOT_SERVED: Record<string, string> = {
  list_conference_recordings: 'the emulator records nothing: conference recordings are outside what it emulates',
  get_conference_recording: 'the emulator records nothing',
  update_conference_recording: 'the emulator records nothing',
  delete_conference_recording: 'the emulator records nothing',
};

/** Answers the spec lists that the emulator never gives, and why. */
const NOT_PRODUCED: Record<string, string> = {
  'get_account 404':
    'the emulator serves one project; another AccountSid is refused with 401, as credentials for one project ' +
    'do not open another',
  'list_all_conferences 422': 'every well-formed list query can be answered: a bad value is a 400',
  'list_all_participants 422': 'every well-formed list query can be answered: a bad value is a 400',
  'list_all_calls 422': 'every well-formed list query can be answered: a bad value is a 400',
};

/**
 * Request fields the emulator accepts though the spec's closed UpdateConferenceParticipantRequest does not list
 * them: the official SDK's participant update (`@signalwire/compatibility-api`, SignalWire's own) sends them when
 * its caller sets them, and SignalWire's reference does not say what the live API does with them. The choice is
 * made for the SDK's users: code that works through SignalWire's own SDK is not refused by the emulator. They are
 * checked as booleans like the fields the spec has; anything else the spec lacks (`Beep`) is still refused. This
 * package's client never sends them (the last suite in this file).
 */
const ACCEPTED_BEYOND_THE_SPEC: Record<string, string> = {
  EndConferenceOnExit: 'the conference ends when this participant leaves (end_conference_on_exit, as in cXML)',
  BeepOnExit: 'a beep when this participant leaves: recorded (beep_on_exit), nothing to hear in the emulator',
};

/**
 * Where the emulator does not do what SignalWire's reference (signalwire-conference-api.md, section 3a and 5)
 * says a live space does, and why. Each is pinned by a test in "where the emulator differs from the reference".
 */
const DIFFERS_FROM_THE_REFERENCE: Record<string, string> = {
  'create a call answers 200':
    "the reference gives 201 (as Twilio answers); SignalWire's API description lists 200 for create_a_call, " +
    'and every answer here is checked against that description',
  'new calls are not paced':
    'a space starts 1 new call a second and queues the rest; the emulator rings every call at once, so what ' +
    "paces calls is the client's own Calls per second, and no test of it can lean on the emulator",
  'no ParentCallSid':
    'the reference lists ParentCallSid among the parameters of a cXML fetch; no emulated call has a parent ' +
    '(parent_call_sid is null), so the field is left out, as the callback schema allows',
  'only five verbs run':
    'a space runs all of cXML; the emulator runs <Dial><Conference>, <Say>, <Play>, <Hangup> and <Reject>, ' +
    'and ends a call whose document holds any other verb (<Pause>, <Gather>…), with the reason in its log',
};

const UNKNOWN_SID = '00000000-0000-4000-8000-000000000000';

describe("conformance: every emulator answer fits SignalWire's published spec", function () {
  let emulator: Emulator;
  /** Calls move only when the tests move this clock. */
  const clock = new ManualClock();
  /** Serves the cXML calls fetch: a room to wait in. */
  let app: RecordingServer;
  /** "operation status" -> answers seen. */
  const seen = new Map<string, number>();
  let validated = 0;

  before(async () => {
    emulator = await startEmulator({ clock });
    app = await startRecordingServer();
    app.fallback = (request) => ({
      status: 200,
      headers: { 'Content-Type': 'text/xml' },
      body: request.path.startsWith('/pause')
        ? '<Response><Pause length="1"/></Response>'
        : '<Response><Dial><Conference>Lobby</Conference></Dial></Response>',
    });
  });
  after(async () => {
    await emulator?.close();
    await app?.close();
    if (process.env.CONFORMANCE_SUMMARY) console.log(`${validated} answers validated`, Object.fromEntries(seen));
  });
  beforeEach(() => {
    emulator.reset();
  });

  /** Sends a request and checks its answer against the spec; every request in this file goes through here. */
  async function api(path: string, options: CallOptions = {}): Promise<Reply> {
    const reply = await call(emulator, path, options);
    const method = options.method ?? (options.form ? 'POST' : 'GET');
    const operation = operationFor(method, path);
    const where = `${method} ${path} -> ${reply.status} ${reply.text.slice(0, 300)}`;
    const documented = operation ? OPERATIONS[operation]!.responses[String(reply.status)] : undefined;
    if (documented) {
      if (documented.schema === null) {
        assert.equal(reply.text, '', `${where}: no body`);
        assert.equal(reply.headers['content-type'], undefined, `${where}: no Content-Type`);
      } else {
        assert.match(String(reply.headers['content-type']), /^application\/json/, where);
        assert.deepEqual(schemaProblems(documented.schema, reply.json), [], where);
      }
    } else {
      // Not listed for this operation (or no operation: an unknown path): an error body all the same.
      if (operation) assert.ok(UNDOCUMENTED_STATUSES[reply.status], `${where}: a status the spec does not list`);
      else assert.ok(reply.status === 404 || reply.status === 401 || UNDOCUMENTED_STATUSES[reply.status], where);
      assert.match(String(reply.headers['content-type']), /^application\/json/, where);
      assert.deepEqual(schemaProblems('CompatibilityErrorResponse', reply.json), [], where);
    }
    // The errors-array shape (Create a Call's 400) carries no status of its own.
    if (reply.status >= 400 && !Array.isArray(reply.json?.errors)) {
      assert.equal(reply.json.status, reply.status, `${where}: status in the body`);
    }
    const key = `${operation ?? '(no operation)'} ${reply.status}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    validated += 1;
    return reply;
  }

  const account = (): string => accountPath(emulator);
  const conferences = (): string => `${account()}/Conferences`;
  const conference = (sid: string = DEMO_SIDS.weeklySync): string => `${conferences()}/${sid}`;
  const participants = (sid: string = DEMO_SIDS.weeklySync): string => `${conference(sid)}/Participants`;
  const bob = (): string => participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.bob);
  const calls = (): string => `${account()}/Calls`;
  const newCall = (extra: Record<string, string> = {}): Record<string, string> => ({
    To: '+15551230001',
    From: DEMO_NUMBERS.office,
    Url: `${app.url}/join`,
    ...extra,
  });
  /** A call answered and waiting in a room. */
  async function answeredCall(): Promise<string> {
    const sid = (await api(calls(), { form: newCall() })).json.sid as string;
    clock.advance(0);
    clock.advance(1000);
    await emulator.phoneCalls.whenStatus(sid, 'in-progress');
    return sid;
  }
  const noAuth = { auth: null };
  const wrongToken = (): CallOptions => ({ auth: { user: emulator.projectId, password: 'PTwrong' } });

  describe('success, on every operation and in every path form', () => {
    for (const [form, toPath] of [
      ['documented', (p: string) => p],
      ['.json', (p: string) => `${p}.json`],
      ['SDK', (p: string) => `${p.replace('/api/laml', '')}.json`],
    ] as const) {
      it(`answers each operation with its documented 200/204 body (${form} paths)`, async () => {
        assert.equal((await api(toPath(account()))).status, 200);
        assert.equal((await api(toPath(conferences()))).status, 200);
        assert.equal((await api(toPath(conference()))).status, 200);
        assert.equal((await api(toPath(participants()))).status, 200);
        assert.equal((await api(toPath(bob()))).status, 200);
        assert.equal(
          (await api(toPath(bob()), { form: { Muted: 'true', HoldUrl: 'https://e.com/a%20b' } })).status,
          200,
        );
        assert.equal((await api(toPath(conference()), { form: { AnnounceUrl: 'https://e.com/x.xml' } })).status, 200);
        assert.equal((await api(toPath(bob()), { method: 'DELETE' })).status, 204);
        assert.equal((await api(toPath(conference()), { form: { Status: 'completed' } })).status, 200);
        assert.equal(
          (await api(toPath(participantPath(emulator, DEMO_SIDS.weeklySync, DEMO_SIDS.carol)))).json.status,
          'completed',
        );
      });

      it(`answers each calls operation with its documented 200 body (${form} paths)`, async () => {
        const created = await api(toPath(calls()), {
          form: newCall({ StatusCallback: `${app.url}/status`, Timeout: '20', Record: 'false' }),
        });
        assert.equal(created.status, 200);
        assert.equal(created.json.status, 'queued');
        const one = toPath(`${calls()}/${created.json.sid}`);
        assert.equal((await api(one)).json.to, '+15551230001');
        assert.equal((await api(toPath(calls()))).json.calls.length, 1);
        assert.equal((await api(one, { form: { StatusCallback: `${app.url}/other` } })).status, 200);
        assert.equal((await api(one, { form: { Status: 'completed' } })).json.status, 'canceled');
        const answered = await answeredCall();
        const redirected = await api(toPath(`${calls()}/${answered}`), {
          form: { Url: `${app.url}/elsewhere`, Method: 'GET' },
        });
        assert.equal(redirected.json.status, 'in-progress');
        const hungUp = await api(toPath(`${calls()}/${answered}`), { form: { Status: 'completed' } });
        assert.equal(hungUp.json.status, 'completed');
        assert.equal(typeof hungUp.json.end_time, 'string');
      });
    }

    it('lists calls with every filter, across pages', async () => {
      for (let i = 0; i < 5; i++) await api(calls(), { form: newCall({ To: `+1555123000${i % 2}` }) });
      await answeredCall();
      const filters: Array<Record<string, string>> = [
        {},
        { To: '+15551230001' },
        { From: DEMO_NUMBERS.office },
        { Status: 'queued' },
        { Status: 'in-progress' },
        { ParentCallSid: UNKNOWN_SID },
        { StartTime: '2026-01-05' },
        { 'StartTime<': '2026-01-05' },
        { 'StartTime>': '2026-01-06' },
        { EndTime: '2026-01-05' },
        { 'EndTime<': '2026-01-04' },
        { 'EndTime>': '2026-01-01' },
      ];
      for (const filter of filters) {
        let next: string | null = `${calls()}.json?${new URLSearchParams({ ...filter, PageSize: '2' })}`;
        let pages = 0;
        while (next !== null && pages++ < 10) {
          const page: Reply = await api(next);
          assert.equal(page.status, 200);
          next = page.json.next_page_uri;
        }
      }
      // Moving the clock rang and answered every call placed so far.
      assert.equal((await api(`${calls()}?Status=in-progress`)).json.calls.length, 6);
      assert.equal((await api(`${calls()}?To=%2B15551230000`)).json.calls.length, 3);
    });

    it('answers an empty update form with the resource as it is', async () => {
      assert.equal(
        (
          await api(conference(), {
            method: 'POST',
            body: '',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })
        ).status,
        200,
      );
    });
  });

  describe('every documented error', () => {
    it('400: a SID that is not a UUID, a bad filter, a bad form value, a field the spec lacks', async () => {
      const cases: Array<[string, CallOptions]> = [
        [`/api/laml/2010-04-01/Accounts/not-a-uuid`, {}],
        [`${conferences()}?Status=bogus`, {}],
        [`${conferences()}?PageSize=0`, {}],
        [`${conferences()}/nope`, {}],
        [`${conferences()}/nope`, { form: { Status: 'completed' } }],
        [conference(), { form: { AnnounceMethod: 'PUT' } }],
        [conference(), { form: { AnnounceUrl: 'not a url' } }],
        [`${conferences()}/nope/Participants`, {}],
        [`${participants()}?Muted=maybe`, {}],
        [`${participants()}/nope`, {}],
        [`${participants()}/nope`, { form: { Muted: 'true' } }],
        [`${participants()}/nope`, { method: 'DELETE' }],
        [bob(), { form: { Muted: 'yes' } }],
        [bob(), { form: { Beep: 'true' } }],
        [bob(), { form: { WaitUrl: 'https://e.com/été.mp3' } }],
        [bob(), { method: 'POST', body: '{"Muted":true}', headers: { 'content-type': 'application/json' } }],
      ];
      for (const [path, options] of cases) assert.equal((await api(path, options)).status, 400, path);
    });

    it('400 on the calls operations; Create a Call answers with the errors array and the calls codes', async () => {
      const sid = (await api(calls(), { form: newCall() })).json.sid as string;
      const creates: Array<[Record<string, string>, string]> = [
        [{ From: DEMO_NUMBERS.office, Url: 'https://e.com/x' }, '21211'],
        [newCall({ To: '555-1234' }), '21211'],
        [{ To: '+15551230001', Url: 'https://e.com/x' }, '21213'],
        [newCall({ From: 'Front door' }), '21212'],
        [{ To: '+15551230001', From: DEMO_NUMBERS.office }, '21205'],
        [newCall({ Url: 'not a url' }), '21402'],
        [newCall({ Method: 'PUT' }), '21209'],
        [newCall({ Timeout: '0' }), '21208'],
        [newCall({ Timeout: '601' }), '21208'],
        [newCall({ StatusCallbackEvent: 'initiated hung-up' }), '20001'],
        [newCall({ MachineDetection: 'maybe' }), '20001'],
        [newCall({ SendDigits: 'abc' }), '20001'],
        [newCall({ Beep: 'true' }), '20001'],
      ];
      for (const [form, code] of creates) {
        const reply = await api(calls(), { form });
        assert.equal(reply.status, 400, JSON.stringify(form));
        assert.equal(reply.json.errors[0].code, code, JSON.stringify(form));
      }
      const twice = await api(calls(), {
        method: 'POST',
        body: `${new URLSearchParams(newCall())}&Url=https%3A%2F%2Fe.com%2Fy`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(twice.status, 400);
      assert.equal((await api(`/api/laml/2010-04-01/Accounts/not-a-uuid/Calls`, { form: newCall() })).status, 400);
      const others: Array<[string, CallOptions]> = [
        [`${calls()}/nope`, {}],
        [`${calls()}/nope`, { form: { Status: 'completed' } }],
        [`${calls()}/${sid}`, { form: { Status: 'hung-up' } }],
        [`${calls()}/${sid}`, { form: { Url: 'e.com' } }],
        [`${calls()}/${sid}`, { form: { To: '+15551230002' } }],
        [`${calls()}?Status=bogus`, {}],
        [`${calls()}?StartTime=2026-13-01`, {}],
        [`${calls()}?ParentCallSid=nope`, {}],
      ];
      for (const [path, options] of others) assert.equal((await api(path, options)).status, 400, path);
    });

    it('401: no credentials or a wrong token, on every operation', async () => {
      for (const auth of [noAuth, wrongToken()]) {
        assert.equal((await api(account(), auth)).status, 401);
        assert.equal((await api(conferences(), auth)).status, 401);
        assert.equal((await api(conference(), auth)).status, 401);
        assert.equal((await api(conference(), { ...auth, form: { Status: 'completed' } })).status, 401);
        assert.equal((await api(participants(), auth)).status, 401);
        assert.equal((await api(bob(), auth)).status, 401);
        assert.equal((await api(bob(), { ...auth, form: { Muted: 'true' } })).status, 401);
        assert.equal((await api(bob(), { ...auth, method: 'DELETE' })).status, 401);
        assert.equal((await api(calls(), auth)).status, 401);
        assert.equal((await api(calls(), { ...auth, form: newCall() })).status, 401);
        assert.equal((await api(`${calls()}/${UNKNOWN_SID}`, auth)).status, 401);
        assert.equal((await api(`${calls()}/${UNKNOWN_SID}`, { ...auth, form: { Status: 'completed' } })).status, 401);
      }
      assert.equal((await api(`/api/laml/2010-04-01/Accounts/${UNKNOWN_SID}`)).status, 401);
    });

    it('404: an unknown conference or participant, on every operation that names one', async () => {
      assert.equal((await api(conference(UNKNOWN_SID))).status, 404);
      assert.equal((await api(conference(UNKNOWN_SID), { form: { Status: 'completed' } })).status, 404);
      assert.equal((await api(participants(UNKNOWN_SID))).status, 404);
      const stranger = participantPath(emulator, DEMO_SIDS.weeklySync, UNKNOWN_SID);
      assert.equal((await api(stranger)).status, 404);
      assert.equal((await api(stranger, { form: { Muted: 'true' } })).status, 404);
      assert.equal((await api(stranger, { method: 'DELETE' })).status, 404);
      assert.equal((await api(`${account()}/Queues`)).status, 404);
      assert.equal((await api(`${calls()}/${UNKNOWN_SID}`)).status, 404);
      assert.equal((await api(`${calls()}/${UNKNOWN_SID}`, { form: { Status: 'completed' } })).status, 404);
      assert.equal((await api(`${calls()}/${UNKNOWN_SID}/Recordings`)).status, 404);
    });

    it('422: coaching without a call to coach, and any change to a completed conference (code 10000)', async () => {
      assert.equal((await api(bob(), { form: { Coaching: 'true' } })).status, 422);
      assert.equal((await api(bob(), { form: { Coaching: 'true', CallSidToCoach: UNKNOWN_SID } })).status, 422);
      const erin = participantPath(emulator, DEMO_SIDS.mondayStandup, DEMO_SIDS.erin);
      assert.equal((await api(erin, { form: { Muted: 'true' } })).json.code, 10000);
      assert.equal((await api(erin, { method: 'DELETE' })).json.code, 10000);
      assert.equal(
        (await api(conference(DEMO_SIDS.mondayStandup), { form: { Status: 'completed' } })).json.code,
        10000,
      );
    });

    // The reference says what Status=canceled does to a ringing call, not to an answered one: the emulator refuses it.
    it('422 on the calls: a From not owned (21210), an ApplicationSid (21218), a redirect before the answer (21220), canceling an answered call or changing an ended one (10000)', async () => {
      assert.equal((await api(calls(), { form: newCall({ From: '+15557770000' }) })).json.code, 21210);
      const withApplication = newCall({ ApplicationSid: UNKNOWN_SID });
      delete withApplication.Url;
      assert.equal((await api(calls(), { form: withApplication })).json.code, 21218);
      const ringing = (await api(calls(), { form: newCall() })).json.sid as string;
      assert.equal((await api(`${calls()}/${ringing}`, { form: { Url: `${app.url}/x` } })).json.code, 21220);
      assert.equal((await api(`${calls()}/${ringing}`, { form: { Status: 'canceled' } })).json.status, 'canceled');
      assert.equal((await api(`${calls()}/${ringing}`, { form: { Status: 'completed' } })).json.code, 10000);
      const answered = await answeredCall();
      assert.equal((await api(`${calls()}/${answered}`, { form: { Status: 'canceled' } })).json.code, 10000);
    });

    it('503 on update_conference and update_a_call, the operations that list it (injected)', async () => {
      emulator.setFaults([{ kind: '503', count: 1, retryAfter: 1 }]);
      assert.equal((await api(conference(), { form: { Status: 'completed' } })).status, 503);
      const sid = (await api(calls(), { form: newCall() })).json.sid as string;
      emulator.setFaults([{ kind: '503', count: 1, retryAfter: 1 }]);
      assert.equal((await api(`${calls()}/${sid}`, { form: { Status: 'completed' } })).status, 503);
    });
  });

  describe('requests the spec does not list, accepted on purpose', () => {
    it('takes the fields the official SDK sends beyond the spec, as booleans, and answers as the spec says', async () => {
      for (const field of Object.keys(ACCEPTED_BEYOND_THE_SPEC)) {
        assert.equal((await api(bob(), { form: { [field]: 'true' } })).status, 200, field);
        assert.equal((await api(bob(), { form: { Muted: 'true', [field]: 'false' } })).status, 200, field);
        assert.equal((await api(bob(), { form: { [field]: 'maybe' } })).status, 400, field);
      }
      const answered = await api(bob(), { form: { EndConferenceOnExit: 'true' } });
      assert.equal(answered.json.end_conference_on_exit, true);
      assert.equal((await api(bob(), { form: { Beep: 'true' } })).status, 400, 'other fields stay refused');
    });
  });

  describe('where the emulator differs from the reference', () => {
    it(DIFFERS_FROM_THE_REFERENCE['create a call answers 200']!, async () => {
      assert.equal((await api(calls(), { form: newCall() })).status, 200);
    });

    it(DIFFERS_FROM_THE_REFERENCE['new calls are not paced']!, async () => {
      const first = (await api(calls(), { form: newCall() })).json.sid as string;
      const second = (await api(calls(), { form: newCall() })).json.sid as string;
      clock.advance(0);
      assert.equal((await api(`${calls()}/${first}`)).json.status, 'ringing');
      assert.equal((await api(`${calls()}/${second}`)).json.status, 'ringing', 'the second call is not held back');
    });

    it(DIFFERS_FROM_THE_REFERENCE['no ParentCallSid']!, async () => {
      const sid = await answeredCall();
      const fetchOf = (): RecordedRequest | undefined =>
        app.requests.find((r) => r.path === '/join' && new URLSearchParams(r.body).get('CallSid') === sid);
      await until(() => fetchOf() !== undefined);
      const fields = new URLSearchParams(fetchOf()!.body);
      for (const name of ['AccountSid', 'ApiVersion', 'CallSid', 'CallStatus', 'Direction', 'From', 'To']) {
        assert.ok(fields.has(name), name);
      }
      assert.equal(fields.has('ParentCallSid'), false);
    });

    it(DIFFERS_FROM_THE_REFERENCE['only five verbs run']!, async () => {
      const sid = (await api(calls(), { form: newCall({ Url: `${app.url}/pause` }) })).json.sid as string;
      clock.advance(0);
      clock.advance(1000);
      const ended = await emulator.phoneCalls.whenStatus(sid, 'completed');
      assert.match(ended.problems[0] ?? '', /<Pause> is not a verb the emulator runs/);
    });
  });

  describe('answers the spec does not list, on purpose', () => {
    it('405, 413, 429 and 503 still carry the error body', async () => {
      assert.equal((await api(bob(), { method: 'PUT' })).status, 405);
      assert.equal(
        (await api(bob(), { form: { Muted: 'true', HoldUrl: `https://e.com/${'a'.repeat(70_000)}` } })).status,
        413,
      );
      emulator.setFaults([
        { kind: '429', count: 1 },
        { kind: '503', count: 1 },
      ]);
      assert.equal((await api(participants())).status, 429);
      assert.equal((await api(bob(), { form: { Muted: 'true' } })).status, 503);
      emulator.setFaults([]);
      emulator.setRateLimit({ limit: 1, windowMs: 60_000, retryAfter: 'auto' });
      assert.equal((await api(bob(), { form: { Muted: 'true' } })).status, 200);
      assert.equal((await api(bob(), { form: { Muted: 'false' } })).status, 429);
      assert.equal((await api(conference(), { form: { AnnounceUrl: 'https://e.com/a' } })).status, 429);
      assert.equal((await api(bob(), { method: 'DELETE' })).status, 204, 'only POSTs are limited');
    });
  });

  describe('paging across pages with every filter', () => {
    beforeEach(() => {
      const town = emulator.addConference({ friendlyName: 'Town hall' });
      emulator.addParticipant(town.sid, { label: 'Host', startConferenceOnEnter: true });
      emulator.addParticipants(town.sid, 40, { startConferenceOnEnter: false });
      emulator.addParticipants(town.sid, 17, { muted: true, startConferenceOnEnter: false });
      emulator.addParticipants(town.sid, 9, { hold: true, startConferenceOnEnter: false });
      emulator.addParticipants(town.sid, 5, { muted: true, hold: true, startConferenceOnEnter: false });
      for (let i = 0; i < 25; i++) {
        emulator.addConference({
          friendlyName: ['Weekly sync', 'Town hall', 'Retro'][i % 3],
          status: (['in-progress', 'completed', 'init'] as const)[i % 3],
          dateCreated: `2024-05-${String(1 + (i % 9)).padStart(2, '0')}T10:00:00Z`,
          dateUpdated: `2024-05-${String(3 + (i % 9)).padStart(2, '0')}T10:00:00Z`,
        });
      }
    });

    async function walkAll(first: string, key: string): Promise<number> {
      let next: string | null = first;
      let count = 0;
      let pages = 0;
      while (next !== null) {
        const page: Reply = await api(next);
        assert.equal(page.status, 200);
        count += page.json[key].length;
        if (page.json.previous_page_uri) assert.equal((await api(page.json.previous_page_uri)).status, 200);
        assert.equal((await api(page.json.first_page_uri)).status, 200);
        next = page.json.next_page_uri;
        pages += 1;
        assert.ok(pages <= 100);
      }
      return count;
    }

    it('walks the participants of a large conference with every Muted/Hold filter', async () => {
      const town = emulator.snapshot().find((c) => c.friendly_name === 'Town hall')!;
      for (const muted of [undefined, 'true', 'false']) {
        for (const hold of [undefined, 'true', 'false']) {
          const query = new URLSearchParams({ PageSize: '7' });
          if (muted) query.set('Muted', muted);
          if (hold) query.set('Hold', hold);
          const count = await walkAll(`${participants(town.sid)}.json?${query}`, 'participants');
          const expected = town.participants.filter(
            (p) =>
              (muted === undefined || String(p.muted) === muted) && (hold === undefined || String(p.hold) === hold),
          ).length;
          assert.equal(count, expected, query.toString());
        }
      }
    });

    it('walks the conferences with every filter, alone and together', async () => {
      const filters: Array<Record<string, string>> = [
        {},
        { Status: 'init' },
        { Status: 'in-progress' },
        { Status: 'completed' },
        { FriendlyName: 'Town hall' },
        { DateCreated: '2024-05-02' },
        { 'DateCreated<': '2024-05-04' },
        { 'DateCreated>': '2024-05-04' },
        { DateUpdated: '2024-05-05' },
        { 'DateUpdated<': '2024-05-06' },
        { 'DateUpdated>': '2024-05-06' },
        { FriendlyName: 'Retro', Status: 'init', 'DateCreated>': '2024-05-02', 'DateUpdated<': '2024-05-10' },
      ];
      for (const filter of filters) {
        await walkAll(`${conferences()}.json?${new URLSearchParams({ ...filter, PageSize: '4' })}`, 'conferences');
      }
    });

    it('fits the spec for any list query a client may send, good or bad', async () => {
      const value = fc.oneof(
        fc.constantFrom(
          'true',
          'false',
          'True',
          '',
          '0',
          '-1',
          '2',
          '1001',
          'in-progress',
          'init',
          'completed',
          'bogus',
        ),
        fc.constantFrom('2024-05-03', '2024-13-01', 'PA1', 'PB9', 'PA', 'Town hall', 'x'.repeat(65)),
        fc.string({ maxLength: 8 }),
      );
      const key = fc.constantFrom(
        'Muted',
        'Hold',
        'Page',
        'PageSize',
        'PageToken',
        'Status',
        'FriendlyName',
        'DateCreated',
        'DateCreated<',
        'DateCreated>',
        'DateUpdated',
        'DateUpdated<',
        'DateUpdated>',
        'Other',
      );
      const town = emulator.snapshot().find((c) => c.friendly_name === 'Town hall')!;
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(fc.tuple(key, value), { maxLength: 4 }),
          async (ofParticipants, pairs) => {
            const list = ofParticipants ? participants(town.sid) : conferences();
            const reply = await api(`${list}.json?${new URLSearchParams(pairs)}`);
            assert.ok(reply.status === 200 || reply.status === 400, `${reply.status} ${reply.text}`);
            if (reply.status === 200 && reply.json.next_page_uri) await api(reply.json.next_page_uri);
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe('updates, fuzzed', () => {
    it('fits the spec for any participant or conference form, good or bad', async () => {
      const field = fc.constantFrom(
        'Muted',
        'Hold',
        'HoldUrl',
        'HoldMethod',
        'AnnounceUrl',
        'AnnounceMethod',
        'WaitUrl',
        'WaitMethod',
        'Coaching',
        'CallSidToCoach',
        'Status',
        'Beep',
        ...Object.keys(ACCEPTED_BEYOND_THE_SPEC),
      );
      const value = fc.oneof(
        fc.constantFrom('true', 'false', 'GET', 'post', 'PUT', 'completed', DEMO_SIDS.carol, DEMO_SIDS.bob),
        fc.constantFrom('https://e.com/a.mp3', 'https://e.com/a b.mp3', 'http://[::1]/x', 'e.com', ''),
        fc.string({ maxLength: 10 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(fc.tuple(field, value), { maxLength: 4 }),
          async (toConference, pairs) => {
            emulator.reset();
            const form = new URLSearchParams(pairs).toString();
            const reply = await api(toConference ? conference() : bob(), {
              method: 'POST',
              body: form,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            });
            assert.ok([200, 400, 422].includes(reply.status), `${reply.status} ${reply.text}`);
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe('calls, fuzzed', () => {
    it('fits the spec for any create or update form, good or bad', async () => {
      const field = fc.constantFrom(
        'To',
        'From',
        'Url',
        'Method',
        'StatusCallback',
        'StatusCallbackEvent',
        'Timeout',
        'Status',
        'ApplicationSid',
        'MachineDetection',
        'Record',
        'Beep',
      );
      const value = fc.oneof(
        fc.constantFrom('+15551230001', DEMO_NUMBERS.office, '+15557770000', 'sip:frank@example.com', '555'),
        fc.constantFrom('https://e.com/a.xml', 'e.com', 'GET', 'PUT', 'completed', 'canceled', '30', '0', 'true'),
        fc.constantFrom('initiated ringing', 'answered', 'hung-up', UNKNOWN_SID, 'Enable', ''),
        fc.string({ maxLength: 10 }),
      );
      const sid = (await api(calls(), { form: newCall() })).json.sid as string;
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.array(fc.tuple(field, value), { maxLength: 5 }), async (create, pairs) => {
          const reply = await api(create ? calls() : `${calls()}/${sid}`, {
            method: 'POST',
            body: new URLSearchParams(pairs).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
          assert.ok([200, 400, 422].includes(reply.status), `${reply.status} ${reply.text}`);
        }),
        { numRuns: 200 },
      );
    });

    it('fits the spec for any call list query', async () => {
      await api(calls(), { form: newCall() });
      const key = fc.constantFrom(
        'To',
        'From',
        'Status',
        'ParentCallSid',
        'StartTime',
        'StartTime<',
        'EndTime>',
        'Page',
        'PageSize',
        'PageToken',
      );
      const value = fc.oneof(
        fc.constantFrom('+15551230001', 'queued', 'bogus', '2026-01-05', '2026-02-30', UNKNOWN_SID, '0', '1001'),
        fc.string({ maxLength: 8 }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 4 }), async (pairs) => {
          const reply = await api(`${calls()}.json?${new URLSearchParams(pairs)}`);
          assert.ok(reply.status === 200 || reply.status === 400, `${reply.status} ${reply.text}`);
        }),
        { numRuns: 150 },
      );
    });
  });

  // Last: mocha runs a suite's own tests before its nested suites, so this one sits in a suite of its own.
  describe('coverage', () => {
    it('gave every answer the spec lists, except those the emulator cannot give (and why)', () => {
      const missing: string[] = [];
      for (const [name, op] of Object.entries(OPERATIONS)) {
        if (NOT_SERVED[name]) continue;
        for (const status of Object.keys(op.responses)) {
          const key = `${name} ${status}`;
          if (NOT_PRODUCED[key]) assert.ok(!seen.has(key), `${key} is given after all: drop it from NOT_PRODUCED`);
          else if (!seen.has(key)) missing.push(key);
        }
      }
      assert.deepEqual(missing, []);
    });
  });
});

describe("conformance: what the client sends fits the spec's update form", () => {
  /** A form body read back as the spec types it (booleans as booleans). */
  function decode(body: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(body)) {
      out[key] = value === 'true' ? true : value === 'false' ? false : value;
    }
    return out;
  }

  it('sends only fields and values the spec defines, URLs as valid URIs, for anything a person may type', () => {
    const typed = fc.oneof(
      fc.constantFrom(
        'https://example.com/hold.mp3',
        'https://example.com/%C3%A9t%C3%A9.wav',
        'http://[::1]:1880/x?y=1',
      ),
      fc
        .tuple(
          fc.constantFrom('https://example.com/', 'http://127.0.0.1:1880/media/'),
          fc.string({ unit: 'grapheme', maxLength: 12 }),
        )
        .map(([base, rest]) => base + rest),
    );
    const options = fc.record(
      {
        muted: fc.constantFrom(true, false, 'true', 'false'),
        hold: fc.constantFrom(true, false, 'true', 'false'),
        holdUrl: typed,
        holdMethod: fc.constantFrom('GET', 'post', ' Post '),
        announceUrl: typed,
        announceMethod: fc.constantFrom('GET', 'POST'),
        waitUrl: typed,
        waitMethod: fc.constantFrom('get', 'POST'),
        coaching: fc.constant(false),
      },
      { requiredKeys: ['muted'] },
    );
    let sent = 0;
    fc.assert(
      fc.property(options, (input) => {
        let body: string;
        try {
          body = toFormBody(validateUpdateOptions(input));
        } catch {
          return; // refused before sending: nothing crossed the wire
        }
        sent += 1;
        assert.deepEqual(schemaProblems('UpdateConferenceParticipantRequest', decode(body)), [], body);
      }),
      { numRuns: 500 },
    );
    assert.ok(sent > 250, `most typed URLs are sent (percent-encoded), not refused: ${sent} of 500`);
  });
});
