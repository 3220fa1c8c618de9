/** The table, ratios and targets printed by `npm run bench`, and the JSON written beside them. */
import type { VariantResult } from './closed-loop';

export const LABELS: Record<string, string> = {
  A: 'participant update node (Node-RED)',
  B: 'raw axios, keep-alive',
  C: 'function + core http request node',
  D: '@signalwire/compatibility-api SDK',
  E: 'bare node:http, keep-alive',
};

export type Outcome = { result: VariantResult } | { skipped: string };

export interface Target {
  name: string;
  value: number | null;
  goal: string;
  pass: boolean | null;
}

const ratio = (a?: VariantResult, b?: VariantResult): number | null =>
  a && b ? a.updatesPerSecond / b.updatesPerSecond : null;

export function evaluate(results: Record<string, Outcome>): {
  ratios: Record<string, number | null>;
  targets: Target[];
} {
  const r = (k: string): VariantResult | undefined => {
    const o = results[k];
    return o && 'result' in o ? o.result : undefined;
  };
  const a = r('A');
  const ratios = { 'A/B': ratio(a, r('B')), 'A/C': ratio(a, r('C')), 'A/D': ratio(a, r('D')) };
  const growth = a ? a.rssAfterRunMb - a.rssAfterWarmupMb : null;
  const targets: Target[] = [
    {
      name: 'A/B throughput',
      value: ratios['A/B'],
      goal: '>= 0.85',
      pass: ratios['A/B'] === null ? null : ratios['A/B'] >= 0.85,
    },
    {
      name: 'A/C throughput',
      value: ratios['A/C'],
      goal: '>= 1.3',
      pass: ratios['A/C'] === null ? null : ratios['A/C'] >= 1.3,
    },
    { name: 'A RSS growth (MB)', value: growth, goal: '<= 20', pass: growth === null ? null : growth <= 20 },
  ];
  return { ratios, targets };
}

const fmt = (v: number, digits: number): string => v.toFixed(digits);

export function table(results: Record<string, Outcome>): string {
  const rows = [['', 'variant', 'updates/s', 'p50 ms', 'p99 ms', 'CPU µs/update', 'peak RSS MB', 'errors']];
  for (const [key, o] of Object.entries(results)) {
    if ('skipped' in o) {
      rows.push([key, LABELS[key], 'not run', '', '', '', '', '']);
      continue;
    }
    const v = o.result;
    rows.push([
      key,
      LABELS[key],
      fmt(v.updatesPerSecond, 0),
      fmt(v.p50Ms, 2),
      fmt(v.p99Ms, 2),
      fmt(v.cpuUsPerUpdate, 0),
      fmt(v.peakRssMb, 1),
      String(v.errors),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '))
    .join('\n');
}
