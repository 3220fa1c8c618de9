/**
 * What a caller gets from the answer call node, through the incoming call node and the emulator over real HTTP:
 * each kind of answer, values written into cXML exactly as given (fuzzed), and what cannot be written refused.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startEmulator, type Emulator, type EmulatedCall } from '../../src/emulator/index';
import { MAX_ROOM_NAME } from '../../src/lib/cxml/call-answer';
import { unwritableCharacter } from '../../src/lib/cxml/xml-text';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { callIn, FRANK, OFFICE, setVoiceUrl, settled } from './incoming-kit';
import { captureNodeApp, NodeHttpServer, sign, type Fields } from './events-kit';
import { input, Recorder, type FlowNode } from './flow-kit';

const KEY = 'PSK_answer-call-key-90d1';
const PATH = '/signalwire/incoming-call';

/** cfg; `in` → `ans` (answer call, with `answer` as its form) → `answered` / `failed`. */
function flow(answer: Record<string, unknown>, incoming: Record<string, unknown> = {}): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
    {
      id: 'in',
      type: 'signalwire-incoming-call',
      z: 'tab',
      signalwire: 'cfg',
      path: PATH,
      ...incoming,
      wires: [['ans']],
    },
    { id: 'ans', type: 'signalwire-answer', z: 'tab', events: 'none', ...answer, wires: [['answered'], ['failed']] },
    { id: 'answered', type: 'helper', z: 'tab', wires: [] },
    { id: 'failed', type: 'helper', z: 'tab', wires: [] },
  ];
}

describe('answer call node: what the caller gets', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let server: NodeHttpServer;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator({ seed: null, signingKey: KEY });
  });
  after(async () => {
    await emulator.close();
    await server.close();
    await stopRuntime();
  });
  beforeEach(async () => {
    emulator.reset();
    await setVoiceUrl(emulator, `${server.url}${PATH}`);
  });
  afterEach(() => helper.unload());

  async function deploy(answer: Record<string, unknown>, incoming?: Record<string, unknown>): Promise<Recorder> {
    await helper.load([...signalwireNodes, captureNodeApp], flow(answer, incoming), { cfg: { signingKey: KEY } });
    return new Recorder(['answered', 'failed']);
  }

  /** A call comes in: the call once its cXML ran, and the answer call node has had its one outcome. */
  async function ring(out: Recorder): Promise<EmulatedCall> {
    const before = out.count('answered', 'failed');
    const call = await settled(emulator, await callIn(emulator));
    await out.until(before + 1, 'answered', 'failed');
    return call;
  }

  const fixed = (action: string, more: Record<string, unknown> = {}) => ({
    action,
    actionType: 'answerAction',
    ...more,
  });

  it('joins the room with every join option written, and the room reports to no one when Events is none', async () => {
    const out = await deploy(
      fixed('join', {
        conference: 'Front door',
        conferenceType: 'str',
        muted: 'true',
        mutedType: 'bool',
        startConferenceOnEnter: 'false',
        startConferenceOnEnterType: 'bool',
        endConferenceOnExit: 'true',
        endConferenceOnExitType: 'bool',
        beep: 'onExit',
        beepType: 'beep',
        waitUrl: 'https://media.example.com/wait.mp3',
        waitUrlType: 'str',
      }),
    );
    const call = await ring(out);
    assert.equal(call.conference?.friendly_name, 'Front door');
    assert.deepEqual(call.conference?.attributes, {
      muted: 'true',
      startConferenceOnEnter: 'false',
      endConferenceOnExit: 'true',
      beep: 'onExit',
      waitUrl: 'https://media.example.com/wait.mp3',
    });
    assert.deepEqual(out.got.answered![0]!.answer, {
      action: 'join',
      room: 'Front door',
      muted: true,
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'onExit',
      waitUrl: 'https://media.example.com/wait.mp3',
    });
  });

  it('reads the join options from the message by default: not set, not written', async () => {
    const out = await deploy(fixed('join', { conference: 'Front door', conferenceType: 'str' }));
    const call = await ring(out);
    assert.deepEqual(call.conference?.attributes, {});
  });

  it('says a message, plays a sound, then hangs up; answers busy, rejects, hangs up; each in its status', async () => {
    const cases: Array<[Record<string, unknown>, Partial<EmulatedCall>, string]> = [
      [
        fixed('say', { text: 'Nobody is home', textType: 'str' }),
        { status: 'completed', heard: [{ verb: 'Say', text: 'Nobody is home' }] },
        'said message',
      ],
      [
        fixed('play', { playUrl: 'https://media.example.com/chime.mp3', playUrlType: 'str' }),
        { status: 'completed', heard: [{ verb: 'Play', url: 'https://media.example.com/chime.mp3' }] },
        'played sound',
      ],
      [fixed('busy'), { status: 'busy', heard: [] }, 'busy'],
      // SignalWire ends a rejected call as no-answer.
      [fixed('reject'), { status: 'no-answer', heard: [] }, 'rejected'],
      [fixed('hangup'), { status: 'completed', heard: [] }, 'hung up'],
    ];
    for (const [answer, expected, status] of cases) {
      const out = await deploy(answer);
      const call = await ring(out);
      assert.deepEqual({ status: call.status, heard: call.heard }, expected, status);
      assert.equal(out.count('answered'), 1, status);
      const shown = (helper.getNode('ans') as unknown as { status: { lastCall: { args: unknown[] } } }).status.lastCall
        .args[0];
      assert.deepEqual(shown, { fill: 'green', shape: 'dot', text: status });
      await helper.unload();
    }
  });

  it('answers with what the message says when Answer is read from it', async () => {
    const out = await deploy({
      action: 'payload.params.Answer',
      actionType: 'msg',
      text: 'payload.params.Text',
      textType: 'msg',
    });
    // A GET carries its fields in the query: the voice URL's own query reaches the flow in params.
    await setVoiceUrl(emulator, `${server.url}${PATH}?Answer=say&Text=Hello%20there`, 'GET');
    const call = await ring(out);
    assert.deepEqual(call.heard, [{ verb: 'Say', text: 'Hello there' }]);
  });

  it('writes Voice and Language when set, and not when left to SignalWire', async () => {
    await deploy(
      fixed('say', {
        text: 'Hello',
        textType: 'str',
        voice: 'woman',
        voiceType: 'str',
        language: 'en-US',
        languageType: 'str',
      }),
    );
    const url = `${server.url}${PATH}`;
    const fields: Fields = [
      ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66'],
      ['From', FRANK],
      ['To', OFFICE],
    ];
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-SignalWire-Signature': sign(KEY, url, fields),
      },
      body: new URLSearchParams(fields).toString(),
    });
    assert.match(await res.text(), /<Say voice="woman" language="en-US">Hello<\/Say><Hangup\/>/);
    await helper.unload();
    await deploy(fixed('say', { text: 'Hello', textType: 'str', voiceType: 'default', languageType: 'default' }));
    const plain = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-SignalWire-Signature': sign(KEY, url, fields),
      },
      body: new URLSearchParams(fields).toString(),
    });
    assert.match(await plain.text(), /<Say>Hello<\/Say><Hangup\/>/);
  });

  it('says when SignalWire stopped waiting before the answer came', async () => {
    // The answer call node is not wired: the test answers once the request is gone.
    const nodes = flow(fixed('join', { conference: 'Front door', conferenceType: 'str' }), { answerWithin: '10' });
    nodes.find((n) => n.id === 'in')!.wires = [['calls']];
    nodes.push({ id: 'calls', type: 'helper', z: 'tab', wires: [] });
    await helper.load([...signalwireNodes, captureNodeApp], nodes, { cfg: { signingKey: KEY } });
    const out = new Recorder(['calls', 'answered', 'failed']);
    const url = `${server.url}${PATH}`;
    const fields: Fields = [
      ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66'],
      ['From', FRANK],
      ['To', OFFICE],
    ];
    const abort = new AbortController();
    const request = fetch(url, {
      method: 'POST',
      signal: abort.signal,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-SignalWire-Signature': sign(KEY, url, fields),
      },
      body: new URLSearchParams(fields).toString(),
    }).catch(() => 'gone');
    await out.until(1, 'calls');
    abort.abort();
    assert.equal(await request, 'gone');
    // The server sees the connection close a moment later.
    await new Promise((resolve) => setTimeout(resolve, 50));
    input('ans', out.got.calls![0]!);
    await out.until(1, 'failed');
    assert.equal(out.got.failed![0]!.error.code, 'ERR_CALLER_GONE');
  });

  describe('values in cXML, fuzzed through the node', () => {
    /** Text people type, XML's special characters, and what XML cannot carry. */
    const awkward = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 70 }),
      fc.string({
        unit: fc.constantFrom('&', '<', '>', '"', "'", ' ', '\t', '\n', '\r', '\u2028', 'a', ';', '#'),
        maxLength: 20,
      }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        'R&D "war room"',
        '<Hangup/>',
        ']]>',
        '&amp;',
        'a'.repeat(MAX_ROOM_NAME + 1),
        ' padded ',
        '\u0007',
      ),
    );

    it('a room joins by exactly its name, or the answer is refused on the node and the caller gets the fallback', async () => {
      const out = await deploy(fixed('join', { conference: 'room', conferenceType: 'flow' }));
      const context = helper.getNode('ans').context().flow;
      let joined = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(awkward, async (room) => {
          context.set('room', room);
          const answeredBefore = out.count('answered');
          const failedBefore = out.count('failed');
          const call = await settled(emulator, await callIn(emulator));
          await out.until(answeredBefore + failedBefore + 1, 'answered', 'failed');
          const writable =
            room.trim() !== '' && room.trim() === room && room.length <= MAX_ROOM_NAME && !unwritableCharacter(room);
          if (writable) {
            joined++;
            assert.equal(call.conference?.friendly_name, room);
            assert.equal(out.count('failed'), failedBefore);
          } else {
            refused++;
            assert.equal(call.conference, null);
            assert.equal(call.status, 'no-answer', 'the fallback rejected it');
            const error = out.got.failed!.at(-1)!.error;
            assert.equal(error.source, 'validation');
            assert.match(error.message, room === '' ? /^Conference is missing/ : /^room /);
          }
          assert.deepEqual(call.problems, [], 'the emulator read every cXML it was given');
        }),
        { numRuns: 80 },
      );
      assert.ok(joined > 10 && refused > 10, `joined ${joined}, refused ${refused}`);
    });

    it('a message is heard exactly as given, or refused', async () => {
      const out = await deploy(fixed('say', { text: 'text', textType: 'flow' }));
      const context = helper.getNode('ans').context().flow;
      await fc.assert(
        fc.asyncProperty(awkward, async (text) => {
          context.set('text', text);
          const before = out.count('answered', 'failed');
          const call = await settled(emulator, await callIn(emulator));
          await out.until(before + 1, 'answered', 'failed');
          const sayable = text.trim() !== '' && !unwritableCharacter(text.replace(/[\t\n\r]/g, ' '));
          if (sayable) assert.deepEqual(call.heard, [{ verb: 'Say', text }]);
          else assert.deepEqual([call.heard, call.status], [[], 'no-answer']);
          assert.deepEqual(call.problems, []);
        }),
        { numRuns: 60 },
      );
    });
  });
});
