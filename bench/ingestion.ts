/**
 * The ingestion case of `npm run bench`: signed conference events per second through the conference events node
 * against a DIY flow (http in → function checking the HMAC with crypto → http response), in the same run. Each
 * side runs in its own process; this process sends the same signed participant-join callbacks to both, keeping
 * 16 in flight, in rounds that alternate between the sides, and times each answer. Every callback is a new one
 * (its own sequence number and call), as SignalWire's are: the node passes a repeat on only once, the DIY flow
 * every time, so repeats would not compare like with like. Afterwards each side says how many events reached its
 * sink: one per 204. Last, one callback of 21 000 repeated field names (64 KiB, the most a body may hold) is timed
 * through the node alone: how long it holds the event loop.
 *
 * Environment: BENCH_EVENTS_N (measured events per side, default 10000), BENCH_EVENTS_WARMUP (default 1000).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PATHS, SIGNING_KEY, type IngestionVariant } from './ingestion-child';

const CONCURRENCY = 16;

export interface IngestionResult {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  accepted: number;
  received: number;
  otherAnswers: number;
  /** CPU time of the serving process per event, in microseconds. */
  cpuUsPerEvent: number;
}

function sign(url: string, fields: Array<[string, string]>): string {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha1', SIGNING_KEY)
    .update(url + sorted.map(([k, v]) => k + v).join(''))
    .digest('base64');
}

/** `count` distinct participant-join callbacks, signed for `url`, stamped now. */
function signedCallbacks(url: string, count: number): Array<{ body: string; signature: string }> {
  const conferenceSid = randomUUID();
  return Array.from({ length: count }, (_, i) => {
    const fields: Array<[string, string]> = [
      ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
      ['ConferenceSid', conferenceSid],
      ['FriendlyName', 'Weekly sync'],
      ['StatusCallbackEvent', 'participant-join'],
      ['Timestamp', new Date().toUTCString().replace('GMT', '+0000')],
      ['SequenceNumber', String(i + 1)],
      ['CallSid', randomUUID()],
      ['Muted', 'false'],
      ['Hold', 'false'],
      ['StartConferenceOnEnter', 'false'],
      ['EndConferenceOnExit', 'false'],
    ];
    return { body: new URLSearchParams(fields).toString(), signature: sign(url, fields) };
  });
}

function post(agent: http.Agent, url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'X-SignalWire-Signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A participant-join padded with 21 000 repeats of one field name, as large as a callback may be (64 KiB). */
function repeatedNamesCallback(url: string): { body: string; signature: string } {
  const fields: Array<[string, string]> = [
    ['ConferenceSid', randomUUID()],
    ['StatusCallbackEvent', 'participant-join'],
    ['Timestamp', new Date().toUTCString().replace('GMT', '+0000')],
    ...Array.from({ length: 21_000 }, (): [string, string] => ['a', '']),
  ];
  return { body: new URLSearchParams(fields).toString(), signature: sign(url, fields) };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function ask<T>(child: ChildProcess, key: string, message?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (m.error) reject(new Error(String(m.error)));
      else if (key in m) {
        child.off('message', onMessage);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`exited with code ${code}`)));
    if (message) child.send(message);
  });
}

interface Side {
  child: ChildProcess;
  url: URL;
  callbacks: Array<{ body: string; signature: string }>;
  agent: http.Agent;
  accepted: number;
  otherAnswers: number;
  latencies: number[];
  elapsedMs: number;
}

async function startSide(variant: IngestionVariant, count: number): Promise<Side> {
  const child = fork(path.join(__dirname, 'ingestion-child.ts'), [variant], {
    execArgv: ['--require', 'tsx/cjs'],
    stdio: 'inherit',
  });
  const { port } = await ask<{ port: number }>(child, 'port');
  const url = new URL(`http://127.0.0.1:${port}${PATHS[variant]}`);
  return {
    child,
    url,
    callbacks: signedCallbacks(url.href, count),
    agent: new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
    accepted: 0,
    otherAnswers: 0,
    latencies: [],
    elapsedMs: 0,
  };
}

/** Sends the next `count` callbacks to one side, 16 in flight; `measured` keeps their timings. */
async function load(side: Side, count: number, measured: boolean): Promise<void> {
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const { body, signature } = side.callbacks.shift()!;
      const t0 = performance.now();
      const status = await post(side.agent, side.url, body, signature);
      if (measured) side.latencies.push(performance.now() - t0);
      if (status === 204) side.accepted++;
      else side.otherAnswers++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (measured) side.elapsedMs += performance.now() - start;
}

async function finish(side: Side, n: number, warmup: number): Promise<IngestionResult> {
  side.agent.destroy();
  const { received, cpuUs } = await ask<{ received: number; cpuUs: number }>(side.child, 'received', { count: true });
  const latencies = Float64Array.from(side.latencies).sort();
  return {
    eventsPerSecond: n / (side.elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    accepted: side.accepted,
    received,
    otherAnswers: side.otherAnswers,
    cpuUsPerEvent: cpuUs / (n + warmup),
  };
}

/** Runs both sides, prints the comparison, and returns it for bench/results. */
export async function ingestionCase(): Promise<Record<string, unknown>> {
  const n = Number(process.env.BENCH_EVENTS_N ?? 10000);
  const warmup = Number(process.env.BENCH_EVENTS_WARMUP ?? 1000);
  console.log(
    `\ningestion: ${n} (+${warmup} warm-up) signed participant-join callbacks per side, ${CONCURRENCY} in flight`,
  );
  const sides = { ours: await startSide('ours', n + warmup), diy: await startSide('diy', n + warmup) };
  const results: Partial<Record<IngestionVariant, IngestionResult>> = {};
  let repeatedMs: number;
  let repeatedStatus: number;
  try {
    for (const side of Object.values(sides)) await load(side, warmup, false);
    // Rounds alternate between the sides, so load from elsewhere on the machine falls on both alike.
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['ours', 'diy'] as const) : (['diy', 'ours'] as const);
      for (const variant of order) await load(sides[variant], n / rounds, true);
    }
    // The heaviest body the node reads: the event loop is held for as long as its answer takes.
    const heavy = repeatedNamesCallback(sides.ours.url.href);
    const agent = new http.Agent();
    const t0 = performance.now();
    repeatedStatus = await post(agent, sides.ours.url, heavy.body, heavy.signature);
    repeatedMs = performance.now() - t0;
    agent.destroy();
    // Let the last messages reach the sinks before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const variant of ['ours', 'diy'] as const) results[variant] = await finish(sides[variant], n, warmup);
  } finally {
    for (const side of Object.values(sides)) if (side.child.exitCode === null) side.child.kill();
  }
  const label = { ours: 'conference events node', diy: 'DIY: http in → function (crypto HMAC) → http response' };
  console.log(
    '  side                                                    events/s   p50 ms   p99 ms   CPU µs/event   204s / messages',
  );
  for (const variant of ['ours', 'diy'] as const) {
    const r = results[variant]!;
    console.log(
      `  ${label[variant].padEnd(55)} ${r.eventsPerSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(2).padStart(8)} ` +
        `${r.p99Ms.toFixed(2).padStart(8)} ${r.cpuUsPerEvent.toFixed(0).padStart(14)}   ${r.accepted} / ${r.received}` +
        (r.otherAnswers ? `, ${r.otherAnswers} other answers` : ''),
    );
  }
  const ratio = results.ours!.eventsPerSecond / results.diy!.eventsPerSecond;
  // The node's sink also got the repeated-names callback.
  const oneEach = (['ours', 'diy'] as const).every(
    (v) => results[v]!.accepted === n + warmup && results[v]!.received === n + warmup + (v === 'ours' ? 1 : 0),
  );
  console.log(`ours/DIY events/s = ${ratio.toFixed(2)}`);
  console.log(
    `a 64 KiB callback of 21 000 repeated names: answered ${repeatedStatus} in ${repeatedMs.toFixed(0)} ms by the node`,
  );
  console.log(`${ratio >= 1 ? 'PASS' : 'MISS'}  ingestion ours/DIY ${ratio.toFixed(2)} (target ≥ 1.00)`);
  console.log(`${oneEach ? 'PASS' : 'MISS'}  every signed event answered 204 and passed on once, on both sides`);
  return {
    n,
    warmup,
    concurrency: CONCURRENCY,
    results,
    ratio,
    oneEach,
    repeatedNames: { status: repeatedStatus, ms: repeatedMs },
  };
}

if (require.main === module) {
  ingestionCase().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
