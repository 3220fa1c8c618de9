import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { input, participantFlow, Recorder, settle, type FlowOptions, type Msg } from './flow-kit';

const CONFERENCE = DEMO_SIDS.weeklySync;
const TOKEN = 'PT-secret-9f8e7d6c5b4a3f2e1d0c';
const WRONG_TOKEN = 'PT-wrong-secret-1a2b3c4d5e6f';

/**
 * Runs the node through every kind of outcome and looks for the token (and the Basic credentials built from it)
 * in everything a user or an operator can see: output messages, Catch and Complete messages, status texts, log
 * lines, errors handed to done(), and the answers of the "Check connection" endpoint.
 */
describe('the token never shows', function () {
  let emulator: Emulator;
  const seen: string[] = [];

  before(async () => {
    await startRuntime();
    emulator = await startEmulator({ token: TOKEN });
  });
  after(async () => {
    await emulator.close();
    await stopRuntime();
  });

  function secretsIn(text: string): string[] {
    const found: string[] = [];
    for (const token of [TOKEN, WRONG_TOKEN]) {
      const basic = Buffer.from(`${emulator.projectId}:${token}`).toString('base64');
      if (text.includes(token)) found.push(token);
      if (text.includes(basic)) found.push(`base64(${token})`);
    }
    return found;
  }

  /** Deploys, sends the messages, waits for their outcomes, and keeps everything visible for the scan. */
  async function exercise(options: FlowOptions, token: string, msgs: Msg[]): Promise<Recorder> {
    await helper.load(signalwireNodes, participantFlow(emulator, options), {
      cfg: { projectId: emulator.projectId, token },
    });
    const out = new Recorder();
    for (const msg of msgs) input('n1', msg);
    await out.until(msgs.length, 'ok', 'bad', 'caught');
    await settle();
    for (const check of [
      { space: emulator.url, projectId: emulator.projectId, token },
      { id: 'cfg', space: emulator.url, projectId: emulator.projectId, token: '__PWRD__' },
      { space: 'http://127.0.0.1:1', projectId: emulator.projectId, token, timeout: 500 },
      { space: 'http://10.1.2.3', projectId: emulator.projectId, token },
    ]) {
      const res = await helper.request().post('/signalwire-config/check').send(check);
      seen.push(res.text);
    }
    const n1 = helper.getNode('n1');
    for (const method of ['status', 'error', 'warn', 'log', 'send'] as const) {
      const spy = (n1 as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>)[method]!;
      for (const call of spy.getCalls()) seen.push(inspect(call.args, { depth: 8 }), JSON.stringify(call.args));
    }
    for (const call of helper.log().getCalls()) seen.push(inspect(call.args, { depth: 8 }));
    for (const list of Object.values(out.got))
      for (const msg of list) seen.push(inspect(msg, { depth: 8 }), JSON.stringify(msg));
    await helper.unload();
    return out;
  }

  const good = (callSid: string, payload: unknown = { muted: true }): Msg => ({
    conferenceSid: CONFERENCE,
    callSid,
    payload,
  });

  it('finds no token in anything seen across successes, API, network, timeout and validation errors', async () => {
    // Success and API errors, errors reported both ways.
    await exercise({ node: { reportToCatch: true } }, TOKEN, [
      good(DEMO_SIDS.bob),
      good('00000000-0000-4000-8000-000000000000'),
      { conferenceSid: DEMO_SIDS.mondayStandup, callSid: DEMO_SIDS.erin, payload: { hold: true } },
      good('not-a-sid'),
      good(DEMO_SIDS.bob, { muted: 'maybe' }),
      good(DEMO_SIDS.bob, JSON.parse('{"__proto__": {"x": 1}}')),
    ]);
    // A wrong token: 401 from the API.
    const unauthorized = await exercise({ errorOutputWired: false }, WRONG_TOKEN, [good(DEMO_SIDS.alice)]);
    assert.equal(unauthorized.got.caught![0]!._error.status, 401);
    // Faults: 503 after retries, a non-JSON 200, a reset connection, a timeout.
    emulator.setFaults([{ kind: '503' }]);
    await exercise({ config: { retries: 1 } }, TOKEN, [good(DEMO_SIDS.carol)]);
    emulator.setFaults([{ kind: 'non-json', count: 1 }]);
    await exercise({}, TOKEN, [good(DEMO_SIDS.carol)]);
    emulator.setFaults([{ kind: 'reset', count: 1 }]);
    await exercise({ errorOutputWired: false }, TOKEN, [good(DEMO_SIDS.carol)]);
    emulator.setFaults([{ kind: 'hang', count: 1 }]);
    await exercise({ config: { timeout: 300 } }, TOKEN, [good(DEMO_SIDS.carol)]);
    emulator.setFaults([]);
    // Settings that cannot work, with a token present.
    await exercise({ config: { space: 'http://10.9.8.7' }, errorOutputWired: false }, TOKEN, [good(DEMO_SIDS.bob)]);

    // The conference, participants and update-all nodes, through every action, success and failure.
    const conference = (action: string, msgs: Msg[], options: FlowOptions = {}) =>
      exercise({ ...options, type: 'signalwire-conference', node: { action, reportToCatch: true } }, TOKEN, msgs);
    await conference('find', [{ friendlyName: 'Weekly sync' }, { friendlyName: 'Nobody' }, {}]);
    await conference('list', [{}, { payload: { status: 'nope' } }]);
    await conference('get', [{ conferenceSid: CONFERENCE }, { conferenceSid: 'x' }]);
    await conference('announce', [{ conferenceSid: CONFERENCE, payload: { announceUrl: 'https://example.com/a' } }]);
    await conference('end', [{ conferenceSid: CONFERENCE }, { conferenceSid: CONFERENCE }]);
    emulator.reset();
    const participants = (action: string, msgs: Msg[]) =>
      exercise({ type: 'signalwire-participants', node: { action, reportToCatch: true } }, TOKEN, msgs);
    await participants('list', [{ conferenceSid: CONFERENCE }, { conferenceSid: CONFERENCE, payload: { muted: 2 } }]);
    await participants('get', [good(DEMO_SIDS.bob), good('00000000-0000-4000-8000-000000000000')]);
    await participants('remove', [good(DEMO_SIDS.carol), good(DEMO_SIDS.carol)]);
    const everyone = (msgs: Msg[], token = TOKEN) =>
      exercise({ type: 'signalwire-participants-update', node: { reportToCatch: true } }, token, msgs);
    await everyone([
      { conferenceSid: CONFERENCE, except: [DEMO_SIDS.alice], payload: { muted: true } },
      { conferenceSid: CONFERENCE, payload: { coaching: true, callSidToCoach: DEMO_SIDS.bob } },
      { conferenceSid: CONFERENCE, except: 'nope', payload: { muted: true } },
    ]);
    await everyone([{ conferenceSid: CONFERENCE, payload: { muted: true } }], WRONG_TOKEN);
    emulator.reset();

    assert.ok(seen.length > 100, `scanned ${seen.length} items`);
    // The scan can find a token: the flow's credentials hold it.
    assert.deepEqual(secretsIn(JSON.stringify({ cfg: { token: TOKEN } })), [TOKEN]);
    const leaks = seen.map((text, i) => [i, secretsIn(text)] as const).filter(([, found]) => found.length > 0);
    assert.deepEqual(
      leaks.map(([i, found]) => `${found.join(',')} in: ${seen[i]!.slice(0, 300)}`),
      [],
    );
  });
});
