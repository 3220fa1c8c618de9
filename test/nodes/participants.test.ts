import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { startRecordingServer } from '../support/recording-server';
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
const HELD = randomUUID();

describe('participants node', function () {
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
  ): Promise<Recorder> {
    await helper.load(
      signalwireNodes,
      participantFlow(emulator, { type: 'signalwire-participants', node: { action, ...node }, config }),
      credentialsOf(emulator),
    );
    const out = new Recorder();
    input('n1', msg);
    await out.until(1, 'ok', 'bad');
    await settle();
    assert.equal(out.count('ok', 'bad'), 1);
    return out;
  }

  const ok = (out: Recorder): Msg => {
    assert.equal(out.count('bad'), 0, JSON.stringify(out.got.bad?.[0]?.error));
    return out.got.ok![0]!;
  };
  const sids = (list: Msg[]) => list.map((p) => p.call_sid);

  describe('list', () => {
    it('lists everyone in msg.conferenceSid', async () => {
      const out = await run('list', { conferenceSid: WEEKLY });
      assert.deepEqual(sids(ok(out).payload), [alice, bob, carol, dave]);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: '4 participants' });
    });

    const filters: Array<[string, Msg, FlowOptions['node'], string[]]> = [
      ['msg.payload.muted true', { muted: true }, {}, [dave]],
      ['msg.payload.muted "false"', { muted: 'false' }, {}, [alice, bob, carol, HELD]],
      ['msg.payload.hold false', { hold: false }, {}, [alice, bob, carol, dave]],
      ['msg.payload.hold true and muted false', { hold: true, muted: false }, {}, [HELD]],
      [
        'Muted fixed to false in the form',
        { muted: true },
        { muted: 'false', mutedType: 'bool' },
        [alice, bob, carol, HELD],
      ],
      [
        'Muted set to "no filter" in the form',
        { muted: true },
        { muted: '', mutedType: 'unchanged' },
        [alice, bob, carol, dave, HELD],
      ],
      ['Hold read from JSONata', {}, { hold: 'true', holdType: 'jsonata' }, [HELD]],
    ];
    for (const [what, payload, node, expected] of filters) {
      it(`filters by ${what}`, async () => {
        // Someone waiting on hold, for the hold filters.
        emulator.addParticipant(WEEKLY, { callSid: HELD, hold: true, startConferenceOnEnter: false });
        const out = await run('list', { conferenceSid: WEEKLY, payload }, node);
        assert.deepEqual(sids(ok(out).payload), expected);
        assert.equal(emulator.stats.requests, 1);
      });
    }

    it('lists a conference of 2 500 through every page, filter kept on each', async () => {
      const big = randomUUID();
      emulator.addConference({ sid: big });
      emulator.addParticipants(big, 2500, { muted: true });
      emulator.addParticipants(big, 10, { muted: false });
      emulator.stats.reset();
      const all = await run('list', { conferenceSid: big });
      assert.equal(new Set(sids(ok(all).payload)).size, 2510);
      assert.equal(emulator.stats.requests, 3);
      await helper.unload();
      const unmuted = await run('list', { conferenceSid: big, payload: { muted: false } });
      assert.equal(ok(unmuted).payload.length, 10);
    });

    it('gives each participant once when the pages shift while read (someone on two pages)', async () => {
      const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
      const participant = (callSid: string) => ({
        call_sid: callSid,
        conference_sid: WEEKLY,
        muted: false,
        hold: false,
      });
      const server = await startRecordingServer();
      try {
        // Someone joined ahead of them between the two pages: the last of page 1 comes again first on page 2.
        server.script.push(
          { body: { participants: [first, second].map(participant), next_page_uri: '/api/laml/page2.json' } },
          { body: { participants: [second, third].map(participant), next_page_uri: null } },
        );
        const out = await run('list', { conferenceSid: WEEKLY }, {}, { space: server.url });
        assert.deepEqual(sids(ok(out).payload), [first, second, third]);
        assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: '3 participants' });
        assert.equal(server.requests.length, 2);
      } finally {
        await server.close();
      }
    });
  });

  describe('get and remove', () => {
    it('gets one participant, its state in the status', async () => {
      const out = await run('get', { conferenceSid: WEEKLY, callSid: dave });
      assert.equal(ok(out).payload.call_sid, dave);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'muted' });
    });

    it('removes a participant: payload says so, statusCode 204, and the participant is gone', async () => {
      const out = await run('remove', { conferenceSid: WEEKLY, callSid: bob, payload: 'x' });
      assert.deepEqual(ok(out).payload, { conferenceSid: WEEKLY, callSid: bob, removed: true });
      assert.equal(ok(out).statusCode, 204);
      assert.equal(emulator.getParticipant(WEEKLY, bob), undefined);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'removed' });
    });

    it('removes a participant whose removal answer was lost: the retry finds them gone, output 1', async () => {
      emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
      const out = await run('remove', { conferenceSid: WEEKLY, callSid: bob }, {}, { retries: 2 });
      assert.deepEqual(ok(out).payload, { conferenceSid: WEEKLY, callSid: bob, removed: true });
      assert.equal(ok(out).statusCode, 404, 'what the retry was answered');
      assert.equal(emulator.getParticipant(WEEKLY, bob), undefined);
      assert.equal(emulator.stats.requests, 2);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'green', shape: 'dot', text: 'removed' });
    });

    it('answers 404 on output 2 for someone not in the conference', async () => {
      const out = await run('remove', { conferenceSid: WEEKLY, callSid: randomUUID() });
      assert.equal(out.got.bad![0]!.error.status, 404);
      assert.equal(out.got.bad![0]!.statusCode, 404);
    });
  });

  describe('a server whose paging never ends, or leads elsewhere', () => {
    for (const [what, link, says] of [
      ['loops', () => '/api/laml/loop.json?Page=1', /go round in a loop/],
      ['never ends', (i: number) => `/api/laml/more.json?Page=${i + 1}`, /still had more after 100 pages/],
      ['links to another host', () => 'http://192.0.2.1/api/laml/next.json', /not under .*: not followed/],
    ] as const) {
      it(`stops the message on output 2 when it ${what}`, async () => {
        const server = await startRecordingServer();
        try {
          server.fallback = (_request, index) => ({
            body: {
              participants: [{ call_sid: randomUUID(), conference_sid: WEEKLY, muted: false, hold: false }],
              next_page_uri: link(index),
            },
          });
          const out = await run('list', { conferenceSid: WEEKLY }, {}, { space: server.url });
          assert.match(out.got.bad![0]!.error.message, says);
          assert.ok(server.requests.length <= 100, `${server.requests.length} requests`);
          // No HTTP status to show: the status says what went wrong in words.
          assert.equal(out.got.bad![0]!.statusCode, undefined);
          assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'bad answer' });
        } finally {
          await server.close();
        }
      });
    }
  });

  it('reports a page over 4 MiB that the server answered as too large, not as unreachable', async () => {
    const server = await startRecordingServer();
    try {
      const filler = 'x'.repeat(4096);
      const participants = Array.from({ length: 1100 }, () => ({
        call_sid: randomUUID(),
        conference_sid: WEEKLY,
        muted: false,
        hold: false,
        label: filler,
      }));
      server.fallback = () => ({ body: { participants, next_page_uri: null } });
      const out = await run('list', { conferenceSid: WEEKLY }, {}, { space: server.url });
      const error = out.got.bad![0]!.error;
      assert.equal(error.source, 'api');
      assert.match(error.message, /answered with more than 4 MiB/);
      assert.doesNotMatch(error.message, /Could not reach/);
      assert.deepEqual(statusesOf('n1').at(-1), { fill: 'red', shape: 'ring', text: 'bad answer' });
      assert.equal(server.requests.length, 1, 'not retried: the answer came');
    } finally {
      await server.close();
    }
  });

  describe('bad input: output 2, saying what to fix, nothing sent', () => {
    const cases: Array<[string, string, Msg, RegExp]> = [
      ['list without a conference SID', 'list', {}, /Conference SID is missing: msg\.conferenceSid is not set/],
      [
        'list with muted as a word',
        'list',
        { conferenceSid: WEEKLY, payload: { muted: 'yes' } },
        /muted must be true or false/,
      ],
      [
        'list with hold as a number',
        'list',
        { conferenceSid: WEEKLY, payload: { hold: 1 } },
        /hold must be true or false/,
      ],
      ['get without a call SID', 'get', { conferenceSid: WEEKLY }, /Call SID is missing: msg\.callSid is not set/],
      [
        'get with a call SID that is not a UUID',
        'get',
        { conferenceSid: WEEKLY, callSid: 'CA1' },
        /callSid must be a call SID/,
      ],
      [
        'remove with a path in the SID',
        'remove',
        { conferenceSid: `${WEEKLY}/..`, callSid: bob },
        /conferenceSid must be a conference SID/,
      ],
      ['no action chosen', '', { conferenceSid: WEEKLY }, /Choose an action/],
    ];
    for (const [what, action, msg, says] of cases) {
      it(`refuses ${what}`, async () => {
        const out = await run(action, msg);
        const failed = out.got.bad![0]!;
        assert.equal(failed.error.source, 'validation');
        assert.match(failed.error.message, says);
        assert.equal(emulator.stats.requests, 0);
        assert.equal(emulator.getConference(WEEKLY)!.participants.length, 4);
      });
    }
  });
});
