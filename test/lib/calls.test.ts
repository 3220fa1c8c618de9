import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CallPacer,
  createCall,
  hangUpCall,
  listCalls,
  retrieveCall,
  SignalWireClient,
  SignalWireError,
  validateCallsPerSecond,
  type Transport,
} from '../../src/lib';
import { DEMO_NUMBERS, ManualClock, startEmulator, type Emulator } from '../../src/emulator';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { call, until } from '../emulator/http';
import { rejectionOf } from './fixtures';

const FRANK = '+15551230001';

describe('calls: against the emulator', () => {
  let emulator: Emulator;
  let clock: ManualClock;
  let client: SignalWireClient;
  /** The join route a call's Url points at: a room to wait in. */
  let app: RecordingServer;
  let ROUTE: string;

  before(async () => {
    app = await startRecordingServer();
    app.fallback = () => ({
      status: 200,
      headers: { 'Content-Type': 'text/xml' },
      body: '<Response><Dial><Conference>Front door</Conference></Dial></Response>',
    });
    ROUTE = `${app.url}/signalwire/join?room=Front%20door`;
  });
  after(() => app.close());
  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startEmulator({ clock, seed: null });
    client = new SignalWireClient({
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      retryDelay: 5,
    });
  });
  afterEach(async () => {
    await client.close();
    await emulator.close();
  });

  /** The call as the emulator received it. */
  const received = async (sid: string) => (await call(emulator, `/__emulator/calls/${sid}`)).json;

  it('creates a call with To, From, Url, the progress callback for every event and the ring time', async () => {
    const created = await createCall(client, {
      to: FRANK,
      from: DEMO_NUMBERS.office,
      url: ROUTE,
      statusCallback: `${app.url}/signalwire/events/calls`,
      timeout: 30,
    });
    assert.equal(created.status, 'queued');
    assert.equal(created.to, FRANK);
    const seen = await received(created.sid);
    assert.equal(seen.url, ROUTE);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.status_callback, `${app.url}/signalwire/events/calls`);
    assert.deepEqual(seen.status_callback_event, ['initiated', 'ringing', 'answered', 'completed']);
    assert.equal(seen.timeout, 30);
  });

  it('percent-encodes a typed URL with a space, and sends a sip: address as To', async () => {
    const created = await createCall(client, {
      to: 'sip:frank@example.com',
      from: DEMO_NUMBERS.frontDoor,
      url: `${app.url}/join?room=Front door`,
    });
    assert.equal((await received(created.sid)).url, `${app.url}/join?room=Front%20door`);
  });

  it('refuses bad options before sending anything, naming every problem', async () => {
    const error = await rejectionOf(
      createCall(client, { to: '555-1234', from: 'me', url: 'home.example.com', timeout: 0, ring: true }),
    );
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.source, 'validation');
    for (const name of [
      '"ring" is not a call option',
      'to must be',
      'from must be',
      'url must be',
      'timeout must be',
    ]) {
      assert.ok(error.message.includes(name), `${name} in ${error.message}`);
    }
    assert.equal(emulator.stats.requests, 0);
  });

  it("reports SignalWire's refusal of a From the project does not own (422, code 21210), once", async () => {
    const error = await rejectionOf(createCall(client, { to: FRANK, from: '+15557770000', url: ROUTE }));
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.status, 422);
    assert.equal(error.code, 21210);
    assert.equal(emulator.stats.requests, 1);
  });

  it('places a call once: an answer lost after SignalWire acted is not retried', async () => {
    emulator.setFaults([{ kind: 'drop-answer', count: 1 }]);
    const error = await rejectionOf(createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }));
    assert.ok(error instanceof SignalWireError);
    assert.equal(emulator.stats.requests, 1);
    assert.equal(emulator.callRecords.all().length, 1, 'one call was placed, and only one');
  });

  it('retries a create that SignalWire refused unprocessed (503), and places it once', async () => {
    emulator.setFaults([{ kind: '503', count: 1 }]);
    const created = await createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE });
    assert.equal(emulator.stats.requests, 2);
    assert.deepEqual(
      emulator.callRecords.all().map((r) => r.sid),
      [created.sid],
    );
  });

  it('hangs up: a ringing call ends canceled, an answered one completed; retrieve and list show it', async () => {
    const ringing = await createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE });
    clock.advance(0);
    assert.equal((await retrieveCall(client, ringing.sid)).status, 'ringing');
    assert.equal((await hangUpCall(client, ringing.sid)).status, 'canceled');

    await call(emulator, `/__emulator/numbers/${encodeURIComponent('+15551230002')}`, {
      method: 'PUT',
      body: '{"afterMs": 0}',
    });
    const answered = await createCall(client, { to: '+15551230002', from: DEMO_NUMBERS.office, url: ROUTE });
    clock.advance(0);
    assert.equal((await retrieveCall(client, answered.sid)).status, 'in-progress');
    const ended = await hangUpCall(client, answered.sid);
    assert.equal(ended.status, 'completed');
    assert.equal(typeof ended.end_time, 'string');

    assert.deepEqual(
      (await listCalls(client, { status: 'canceled' })).map((c) => c.sid),
      [ringing.sid],
    );
    assert.deepEqual(
      (await listCalls(client, { to: '+15551230002' }, { pageSize: 1 })).map((c) => c.sid),
      [answered.sid],
    );
    assert.equal((await listCalls(client)).length, 2);
    const again = await rejectionOf(hangUpCall(client, answered.sid));
    assert.equal((again as SignalWireError).code, 10000);
  });

  it('refuses call filters it cannot send, saying everything wrong at once, and sends nothing', async () => {
    emulator.stats.reset();
    const wrong = (await rejectionOf(listCalls(client, { status: 'dialing', to: ' ', region: 'us1' }))) as Error;
    assert.equal(
      wrong.message,
      '"region" is not a filter (expected to, from, status); to must be a number or address to filter by (got " "); ' +
        'status must be one of queued, ringing, in-progress, canceled, completed, busy, failed, no-answer (got "dialing")',
    );
    assert.match(
      ((await rejectionOf(listCalls(client, 'ringing'))) as Error).message,
      /^call filters must be an object \(got "ringing"\)/,
    );
    assert.equal(emulator.stats.requests, 0);
  });

  it("lists a busy account's calls: a full page of a thousand is read, not refused as too large", async () => {
    const to = Array.from({ length: 1000 }, (_, i) => `+1555123${String(i).padStart(4, '0')}`);
    await Promise.all(to.map((number) => createCall(client, { to: number, from: DEMO_NUMBERS.office, url: ROUTE })));
    const listed = await listCalls(client);
    assert.equal(listed.length, 1000);
    assert.equal(emulator.stats.requests, 1001, 'one page');
  });

  it('refuses a call SID that is not one before sending', async () => {
    for (const sid of ['../Conferences', '', 42]) {
      const error = await rejectionOf(hangUpCall(client, sid));
      assert.equal((error as SignalWireError).source, 'validation');
    }
    assert.equal(((await rejectionOf(retrieveCall(client, randomUUID()))) as SignalWireError).status, 404);
    assert.equal(emulator.stats.requests, 1);
  });

  describe('paced at one call per second by default', () => {
    it('starts a burst one per second, in the order asked, and the rest wait their turn', async () => {
      const pacing = new ManualClock();
      const pacer = new CallPacer({ clock: pacing });
      const targets = ['+15551230001', '+15551230002', '+15551230003'];
      const placed = targets.map((to) => createCall(client, { to, from: DEMO_NUMBERS.office, url: ROUTE }, pacer));
      await until(() => emulator.stats.requests === 1);
      assert.equal(pacer.queued, 2);
      pacing.advance(999);
      assert.equal(pacer.queued, 2, 'not a moment early');
      pacing.advance(1);
      assert.equal(pacer.queued, 1);
      await until(() => emulator.stats.requests === 2);
      pacing.advance(1000);
      const calls = await Promise.all(placed);
      assert.deepEqual(
        calls.map((c) => c.to),
        targets,
      );
      assert.deepEqual(
        emulator.callRecords.all().map((r) => r.to),
        targets,
        'SignalWire received them in the order asked',
      );
    });

    it('after hours idle, the next call goes at once', async () => {
      const pacing = new ManualClock();
      const pacer = new CallPacer({ clock: pacing });
      await createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer);
      pacing.advance(6 * 3600_000);
      await createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer);
      assert.equal(pacer.queued, 0);
      assert.equal(emulator.stats.requests, 2);
    });

    it('after the machine clock is set back an hour, the next call waits one interval at most', async () => {
      const pacing = new ManualClock();
      const pacer = new CallPacer({ clock: pacing });
      await createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer);
      pacing.advance(-3600_000);
      const next = createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer);
      assert.equal(pacer.queued, 1);
      pacing.advance(1000);
      assert.equal(pacer.queued, 0, 'placed one interval after the one before, not an hour later');
      await next;
      assert.equal(emulator.callRecords.all().length, 2);
    });

    it('a faster setting spaces them closer; a closed pacer places nothing that still waits', async () => {
      const pacing = new ManualClock();
      const pacer = new CallPacer({ callsPerSecond: 4, clock: pacing });
      assert.equal(pacer.interval, 250);
      const first = createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer);
      const second = createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer);
      await first;
      pacer.close();
      const error = await rejectionOf(second);
      assert.match((error as Error).message, /not placed/);
      assert.equal(emulator.callRecords.all().length, 1);
    });

    it('a transport that throws at once fails that call alone; the next still goes at its turn', async () => {
      const pacing = new ManualClock();
      const pacer = new CallPacer({ clock: pacing });
      let asked = 0;
      const throwing: Transport = {
        request: (request) => {
          asked++;
          if (asked === 2) throw new Error('refused at once');
          return client.request(request);
        },
      };
      const options = { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE };
      const placed = [1, 2, 3].map(() => createCall(throwing, options, pacer));
      const settled = Promise.allSettled(placed);
      pacing.advance(1000);
      pacing.advance(1000);
      const [first, second, third] = await settled;
      assert.equal(first!.status, 'fulfilled');
      assert.match(String((second as PromiseRejectedResult).reason), /refused at once/);
      assert.equal(third!.status, 'fulfilled');
      assert.equal(emulator.callRecords.all().length, 2);
    });

    it('a call withdrawn while it waits is never placed; one that already went is not affected', async () => {
      const pacing = new ManualClock();
      const pacer = new CallPacer({ clock: pacing });
      const stopping = new AbortController();
      const first = createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer, stopping.signal);
      const second = createCall(client, { to: FRANK, from: DEMO_NUMBERS.office, url: ROUTE }, pacer, stopping.signal);
      await until(() => pacer.queued === 1);
      stopping.abort();
      assert.equal(pacer.queued, 0);
      assert.match(((await rejectionOf(second)) as Error).message, /^The call was not placed: the node stopped/);
      assert.equal((await first).to, FRANK);
      pacing.advance(1000);
      assert.equal(emulator.callRecords.all().length, 1);
    });

    it('refuses a setting that is not a rate', () => {
      assert.equal(validateCallsPerSecond(undefined), 1);
      assert.equal(validateCallsPerSecond('0.5'), 0.5);
      for (const bad of [0, -1, 'fast', 1000, Number.NaN]) {
        assert.throws(() => new CallPacer({ callsPerSecond: bad }), /callsPerSecond must be/);
      }
    });
  });
});
