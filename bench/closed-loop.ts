/**
 * Drives one variant: a closed loop keeping `concurrency` updates in flight, timing each from the call
 * to the settled outcome. Memory is read after a garbage collection at two checkpoints.
 */
import { performance } from 'node:perf_hooks';
import type { BenchRequest, Workload } from './workload';

/** What a variant gives the loop: one update, resolved when its outcome is known. */
export type Update = (req: BenchRequest) => Promise<void>;

export interface VariantResult {
  updatesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time (user + system) of this process per measured update: steadier than throughput on a busy machine. */
  cpuUsPerUpdate: number;
  peakRssMb: number;
  /** RSS after gc, after the warm-up (the first updates). */
  rssAfterWarmupMb: number;
  /** RSS after gc, after all measured updates. */
  rssAfterRunMb: number;
  heapAfterWarmupMb: number;
  heapAfterRunMb: number;
  errors: number;
  firstError?: string;
  n: number;
  warmup: number;
}

const MB = 1024 * 1024;

function collect(): { rss: number; heap: number } {
  // --expose-gc is required: without it RSS checkpoints would measure garbage, not retention.
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: m.heapUsed / MB };
}

async function runLoop(
  update: Update,
  requests: BenchRequest[],
  count: number,
  concurrency: number,
  latencies: Float64Array | null,
  onError: (err: unknown) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const req = requests[i % requests.length];
      const t0 = performance.now();
      try {
        await update(req);
      } catch (err) {
        onError(err);
      }
      if (latencies) latencies[i] = performance.now() - t0;
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < concurrency; w++) workers.push(worker());
  await Promise.all(workers);
}

function percentile(sorted: Float64Array, p: number): number {
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)];
}

export async function measure(update: Update, workload: Workload): Promise<VariantResult> {
  let errors = 0;
  let firstError: string | undefined;
  const onError = (err: unknown): void => {
    errors++;
    if (firstError === undefined) firstError = err instanceof Error ? err.message : String(err);
  };

  await runLoop(update, workload.requests, workload.warmup, workload.concurrency, null, onError);
  const afterWarmup = collect();

  // Continue through the request list where the warm-up stopped, so every participant alternates cleanly.
  const offset = workload.warmup % workload.requests.length;
  const rotated = workload.requests.slice(offset).concat(workload.requests.slice(0, offset));
  const latencies = new Float64Array(workload.n);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await runLoop(update, rotated, workload.n, workload.concurrency, latencies, onError);
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const afterRun = collect();

  latencies.sort();
  return {
    updatesPerSecond: workload.n / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuUsPerUpdate: (cpu.user + cpu.system) / workload.n,
    // maxRSS is the OS's high-water mark for this process, in kilobytes.
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    rssAfterWarmupMb: afterWarmup.rss,
    rssAfterRunMb: afterRun.rss,
    heapAfterWarmupMb: afterWarmup.heap,
    heapAfterRunMb: afterRun.heap,
    errors,
    firstError,
    n: workload.n,
    warmup: workload.warmup,
  };
}
