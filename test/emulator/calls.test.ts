import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator, type Emulator } from '../../src/emulator';
import { ManualClock } from '../../src/emulator/clock';
import { DEMO_NUMBERS } from '../../src/emulator/phone-numbers';
import { checkSignature } from '../../src/lib/webhooks/webhook-signature';
import { schemaProblems } from '../conformance/spec';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../support/recording-server';
import { accountPath, call, until } from './http';

const KEY = 'PSK_calls-test-key';
const FRANK = '+15551230001';
const GRACE = '+15551230002';
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };

/** Integer fields of VoiceStatusCallbackPayload, read back from the form's text as the schema types them. */
const INTEGER_FIELDS = new Set(
  Object.entries(
    (
      JSON.parse(readFileSync(`${__dirname}/../conformance/signalwire-compat-openapi-schemas.json`, 'utf8')) as {
        VoiceStatusCallbackPayload: { properties: Record<string, { type?: string }> };
      }
    ).VoiceStatusCallbackPayload.properties,
  )
    .filter(([, schema]) => schema.type === 'integer')
    .map(([name]) => name),
);

describe('emulator: calls', function () {
  let app: RecordingServer;
  let emulator: Emulator;
  let clock: ManualClock;
  /** What the app answers each cXML path with. */
  let documents: Record<string, string>;

  before(async () => {
    app = await startRecordingServer();
  });
  after(() => app.close());
  beforeEach(async () => {
    app.reset();
    documents = {};
    app.fallback = (request) => {
      const path = request.path.split('?')[0]!;
      const document = documents[path];
      return document === undefined ? { status: 204 } : { status: 200, headers: XML, body: document };
    };
    clock = new ManualClock();
    emulator = await startEmulator({ signingKey: KEY, clock, seed: null });
  });
  afterEach(() => emulator.close());

  const callsPath = (): string => `${accountPath(emulator)}/Calls`;
  const requestsTo = (path: string): RecordedRequest[] => app.requests.filter((r) => r.path.split('?')[0] === path);
  const formOf = (request: RecordedRequest): Record<string, string> =>
    Object.fromEntries(new URLSearchParams(request.method === 'GET' ? request.path.split('?')[1] : request.body));
  /** Whether the package's own validator accepts the request's signature, for the URL it arrived at. */
  const signedRight = (request: RecordedRequest, key = KEY): boolean =>
    checkSignature({
      signingKey: key,
      signature: request.headers['x-signalwire-signature'] as string | undefined,
      url: `${app.url}${request.path}`,
      fields: request.method === 'GET' ? [] : Array.from(new URLSearchParams(request.body)),
    }).ok;

  async function place(form: Record<string, string | string[]>): Promise<string> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    const reply = await call(emulator, callsPath(), {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(reply.status, 200, reply.text);
    return reply.json.sid;
  }

  const progressEvents = (): Array<[string, string]> =>
    requestsTo('/progress').map((r) => [formOf(r).CallStatus!, formOf(r).SequenceNumber!]);
  const roomEvents = (path = '/room'): string[] => requestsTo(path).map((r) => formOf(r).StatusCallbackEvent!);

  it('an answered call fetches its Url, signed, joins the room as the cXML says, and reports its progress', async () => {
    documents['/join'] =
      '<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Conference muted="true" beep="onEnter" ' +
      'startConferenceOnEnter="false" endConferenceOnExit="true" waitUrl="https://e.com/wait.mp3" ' +
      `statusCallback="${app.url}/room?from=front&amp;x=1" statusCallbackEvent="start end join leave mute hold">` +
      'Front door &amp; hall</Conference></Dial></Response>';
    const sid = await place({
      To: FRANK,
      From: DEMO_NUMBERS.office,
      Url: `${app.url}/join`,
      StatusCallback: `${app.url}/progress`,
      StatusCallbackEvent: ['initiated', 'ringing answered', 'completed'],
    });
    assert.equal(emulator.callRecords.get(sid)!.status, 'queued');
    clock.advance(0);
    assert.equal(emulator.callRecords.get(sid)!.status, 'ringing');
    clock.advance(499);
    assert.equal(emulator.callRecords.get(sid)!.status, 'ringing', 'a number with no behaviour answers after 500 ms');
    clock.advance(1);
    await until(() => emulator.callRecords.get(sid)!.conference !== undefined);

    const [fetch] = requestsTo('/join');
    assert.equal(fetch!.method, 'POST');
    assert.equal(signedRight(fetch!), true, 'the cXML fetch passes the webhook validator');
    assert.equal(signedRight(fetch!, 'PSK_other'), false);
    assert.deepEqual(formOf(fetch!), {
      AccountSid: emulator.projectId,
      ApiVersion: '2010-04-01',
      CallSid: sid,
      CallStatus: 'in-progress',
      Direction: 'outbound-api',
      From: DEMO_NUMBERS.office,
      To: FRANK,
    });
    const room = emulator.snapshot().find((c) => c.friendly_name === 'Front door & hall')!;
    assert.equal(room.status, 'in-progress');
    const participant = room.participants.find((p) => p.call_sid === sid)!;
    assert.deepEqual(
      [participant.muted, participant.start_conference_on_enter, participant.end_conference_on_exit],
      [true, false, true],
    );
    assert.equal(
      emulator.callRecords.emulatedView(emulator.callRecords.get(sid)!).conference!.attributes.beep,
      'onEnter',
    );

    const hangUp = await call(emulator, `${callsPath()}/${sid}`, { form: { Status: 'completed' } });
    assert.equal(hangUp.json.status, 'completed');
    await emulator.callbacks.whenDelivered(7);
    assert.deepEqual(progressEvents(), [
      ['initiated', '0'],
      ['ringing', '1'],
      ['in-progress', '2'],
      ['completed', '3'],
    ]);
    assert.deepEqual(roomEvents(), ['participant-join', 'participant-leave', 'conference-end']);
    assert.ok(requestsTo('/room').every((r) => formOf(r).ConferenceSid === room.sid && signedRight(r)));
    for (const request of requestsTo('/progress')) {
      assert.equal(signedRight(request), true);
      const typed = Object.fromEntries(
        Object.entries(formOf(request)).map(([k, v]) => [k, INTEGER_FIELDS.has(k) ? Number(v) : v]),
      );
      assert.deepEqual(schemaProblems('VoiceStatusCallbackPayload', typed), [], JSON.stringify(typed));
    }
    assert.equal(formOf(requestsTo('/progress')[3]!).CallDuration, '0');
  });

  it('the first participant sets the room callbacks; later joins and hang-ups send the room events', async () => {
    documents['/first'] =
      `<Response><Dial><Conference statusCallback="${app.url}/room" statusCallbackEvent="start end join leave">` +
      'Weekly sync</Conference></Dial></Response>';
    documents['/second'] =
      `<Response><Dial><Conference startConferenceOnEnter="false" statusCallback="${app.url}/elsewhere">` +
      'Weekly sync</Conference></Dial></Response>';
    const host = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/first` });
    clock.advance(0);
    clock.advance(500);
    await emulator.phoneCalls.whenStatus(host, 'in-progress');
    await until(() => emulator.callRecords.get(host)!.conference !== undefined);
    const guest = await place({ To: GRACE, From: DEMO_NUMBERS.office, Url: `${app.url}/second` });
    clock.advance(0);
    clock.advance(500);
    await until(() => emulator.callRecords.get(guest)!.conference !== undefined);
    assert.equal(emulator.callRecords.get(guest)!.conference!.sid, emulator.callRecords.get(host)!.conference!.sid);
    await call(emulator, `${callsPath()}/${guest}`, { form: { Status: 'completed' } });
    await call(emulator, `${callsPath()}/${host}`, { form: { Status: 'completed' } });
    await emulator.callbacks.whenDelivered(6);
    assert.deepEqual(roomEvents(), [
      'participant-join',
      'conference-start',
      'participant-join',
      'participant-leave',
      'participant-leave',
      'conference-end',
    ]);
    assert.equal(requestsTo('/elsewhere').length, 0, "a later participant's callback is ignored");
  });

  it('busy, failed and no-answer end the call so, with its completed callback; no-answer only after Timeout', async () => {
    for (const [number, answer] of [
      [FRANK, 'busy'],
      [GRACE, 'failed'],
    ] as const) {
      const set = await call(emulator, `/__emulator/numbers/${encodeURIComponent(number)}`, {
        method: 'PUT',
        body: JSON.stringify({ answer, afterMs: 2000 }),
      });
      assert.equal(set.status, 200, set.text);
    }
    const progress = { StatusCallback: `${app.url}/progress`, StatusCallbackEvent: 'completed' };
    const busy = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/x`, ...progress });
    const failed = await place({ To: GRACE, From: DEMO_NUMBERS.office, Url: `${app.url}/x`, ...progress });
    // Frank would answer after 40 s, but the call rings for 30 s only.
    await call(emulator, `/__emulator/numbers/%2B15551230003`, { method: 'PUT', body: '{"afterMs": 40000}' });
    const late = await place({
      To: '+15551230003',
      From: DEMO_NUMBERS.office,
      Url: `${app.url}/x`,
      Timeout: '30',
      ...progress,
    });
    clock.advance(0);
    clock.advance(1999);
    assert.deepEqual(
      [busy, failed].map((sid) => emulator.callRecords.get(sid)!.status),
      ['ringing', 'queued'],
    );
    clock.advance(1);
    assert.equal(emulator.callRecords.get(busy)!.status, 'busy');
    assert.equal(emulator.callRecords.get(failed)!.status, 'failed');
    clock.advance(27_999);
    assert.equal(emulator.callRecords.get(late)!.status, 'ringing');
    clock.advance(1);
    assert.equal(emulator.callRecords.get(late)!.status, 'no-answer');
    await emulator.callbacks.whenDelivered(3);
    assert.deepEqual(
      requestsTo('/progress').map((r) => formOf(r).CallStatus),
      ['busy', 'failed', 'no-answer'],
    );
    assert.equal(requestsTo('/x').length, 0, 'a call nobody answered never fetches its Url');
  });

  it('Say and Play are heard, then the call hangs up; what follows a Dial runs once the room is left', async () => {
    documents['/message'] =
      '<Response><Say voice="woman">Nobody is home</Say><Play>https://e.com/beep.mp3</Play><Hangup/>' +
      '<Say>never heard</Say></Response>';
    documents['/room-then-bye'] =
      '<Response><Dial><Conference>Retro</Conference></Dial><Say>The meeting is over</Say></Response>';
    const message = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/message` });
    const member = await place({ To: GRACE, From: DEMO_NUMBERS.office, Url: `${app.url}/room-then-bye` });
    clock.advance(0);
    clock.advance(500);
    const heard = await emulator.phoneCalls.whenStatus(message, 'completed');
    assert.deepEqual(heard.heard, [
      { verb: 'Say', text: 'Nobody is home' },
      { verb: 'Play', url: 'https://e.com/beep.mp3' },
    ]);
    await until(() => emulator.callRecords.get(member)!.conference !== undefined);
    const room = emulator.callRecords.get(member)!.conference!.sid;
    const removed = await call(emulator, `${accountPath(emulator)}/Conferences/${room}/Participants/${member}`, {
      method: 'DELETE',
    });
    assert.equal(removed.status, 204);
    const after = await emulator.phoneCalls.whenStatus(member, 'completed');
    assert.deepEqual(after.heard, [{ verb: 'Say', text: 'The meeting is over' }]);
  });

  it('a call runs on after its Dial when its room changes in-process too: someone made to leave, the room ended', async () => {
    documents['/room-then-bye'] =
      '<Response><Dial><Conference>Retro</Conference></Dial><Say>The meeting is over</Say></Response>';
    const first = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/room-then-bye` });
    const second = await place({ To: GRACE, From: DEMO_NUMBERS.office, Url: `${app.url}/room-then-bye` });
    clock.advance(0);
    clock.advance(500);
    await until(() => [first, second].every((sid) => emulator.callRecords.get(sid)!.conference !== undefined));
    const room = emulator.callRecords.get(first)!.conference!.sid;
    emulator.calls.leave({ conferenceSid: room, callSid: first });
    const left = await emulator.phoneCalls.whenStatus(first, 'completed');
    assert.deepEqual(left.heard, [{ verb: 'Say', text: 'The meeting is over' }]);
    emulator.setConferenceStatus(room, 'completed');
    const ended = await emulator.phoneCalls.whenStatus(second, 'completed');
    assert.deepEqual(ended.heard, [{ verb: 'Say', text: 'The meeting is over' }]);
  });

  it('a redirect leaves the room and runs the new document', async () => {
    documents['/room'] = '<Response><Dial><Conference>Retro</Conference></Dial></Response>';
    documents['/goodbye'] = '<Response><Say>Goodbye</Say></Response>';
    const sid = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/room` });
    clock.advance(0);
    clock.advance(500);
    await until(() => emulator.callRecords.get(sid)!.conference !== undefined);
    const reply = await call(emulator, `${callsPath()}/${sid}`, { form: { Url: `${app.url}/goodbye`, Method: 'GET' } });
    assert.equal(reply.status, 200);
    const ended = await emulator.phoneCalls.whenStatus(sid, 'completed');
    assert.deepEqual(ended.heard, [{ verb: 'Say', text: 'Goodbye' }]);
    assert.equal(ended.conference!.left, true);
    const get = requestsTo('/goodbye')[0]!;
    assert.equal(get.method, 'GET');
    assert.equal(formOf(get).CallSid, sid);
    assert.equal(signedRight(get), true, 'a GET is signed over its full URL');
  });

  const broken: Array<[string, string, Record<string, string> | undefined, RegExp]> = [
    ['a verb it does not run', '<Response><Gather/></Response>', undefined, /<Gather> is not a verb the emulator runs/],
    ['an unescaped ampersand', '<Response><Say>Tom & Jerry</Say></Response>', undefined, /not well-formed XML/],
    [
      'an unknown attribute',
      '<Response><Dial><Conference mute="true">R</Conference></Dial></Response>',
      undefined,
      /has no attribute "mute"/,
    ],
    ['a Dial to a number', '<Response><Dial>+15551230009</Dial></Response>', undefined, /exactly one <Conference>/],
    ['a wrong root', '<Reply><Hangup/></Reply>', undefined, /root must be <Response>/],
    [
      'a bad beep',
      '<Response><Dial><Conference beep="loud">R</Conference></Dial></Response>',
      undefined,
      /beep> must be one of/,
    ],
    ['JSON', '{"say": "hi"}', { 'Content-Type': 'application/json' }, /not text\/xml/],
    ['an empty body', '', undefined, /not well-formed XML/],
    ['a tag left open', '<Response><Say>Hello</Response>', undefined, /not well-formed XML/],
    ['two roots', '<Response/><Response/>', undefined, /not well-formed XML/],
    // Read no further than 64 KB: the rest is cut, and what is left is broken.
    ['over 64 KB', `<Response><Say>${'la '.repeat(22_000)}</Say></Response>`, undefined, /not well-formed XML/],
  ];
  for (const [what, document, headers, message] of broken) {
    it(`cXML with ${what} is a clear error in its log, and the call ends`, async () => {
      app.fallback = () => ({ status: 200, headers: headers ?? XML, body: document });
      const sid = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/broken` });
      clock.advance(0);
      clock.advance(500);
      const ended = await emulator.phoneCalls.whenStatus(sid, 'completed');
      assert.equal(ended.problems.length, 1);
      assert.match(ended.problems[0]!, message);
      const log = await call(emulator, '/__emulator/log');
      assert.equal(log.json[0].level, 'error');
      assert.equal(log.json[0].time, clock.now(), "on the emulator's clock");
      assert.equal(log.json[0].callSid, sid);
      assert.match(log.json[0].message, message);
      assert.equal(emulator.snapshot().length, 0, 'nobody joined anything');
    });
  }

  it('a Url that fails is logged with its status, and the FallbackUrl runs instead', async () => {
    documents['/fallback'] = '<Response><Say>Sorry</Say></Response>';
    app.respond({ status: 500, body: 'oops' });
    const sid = await place({
      To: FRANK,
      From: DEMO_NUMBERS.office,
      Url: `${app.url}/main`,
      FallbackUrl: `${app.url}/fallback`,
    });
    clock.advance(0);
    clock.advance(500);
    const ended = await emulator.phoneCalls.whenStatus(sid, 'completed');
    assert.match(ended.problems[0]!, /answered HTTP 500/);
    assert.deepEqual(ended.heard, [{ verb: 'Say', text: 'Sorry' }]);
  });

  it('an incoming call rings an owned number and runs its voice URL, signed; Reject ends it busy', async () => {
    documents['/voice'] = '<Response><Dial><Conference>Team room</Conference></Dial></Response>';
    documents['/reject'] = '<Response><Reject reason="busy"/></Response>';
    const set = await call(emulator, `/__emulator/numbers/${encodeURIComponent(DEMO_NUMBERS.office)}`, {
      method: 'PUT',
      body: JSON.stringify({ voiceUrl: `${app.url}/voice` }),
    });
    assert.deepEqual(set.json, { voiceUrl: `${app.url}/voice` });
    const ring = await call(emulator, '/__emulator/calls/incoming', {
      method: 'POST',
      body: JSON.stringify({ from: FRANK, to: DEMO_NUMBERS.office }),
    });
    assert.equal(ring.status, 201, ring.text);
    assert.equal(ring.json.direction, 'inbound');
    assert.equal(ring.json.status, 'ringing');
    clock.advance(0);
    await until(() => emulator.callRecords.get(ring.json.sid)!.conference !== undefined);
    const fetch = requestsTo('/voice')[0]!;
    assert.equal(signedRight(fetch), true);
    assert.deepEqual(
      [formOf(fetch).Direction, formOf(fetch).CallStatus, formOf(fetch).From, formOf(fetch).To],
      ['inbound', 'ringing', FRANK, DEMO_NUMBERS.office],
    );
    assert.equal(emulator.callRecords.get(ring.json.sid)!.status, 'in-progress');
    const team = emulator.snapshot().find((c) => c.friendly_name === 'Team room')!;
    assert.equal(team.participants[0]!.label, FRANK);

    await call(emulator, `/__emulator/numbers/${encodeURIComponent(DEMO_NUMBERS.office)}`, {
      method: 'PUT',
      body: JSON.stringify({ voiceUrl: `${app.url}/reject` }),
    });
    const second = await call(emulator, '/__emulator/calls/incoming', {
      method: 'POST',
      body: JSON.stringify({ from: GRACE, to: DEMO_NUMBERS.office }),
    });
    clock.advance(0);
    const rejected = await emulator.phoneCalls.whenStatus(second.json.sid, 'busy', 'completed', 'no-answer');
    assert.equal(rejected.status, 'busy');
    assert.equal(rejected.start_time, null, 'a rejected call was never answered');
  });

  it('refuses what cannot be: a From it does not own, a voice URL on a number it does not own, a call to no voice URL', async () => {
    const refused = await call(emulator, callsPath(), {
      form: { To: FRANK, From: '+15557770000', Url: `${app.url}/x` },
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.json.code, 21210);
    const numbers = await call(emulator, '/__emulator/numbers');
    assert.deepEqual(
      numbers.json.owned.map((n: { phoneNumber: string }) => n.phoneNumber),
      Object.values(DEMO_NUMBERS),
    );
    const notOwned = await call(emulator, `/__emulator/numbers/${encodeURIComponent(FRANK)}`, {
      method: 'PUT',
      body: JSON.stringify({ voiceUrl: `${app.url}/voice` }),
    });
    assert.equal(notOwned.status, 400);
    assert.match(notOwned.json.error, /Only the emulator's own numbers take calls/);
    const badAnswer = await call(emulator, `/__emulator/numbers/${encodeURIComponent(FRANK)}`, {
      method: 'PUT',
      body: JSON.stringify({ answer: 'maybe' }),
    });
    assert.match(badAnswer.json.error, /answer must be one of answer, busy, no-answer, failed/);
    const noVoice = await call(emulator, '/__emulator/calls/incoming', {
      method: 'POST',
      body: JSON.stringify({ from: FRANK, to: DEMO_NUMBERS.frontDoor }),
    });
    assert.equal(noVoice.status, 400);
    assert.match(noVoice.json.error, /has no voice URL/);
    const strangerTo = await call(emulator, '/__emulator/calls/incoming', {
      method: 'POST',
      body: JSON.stringify({ from: FRANK, to: GRACE }),
    });
    assert.match(strangerTo.json.error, /to must be one of the emulator's numbers/);
    assert.equal((await call(emulator, '/__emulator/calls')).json.length, 0, 'no call was placed');
  });

  it('a reset forgets calls and number settings, and a pending ring never fires', async () => {
    await call(emulator, `/__emulator/numbers/${encodeURIComponent(FRANK)}`, {
      method: 'PUT',
      body: '{"answer": "busy"}',
    });
    await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/x` });
    assert.equal(clock.pending, 1);
    emulator.reset();
    assert.equal(clock.pending, 0);
    assert.deepEqual((await call(emulator, '/__emulator/numbers')).json.settings, {});
    assert.deepEqual((await call(emulator, callsPath())).json.calls, []);
  });

  it('a change to a call that has ended is a 422 whose more_info link speaks of the call, not of a conference', async () => {
    const sid = await place({ To: FRANK, From: DEMO_NUMBERS.office, Url: `${app.url}/x` });
    const hangUp = { form: { Status: 'completed' } };
    assert.equal((await call(emulator, `${callsPath()}/${sid}`, hangUp)).json.status, 'canceled');
    const again = await call(emulator, `${callsPath()}/${sid}`, hangUp);
    assert.equal(again.status, 422);
    assert.match(again.json.message, /has ended/);
    const info = await call(emulator, new URL(again.json.more_info).pathname, { auth: null });
    assert.equal(info.json.code, again.json.code);
    assert.match(info.json.explanation, /call/i);
  });

  it('a number set back to the default answers again, as GET calls/{sid} shows', async () => {
    const frank = `/__emulator/numbers/${encodeURIComponent(FRANK)}`;
    await call(emulator, frank, { method: 'PUT', body: '{"answer": "busy"}' });
    assert.deepEqual((await call(emulator, '/__emulator/numbers')).json.settings, { [FRANK]: { answer: 'busy' } });
    assert.equal((await call(emulator, frank, { method: 'DELETE' })).status, 204);
    assert.equal((await call(emulator, frank, { method: 'DELETE' })).status, 404);
    const sid = await place({ To: FRANK, From: DEMO_NUMBERS.frontDoor, Url: `${app.url}/x` });
    clock.advance(0);
    clock.advance(500);
    const seen = await call(emulator, `/__emulator/calls/${sid}`);
    assert.equal(seen.json.status, 'in-progress');
    assert.equal(seen.json.url, `${app.url}/x`);
    assert.equal((await call(emulator, '/__emulator/calls/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it("an incoming call fetches the number's voice URL with its voiceMethod, GET signed over the full URL", async () => {
    documents['/voice'] = '<Response><Say>Hello</Say></Response>';
    await call(emulator, `/__emulator/numbers/${encodeURIComponent(DEMO_NUMBERS.frontDoor)}`, {
      method: 'PUT',
      body: JSON.stringify({ voiceUrl: `${app.url}/voice?door=front`, voiceMethod: 'GET' }),
    });
    const ring = await call(emulator, '/__emulator/calls/incoming', {
      method: 'POST',
      body: JSON.stringify({ from: FRANK, to: DEMO_NUMBERS.frontDoor }),
    });
    clock.advance(0);
    const ended = await emulator.phoneCalls.whenStatus(ring.json.sid, 'completed');
    assert.deepEqual(ended.heard, [{ verb: 'Say', text: 'Hello' }]);
    const fetch = requestsTo('/voice')[0]!;
    assert.equal(fetch.method, 'GET');
    assert.equal(formOf(fetch).door, 'front');
    assert.equal(formOf(fetch).CallSid, ring.json.sid);
    assert.equal(signedRight(fetch), true);
  });
});
