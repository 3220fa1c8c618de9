/**
 * Summarizes a --cpu-prof profile written by `BENCH_PROFILE=A npm run bench`: where the CPU went, by package
 * and by function (self time), and the inclusive time of this package's own functions.
 * Usage: node --require tsx/cjs bench/profile-summary.ts bench/results/A.cpuprofile
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/** "axios", "@node-red/runtime", "this package" or "node" (built-ins), from a script URL. */
function owner(url: string): string {
  if (!url) return '(vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node';
  if (/\/(dist|src)\/(lib|nodes|emulator)\//.test(url)) return 'this package';
  return url.replace(/^file:\/\//, '');
}

function main(file: string): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totalHits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const ms = (hits: number): number => ((profile.endTime - profile.startTime) / 1000) * (hits / totalHits);
  const pct = (hits: number): string => `${((100 * hits) / totalHits).toFixed(1)}%`.padStart(6);

  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    const pkg = n.callFrame.url ? owner(n.callFrame.url) : n.callFrame.functionName;
    packages.set(pkg, (packages.get(pkg) ?? 0) + hits);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${owner(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + hits);
  }

  // Inclusive time of this package's functions: every sample under them, counted once per function.
  const inclusive = new Map<string, number>();
  const walk = (id: number, active: Set<string>): number => {
    const n = byId.get(id)!;
    const ours = owner(n.callFrame.url) === 'this package';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    const fresh = ours && !active.has(key);
    if (fresh) active.add(key);
    let hits = n.hitCount ?? 0;
    for (const child of n.children ?? []) hits += walk(child, active);
    if (fresh) {
      active.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
    }
    return hits;
  };
  walk(profile.nodes[0].id, new Set());

  const top = (map: Map<string, number>, count: number): [string, number][] =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  console.log(`${file}: ${(ms(totalHits) / 1000).toFixed(1)} s sampled\n\nself time by package:`);
  for (const [name, hits] of top(packages, 15)) console.log(`${pct(hits)}  ${name}`);
  console.log('\nself time by function:');
  for (const [name, hits] of top(functions, 20)) console.log(`${pct(hits)}  ${name}`);
  console.log("\nthis package's functions, inclusive:");
  for (const [name, hits] of top(inclusive, 12)) console.log(`${pct(hits)}  ${name}`);
}

main(process.argv[2] ?? 'bench/results/A.cpuprofile');
