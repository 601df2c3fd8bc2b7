/**
 * Forecast memory over uptime (not in CI): the worker's job (exactly
 * `runJob` with the arima WebAssembly) on 101 series, refit after refit, as
 * the exporter's histories fill from 60 points to the 1,440-point cap (24 h
 * at the default 60 s step) and then stay there. Prints the process's RSS
 * and V8 heap after each phase and rewrites the forecast-memory section of
 * docs/reliability.md. Tells apart growth that stops at the history cap
 * (WebAssembly memory only grows, to the largest fit's need) from a leak.
 *
 *   node --expose-gc --import tsx bench/forecast-memory.ts [--steady 20]
 */
import { join } from 'node:path';
import { arima, runJob, type FitJob } from '../exporter/src/analyse/forecast/worker';
import { writeDocSection } from '../scripts/doc-section';

const args = process.argv.slice(2);
const steady = args.includes('--steady') ? Number(args[args.indexOf('--steady') + 1]) : 20;
const SERIES = 101; // 20 groups × 4 resources + the host, the default
const CAP = 1440;

let seed = 7;
const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;

function refit(points: number): void {
  for (let k = 0; k < SERIES; k++) {
    const series = Array.from({ length: points }, (_, i) => 10 + k + 3 * Math.sin(i / 30) + 2 * rnd());
    const job: FitJob = { key: String(k), series, horizons: [15, 60, 360].filter((h) => h <= points), pathSteps: 365, level: 0.8, origins: 6, nonNegative: true };
    runJob(job, arima);
  }
}

function sample(label: string, refits: number, points: number): { label: string; refits: number; points: number; rss: number; heap: number } {
  gc?.();
  const m = process.memoryUsage();
  return { label, refits, points, rss: mb(m.rss), heap: mb(m.heapUsed) };
}

function main(): void {
  if (!gc) throw new Error('run with node --expose-gc --import tsx bench/forecast-memory.ts');
  const rows = [sample('start (module loaded)', 0, 0)];
  let refits = 0;
  // Histories fill: one refit per 60 points (every 300 s the exporter adds 5 points; this is faster).
  for (let points = 60; points <= CAP; points += 60) {
    refit(points);
    refits++;
    if (points % 360 === 0) rows.push(sample('filling', refits, points));
  }
  for (let i = 1; i <= steady; i++) {
    refit(CAP);
    refits++;
    if (i % 5 === 0) rows.push(sample('at the cap', refits, CAP));
  }
  const table = ['| phase | refits of 101 series | points per series | RSS (MB) | V8 heap after GC (MB) |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.label} | ${r.refits} | ${r.points} | ${r.rss} | ${r.heap} |`)].join('\n');
  console.log(table);
  const capRows = rows.filter((r) => r.label === 'at the cap');
  const first = rows.find((r) => r.points === CAP) ?? capRows[0];
  const last = capRows[capRows.length - 1];
  const body = `\`node --expose-gc --import tsx bench/forecast-memory.ts --steady ${steady}\` on ${new Date().toISOString().slice(0, 10)}: RSS ${rows[0].rss} MB with the module loaded, ${first.rss} MB once the histories reach the cap, ${last.rss} MB after ${steady} more refits at the cap (${(last.rss - first.rss).toFixed(1)} MB); the V8 heap stays at ${last.heap} MB. The growth is WebAssembly memory, which grows to the largest fit's need and is never given back, so it stops at the history cap.\n\n${table}`;
  const path = join(__dirname, '..', 'docs', 'reliability.md');
  writeDocSection(path, 'forecast-memory', body, { heading: 'Memory over uptime' });
  console.log(`wrote ${path}`);
}

main();
