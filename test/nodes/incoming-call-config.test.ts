/**
 * Property-based: any configuration of the incoming call and answer call nodes, as a hand-written or imported flow
 * may hold it. The incoming call node either serves the path it shows or says which setting is wrong; the answer
 * call node gives each message one outcome, and each call exactly one answer, whatever its fields say.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { RejectionWatch } from '../load/load-flow';
import { callIn, FRANK, OFFICE, setVoiceUrl, settled } from './incoming-kit';
import { captureNodeApp, NodeHttpServer, postForm, type Fields } from './events-kit';
import { Recorder, settle, statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_incoming-config-fuzz';
const CALL: Fields = [
  ['CallSid', 'c26e5b7d-4f3a-4b8c-9d0e-1f2a3b4c5d66'],
  ['From', FRANK],
  ['To', OFFICE],
];

/** Whatever a hand-written or imported flow may hold in a setting. */
const anything = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', '/', '/signalwire/incoming-call', 'calls', '/a/:id', '/a/*', '/../x', ' /ok '),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  fc.constantFrom('https://home.example.com/hook', 'http://x', 'https://h.example/p?q=1', 'not a url'),
);

function likely<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: anything, weight: 2 });
}

/** A typedInput setting: a type and a value, reading well or not. */
const fieldSetting = fc.oneof(
  fc.constantFrom(
    { type: 'str', value: 'Front door' },
    { type: 'str', value: '' },
    { type: 'str', value: 'https://media.example.com/a.mp3' },
    { type: 'str', value: 'Hall\u0007way' },
    { type: 'str', value: 'true' },
    { type: 'bool', value: 'true' },
    { type: 'bool', value: 'false' },
    { type: 'num', value: '3' },
    { type: 'json', value: '{"a":1}' },
    { type: 'json', value: '{not json' },
    { type: 'msg', value: 'payload.from' },
    { type: 'msg', value: 'payload.nothing' },
    { type: 'msg', value: 'payload[' },
    { type: 'flow', value: 'notSet' },
    { type: 'env', value: 'SIGNALWIRE_FUZZ_NOT_SET' },
    { type: 'jsonata', value: '"Team room"' },
    { type: 'jsonata', value: '$error("boom")' },
    { type: 'default', value: '' },
    { type: 'beep', value: 'onEnter' },
    { type: 'answerAction', value: 'join' },
  ),
  fc.string({ maxLength: 12 }).map((value) => ({ type: 'str', value })),
);

const ANSWER_FIELDS = [
  'conference',
  'muted',
  'startConferenceOnEnter',
  'endConferenceOnExit',
  'beep',
  'waitUrl',
  'text',
  'voice',
  'language',
  'playUrl',
];

const actionSetting = fc.oneof(
  {
    arbitrary: fc
      .constantFrom('join', 'say', 'play', 'reject', 'busy', 'hangup')
      .map((value) => ({ type: 'answerAction', value })),
    weight: 3,
  },
  { arbitrary: fieldSetting, weight: 1 },
);

describe('incoming call and answer call nodes: any configuration', function () {
  this.timeout(240_000);
  let server: NodeHttpServer;
  let emulator: Emulator;
  let rejections: RejectionWatch;

  before(async () => {
    rejections = new RejectionWatch();
    await startRuntime();
    server = await new NodeHttpServer().listen();
    emulator = await startEmulator({ seed: null, signingKey: KEY });
  });
  after(async () => {
    rejections.stop();
    await emulator.close();
    await server.close();
    await stopRuntime();
  });

  it('the incoming call node serves the path it shows, or says which setting is wrong; it never crashes', async () => {
    let served = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        likely(fc.constantFrom('', undefined, '/signalwire/incoming-call', 'door/bell', ' /ok ')),
        likely(fc.constantFrom('', undefined, 'https://home.example.com/door', 'https://h.example:8443/p')),
        likely(fc.constantFrom(undefined, '', 0.5, '5', ' 10 ', 2.5)),
        likely(fc.constantFrom(undefined, '', 'reject', 'busy', 'hangup', 'say')),
        likely(fc.constantFrom(undefined, '', 'Nobody is home', 'a\u0000b')),
        async (path, publicUrl, answerWithin, fallback, fallbackText) => {
          const flow: FlowNode[] = [
            { id: 'tab', type: 'tab', label: 'fuzz' },
            { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
            {
              id: 'in',
              type: 'signalwire-incoming-call',
              z: 'tab',
              signalwire: 'cfg',
              path,
              publicUrl,
              answerWithin,
              fallback,
              fallbackText,
              wires: [['ans']],
            },
            {
              id: 'ans',
              type: 'signalwire-answer',
              z: 'tab',
              action: 'hangup',
              actionType: 'answerAction',
              wires: [[], []],
            },
          ];
          await helper.load([...signalwireNodes, captureNodeApp], flow, { cfg: { signingKey: KEY } });
          try {
            const shown = statusesOf('in').at(-1);
            const errors = (
              helper.getNode('in') as unknown as { error: { getCalls(): Array<{ args: unknown[] }> } }
            ).error
              .getCalls()
              .map((c) => String(c.args[0]));
            if (shown?.text === 'check settings') {
              refused++;
              assert.ok(
                errors.length > 0 && errors.every((e) => /path|public URL|Answer in|fallback/.test(e)),
                errors.join(),
              );
              return;
            }
            served++;
            const text = typeof path === 'string' ? path.trim() : '';
            const where = text === '' ? '/signalwire/incoming-call' : text.startsWith('/') ? text : `/${text}`;
            const url = `${server.url}${where}`;
            const given = typeof publicUrl === 'string' ? publicUrl.trim() : '';
            // Signed as the official SDK checks it: a Public URL without a path ("http://x") stands for its root.
            const answer = await postForm(url, CALL, { key: KEY, signedUrl: given ? new URL(given).href : url });
            assert.deepEqual(answer, {
              status: 200,
              text: '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>',
            });
            assert.equal((await postForm(url, CALL)).status, 403);
          } finally {
            await helper.unload();
          }
        },
      ),
      { numRuns: 100 },
    );
    assert.ok(served > 10 && refused > 10, `served ${served}, refused ${refused}`);
    assert.deepEqual(rejections.seen, []);
  });

  it('the answer call node gives each call one answer and each message one outcome, whatever its fields say', async () => {
    await setVoiceUrl(emulator, `${server.url}/signalwire/incoming-call`);
    const seen = { answered: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(
        actionSetting,
        fc.record(Object.fromEntries(ANSWER_FIELDS.map((name) => [name, fieldSetting]))),
        fc.constantFrom('', 'none'),
        async (action, fields, events) => {
          emulator.reset();
          await setVoiceUrl(emulator, `${server.url}/signalwire/incoming-call`);
          const answer: Record<string, unknown> = { action: action.value, actionType: action.type, events };
          for (const [name, s] of Object.entries(fields)) {
            answer[name] = s.value;
            answer[`${name}Type`] = s.type;
          }
          const flow: FlowNode[] = [
            { id: 'tab', type: 'tab', label: 'fuzz' },
            { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9', publicUrl: server.url },
            { id: 'ev', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', wires: [[]] },
            {
              id: 'in',
              type: 'signalwire-incoming-call',
              z: 'tab',
              signalwire: 'cfg',
              answerWithin: 10,
              wires: [['ans']],
            },
            { id: 'ans', type: 'signalwire-answer', z: 'tab', ...answer, wires: [['ok'], ['bad']] },
            { id: 'ok', type: 'helper', z: 'tab', wires: [] },
            { id: 'bad', type: 'helper', z: 'tab', wires: [] },
          ];
          await helper.load([...signalwireNodes, captureNodeApp], flow, { cfg: { signingKey: KEY } });
          try {
            const out = new Recorder(['ok', 'bad']);
            const call = await settled(emulator, await callIn(emulator));
            await out.until(1, 'ok', 'bad');
            await settle();
            assert.equal(out.count('ok', 'bad'), 1, 'one outcome');
            assert.deepEqual(rejections.seen, []);
            assert.deepEqual(call.problems, [], 'the cXML the caller got could be run');
            if (out.count('bad') === 1) {
              seen.failed++;
              // The caller got the fallback at once, not after the 10 s the flow had.
              assert.equal(call.status, 'no-answer');
              assert.match(
                out.got.bad![0]!.error.message,
                /The caller got the incoming call node's fallback \(rejected\)\.$/,
              );
            } else {
              seen.answered++;
              const given = out.got.ok![0]!.answer as { action: string; room?: string };
              if (given.action === 'join') assert.equal(call.conference?.friendly_name, given.room);
              else assert.equal(call.conference, null);
            }
          } finally {
            await helper.unload();
          }
        },
      ),
      { numRuns: 80 },
    );
    assert.ok(seen.answered > 5 && seen.failed > 5, JSON.stringify(seen));
  });
});
