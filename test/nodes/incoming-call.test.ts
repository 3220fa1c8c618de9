/**
 * The incoming call and answer call nodes against the emulator over real HTTP: a call comes in to the office
 * number (the control API), the emulator fetches the number's voice URL, signed, from the incoming call node, and
 * runs the cXML the answer call node gave.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { coreNode, helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { callIn, FRANK, OFFICE, setVoiceUrl, settled } from './incoming-kit';
import { captureNodeApp, NodeHttpServer, postForm, type Fields } from './events-kit';
import { input, Recorder, settle, statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_incoming-call-key-5c2e';
const PATH = '/signalwire/incoming-call';

function said(method: 'warn' | 'error', id: string): string[] {
  const node = helper.getNode(id) as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>;
  return node[method]!.getCalls().map((call) => String(call.args[0]));
}

/** An answer call node joining "Team room", with `settings` over that. */
function answerNode(settings: Record<string, unknown>): FlowNode {
  return {
    id: 'ans',
    type: 'signalwire-answer',
    z: 'tab',
    action: 'join',
    actionType: 'answerAction',
    conference: 'Team room',
    conferenceType: 'str',
    ...settings,
  };
}

/** Where the test serves Node-RED's node routes: the connection's Public URL. */
let base = '';

/**
 * cfg (Public URL: the test's server); `in` (incoming call) → `calls` and, unless `answer` is null, → `ans`
 * (answer call) → `answered` / `failed`; `ev` (conference events) → `heard`.
 */
function callFlow(
  incoming: Record<string, unknown> = {},
  answer: Record<string, unknown> | null = {},
  extra: FlowNode[] = [],
): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9', publicUrl: base },
    { id: 'ev', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', wires: [['heard']] },
    { id: 'heard', type: 'helper', z: 'tab', wires: [] },
    {
      id: 'in',
      type: 'signalwire-incoming-call',
      z: 'tab',
      signalwire: 'cfg',
      path: PATH,
      ...incoming,
      // The answer call node second: it gets the copy Node-RED makes for a second wire.
      wires: [answer ? ['calls', 'ans'] : ['calls']],
    },
    { id: 'calls', type: 'helper', z: 'tab', wires: [] },
    ...(answer ? [answerNode({ ...answer, wires: [['answered'], ['failed']] })] : []),
    { id: 'answered', type: 'helper', z: 'tab', wires: [] },
    { id: 'failed', type: 'helper', z: 'tab', wires: [] },
    ...extra,
  ];
}

describe('incoming call and answer call nodes', function () {
  let emulator: Emulator;
  let server: NodeHttpServer;
  let voiceUrl: string;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    base = server.url;
    voiceUrl = `${server.url}${PATH}`;
    emulator = await startEmulator({ seed: null, signingKey: KEY });
  });
  after(async () => {
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(async () => {
    emulator.reset();
    await setVoiceUrl(emulator, voiceUrl);
  });
  afterEach(() => helper.unload());

  async function deploy(...flow: Parameters<typeof callFlow>): Promise<Recorder> {
    await helper.load([...signalwireNodes, coreNode('common/25-catch.js'), captureNodeApp], callFlow(...flow), {
      cfg: { signingKey: KEY },
    });
    return new Recorder(['calls', 'answered', 'failed', 'heard']);
  }

  it('passes one message per call and joins the caller to the room the answer call node names', async () => {
    const out = await deploy({}, { muted: 'true', mutedType: 'bool', beep: 'onEnter', beepType: 'beep' });
    assert.deepEqual(statusesOf('in').at(-1), { fill: 'green', shape: 'ring', text: 'listening' });
    const sid = await callIn(emulator);
    const call = await settled(emulator, sid);
    assert.equal(call.conference?.friendly_name, 'Team room');
    const { muted, beep } = call.conference!.attributes;
    assert.deepEqual({ muted, beep }, { muted: 'true', beep: 'onEnter' });
    assert.equal(call.status, 'in-progress');
    await out.until(1, 'answered');
    await settle();
    assert.equal(out.count('calls'), 1);
    const msg = out.got.calls![0]!;
    assert.deepEqual(
      { ...msg.payload, params: undefined },
      { from: FRANK, to: OFFICE, callSid: sid, callStatus: 'ringing', params: undefined },
    );
    assert.equal(msg.payload.params.Direction, 'inbound');
    assert.equal(msg.callSid, sid);
    assert.deepEqual(Object.keys(msg.answerTo).sort(), ['node', 'request']);
    assert.equal(out.got.answered![0]!.answer.room, 'Team room');
    assert.deepEqual(statusesOf('in').at(-1), { fill: 'green', shape: 'dot', text: 'answered (1)' });
    assert.deepEqual(statusesOf('ans').at(-1), { fill: 'green', shape: 'dot', text: 'joined' });
  });

  it("reports the room's events to the conference events node, signed and checked like any", async () => {
    const out = await deploy({}, {});
    const sid = await callIn(emulator);
    const call = await settled(emulator, sid);
    assert.equal(
      call.conference?.attributes.statusCallback,
      `${base}/signalwire/conference-events`,
      "the events node's public URL",
    );
    assert.equal(call.conference?.attributes.statusCallbackEvent, 'start end join leave mute hold speaker');
    await out.until(2, 'heard');
    assert.deepEqual(
      out.got.heard!.map((m) => [m.topic, m.payload.friendlyName]),
      [
        ['participant-join', 'Team room'],
        ['conference-start', 'Team room'],
      ],
    );
    assert.equal(out.got.heard![0]!.callSid, sid);
  });

  it('joins without reporting anywhere when Events is none; with no events node to report to, it is an error', async () => {
    await deploy({}, { events: 'none' });
    const quiet = await settled(emulator, await callIn(emulator));
    assert.equal(quiet.conference?.attributes.statusCallback, undefined);
    await helper.unload();
    const flow = callFlow({}, {}).filter((n) => n.type !== 'signalwire-conference-events');
    await helper.load([...signalwireNodes, captureNodeApp], flow, { cfg: { signingKey: KEY } });
    const out = new Recorder(['failed']);
    const call = await settled(emulator, await callIn(emulator));
    assert.equal(call.status, 'no-answer', 'the caller got the fallback');
    await out.until(1, 'failed');
    assert.equal(
      out.got.failed![0]!.error.message,
      'No conference events node is deployed to report to: add one, or set Events to none. ' +
        "The caller got the incoming call node's fallback (rejected).",
    );
  });

  it('carries no key and nothing a Debug node cannot show: the message is plain JSON', async () => {
    const out = await deploy({}, null);
    await callIn(emulator);
    await out.until(1, 'calls');
    const msg = out.got.calls![0]!;
    const json = JSON.stringify(msg);
    assert.ok(!json.includes(KEY));
    assert.deepEqual(JSON.parse(json).answerTo, msg.answerTo);
  });

  it('never shows the Signing Key: not in a message, a status, a log line, an error or an answer', async () => {
    const out = await deploy({ answerWithin: '0.5' }, null, [
      answerNode({ id: 'ans', wires: [['answered'], ['failed']] }),
    ]);
    const seen: string[] = [];
    // A forged request, a call answered too late (after the fallback), a call with no answer message at all.
    seen.push((await postForm(voiceUrl, [['CallSid', 'x']], { key: 'PSK_forger' })).text);
    await settled(emulator, await callIn(emulator));
    await out.until(1, 'calls');
    input('ans', out.got.calls![0]!);
    input('ans', { payload: 'no call' });
    await out.until(2, 'failed');
    await settle();
    for (const id of ['in', 'ans']) {
      const node = helper.getNode(id) as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>;
      for (const method of ['status', 'error', 'warn', 'log', 'send'] as const) {
        for (const call of node[method]!.getCalls())
          seen.push(inspect(call.args, { depth: 8 }), JSON.stringify(call.args));
      }
    }
    for (const list of Object.values(out.got)) for (const msg of list) seen.push(inspect(msg, { depth: 8 }));
    seen.push(...emulator.log.entries.map((e) => JSON.stringify(e)));
    assert.ok(seen.length > 10);
    assert.deepEqual(
      seen.filter((text) => text.includes(KEY)),
      [],
    );
  });

  it('refuses a request that is not signed with the Signing Key: 403, no message, and the call fails', async () => {
    const out = await deploy({}, null);
    const unsigned = await postForm(voiceUrl, [['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66']]);
    assert.equal(unsigned.status, 403);
    const wrongKey = await postForm(voiceUrl, [['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66']], {
      key: 'PSK_someone-else',
    });
    assert.equal(wrongKey.status, 403);
    assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'bad signature ×2' });
    // The emulator signing with another key is refused the same way: the caller gets no room.
    const other = await startEmulator({ seed: null, signingKey: 'PSK_another-project' });
    try {
      await setVoiceUrl(other, voiceUrl);
      const call = await settled(other, await callIn(other));
      assert.equal(call.status, 'failed');
      assert.match(call.problems[0]!, /answered HTTP 403/);
    } finally {
      await other.close();
    }
    await settle();
    assert.equal(out.count('calls'), 0);
  });

  it('refuses a signed request that is not a call (400), and says which fields it lacks', async () => {
    const out = await deploy({}, null);
    const res = await postForm(voiceUrl, [['From', FRANK]], { key: KEY });
    assert.deepEqual(res, { status: 400, text: 'Not a call, missing: CallSid, To' });
    assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'not a call ×1' });
    await settle();
    assert.equal(out.count('calls'), 0);
  });

  describe('a repeat of the same signed request (SignalWire retrying)', () => {
    const fields: Fields = [
      ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
      ['ApiVersion', '2010-04-01'],
      ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66'],
      ['CallStatus', 'ringing'],
      ['Direction', 'inbound'],
      ['From', FRANK],
      ['To', OFFICE],
    ];

    it('gets the same cXML, and the flow runs once: a repeat while the flow decides, and one after', async () => {
      // The answer call node is not wired: the test hands it the message once a repeat is waiting.
      const out = await deploy({}, null, [answerNode({ id: 'ans', wires: [['answered'], ['failed']] })]);
      const first = postForm(voiceUrl, fields, { key: KEY });
      await out.until(1, 'calls');
      assert.deepEqual(statusesOf('in').at(-1), { fill: 'blue', shape: 'dot', text: 'ringing (1)' });
      const during = postForm(voiceUrl, fields, { key: KEY });
      await settle();
      input('ans', out.got.calls![0]!);
      const answers = [await first, await during, await postForm(voiceUrl, fields, { key: KEY })];
      assert.equal(answers[0]!.status, 200);
      assert.match(answers[0]!.text, /<Conference [^>]+>Team room<\/Conference>/);
      for (const answer of answers) assert.deepEqual(answer, answers[0]);
      await settle();
      assert.equal(out.count('calls'), 1);
    });
  });

  describe('when the flow does not answer in time', () => {
    it('answers with the fallback, says so in its status and the log; a late answer is an error', async () => {
      const out = await deploy({ answerWithin: '0.5' }, null, [
        answerNode({ id: 'ans', wires: [['answered'], ['failed']] }),
      ]);
      const call = await settled(emulator, await callIn(emulator));
      // Rejected: SignalWire ends such a call as no-answer.
      assert.equal(call.status, 'no-answer');
      assert.equal(call.conference, null);
      // Never answered: no start time, no minutes.
      assert.deepEqual([call.start_time, call.duration], [null, 0]);
      assert.deepEqual(statusesOf('in').at(-1), { fill: 'yellow', shape: 'dot', text: 'fallback: rejected' });
      assert.deepEqual(said('warn', 'in'), [
        `No answer within 0.5 s to the call from ${FRANK}: the fallback answered it (rejected).`,
      ]);
      await out.until(1, 'calls');
      input('ans', out.got.calls![0]!);
      await out.until(1, 'failed');
      const error = out.got.failed![0]!.error;
      assert.equal(error.code, 'ERR_ANSWER_TOO_LATE');
      assert.equal(
        error.message,
        'Too late: the call had no answer within 0.5 s, so the incoming call node answered it with its fallback ' +
          '(rejected). Answer sooner, or give it more time (its Answer in).',
      );
      assert.deepEqual(statusesOf('ans').at(-1), { fill: 'red', shape: 'ring', text: 'too late' });
      assert.equal(out.count('answered'), 0);
      assert.equal(emulator.callRecords.get(call.sid)!.status, 'no-answer', 'the late answer changed nothing');
    });

    for (const [fallback, status, heard] of [
      ['busy', 'busy', []],
      ['hangup', 'completed', []],
      ['say', 'completed', [{ verb: 'Say', text: 'Nobody is "home" <now> & later' }]],
    ] as const) {
      it(`answers with the fallback it is given: ${fallback}`, async () => {
        await deploy({ answerWithin: '0.5', fallback, fallbackText: 'Nobody is "home" <now> & later' }, null);
        const call = await settled(emulator, await callIn(emulator));
        assert.equal(call.status, status);
        assert.deepEqual(call.heard, heard);
        const words = { busy: 'busy', hangup: 'hung up', say: 'message' }[fallback];
        assert.deepEqual(statusesOf('in').at(-1), { fill: 'yellow', shape: 'dot', text: `fallback: ${words}` });
      });
    }
  });

  describe('answers that cannot be given', () => {
    it('refuses a room name XML cannot carry, on the answer call node, and the caller gets the fallback at once', async () => {
      // A room from a hand-written flow (the editor would not take it): a bell character in it.
      const out = await deploy(
        { answerWithin: '10' },
        { conference: 'Hall\u0007way', conferenceType: 'str', reportToCatch: true },
        [
          { id: 'catch-ans', type: 'catch', z: 'tab', scope: ['ans'], uncaught: false, wires: [['caught']] },
          { id: 'caught', type: 'helper', z: 'tab', wires: [] },
        ],
      );
      const caught = new Recorder(['caught']);
      const call = await settled(emulator, await callIn(emulator));
      assert.equal(call.status, 'no-answer');
      await out.until(1, 'failed');
      const error = out.got.failed![0]!.error;
      assert.equal(error.source, 'validation');
      assert.match(error.message, /^room cannot hold the character U\+0007\. /);
      assert.match(error.message, /The caller got the incoming call node's fallback \(rejected\)\.$/);
      await caught.until(1, 'caught');
      assert.deepEqual(statusesOf('ans').at(-1), { fill: 'red', shape: 'ring', text: 'invalid answer' });
      // The flow said it could not answer: no waiting for Answer in.
      assert.deepEqual(said('warn', 'in'), [
        `The flow could not answer the call from ${FRANK}: the fallback answered it (rejected).`,
      ]);
    });

    it('refuses a sound URL that is not http(s), and with output 2 not wired the error goes to Catch', async () => {
      const play = { action: 'play', actionType: 'answerAction', playUrl: 'ftp://x/a.mp3', playUrlType: 'str' };
      const flow = callFlow({}, play, [
        { id: 'catch-ans', type: 'catch', z: 'tab', scope: ['ans'], uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper', z: 'tab', wires: [] },
      ]).map((n) => (n.id === 'ans' ? { ...n, wires: [['answered'], []] } : n));
      await helper.load([...signalwireNodes, coreNode('common/25-catch.js'), captureNodeApp], flow, {
        cfg: { signingKey: KEY },
      });
      const caught = new Recorder(['caught', 'failed']);
      const call = await settled(emulator, await callIn(emulator));
      assert.equal(call.status, 'no-answer', 'the caller got the fallback');
      await caught.until(1, 'caught');
      assert.match(caught.got.caught![0]!.error.message, /url must be an absolute http or https URL \(got "ftp:/);
      assert.equal(caught.count('failed'), 0);
    });

    it('takes only the first answer to a call: a second is an error and changes nothing', async () => {
      const out = await deploy({}, null, [answerNode({ id: 'ans', wires: [['answered'], ['failed']] })]);
      const sid = await callIn(emulator);
      await out.until(1, 'calls');
      const msg = out.got.calls![0]!;
      input('ans', msg);
      await out.until(1, 'answered');
      input('ans', { ...msg, _msgid: 'again' });
      await out.until(1, 'failed');
      assert.equal(out.got.failed![0]!.error.code, 'ERR_ALREADY_ANSWERED');
      assert.equal((await settled(emulator, sid)).conference?.friendly_name, 'Team room');
    });

    it('says a message that did not come from an incoming call node has no call to answer', async () => {
      const out = await deploy({}, null, [answerNode({ id: 'ans', wires: [['answered'], ['failed']] })]);
      input('ans', { payload: { from: FRANK } });
      await out.until(1, 'failed');
      assert.match(
        out.got.failed![0]!.error.message,
        /^This message is not an incoming call: msg\.answerTo is missing/,
      );
      assert.equal(out.got.failed![0]!.error.code, 'ERR_NO_CALL');
      assert.deepEqual(statusesOf('ans').at(-1), { fill: 'red', shape: 'ring', text: 'no call' });
    });

    it('on a redeploy, answers the calls still waiting with the fallback and logs it; their answers then fail', async () => {
      const out = await deploy({ answerWithin: '10' }, null);
      const sid = await callIn(emulator);
      await out.until(1, 'calls');
      const msg = out.got.calls![0]!;
      // The helper stops recording a node's log when it unloads the flow: this records it past that.
      const warned: string[] = [];
      Object.assign(helper.getNode('in'), { warn: (text: unknown) => warned.push(String(text)) });
      await helper.unload();
      assert.equal((await settled(emulator, sid)).status, 'no-answer');
      assert.deepEqual(warned, [
        `Stopped (redeployed) before the call from ${FRANK} was answered: the fallback answered it (rejected).`,
      ]);
      const again = await deploy({ answerWithin: '10' }, null, [
        answerNode({ id: 'ans', wires: [['answered'], ['failed']] }),
      ]);
      input('ans', msg);
      await again.until(1, 'failed');
      assert.equal(again.got.failed![0]!.error.code, 'ERR_NO_SUCH_CALL');
    });
  });

  describe('settings', () => {
    it('refuses every call while no Signing Key is set, and says so', async () => {
      await helper.load([...signalwireNodes, captureNodeApp], callFlow({}, null), {});
      assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'no signing key' });
      assert.match(said('error', 'in')[0]!, /^No Signing Key: set it in the SignalWire connection/);
      const call = await settled(emulator, await callIn(emulator));
      assert.equal(call.status, 'failed');
      assert.match(call.problems[0]!, /answered HTTP 403/);
    });

    const proxied: Fields = [
      ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66'],
      ['From', FRANK],
      ['To', OFFICE],
    ];

    it('checks the signature against its own Public URL, the one SignalWire calls behind a proxy', async () => {
      const publicUrl = 'https://door.example.com/hooks/call';
      const out = await deploy({ publicUrl }, {});
      assert.equal((await postForm(voiceUrl, proxied, { key: KEY })).status, 403);
      assert.equal((await postForm(voiceUrl, proxied, { key: KEY, signedUrl: publicUrl })).status, 200);
      assert.equal(out.count('calls'), 1);
    });

    it("else against its connection's Public URL with its path", async () => {
      const flow = callFlow({}, {}).map((n) => (n.id === 'cfg' ? { ...n, publicUrl: 'https://home.example.com' } : n));
      await helper.load([...signalwireNodes, captureNodeApp], flow, { cfg: { signingKey: KEY } });
      const out = new Recorder(['calls']);
      assert.equal((await postForm(voiceUrl, proxied, { key: KEY })).status, 403);
      const signedUrl = `https://home.example.com${PATH}`;
      assert.equal((await postForm(voiceUrl, proxied, { key: KEY, signedUrl })).status, 200);
      assert.equal(out.count('calls'), 1);
    });

    it("on Node-RED's default layout (the editor's parsers read the body first): signed calls in, repeats the same, forged 403", async () => {
      const shared = await new NodeHttpServer('', { editorFirst: true }).listen();
      try {
        const at = `${shared.url}${PATH}`;
        // The address SignalWire calls, and so signs, is this server's.
        const out = await deploy({ publicUrl: at }, {});
        await setVoiceUrl(emulator, at);
        const call = await settled(emulator, await callIn(emulator));
        assert.equal(call.conference?.friendly_name, 'Team room');
        const fields: Fields = [
          ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d77'],
          ['From', FRANK],
          ['To', OFFICE],
        ];
        const first = await postForm(at, fields, { key: KEY });
        assert.equal(first.status, 200);
        assert.deepEqual(await postForm(at, fields, { key: KEY }), first);
        assert.equal((await postForm(at, fields, { key: 'PSK_someone-else' })).status, 403);
        await settle();
        assert.equal(out.count('calls'), 2);
        assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'bad signature ×1' });
      } finally {
        await shared.close();
      }
    });

    it('takes calls fetched with GET as well', async () => {
      await deploy({}, {});
      await setVoiceUrl(emulator, voiceUrl, 'GET');
      const call = await settled(emulator, await callIn(emulator));
      assert.equal(call.conference?.friendly_name, 'Team room');
    });

    it('shows settings that cannot work, names each, and serves nothing', async () => {
      await deploy({ path: '/a/:b', answerWithin: '60', fallback: 'say', fallbackText: '' }, null);
      assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'check settings' });
      assert.deepEqual(said('error', 'in'), [
        'The path /a/:b cannot be served: use plain segments such as /signalwire/incoming-call.',
        'Answer in 60 is not a number of seconds from 0.5 to 10.',
        'The fallback message cannot be said: text must be a non-empty text (got "")',
      ]);
    });

    it('refuses a Public URL holding a password at deploy, and never logs the password', async () => {
      await deploy({ publicUrl: 'https://ops:hunter2-secret@door.example.com/hooks/call' }, null);
      assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'check settings' });
      assert.deepEqual(said('error', 'in'), [
        'The public URL https://…@door.example.com/hooks/call is not an http:// or https:// URL without a query or a password.',
      ]);
      assert.equal((await postForm(voiceUrl, proxied, { key: KEY })).status, 404);
    });

    it("cannot take the join route's path while a call into conference node serves it", async () => {
      await deploy({ path: '/signalwire/join' }, null, [
        { id: 'caller', type: 'signalwire-call', z: 'tab', signalwire: 'cfg', wires: [[], []] },
      ]);
      assert.deepEqual(statusesOf('in').at(-1), { fill: 'red', shape: 'ring', text: 'path in use' });
    });

    it('shares one claim on paths with the conference events node: the same path is an error on both', async () => {
      await deploy({}, null, [
        { id: 'ev', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', path: PATH, wires: [[]] },
      ]);
      for (const id of ['in', 'ev']) {
        assert.deepEqual(statusesOf(id).at(-1), { fill: 'red', shape: 'ring', text: 'path in use' }, id);
      }
    });
  });
});
