import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { until } from '../emulator/http';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import {
  credentialsOf,
  input,
  participantFlow,
  Recorder,
  settle,
  statusesOf,
  type FlowOptions,
  type Msg,
} from './flow-kit';

const WEEKLY = DEMO_SIDS.weeklySync;
const { alice, bob, carol, dave } = DEMO_SIDS;

describe('update all node', function () {
  let emulator: Emulator;

  before(async () => {
    await startRuntime();
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator.close();
    await stopRuntime();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.stats.reset();
  });
  afterEach(() => helper.unload());

  async function deploy(options: FlowOptions = {}): Promise<Recorder> {
    await helper.load(
      signalwireNodes,
      participantFlow(emulator, { type: 'signalwire-participants-update', ...options }),
      credentialsOf(emulator),
    );
    return new Recorder();
  }

  async function run(msg: Msg, node: FlowOptions['node'] = {}): Promise<Recorder> {
    const out = await deploy({ node });
    input('n1', msg);
    await out.until(1, 'ok', 'bad');
    await settle();
    assert.equal(out.count('ok', 'bad'), 1, 'exactly one message out');
    return out;
  }

  const ok = (out: Recorder): Msg => {
    assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
    return out.got.ok![0]!;
  };
  const isMuted = (sid: string) => emulator.getParticipant(WEEKLY, sid)!.muted;

  it('mutes everyone but msg.except on output 1: updated as the API returned them, skipped, no failures', async () => {
    const out = await run({ conferenceSid: WEEKLY, except: [alice], payload: { muted: true }, topic: 'kept' });
    const msg = ok(out);
    assert.deepEqual(
      msg.payload.updated.map((p: Msg) => [p.call_sid, p.muted]),
      [bob, carol, dave].map((s) => [s, true]),
    );
    assert.deepEqual(msg.payload.skipped, [alice]);
    assert.deepEqual(msg.payload.failed, []);
    assert.equal(msg.topic, 'kept');
    assert.equal(msg.error, undefined);
    assert.equal(isMuted(alice), false);
    assert.equal(isMuted(bob), true);
    assert.equal(isMuted(carol), true);
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: '3 updated, 1 left' });
  });

  it('takes except as a comma or space separated text', async () => {
    const out = await run({ conferenceSid: WEEKLY, except: `${alice}, ${bob} ${alice}`, payload: { muted: true } });
    assert.deepEqual(ok(out).payload.skipped, [alice, bob]);
    assert.equal(isMuted(bob), false);
    assert.equal(isMuted(carol), true);
  });

  it('leaves the moderators alone when "skip moderators" is ticked (Alice started the meeting)', async () => {
    const out = await run({ conferenceSid: WEEKLY, payload: { hold: true } }, { skipModerators: true });
    assert.deepEqual(ok(out).payload.skipped, [alice]);
    assert.equal(emulator.getParticipant(WEEKLY, alice)!.hold, false);
    assert.equal(emulator.getParticipant(WEEKLY, carol)!.hold, true);
  });

  /** What the runtime logged at warning level for `id`, as text. */
  const warningsOf = (id: string): string[] =>
    helper
      .log()
      .getCalls()
      .map((call) => call.args[0] as { level?: number; id?: string; msg?: unknown })
      .filter((entry) => entry.level === 30 && entry.id === id)
      .map((entry) => String(entry.msg));

  it('says so, in the log and a yellow status, when everyone is a moderator (cXML starts everyone so)', async () => {
    // Nobody configured startConferenceOnEnter: it defaults to true, so everyone counts as a moderator.
    const room = randomUUID();
    emulator.addConference({ sid: room });
    const everyone = emulator.addParticipants(room, 3, {});
    const out = await run({ conferenceSid: room, payload: { muted: true } }, { skipModerators: true });
    const msg = ok(out);
    assert.deepEqual(msg.payload.updated, []);
    assert.deepEqual(msg.payload.skipped, everyone);
    assert.ok(emulator.getConference(room)!.participants.every((p) => !p.muted));
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'yellow', shape: 'dot', text: 'all moderators' });
    const warnings = warningsOf('n1');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /every participant not named in Except is a moderator .* all 3 were left alone/);
    assert.match(warnings[0]!, /startConferenceOnEnter="false"/);
  });

  it('stays green when the only moderator is alone in the room (the meeting just started)', async () => {
    const room = randomUUID();
    emulator.addConference({ sid: room });
    emulator.addParticipants(room, 1, {});
    const out = await run({ conferenceSid: room, payload: { muted: true } }, { skipModerators: true });
    assert.equal(ok(out).payload.skipped.length, 1);
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: '0 updated, 1 left' });
    assert.deepEqual(warningsOf('n1'), []);
  });

  it('updates moderators too when the box is not ticked', async () => {
    const out = await run({ conferenceSid: WEEKLY, payload: { hold: true } });
    assert.deepEqual(ok(out).payload.skipped, []);
    assert.equal(emulator.getParticipant(WEEKLY, alice)!.hold, true);
  });

  it('uses options fixed in the form, and ignores the message for an "unchanged" field', async () => {
    const out = await run(
      { conferenceSid: WEEKLY, payload: { muted: false, hold: true } },
      { muted: 'true', mutedType: 'bool', hold: '', holdType: 'unchanged' },
    );
    ok(out);
    assert.equal(isMuted(bob), true);
    assert.equal(emulator.getParticipant(WEEKLY, bob)!.hold, false);
  });

  it('updates a conference of 2 500 through every page', async () => {
    const big = randomUUID();
    emulator.addConference({ sid: big });
    emulator.addParticipants(big, 2500, {});
    const out = await run({ conferenceSid: big, payload: { muted: true } });
    assert.equal(ok(out).payload.updated.length, 2500);
    assert.ok(emulator.getConference(big)!.participants.every((p) => p.muted));
  });

  it('goes on past a failure and leaves on output 2 with who failed and a summary in msg.error', async () => {
    // Everyone coaches Bob: Bob cannot coach himself, everyone else can.
    const out = await run({ conferenceSid: WEEKLY, payload: { coaching: true, callSidToCoach: bob } });
    assert.equal(out.count('ok'), 0);
    const msg = out.got.bad![0]!;
    assert.deepEqual(
      msg.payload.updated.map((p: Msg) => p.call_sid),
      [alice, carol, dave],
    );
    assert.equal(msg.payload.failed.length, 1);
    assert.equal(msg.payload.failed[0].callSid, bob);
    assert.equal(msg.payload.failed[0].error.status, 422);
    assert.equal(msg.payload.failed[0].error.source, 'api');
    assert.match(msg.error.message, /^1 of 4 updates failed: /);
    assert.equal(emulator.getParticipant(WEEKLY, carol)!.coaching, true);
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: '1 of 4 failed' });
  });

  /** One update at a time, in list order: who hangs up first is known. */
  async function runOneByOne(msg: Msg): Promise<Recorder> {
    const out = await deploy({ config: { maxInFlight: 1 } });
    input('n1', msg);
    await out.until(1, 'ok', 'bad');
    await settle();
    assert.equal(out.count('ok', 'bad'), 1, 'exactly one message out');
    return out;
  }

  it('counts someone who hangs up between the list and their update as gone, not failed: output 1', async () => {
    // Bob and Carol hang up just before their update reaches SignalWire: it answers 404.
    emulator.setFaults([{ kind: 'leave', count: 2 }]);
    const out = await runOneByOne({ conferenceSid: WEEKLY, except: [alice], payload: { muted: true } });
    const msg = ok(out);
    assert.deepEqual(msg.payload.gone, [bob, carol]);
    assert.deepEqual(msg.payload.failed, []);
    assert.deepEqual(
      msg.payload.updated.map((p: Msg) => p.call_sid),
      [dave],
    );
    assert.deepEqual(msg.payload.skipped, [alice]);
    assert.equal(msg.error, undefined);
    assert.equal(emulator.getParticipant(WEEKLY, bob), undefined);
    assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: '1 updated, 2 gone' });
  });

  it('lists those who hung up in payload.gone on output 2 too, when another update failed', async () => {
    emulator.setFaults([{ kind: 'leave', count: 1 }]);
    // Everyone coaches Dave: Dave cannot coach himself; Bob hangs up first.
    const out = await runOneByOne({
      conferenceSid: WEEKLY,
      except: [alice],
      payload: { coaching: true, callSidToCoach: dave },
    });
    assert.equal(out.count('ok'), 0);
    const msg = out.got.bad![0]!;
    assert.deepEqual(msg.payload.gone, [bob]);
    assert.deepEqual(
      msg.payload.failed.map((f: Msg) => [f.callSid, f.error.status]),
      [[dave, 422]],
    );
    assert.match(msg.error.message, /^1 of 2 updates failed: /);
  });

  it('closing mid-sweep: counts the updates never sent as not sent, apart from the one that may have been applied', async () => {
    const big = randomUUID();
    emulator.addConference({ sid: big });
    emulator.addParticipants(big, 60, {});
    emulator.setFaults([{ kind: 'latency', ms: 100 }]);
    const flow = participantFlow(emulator, {
      type: 'signalwire-participants-update',
      // The second update times out just before the close budget ends: its retry, waiting out its backoff, is
      // what the close cancels.
      config: { maxInFlight: 1, timeout: 1000, retries: 3 },
    });
    await helper.load(signalwireNodes, flow, credentialsOf(emulator));
    const out = new Recorder();
    input('n1', { conferenceSid: big, payload: { muted: true } });
    // The list, then the first update: it is answered; the second one never is.
    await until(() => emulator.stats.requests >= 2);
    emulator.setFaults([{ kind: 'hang' }]);
    await until(() => emulator.stats.requests >= 3);
    // A "Modified Nodes" deploy of the connection: it and the node restart, the nodes after it keep running.
    const internals = helper as unknown as {
      _redNodes: { setFlows(flow: unknown, credentials: unknown, type: string): Promise<unknown> };
    };
    const changed = flow.map((n) => (n.id === 'cfg' ? { ...n, name: 'edited' } : n));
    const closing = helper.getNode('n1') as unknown as {
      status: { getCalls(): Array<{ thisValue: unknown; args: unknown[] }> };
    };
    await internals._redNodes.setFlows(changed, credentialsOf(emulator), 'nodes');
    await out.until(1, 'ok', 'bad');
    await settle();

    const msg = out.got.bad![0]!;
    assert.equal(msg.payload.updated.length, 1);
    assert.match(
      msg.error.message,
      /^58 of 60 updates were not sent: the connection closed \(redeploy or shutdown\) before their turn; 1 more failed: .*may or may not have been applied/,
    );
    const shown = closing.status.getCalls().filter((c) => c.thisValue === closing);
    assert.deepEqual(shown.at(-1)?.args[0], { fill: 'red', shape: 'ring', text: '58 not sent' });
  });

  it('shares the connection in-flight cap between nodes and messages', async () => {
    const other = randomUUID();
    emulator.addConference({ sid: other });
    emulator.addParticipants(other, 30, {});
    emulator.setFaults([{ kind: 'latency', ms: 5 }]);
    await helper.load(
      signalwireNodes,
      [
        ...participantFlow(emulator, {
          type: 'signalwire-participants-update',
          config: { maxInFlight: 2 },
        }),
        { id: 'n2', z: 'tab', type: 'signalwire-participants-update', signalwire: 'cfg', wires: [['ok'], ['bad']] },
      ],
      credentialsOf(emulator),
    );
    const out = new Recorder();
    input('n1', { conferenceSid: WEEKLY, payload: { muted: true } });
    input('n1', { conferenceSid: other, payload: { muted: true } });
    input('n2', { conferenceSid: other, payload: { hold: true } });
    await out.until(3, 'ok', 'bad');
    assert.equal(out.count('ok'), 3);
    assert.equal(emulator.stats.maxInFlight, 2);
  });

  describe('bad input: output 2, saying what to fix, nothing sent (not even the list)', () => {
    const cases: Array<[string, Msg, RegExp, FlowOptions['node']?]> = [
      ['no conference SID', { payload: { muted: true } }, /Conference SID is missing: msg\.conferenceSid is not set/],
      [
        'a conference SID that is not a UUID',
        { conferenceSid: 'Weekly sync', payload: { muted: true } },
        /conferenceSid must be a conference SID/,
      ],
      [
        'an except entry that is not a SID',
        { conferenceSid: WEEKLY, except: [alice, 'Bob'], payload: { muted: true } },
        /except\[1\] must be a call SID/,
      ],
      [
        'an except that is an object',
        { conferenceSid: WEEKLY, except: { alice: true }, payload: { muted: true } },
        /except must be a list of call SIDs/,
      ],
      ['muted as a word', { conferenceSid: WEEKLY, payload: { muted: 'yes' } }, /muted must be true or false/],
      [
        'an unknown hold method',
        { conferenceSid: WEEKLY, payload: { hold: true, holdMethod: 'PUT' } },
        /holdMethod must be GET or POST/,
      ],
      [
        'a hold URL that is not http(s)',
        { conferenceSid: WEEKLY, payload: { holdUrl: 'file:///etc/passwd' } },
        /holdUrl must be an absolute http/,
      ],
      [
        'coaching without the call to coach',
        { conferenceSid: WEEKLY, payload: { coaching: true } },
        /callSidToCoach is required/,
      ],
      ['a message that changes nothing', { conferenceSid: WEEKLY, payload: { hello: 1 } }, /nothing to update/],
      [
        'a __proto__ key in msg.payload',
        { conferenceSid: WEEKLY, payload: JSON.parse('{"muted": true, "__proto__": {}}') },
        /msg\.payload\.__proto__ is refused/,
      ],
      [
        'a JSONata field that cannot run',
        { conferenceSid: WEEKLY, payload: { muted: true } },
        /Could not read Hold from JSONata/,
        { hold: '$nosuch(', holdType: 'jsonata' },
      ],
    ];
    for (const [what, msg, says, node] of cases) {
      it(`refuses ${what}`, async () => {
        const out = await run(msg, node);
        const failed = out.got.bad![0]!;
        assert.equal(failed.error.source, 'validation');
        assert.match(failed.error.message, says);
        assert.equal(emulator.stats.requests, 0);
        assert.equal(isMuted(bob), false);
      });
    }
  });
});
