import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
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
const STANDUP = DEMO_SIDS.mondayStandup;

describe('conference node', function () {
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

  async function run(
    action: string,
    msg: Msg,
    node: FlowOptions['node'] = {},
    config: FlowOptions['config'] = {},
  ): Promise<{ out: Recorder; sent: Msg }> {
    await helper.load(
      signalwireNodes,
      participantFlow(emulator, { type: 'signalwire-conference', node: { action, ...node }, config }),
      credentialsOf(emulator),
    );
    const out = new Recorder();
    input('n1', msg);
    await out.until(1, 'ok', 'bad');
    await settle();
    assert.equal(out.count('ok', 'bad'), 1);
    return { out, sent: msg };
  }

  const ok = (out: Recorder): Msg => {
    assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
    return out.got.ok![0]!;
  };

  describe('find', () => {
    it('finds the live conference named in msg.friendlyName: payload and msg.conferenceSid for the next node', async () => {
      const { out } = await run('find', { friendlyName: 'Weekly sync', topic: 'kept' });
      const msg = ok(out);
      assert.equal(msg.payload.sid, WEEKLY);
      assert.equal(msg.payload.friendly_name, 'Weekly sync');
      assert.equal(msg.conferenceSid, WEEKLY);
      assert.equal(msg.topic, 'kept');
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'in-progress' });
    });

    it('takes the name from the form when it is fixed there', async () => {
      const { out } = await run(
        'find',
        { friendlyName: 'Nope' },
        { friendlyName: 'Weekly sync', friendlyNameType: 'str' },
      );
      assert.equal(ok(out).conferenceSid, WEEKLY);
    });

    it('answers 404 on output 2 when no conference of that name is in progress (an ended one does not count)', async () => {
      const { out } = await run('find', { friendlyName: 'Monday stand-up' });
      const failed = out.got.bad![0]!;
      assert.equal(failed.error.status, 404);
      assert.equal(failed.statusCode, 404);
      assert.match(failed.error.message, /No conference named "Monday stand-up" is in progress/);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'error 404' });
    });
  });

  describe('get, end, announce', () => {
    it('gets the conference in msg.conferenceSid', async () => {
      const { out } = await run('get', { conferenceSid: STANDUP });
      assert.equal(ok(out).payload.status, 'completed');
      assert.equal(ok(out).conferenceSid, STANDUP);
    });

    it('answers 404 on output 2 for a conference that does not exist', async () => {
      const { out } = await run('get', { conferenceSid: randomUUID() });
      assert.equal(out.got.bad![0]!.error.status, 404);
    });

    it('ends the conference: completed, and nobody is left in it', async () => {
      const { out } = await run('end', { conferenceSid: WEEKLY });
      assert.equal(ok(out).payload.status, 'completed');
      assert.equal(emulator.getConference(WEEKLY)!.status, 'completed');
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'ended' });
    });

    it('refuses to end an ended conference with code 10000 on output 2', async () => {
      const { out } = await run('end', { conferenceSid: STANDUP });
      assert.equal(out.got.bad![0]!.error.code, 10000);
    });

    it('ends the conference when the answer to its end was lost: the retry finds it ended, output 1', async () => {
      // SignalWire ends it, the answer is lost, the retry is refused (already completed): the node looks again.
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const { out } = await run('end', { conferenceSid: WEEKLY }, {}, { retries: 2 });
      const msg = ok(out);
      assert.equal(msg.payload.sid, WEEKLY);
      assert.equal(msg.payload.status, 'completed');
      assert.equal(msg.conferenceSid, WEEKLY);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'ended' });
      assert.equal(emulator.stats.requests, 3, 'the end, its retry, and a look at the conference');
    });

    it('says an announcement whose answer was lost may have played and was not sent again', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const { out } = await run(
        'announce',
        { conferenceSid: WEEKLY, payload: { announceUrl: 'https://example.com/closing.xml' } },
        {},
        { retries: 2 },
      );
      const error = out.got.bad![0]!.error;
      assert.match(error.message, /may have been carried out/);
      assert.match(error.message, /not sent again, so the audio does not play twice/);
      assert.doesNotMatch(error.message, /Could not reach SignalWire/);
      assert.equal(emulator.stats.requests, 1);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'answer lost' });
    });

    it('announces msg.payload.announceUrl to the whole conference, with the method given', async () => {
      const { out } = await run('announce', {
        conferenceSid: WEEKLY,
        payload: { announceUrl: 'https://example.com/standup-over.xml', announceMethod: 'GET' },
      });
      assert.equal(ok(out).payload.sid, WEEKLY);
      const recorded = emulator.getConference(WEEKLY) as unknown as Record<string, unknown>;
      assert.equal(recorded.announce_url, 'https://example.com/standup-over.xml');
      assert.equal(recorded.announce_method, 'GET');
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'announced' });
    });

    it('announces a URL fixed in the form, ignoring the message', async () => {
      const { out } = await run(
        'announce',
        { conferenceSid: WEEKLY, payload: { announceUrl: 'https://example.com/other.xml' } },
        {
          announceUrl: 'https://example.com/fixed.xml',
          announceUrlType: 'str',
          announceMethod: 'POST',
          announceMethodType: 'method',
        },
      );
      ok(out);
      const recorded = emulator.getConference(WEEKLY) as unknown as Record<string, unknown>;
      assert.equal(recorded.announce_url, 'https://example.com/fixed.xml');
      assert.equal(recorded.announce_method, 'POST');
    });
  });

  describe('list', () => {
    it('lists every conference, through every page', async () => {
      for (let i = 0; i < 2100; i++) emulator.addConference({ friendlyName: `Room ${i}` });
      emulator.stats.reset();
      const { out } = await run('list', {});
      assert.equal(ok(out).payload.length, 2102);
      assert.equal(emulator.stats.requests, 3);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: '2102 conferences' });
    });

    it('filters by msg.payload.status and msg.friendlyName when set', async () => {
      emulator.addConference({ friendlyName: 'Weekly sync', status: 'completed' });
      const completed = await run('list', { payload: { status: 'completed' } });
      assert.deepEqual(
        ok(completed.out)
          .payload.map((c: Msg) => c.friendly_name)
          .sort(),
        ['Monday stand-up', 'Weekly sync'],
      );
      await helper.unload();
      const named = await run('list', { friendlyName: 'Weekly sync' });
      assert.equal(ok(named.out).payload.length, 2);
      await helper.unload();
      const both = await run('list', { friendlyName: 'Weekly sync', payload: { status: 'in-progress' } });
      assert.deepEqual(
        ok(both.out).payload.map((c: Msg) => c.sid),
        [WEEKLY],
      );
    });

    it('filters by a status fixed in the form', async () => {
      const { out } = await run(
        'list',
        { payload: { status: 'in-progress' } },
        { status: 'completed', statusType: 'conferenceStatus' },
      );
      assert.deepEqual(
        ok(out).payload.map((c: Msg) => c.sid),
        [STANDUP],
      );
    });
  });

  describe('bad input: output 2, saying what to fix, nothing sent', () => {
    const cases: Array<[string, string, Msg, RegExp, FlowOptions['node']?]> = [
      ['find without a name', 'find', {}, /Name is missing: msg\.friendlyName is not set/],
      ['find with a name too long', 'find', { friendlyName: 'x'.repeat(65) }, /at most 64 characters/],
      ['find with a name that is not text', 'find', { friendlyName: { a: 1 } }, /friendlyName must be/],
      ['get without a SID', 'get', {}, /Conference SID is missing: msg\.conferenceSid is not set/],
      [
        'get with a SID that is not a UUID',
        'get',
        { conferenceSid: '../Calls' },
        /conferenceSid must be a conference SID/,
      ],
      [
        'end with an empty SID in the form',
        'end',
        {},
        /Conference SID is missing: the Conference SID field is not set/,
        { conferenceSid: '', conferenceSidType: 'str' },
      ],
      [
        'announce without a URL',
        'announce',
        { conferenceSid: WEEKLY, payload: {} },
        /Announce URL is missing: msg\.payload\.announceUrl is not set/,
      ],
      [
        'announce with a URL that is not http(s)',
        'announce',
        { conferenceSid: WEEKLY, payload: { announceUrl: 'javascript:alert(1)' } },
        /announceUrl must be an absolute http/,
      ],
      [
        'announce with an unknown method',
        'announce',
        { conferenceSid: WEEKLY, payload: { announceUrl: 'https://example.com/a', announceMethod: 'PATCH' } },
        /announceMethod must be GET or POST/,
      ],
      [
        'list with an unknown status',
        'list',
        { payload: { status: 'live' } },
        /status must be one of init, in-progress, completed/,
      ],
      [
        'a __proto__ key in msg.payload',
        'list',
        { payload: JSON.parse('{"__proto__": {"x": 1}}') },
        /msg\.payload\.__proto__ is refused/,
      ],
      ['no action chosen', 'bogus', { conferenceSid: WEEKLY }, /Choose an action/],
    ];
    for (const [what, action, msg, says, node] of cases) {
      it(`refuses ${what}`, async () => {
        const payloadBefore = JSON.stringify(msg.payload);
        const { out } = await run(action, msg, node);
        const failed = out.got.bad![0]!;
        assert.equal(failed.error.source, 'validation');
        assert.match(failed.error.message, says);
        assert.equal(JSON.stringify(failed.payload), payloadBefore);
        assert.equal(emulator.stats.requests, 0);
        assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'invalid input' });
        assert.equal(emulator.getConference(WEEKLY)!.status, 'in-progress');
      });
    }
  });

  it('sends errors to Catch nodes when output 2 is not wired, once per message', async () => {
    await helper.load(
      signalwireNodes,
      participantFlow(emulator, { type: 'signalwire-conference', node: { action: 'get' }, errorOutputWired: false }),
      credentialsOf(emulator),
    );
    const out = new Recorder();
    input('n1', { conferenceSid: randomUUID() });
    input('n1', { conferenceSid: WEEKLY });
    await out.until(2, 'ok', 'caught');
    await settle();
    assert.equal(out.count('caught'), 1);
    assert.equal(out.count('ok'), 1);
    assert.equal(out.count('completed'), 1);
    assert.match(out.got.caught![0]!.error.message, /not found|does not exist|404/i);
  });
});
