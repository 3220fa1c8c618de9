/**
 * "call into conference" against the emulator over real HTTP: the call is created as SignalWire's API says, the
 * emulator dials, fetches the join route on this Node-RED (signed), runs its cXML and puts the person in the
 * room, and the call's progress and the room's events reach the flow through the conference events node.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { toHttpUri } from '../../src/lib/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { callFlow, callCredentials, deployCalls, FRANK, GRACE, OFFICE, said } from './call-kit';
import { NodeHttpServer } from './events-kit';
import { input, Recorder, settle, statusesOf, type Msg } from './flow-kit';

const KEY = 'PSK_call-node-key-6f2e';
const TOKEN = 'PT-call-node-token-9a8b7c';

describe('call into conference node', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let server: NodeHttpServer;
  const savedFrom = process.env.SIGNALWIRE_FROM_NUMBER;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator({ signingKey: KEY, token: TOKEN });
  });
  after(async () => {
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.setFaults([]);
    emulator.stats.reset();
    delete process.env.SIGNALWIRE_FROM_NUMBER;
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    if (savedFrom === undefined) delete process.env.SIGNALWIRE_FROM_NUMBER;
    else process.env.SIGNALWIRE_FROM_NUMBER = savedFrom;
  });

  const callOf = (sid: string) => emulator.phoneCalls.retrieve(sid) as unknown as Record<string, unknown>;
  const emulated = (sid: string) => emulator.callRecords.emulatedView(emulator.callRecords.get(sid)!);
  const topics = (msgs: Msg[]) => msgs.map((m) => m.topic as string);

  it('calls To, puts the person into the room once answered, and reports every step through the events node', async () => {
    const out = await deployCalls(emulator, server.url);
    input('n1', { to: FRANK, conference: 'Front door', payload: { muted: true, beep: 'onExit' } });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
    const msg = out.got.ok![0]!;
    // The call as SignalWire returned it, and its SID on top for the next node.
    assert.equal(msg.callSid, msg.payload.sid);
    assert.deepEqual([msg.payload.to, msg.payload.from, msg.payload.status], [FRANK, OFFICE, 'queued']);
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'queued (1)' });

    // Ringing, answered, then in the room: the call's own progress and the room's events, signed and accepted.
    await out.until(5, 'events');
    assert.deepEqual(topics(out.got.events!), [
      'call-initiated',
      'call-ringing',
      'call-answered',
      'participant-join',
      'conference-start',
    ]);
    const [, , answered, joined] = out.got.events!;
    assert.equal(answered!.callSid, msg.callSid);
    assert.equal(joined!.callSid, msg.callSid);
    assert.equal(joined!.payload.friendlyName, 'Front door');
    assert.equal(joined!.payload.muted, true);

    const call = emulated(msg.callSid);
    assert.deepEqual(call.problems, []);
    assert.deepEqual(call.conference?.attributes, {
      muted: 'true',
      beep: 'onExit',
      statusCallback: `${server.url}/signalwire/conference-events`,
      statusCallbackMethod: 'POST',
      statusCallbackEvent: 'start end join leave mute hold speaker',
    });
    // What was asked of SignalWire: the join route with the room in its query, its progress to the events node.
    assert.equal(
      call.url,
      `${server.url}/signalwire/join?${new URLSearchParams({
        room: 'Front door',
        muted: 'true',
        beep: 'onExit',
        statusCallback: `${server.url}/signalwire/conference-events`,
      })}`,
    );
    assert.equal(call.status_callback, `${server.url}/signalwire/conference-events`);
    assert.deepEqual(call.status_callback_event, ['initiated', 'ringing', 'answered', 'completed']);
    assert.equal(call.timeout, 30);
    const room = emulator.getConference(call.conference!.sid)!;
    assert.deepEqual(
      room.participants.map((p) => [p.call_sid, p.muted]),
      [[msg.callSid, true]],
    );
  });

  it('reads the room and options from the form as well, and rings as long as it is told', async () => {
    const out = await deployCalls(emulator, server.url, {
      node: {
        to: GRACE,
        toType: 'str',
        conference: 'Weekly <sync> & more',
        conferenceType: 'str',
        timeout: '12',
        timeoutType: 'num',
        endConferenceOnExit: 'true',
        endConferenceOnExitType: 'bool',
        startConferenceOnEnter: 'false',
        startConferenceOnEnterType: 'bool',
        waitUrl: '',
        waitUrlType: 'str',
        muted: '',
        mutedType: 'default',
      },
    });
    input('n1', { payload: { muted: true } });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.count('ok'), 1, JSON.stringify(out.got.bad?.[0]?.error));
    const sid = out.got.ok![0]!.callSid as string;
    await emulator.phoneCalls.whenStatus(sid, 'in-progress');
    await out.until(4, 'events');
    const call = emulated(sid);
    assert.equal(call.timeout, 12);
    // A room name with XML's own characters joins as written; "SignalWire's default" writes nothing.
    assert.equal(call.conference?.friendly_name, 'Weekly <sync> & more');
    assert.deepEqual(
      [call.conference?.attributes.endConferenceOnExit, call.conference?.attributes.startConferenceOnEnter],
      ['true', 'false'],
    );
    assert.equal(call.conference?.attributes.waitUrl, '');
    assert.equal('muted' in call.conference!.attributes, false);
  });

  it('tells "nobody answered", "busy" and "failed" apart: one event each, ending the call', async () => {
    const out = await deployCalls(emulator, server.url);
    const cases: Array<[string, string, string]> = [
      ['+15551230011', 'busy', 'call-busy'],
      ['+15551230012', 'no-answer', 'call-no-answer'],
      ['+15551230013', 'failed', 'call-failed'],
    ];
    for (const [number, answer] of cases) emulator.numbers.set(number, { answer, afterMs: 10 });
    for (const [number] of cases) input('n1', { to: number, conference: 'Front door', timeout: 1 });
    await out.until(3, 'ok', 'bad');
    assert.equal(out.count('ok'), 3, JSON.stringify(out.got.bad?.[0]?.error));
    const ends = () => out.got.events!.filter((m) => !['call-initiated', 'call-ringing'].includes(m.topic));
    while (ends().length < 3) await out.until(out.count('events') + 1, 'events');
    const bySid = new Map(out.got.ok!.map((m) => [m.callSid as string, m.payload.to as string]));
    assert.deepEqual(
      ends()
        .map((m) => [bySid.get(m.callSid), m.topic])
        .sort(),
      cases.map(([number, , topic]) => [number, topic]).sort(),
    );
    // Nobody joined anything.
    assert.equal(
      out.got.events!.some((m) => m.topic === 'participant-join'),
      false,
    );
  });

  it('hangs up a doorbell call nobody answered in time: canceled, and the events node says so', async () => {
    emulator.numbers.set(FRANK, { afterMs: 3_600_000 });
    const out = await deployCalls(emulator, server.url, {
      extra: [
        {
          id: 'ender',
          type: 'signalwire-call',
          z: 'tab',
          signalwire: 'cfg',
          action: 'hangup',
          wires: [['hung'], ['hung']],
        },
        { id: 'hung', type: 'helper', z: 'tab', wires: [] },
      ],
    });
    const hung = new Recorder(['hung']);
    input('n1', { to: FRANK, conference: 'Front door' });
    await out.until(1, 'ok');
    const callSid = out.got.ok![0]!.callSid as string;
    await out.until(2, 'events'); // initiated, ringing
    input('ender', { callSid });
    await hung.until(1, 'hung');
    const msg = hung.got.hung![0]!;
    assert.equal(msg.error, undefined, JSON.stringify(msg.error));
    assert.deepEqual([msg.callSid, msg.payload.status], [callSid, 'canceled']);
    assert.deepEqual(statusesOf('ender').at(-1), { fill: 'green', shape: 'dot', text: 'hung up' });
    await out.until(3, 'events');
    assert.equal(out.got.events![2]!.topic, 'call-canceled');
    assert.equal(callOf(callSid).status, 'canceled');
    // Once ended, hanging up again is an error saying so, not a silent success.
    input('ender', { callSid });
    await hung.until(2, 'hung');
    assert.equal(hung.got.hung![1]!.statusCode, 422);
  });

  it('hangs up a call in the room: completed, and the person leaves it', async () => {
    const out = await deployCalls(emulator, server.url, {
      node: { action: 'hangup' },
      extra: [
        {
          id: 'caller',
          type: 'signalwire-call',
          z: 'tab',
          signalwire: 'cfg',
          from: OFFICE,
          fromType: 'str',
          wires: [['placed'], ['placed']],
        },
        { id: 'placed', type: 'helper', z: 'tab', wires: [] },
      ],
    });
    const placed = new Recorder(['placed']);
    input('caller', { to: FRANK, conference: 'Front door' });
    await placed.until(1, 'placed');
    await out.until(5, 'events'); // ... participant-join, conference-start
    input('n1', { callSid: placed.got.placed![0]!.callSid });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.got.ok?.[0]?.payload.status, 'completed', JSON.stringify(out.got.bad?.[0]?.error));
    await out.until(8, 'events');
    assert.deepEqual(topics(out.got.events!).slice(5), ['participant-leave', 'conference-end', 'call-completed']);
  });

  it('takes From from SIGNALWIRE_FROM_NUMBER when the form and the message give none', async () => {
    process.env.SIGNALWIRE_FROM_NUMBER = OFFICE;
    const out = await deployCalls(emulator, server.url, { node: { from: 'from', fromType: 'msg' } });
    input('n1', { to: FRANK, conference: 'Front door' });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.got.ok?.[0]?.payload.from, OFFICE, JSON.stringify(out.got.bad?.[0]?.error));
    delete process.env.SIGNALWIRE_FROM_NUMBER;
    input('n1', { to: FRANK, conference: 'Front door' });
    await out.until(2, 'ok', 'bad');
    assert.match(out.got.bad![0]!.error.message, /^From is missing: msg\.from is not set and SIGNALWIRE_FROM_NUMBER/);
    // A number the project does not own is refused by SignalWire, and said so.
    input('n1', { to: FRANK, conference: 'Front door', from: '+15559999999' });
    await out.until(3, 'ok', 'bad');
    assert.equal(out.got.bad![1]!.statusCode, 422);
    assert.equal(emulator.callRecords.all().length, 1);
  });

  it('checks what a message carries before anything is sent', async () => {
    const out = await deployCalls(emulator, server.url);
    const bad: Msg[] = [
      { conference: 'Front door' },
      { to: 'not a number', conference: 'Front door' },
      { to: FRANK },
      { to: FRANK, conference: ' padded ' },
      { to: FRANK, conference: 'x'.repeat(65) },
      { to: FRANK, conference: 'Front door', timeout: 0 },
      { to: FRANK, conference: 'Front door', payload: { beep: 'loud' } },
      { to: FRANK, conference: 'Front door', payload: { muted: 'yes' } },
      { to: FRANK, conference: 'Front door', payload: { waitUrl: 'ftp://music' } },
      { to: FRANK, conference: 'Front\u0000door' },
    ];
    for (const msg of bad) input('n1', msg);
    await out.until(bad.length, 'ok', 'bad');
    await settle();
    assert.equal(out.count('ok'), 0);
    assert.equal(out.count('bad'), bad.length);
    for (const failed of out.got.bad!) assert.equal(failed.error.source, 'validation', failed.error.message);
    assert.equal(emulator.stats.requests, 0, 'nothing reached SignalWire');
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'invalid input' });
  });

  it('whatever a message carries: one outcome, and a call only with values its join URL gives back exactly', async () => {
    const out = await deployCalls(emulator, server.url, { config: { callsPerSecond: 100 } });
    /** Mostly values that work, so both outcomes come up often. */
    const likely = (good: fc.Arbitrary<unknown>, weight = 6) =>
      fc.oneof({ arbitrary: good, weight }, { arbitrary: fc.anything({ maxDepth: 1 }), weight: 1 });
    const room = likely(
      fc.oneof(
        fc.constantFrom('Front door', 'Tom & Jerry', '<b>', 'Café "Zürich"', ' x', 'x'.repeat(64), 'x'.repeat(65)),
        fc.string({ maxLength: 70 }),
      ),
    );
    const option = (values: unknown[]) => fc.option(likely(fc.constantFrom(...values), 8), { freq: 2 });
    const message = fc.record({
      to: likely(fc.constantFrom(FRANK, GRACE, 'sip:frank@example.com', '+1', 'frank'), 12),
      conference: room,
      payload: fc.record({
        muted: option([true, false, 'true']),
        beep: option(['onEnter', 'onExit', false, 'loud']),
        waitUrl: option(['', 'https://example.com/wait.mp3', 'https://example.com/a b', 'javascript:x']),
      }),
    });
    let placed = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(message, async (msg) => {
        // The node replaces msg.payload with the call: what was sent is read from a copy.
        const sent = { conference: msg.conference, payload: { ...msg.payload } as Record<string, unknown> };
        const [oks, bads] = [out.count('ok'), out.count('bad')];
        const calls = emulator.callRecords.all().length;
        input('n1', msg as Msg);
        await out.until(oks + bads + 1, 'ok', 'bad');
        await settle();
        assert.equal(out.count('ok', 'bad'), oks + bads + 1, 'one outcome');
        if (out.count('ok') > oks) {
          placed++;
          const call = emulated(out.got.ok!.at(-1)!.callSid);
          // The room and options SignalWire will be told, read back from the URL it signs.
          const query = new URL(call.url!).searchParams;
          assert.equal(query.get('room'), sent.conference);
          for (const name of ['muted', 'beep', 'waitUrl'] as const) {
            const given = sent.payload[name];
            if (given === undefined || given === null) assert.equal(query.has(name), false, name);
            // A URL is sent as a URI (`a b` → `a%20b`), other values as written.
            else if (name === 'waitUrl' && given !== '') assert.equal(query.get(name), toHttpUri(String(given)), name);
            else assert.equal(query.get(name), String(given), name);
          }
        } else {
          refused++;
          assert.equal(out.got.bad!.at(-1)!.error.source, 'validation', out.got.bad!.at(-1)!.error.message);
          assert.equal(emulator.callRecords.all().length, calls, 'nothing placed');
        }
      }),
      { numRuns: 80 },
    );
    assert.ok(placed > 5 && refused > 5, `placed ${placed}, refused ${refused}`);
  });

  it('never shows the token or the Signing Key in a message, a status, a log line or an answer', async () => {
    const out = await deployCalls(emulator, server.url);
    input('n1', { to: FRANK, conference: 'Front door' });
    input('n1', { to: 'nope', conference: 'Front door' });
    await out.until(2, 'ok', 'bad');
    await out.until(4, 'events');
    const forged = await fetch(`${server.url}/signalwire/join?room=x`, {
      method: 'POST',
      headers: { 'X-SignalWire-Signature': 'AAAA', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'CallSid=x',
    });
    const seen = [await forged.text()];
    for (const id of ['n1', 'ev', 'cfg']) {
      const node = helper.getNode(id) as unknown as Record<string, { getCalls?: () => Array<{ args: unknown[] }> }>;
      for (const method of ['status', 'error', 'warn', 'log', 'send']) {
        for (const call of node[method]?.getCalls?.() ?? []) seen.push(inspect(call.args, { depth: 8 }));
      }
    }
    for (const id of ['ok', 'bad', 'events']) for (const msg of out.got[id]!) seen.push(inspect(msg, { depth: 8 }));
    seen.push(
      inspect(
        helper
          .log()
          .getCalls()
          .map((c) => c.args),
        { depth: 6 },
      ),
    );
    const leaks = seen.filter((text) => text.includes(KEY) || text.includes(TOKEN));
    assert.deepEqual(leaks, []);
  });

  describe('deploy: nothing is sent that could not work', () => {
    it('without a Public URL anywhere: red status, a log line, and every message refused unsent', async () => {
      const saved = process.env.SIGNALWIRE_PUBLIC_URL;
      delete process.env.SIGNALWIRE_PUBLIC_URL;
      try {
        const out = await deployCalls(emulator, '');
        assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'no Public URL' });
        assert.match(said('n1', 'error').join('\n'), /^No Public URL: set it on the SignalWire connection/);
        input('n1', { to: FRANK, conference: 'Front door' });
        await out.until(1, 'bad');
        assert.match(out.got.bad![0]!.error.message, /^No Public URL/);
        assert.equal(emulator.stats.requests, 0);
      } finally {
        if (saved !== undefined) process.env.SIGNALWIRE_PUBLIC_URL = saved;
      }
    });

    it("with Node-RED's node server off (httpNodeRoot: false): red status, a log line, every message refused unsent", async () => {
      helper.settings({ httpNodeRoot: false });
      // Reporting to an events node or to none: either way nobody could fetch how to join the room.
      for (const options of [{}, { node: { events: 'none' }, events: null }] as const) {
        const out = await deployCalls(emulator, server.url, options);
        assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'HTTP disabled' });
        assert.match(said('n1', 'error').join('\n'), /node HTTP server is off \(httpNodeRoot is false\)/);
        input('n1', { to: FRANK, conference: 'Front door' });
        await out.until(1, 'bad');
        assert.match(out.got.bad![0]!.error.message, /httpNodeRoot is false/);
        await helper.unload();
      }
      assert.equal(emulator.stats.requests, 0);
    });

    it('takes SIGNALWIRE_PUBLIC_URL when the connection has none', async () => {
      process.env.SIGNALWIRE_PUBLIC_URL = server.url;
      try {
        const out = await deployCalls(emulator, '');
        input('n1', { to: FRANK, conference: 'Front door' });
        await out.until(4, 'events');
        assert.equal(out.got.events![3]!.topic, 'participant-join');
      } finally {
        delete process.env.SIGNALWIRE_PUBLIC_URL;
      }
    });

    it('without a Signing Key, or an events node to report to, or with two to choose from', async () => {
      const cases: Array<[Parameters<typeof deployCalls>[2], string, RegExp]> = [
        [{ signingKey: null }, 'no signing key', /^No Signing Key/],
        [{ events: null }, 'no events node', /^No conference events node is deployed/],
        [
          {
            extra: [
              {
                id: 'ev2',
                type: 'signalwire-conference-events',
                z: 'tab',
                signalwire: 'cfg',
                path: '/other',
                wires: [[]],
              },
            ],
          },
          'which events node?',
          /^2 conference events nodes are deployed/,
        ],
      ];
      const savedKey = process.env.SIGNALWIRE_SIGNING_KEY;
      delete process.env.SIGNALWIRE_SIGNING_KEY;
      try {
        for (const [options, status, log] of cases) {
          const out = await deployCalls(emulator, server.url, options);
          assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: status });
          assert.match(said('n1', 'error').join('\n'), log);
          input('n1', { to: FRANK, conference: 'Front door' });
          await out.until(1, 'bad');
          assert.match(out.got.bad![0]!.error.message, log);
          await helper.unload();
        }
      } finally {
        if (savedKey !== undefined) process.env.SIGNALWIRE_SIGNING_KEY = savedKey;
      }
      assert.equal(emulator.stats.requests, 0);
    });

    it('with Events set to none, places the call with no status callback, and the room reports nowhere', async () => {
      const out = await deployCalls(emulator, server.url, { node: { events: 'none' }, events: null });
      input('n1', { to: FRANK, conference: 'Front door' });
      await out.until(1, 'ok', 'bad');
      const sid = out.got.ok![0]!.callSid as string;
      await emulator.phoneCalls.whenStatus(sid, 'in-progress');
      while (!emulated(sid).conference) await new Promise((resolve) => setTimeout(resolve, 20));
      const call = emulated(sid);
      assert.equal(call.status_callback, null);
      assert.equal('statusCallback' in call.conference!.attributes, false);
      assert.equal(call.url, `${server.url}/signalwire/join?room=Front+door`);
    });

    it('reports to the events node chosen, at its own Public URL when it has one', async () => {
      const own = `${server.url}/hooks/chosen`;
      const out = await deployCalls(emulator, server.url, {
        node: { events: 'ev2' },
        extra: [
          {
            id: 'ev2',
            type: 'signalwire-conference-events',
            z: 'tab',
            signalwire: 'cfg',
            path: '/hooks/chosen',
            publicUrl: own,
            wires: [['events']],
          },
        ],
        events: { path: '/not/this/one' },
      });
      input('n1', { to: FRANK, conference: 'Front door' });
      await out.until(4, 'events');
      const sid = out.got.ok![0]!.callSid as string;
      assert.equal(emulated(sid).status_callback, own);
      assert.deepEqual(
        statusesOf('ev').filter((s) => s.shape === 'dot'),
        [],
        'the other events node heard nothing',
      );
    });
  });

  it('joins a room served under httpNodeRoot, and in the default layout where the editor reads bodies first', async () => {
    for (const [root, editorFirst] of [
      ['/red', false],
      ['', true],
    ] as const) {
      const layout = await new NodeHttpServer(root, { editorFirst }).listen();
      try {
        helper.settings(root ? { httpNodeRoot: `${root}/` } : {});
        const base = layout.url.slice(0, layout.url.length - root.length);
        const out = await deployCalls(emulator, base);
        // A room of its own: the first one into a room decides where its events go.
        input('n1', { to: FRANK, conference: `Room at ${root || '/'}` });
        await out.until(4, 'events');
        const sid = out.got.ok![0]!.callSid as string;
        assert.ok(emulated(sid).url!.startsWith(`${base}${root}/signalwire/join?`), emulated(sid).url!);
        assert.equal(out.got.events![3]!.topic, 'participant-join', root);
        await helper.unload();
      } finally {
        await layout.close();
      }
    }
  });

  it('is what the flow configures for a single call, whatever flow it sits in (a hand-written flow too)', async () => {
    // A node saved before its fields existed: the defaults read msg.to, msg.conference, 30 seconds.
    const flow = callFlow(emulator, server.url).map((n) =>
      n.id === 'n1' ? { id: 'n1', type: 'signalwire-call', z: 'tab', signalwire: 'cfg', wires: [['ok'], ['bad']] } : n,
    );
    process.env.SIGNALWIRE_FROM_NUMBER = OFFICE;
    await helper.load(signalwireNodes, flow, callCredentials(emulator));
    const out = new Recorder(['ok', 'bad']);
    input('n1', { to: FRANK, conference: 'Front door' });
    await out.until(1, 'ok', 'bad');
    assert.equal(out.count('ok'), 1, JSON.stringify(out.got.bad?.[0]?.error));
    assert.equal(emulated(out.got.ok![0]!.callSid).timeout, 30);
    await helper.unload();
    // An action it does not know is said, not guessed.
    await helper.load(
      signalwireNodes,
      flow.map((n) => (n.id === 'n1' ? { ...n, action: 'dial' } : n)),
      callCredentials(emulator),
    );
    const unknown = new Recorder(['ok', 'bad']);
    input('n1', { to: FRANK, conference: 'Front door' });
    await unknown.until(1, 'ok', 'bad');
    assert.match(unknown.got.bad![0]!.error.message, /^Choose an action in the node's settings \(got dial\)/);
    assert.equal(emulator.callRecords.all().length, 1);
  });
});
