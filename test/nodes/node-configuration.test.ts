/**
 * Property-based: random node configurations (every typedInput type for every field, each read succeeding,
 * failing at once or failing later) and random messages, for each SignalWire node. Whatever the configuration,
 * the runtime must survive, no promise rejection may go unhandled, and each message gets exactly one outcome.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { RejectionWatch } from '../load/load-flow';
import { credentialsOf, input, Recorder, settle, type FlowNode, type Msg } from './flow-kit';
import { CONFIGURED_NODES, type ConfiguredNode } from './configured-nodes';

const RUNS_PER_NODE = 60;

type Behaviour = 'ok' | 'failNow' | 'failLater';

interface FieldSetting {
  behaviour: Behaviour;
  type: string;
  value: string;
}

const ENV_NAME = 'SIGNALWIRE_FUZZ_VALUE';

/** A read that succeeds, for every type a field may have (whether the value is then valid does not matter). */
const succeeding: fc.Arbitrary<Omit<FieldSetting, 'behaviour'>> = fc.oneof(
  fc.constantFrom(
    { type: 'msg', value: 'payload.muted' },
    { type: 'msg', value: 'conferenceSid' },
    { type: 'msg', value: 'msg.payload["a b"]' },
    { type: 'msg', value: 'nothing.here.at.all' },
    { type: 'flow', value: 'fuzz' },
    { type: 'global', value: 'fuzz' },
    { type: 'flow', value: 'notSet' },
    { type: 'env', value: ENV_NAME },
    { type: 'str', value: DEMO_SIDS.bob },
    { type: 'str', value: '' },
    { type: 'bool', value: 'true' },
    { type: 'bool', value: 'false' },
    { type: 'num', value: '42' },
    { type: 'json', value: '{"a":1}' },
    { type: 'json', value: '"GET"' },
    { type: 'jsonata', value: 'payload.muted' },
    { type: 'jsonata', value: '"https://example.com/a.mp3"' },
    { type: 'jsonata', value: '$exists(payload)' },
    { type: 'unchanged', value: '' },
    { type: 'method', value: 'GET' },
    { type: 'method', value: 'POST' },
    { type: 'conferenceStatus', value: 'in-progress' },
    { type: 'date', value: '' },
  ),
  fc.string({ maxLength: 12 }).map((value) => ({ type: 'str', value })),
);

/** A read that throws while the fields are being read. */
const failingNow = fc.constantFrom(
  { type: 'env', value: 'SIGNALWIRE_FUZZ_NOT_SET' },
  { type: 'msg', value: 'payload[' },
  { type: 'msg', value: 'a..b' },
  { type: 'json', value: '{not json' },
  { type: 'json', value: '' },
);

/** A read that starts, then fails asynchronously. */
const failingLater = fc.constantFrom(
  { type: 'jsonata', value: '$error("boom")' },
  { type: 'jsonata', value: '$nosuchfunction(' },
  { type: 'jsonata', value: '$reduce([1,2], function($a){ $a.b.c() })' },
);

const setting: fc.Arbitrary<FieldSetting> = fc.oneof(
  { arbitrary: succeeding.map((s) => ({ ...s, behaviour: 'ok' as const })), weight: 4 },
  { arbitrary: failingNow.map((s) => ({ ...s, behaviour: 'failNow' as const })), weight: 1 },
  { arbitrary: failingLater.map((s) => ({ ...s, behaviour: 'failLater' as const })), weight: 1 },
);

const message: fc.Arbitrary<Msg> = fc.record(
  {
    conferenceSid: fc.oneof(fc.constant(DEMO_SIDS.weeklySync), fc.anything({ maxDepth: 1 })),
    callSid: fc.oneof(fc.constantFrom(DEMO_SIDS.bob, DEMO_SIDS.carol), fc.anything({ maxDepth: 1 })),
    friendlyName: fc.oneof(fc.constantFrom('Weekly sync', 'No such room'), fc.anything({ maxDepth: 1 })),
    except: fc.oneof(fc.constant([DEMO_SIDS.alice]), fc.anything({ maxDepth: 1 })),
    to: fc.oneof(fc.constantFrom('+15551230006', 'sip:frank@example.com', 'nope'), fc.anything({ maxDepth: 1 })),
    conference: fc.oneof(fc.constantFrom('Front door', ' padded ', ''), fc.anything({ maxDepth: 1 })),
    timeout: fc.oneof(fc.constantFrom(30, '15', 0, 601), fc.anything({ maxDepth: 1 })),
    payload: fc.oneof(
      fc.record(
        {
          muted: fc.constantFrom(true, false, 'true', 'x'),
          hold: fc.constantFrom(true, false),
          status: fc.constantFrom('in-progress', 'completed', 'nope'),
          announceUrl: fc.constantFrom('https://example.com/a.xml', 'ftp://x'),
        },
        { requiredKeys: [] },
      ),
      // Prototype keys are refused before any field is read: the bad-input tests cover them.
      fc.jsonValue({ maxDepth: 2 }).filter((v) => !/"(__proto__|constructor|prototype)"/.test(JSON.stringify(v))),
    ),
  },
  { requiredKeys: [] },
);

function configuration(
  target: ConfiguredNode,
): fc.Arbitrary<{ settings: Record<string, FieldSetting>; action: string }> {
  const okSetting = succeeding.map((s) => ({ ...s, behaviour: 'ok' as const }));
  // With a dozen fields, a mix almost always holds a failing one: half the runs read every field successfully.
  const settings = fc.oneof(
    fc.record(Object.fromEntries(target.fields.map((name) => [name, okSetting]))),
    fc.record(Object.fromEntries(target.fields.map((name) => [name, setting]))),
  );
  return fc.record({ settings, action: fc.constantFrom(...target.actions) });
}

describe('node configurations: any field setting, any message', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let rejections: RejectionWatch;

  before(async () => {
    process.env[ENV_NAME] = 'true';
    rejections = new RejectionWatch();
    await startRuntime();
    emulator = await startEmulator();
  });
  after(async () => {
    delete process.env[ENV_NAME];
    rejections.stop();
    await emulator.close();
    await stopRuntime();
  });

  for (const target of CONFIGURED_NODES) {
    it(`${target.type}: one outcome per message, nothing unhandled, whatever its fields say`, async () => {
      const seen = { failing: 0, succeeding: 0 };
      await fc.assert(
        fc.asyncProperty(configuration(target), message, async ({ settings, action }, msg) => {
          emulator.reset();
          const node: Record<string, unknown> = { action };
          for (const [name, s] of Object.entries(settings)) {
            node[name] = s.value;
            node[`${name}Type`] = s.type;
          }
          const flow: FlowNode[] = [
            { id: 'tab', type: 'tab', label: 'fuzz' },
            { id: 'cfg', type: 'signalwire-config', space: emulator.url, retries: 0, ...target.needs?.config },
            { id: 'n1', type: target.type, z: 'tab', signalwire: 'cfg', ...node, wires: [['ok'], ['bad']] },
            { id: 'ok', type: 'helper', z: 'tab', wires: [] },
            { id: 'bad', type: 'helper', z: 'tab', wires: [] },
            ...((target.needs?.nodes ?? []) as FlowNode[]),
          ];
          const credentials = credentialsOf(emulator);
          if (target.needs?.signingKey) Object.assign(credentials.cfg!, { signingKey: emulator.signingKey });
          await helper.load(signalwireNodes, flow, credentials);
          try {
            await helper.getNode('n1').context().flow.set('fuzz', 'true');
            await helper.getNode('n1').context().global.set('fuzz', DEMO_SIDS.bob);
            const out = new Recorder(['ok', 'bad']);
            input('n1', msg);
            await guard(out.until(1, 'ok', 'bad'), 10_000, 'the message got no outcome');
            // Time for a second outcome or a stray rejection to show.
            await settle();
            await settle();
            assert.equal(out.count('ok', 'bad'), 1, 'exactly one outcome');
            assert.deepEqual(rejections.seen, []);

            const used = target.fieldsUsed(action);
            const failing = used.filter((name) => settings[name]!.behaviour !== 'ok');
            if (failing.length > 0) {
              seen.failing++;
              assert.equal(out.count('bad'), 1, 'a field that cannot be read fails the message');
              const error = out.got.bad![0]!.error;
              assert.equal(error.source, 'validation');
              assert.match(error.message, /^Could not read /);
            } else {
              seen.succeeding++;
            }
          } finally {
            await helper.unload();
          }
        }),
        { numRuns: RUNS_PER_NODE },
      );
      assert.ok(seen.failing > 0 && seen.succeeding > 0, JSON.stringify(seen));
    });
  }

  it('keeps Node-RED running when one field fails later and a following one fails at once (a separate process)', () => {
    const script = path.join(__dirname, 'fixtures', 'late-and-early-failure.ts');
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', script], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.status, 0, output);
    assert.doesNotMatch(output, /Uncaught Exception|unhandled/i);
    assert.match(result.stdout, /outcome: output 2: Could not read Wait method from msg\.payload\[/);
  });
});

async function guard<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    // A liveness guard, not a speed check: it names the failure instead of ending in a bare test timeout.
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, silent]);
  } finally {
    clearTimeout(timer);
  }
}
