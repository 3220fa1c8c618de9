/**
 * `npm run bench`: one run, loopback only, the emulator with faults off, the same requests for every
 * variant. Each variant runs in its own child process (fair RSS), after a warm-up.
 *
 * Environment: BENCH_N (measured updates, default 20000), BENCH_WARMUP (default 1000),
 * BENCH_ONLY (e.g. "A,B", or "bulk" for the bulk case alone), BENCH_PROFILE (e.g. "A": that child writes a
 * --cpu-prof profile to bench/results/). The bulk case (bulk.ts) runs last, in its own process.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, DEMO_SEED } from '../src/emulator';
import type { VariantResult } from './closed-loop';
import { evaluate, LABELS, table, type Outcome } from './report';
import { buildRequests, type Workload } from './workload';
import { ingestionCase } from './ingestion';

const resultsDir = path.join(__dirname, 'results');

function runChild(name: string, workload: Workload): Promise<VariantResult> {
  const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(name);
  const execArgv = ['--expose-gc', '--require', 'tsx/cjs'];
  if (profile) execArgv.push('--cpu-prof', '--cpu-prof-dir', resultsDir, '--cpu-prof-name', `${name}.cpuprofile`);
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'child.ts'), [name], { execArgv, stdio: 'inherit' });
    let answer: { result?: VariantResult; error?: string } | undefined;
    child.on('message', (m: { result?: VariantResult; error?: string }) => (answer = m));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer?.result) resolve(answer.result);
      else reject(new Error(answer?.error ?? `variant ${name} exited with code ${code}`));
    });
    child.send(workload);
  });
}

async function main(): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const n = Number(process.env.BENCH_N ?? 20000);
  const warmup = Number(process.env.BENCH_WARMUP ?? 1000);
  const only = process.env.BENCH_ONLY?.split(',');
  if (only?.every((name) => name === 'bulk')) return runBulk();
  const emulator = await startEmulator({ faults: undefined });
  // The demo's live conference; its completed one would only produce errors.
  const participants = DEMO_SEED.conferences
    .filter((c) => c.status !== 'completed')
    .flatMap((c) =>
      (c.participants ?? []).map((p) => ({ conferenceSid: c.sid as string, callSid: p.callSid as string })),
    );
  const workload: Workload = {
    target: { url: emulator.url, projectId: emulator.projectId, token: emulator.token },
    requests: buildRequests(participants),
    n,
    warmup,
    concurrency: 16,
    maxInFlight: 16,
  };
  console.log(
    `bench: N=${n} (+${warmup} warm-up) updates, ${workload.concurrency} in flight, ${participants.length} participants, ` +
      `emulator ${emulator.url} (faults off), node ${process.version}, ${os.cpus().length} CPUs`,
  );

  const results: Record<string, Outcome> = {};
  for (const name of Object.keys(LABELS)) {
    if (only && !only.includes(name)) continue;
    process.stdout.write(`  ${name}: ${LABELS[name]} ... `);
    try {
      results[name] = { result: await runChild(name, workload) };
      const r = (results[name] as { result: VariantResult }).result;
      console.log(
        `${r.updatesPerSecond.toFixed(0)} updates/s${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`,
      );
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      results[name] = { skipped: reason };
      console.log(`not run — ${reason}`);
    }
  }
  await emulator.close();

  const { ratios, targets } = evaluate(results);
  console.log('\n' + table(results) + '\n');
  for (const [k, v] of Object.entries(ratios)) console.log(`${k} = ${v === null ? 'n/a' : v.toFixed(2)}`);
  const a = results.A && 'result' in results.A ? results.A.result : undefined;
  if (a) {
    console.log(
      `A RSS after gc: ${a.rssAfterWarmupMb.toFixed(1)} MB after the first ${warmup}, ` +
        `${a.rssAfterRunMb.toFixed(1)} MB after ${n} more (heap ${a.heapAfterWarmupMb.toFixed(1)} -> ${a.heapAfterRunMb.toFixed(1)} MB)`,
    );
  }
  for (const t of targets) {
    const verdict = t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'MISS';
    console.log(`${verdict}  ${t.name} ${t.value === null ? 'n/a' : t.value.toFixed(2)} (target ${t.goal})`);
  }
  const file = path.join(resultsDir, 'latest.json');
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        n,
        warmup,
        concurrency: workload.concurrency,
        results,
        ratios,
        targets,
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);

  if (!only || only.includes('ingestion')) {
    const ingestionFile = path.join(resultsDir, 'ingestion.json');
    fs.writeFileSync(
      ingestionFile,
      JSON.stringify({ date: new Date().toISOString(), ...(await ingestionCase()) }, null, 2),
    );
    console.log(`written to ${path.relative(process.cwd(), ingestionFile)}`);
  }
  if (!only || only.includes('bulk')) await runBulk();
}

/** The bulk case in its own process: a fresh runtime and emulators, its own table (see bulk.ts). */
function runBulk(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'bulk.ts'), [], { execArgv: ['--require', 'tsx/cjs'], stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the bulk case exited with code ${code}`))));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
