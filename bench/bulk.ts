/**
 * The bulk case of `npm run bench`: "mute everyone but the host" in a conference of 500, with 20–40 ms of
 * latency on every request and the emulator's POST rate limit on. Our update all node against what a user
 * builds without it: `http request` list → function → split → `http request` per participant. Each variant gets a
 * fresh emulator and flow; both run in this process, one after the other. Run by run.ts (its own process).
 *
 * Our node sweeps three times on one deploy (mute, unmute, mute): right after deploy, at once again, and after
 * sitting idle, so easing off after 429s is seen on a connection that has been rate limited and left alone.
 *
 * Environment: BENCH_BULK_N (participants, default 500), BENCH_BULK_LIMIT (POSTs per second, default 20),
 * BENCH_BULK_IDLE_S (seconds idle before the third sweep, default 30).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import helper from 'node-red-node-test-helper';
import { startEmulator, type Emulator } from '../src/emulator';

const load = createRequire(__filename);
const dist = path.join(__dirname, '..', 'dist', 'nodes');
const coreNodes = path.join(path.dirname(load.resolve('@node-red/nodes/package.json')), 'core');

const N = Number(process.env.BENCH_BULK_N ?? 500);
const LIMIT = Number(process.env.BENCH_BULK_LIMIT ?? 20);
const IDLE_S = Number(process.env.BENCH_BULK_IDLE_S ?? 30);
const WINDOW_MS = 1000;
const LATENCY: [number, number] = [20, 40];

/** How the rate limit answers a refused POST. */
type RetryAfter = 'none' | 'every other';

interface BulkResult {
  variant: string;
  retryAfter: RetryAfter;
  /** Which sweep of the deploy: first, second (at once), or after the idle time. */
  sweep: string;
  seconds: number;
  requests: number;
  rateLimited: number;
  peakInFlight: number;
  /** Participants other than the host not in the state the sweep asked for at its end. */
  leftUnmuted: number;
  /** Failures the flow reported (output 2, a Catch node, or `failed` in the result). */
  errorsReported: number;
  /** Participants left unmuted that nothing reported: lost without a trace. */
  errorsLost: number;
  /** Time over the floor the rate limit sets (updates ÷ allowed rate). */
  floorRatio: number;
}

type Msg = Record<string, unknown>;

/** A sink node handing each message to `onMessage`. */
let onMessage: (sink: string, msg: Msg) => void = () => {};
function sinkModule(RED: {
  nodes: { createNode(n: object, c: object): void; registerType(t: string, c: unknown): void };
}): void {
  RED.nodes.registerType('bulk-sink', function (this: { on(e: string, cb: unknown): void }, config: { id: string }) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg: Msg, _send: unknown, done: () => void) => {
      onMessage(config.id, msg);
      done();
    });
  });
}

async function conference(retryAfter: RetryAfter): Promise<{ emulator: Emulator; sid: string; host: string }> {
  const emulator = await startEmulator({ seed: null });
  const sid = randomUUID();
  const host = randomUUID();
  emulator.addConference({
    sid,
    friendlyName: 'All hands',
    participants: [{ callSid: host, startConferenceOnEnter: true }],
  });
  emulator.addParticipants(sid, N - 1, { startConferenceOnEnter: false });
  emulator.setFaults([{ kind: 'latency', ms: LATENCY }]);
  // SignalWire documents no Retry-After; a server may send one now and then: `Retry-After: 1` on every other 429.
  emulator.setRateLimit({
    limit: LIMIT,
    windowMs: WINDOW_MS,
    ...(retryAfter === 'every other' ? { retryAfter: 1, retryAfterEvery: 2 } : {}),
  });
  emulator.stats.reset();
  return { emulator, sid, host };
}

interface Sweep {
  name: string;
  seconds: number;
  reported: number;
  requests: number;
  rateLimited: number;
  peakInFlight: number;
  leftUnmuted: number;
}

/** Our node on one deploy: three sweeps (mute, unmute, mute), one message in and one out each. */
async function ours(emulator: Emulator, sid: string, host: string): Promise<Sweep[]> {
  const flow = [
    { id: 'tab', type: 'tab', label: 'bulk' },
    { id: 'connection', type: 'signalwire-config', space: emulator.url },
    {
      id: 'mute-all',
      type: 'signalwire-participants-update',
      z: 'tab',
      signalwire: 'connection',
      wires: [['ok'], ['failed']],
    },
    { id: 'ok', type: 'bulk-sink', z: 'tab', wires: [] },
    { id: 'failed', type: 'bulk-sink', z: 'tab', wires: [] },
  ];
  await helper.load(
    [
      load(path.join(dist, 'signalwire-config.js')),
      load(path.join(dist, 'signalwire-participants-update.js')),
      sinkModule,
    ],
    flow as never,
    { connection: { projectId: emulator.projectId, token: emulator.token } },
  );
  const sweeps: Sweep[] = [];
  const plan: Array<[string, boolean, number]> = [
    ['first', true, 0],
    ['second', false, 0],
    [`after ${IDLE_S} s idle`, true, IDLE_S * 1000],
  ];
  for (const [name, muted, idleMs] of plan) {
    if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
    emulator.stats.reset();
    const done = new Promise<Msg>((resolve) => (onMessage = (_sink, msg) => resolve(msg)));
    const start = performance.now();
    helper.getNode('mute-all').receive({ conferenceSid: sid, except: [host], payload: { muted } } as never);
    const out = await done;
    const seconds = (performance.now() - start) / 1000;
    const failed = (out.payload as { failed?: unknown[] } | undefined)?.failed;
    const people = emulator.getConference(sid)!.participants.filter((p) => p.call_sid !== host);
    sweeps.push({
      name,
      seconds,
      reported: Array.isArray(failed) ? failed.length : out.error ? N - 1 : 0,
      requests: emulator.stats.requests,
      rateLimited: emulator.stats.rateLimited,
      peakInFlight: emulator.stats.maxInFlight,
      leftUnmuted: people.filter((p) => p.muted !== muted).length,
    });
  }
  await helper.unload();
  return sweeps;
}

/** What a user builds without our node: the API by hand, through core nodes. */
const LIST = `
const project = env.get('SIGNALWIRE_PROJECT_ID');
msg.url = env.get('SIGNALWIRE_SPACE') + '/api/laml/2010-04-01/Accounts/' + project + '/Conferences/' +
  msg.conferenceSid + '/Participants.json?PageSize=1000';
msg.headers = { Authorization: 'Basic ' + Buffer.from(project + ':' + env.get('SIGNALWIRE_TOKEN')).toString('base64') };
return msg;
`;
const EVERYONE_BUT_HOST = `
msg.payload = msg.payload.participants.map((p) => p.call_sid).filter((sid) => sid !== msg.host);
return msg;
`;
const MUTE_ONE = `
const project = env.get('SIGNALWIRE_PROJECT_ID');
msg.url = env.get('SIGNALWIRE_SPACE') + '/api/laml/2010-04-01/Accounts/' + project + '/Conferences/' +
  msg.conferenceSid + '/Participants/' + msg.payload + '.json';
msg.headers = {
  Authorization: 'Basic ' + Buffer.from(project + ':' + env.get('SIGNALWIRE_TOKEN')).toString('base64'),
  'Content-Type': 'application/x-www-form-urlencoded'
};
msg.payload = 'Muted=true';
return msg;
`;

async function diy(emulator: Emulator, sid: string, host: string): Promise<{ seconds: number; reported: number }> {
  process.env.SIGNALWIRE_SPACE = emulator.url;
  process.env.SIGNALWIRE_PROJECT_ID = emulator.projectId;
  process.env.SIGNALWIRE_TOKEN = emulator.token;
  const node = (file: string): never => load(path.join(coreNodes, file)) as never;
  const flow = [
    { id: 'tab', type: 'tab', label: 'bulk' },
    { id: 'list', type: 'function', z: 'tab', func: LIST, outputs: 1, wires: [['get']] },
    { id: 'get', type: 'http request', z: 'tab', method: 'GET', ret: 'obj', url: '', persist: true, wires: [['pick']] },
    // Ids differ from type names: a node whose id is also its type makes Node-RED refuse to start the flow.
    { id: 'pick', type: 'function', z: 'tab', func: EVERYONE_BUT_HOST, outputs: 1, wires: [['one-each']] },
    { id: 'one-each', type: 'split', z: 'tab', arraySplt: 1, arraySpltType: 'len', wires: [['mute']] },
    { id: 'mute', type: 'function', z: 'tab', func: MUTE_ONE, outputs: 1, wires: [['post']] },
    { id: 'post', type: 'http request', z: 'tab', method: 'POST', ret: 'obj', url: '', persist: true, wires: [['ok']] },
    { id: 'catch-failures', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['failed']] },
    { id: 'ok', type: 'bulk-sink', z: 'tab', wires: [] },
    { id: 'failed', type: 'bulk-sink', z: 'tab', wires: [] },
  ];
  await helper.load(
    [
      node('function/10-function.js'),
      node('network/21-httprequest.js'),
      node('sequence/17-split.js'),
      node('common/25-catch.js'),
      sinkModule as never,
    ],
    flow as never,
    {},
  );
  let expected = Infinity;
  let arrived = 0;
  let reported = 0;
  const done = new Promise<void>((resolve) => {
    onMessage = (sink, msg) => {
      arrived++;
      const parts = msg.parts as { count?: number } | undefined;
      if (typeof parts?.count === 'number') expected = parts.count;
      // The http request node passes a 429 on like any answer: only a Catch node's message is a report.
      if (sink === 'failed') reported++;
      if (arrived >= expected) resolve();
    };
  });
  const start = performance.now();
  helper.getNode('list').receive({ conferenceSid: sid, host } as never);
  await done;
  const seconds = (performance.now() - start) / 1000;
  await helper.unload();
  return { seconds, reported };
}

async function measure(variant: string, retryAfter: RetryAfter): Promise<BulkResult[]> {
  const { emulator, sid, host } = await conference(retryAfter);
  const floor = (N - 1) / (LIMIT / (WINDOW_MS / 1000));
  const result = (sweep: Sweep): BulkResult => ({
    variant,
    retryAfter,
    sweep: sweep.name,
    seconds: sweep.seconds,
    requests: sweep.requests,
    rateLimited: sweep.rateLimited,
    peakInFlight: sweep.peakInFlight,
    leftUnmuted: sweep.leftUnmuted,
    errorsReported: sweep.reported,
    errorsLost: Math.max(0, sweep.leftUnmuted - sweep.reported),
    floorRatio: sweep.seconds / floor,
  });
  try {
    if (variant === 'update all node') return (await ours(emulator, sid, host)).map(result);
    const { seconds, reported } = await diy(emulator, sid, host);
    const people = emulator.getConference(sid)!.participants.filter((p) => p.call_sid !== host);
    const leftUnmuted = people.filter((p) => !p.muted).length;
    return [
      result({
        name: 'first',
        seconds,
        reported,
        requests: emulator.stats.requests,
        rateLimited: emulator.stats.rateLimited,
        peakInFlight: emulator.stats.maxInFlight,
        leftUnmuted,
      }),
    ];
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `\nbulk: mute everyone but the host of a conference of ${N}, latency ${LATENCY[0]}–${LATENCY[1]} ms, ` +
      `POST rate limit ${LIMIT} per ${WINDOW_MS} ms (floor ${((N - 1) / LIMIT).toFixed(2)} s)`,
  );
  const results: BulkResult[] = [];
  for (const retryAfter of ['none', 'every other'] as const) {
    for (const variant of ['update all node', 'DIY flow']) results.push(...(await measure(variant, retryAfter)));
  }
  const head = [
    'variant',
    'Retry-After',
    'sweep',
    'time s',
    '× floor',
    'requests',
    '429s',
    'peak in flight',
    'left unmuted',
    'reported',
    'lost',
  ];
  const rows = results.map((r) => [
    r.variant,
    r.retryAfter,
    r.sweep,
    r.seconds.toFixed(2),
    r.floorRatio.toFixed(2),
    String(r.requests),
    String(r.rateLimited),
    String(r.peakInFlight),
    String(r.leftUnmuted),
    String(r.errorsReported),
    String(r.errorsLost),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(['', line(head), ...rows.map(line)].join('\n'));
  for (const r of results.filter((x) => x.variant === 'update all node')) {
    const allMuted = r.leftUnmuted === 0 && r.errorsLost === 0;
    const which = `update all, Retry-After ${r.retryAfter}, ${r.sweep} sweep`;
    console.log(`${allMuted ? 'PASS' : 'MISS'}  ${which}: all ${N - 1} updated, nothing lost`);
    console.log(
      `${r.floorRatio <= 3 ? 'PASS' : 'MISS'}  ${which}: ${r.floorRatio.toFixed(2)} × the rate-limit floor (target <= 3)`,
    );
  }
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'bulk.json'),
    JSON.stringify(
      { date: new Date().toISOString(), n: N, limit: LIMIT, idleSeconds: IDLE_S, latency: LATENCY, results },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
