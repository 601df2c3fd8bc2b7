/**
 * `npx tsx bench/anomaly-stream.ts`: cost of procsight's streaming anomaly
 * detector (exporter/src/analyse/anomaly/stream) on this machine.
 *
 * 1. CPU per point at the steps it must handle (1 s to 1 h), on a synthetic
 *    series with a daily cycle and noise, after a warm-up run; the median of
 *    three runs.
 * 2. Memory: `StreamDetector.bytes()`, the checkpoint's JSON size after two
 *    days, and the heap held by 1,800 detectors (200 groups × 9 signals, the
 *    exporter's scale) after a day of 60 s cells.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { StreamDetector } from '../exporter/src/analyse/anomaly/stream';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

/** Seeded noise (LCG) around a daily wave. */
function series(seed: number): (t: number) => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return (t) => 0.3 + 0.2 * Math.sin((2 * Math.PI * ((t - T0) % DAY)) / DAY) + 0.03 * (u() + u() + u() - 1.5);
}

function timeRun(stepSeconds: number, spanMs: number): { usPerPoint: number; points: number } {
  const d = new StreamDetector();
  const f = series(stepSeconds);
  let n = 0;
  const t0 = performance.now();
  for (let t = T0; t < T0 + spanMs; t += stepSeconds * 1000) {
    d.update(t, f(t));
    n++;
  }
  return { usPerPoint: ((performance.now() - t0) * 1000) / n, points: n };
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  return a[a.length >> 1];
}

const STEPS: Array<[string, number, number]> = [
  ['1 s', 1, 0.5 * DAY],
  ['15 s', 15, 3 * DAY],
  ['60 s', 60, 10 * DAY],
  ['5 min', 300, 30 * DAY],
  ['1 h', 3600, 90 * DAY],
];

console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} (2 cores shared; figures scale with it)\n`,
);
console.log('| step | points per run | µs per point (median of 3, warm) |');
console.log('|---|---|---|');
const perStep = new Map<number, number>();
for (const [label, step, span] of STEPS) {
  timeRun(step, Math.min(span, 2 * DAY)); // warm-up
  const runs = [0, 1, 2].map(() => timeRun(step, span));
  perStep.set(step, median(runs.map((r) => r.usPerPoint)));
  console.log(`| ${label} | ${runs[0].points.toLocaleString('en')} | ${perStep.get(step)!.toFixed(2)} |`);
}

const one = new StreamDetector();
const f = series(1);
for (let t = T0; t < T0 + 2 * DAY; t += 60_000) one.update(t, f(t));
const checkpoint = JSON.stringify(one.toJSON()).length;

const N = 1800;
const g = global as { gc?: () => void };
g.gc?.();
const held = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const before = held();
const fleet = Array.from({ length: N }, () => new StreamDetector());
const fs = fleet.map((_, i) => series(i));
const t0 = performance.now();
let updates = 0;
for (let t = T0; t < T0 + DAY; t += 60_000) {
  for (let i = 0; i < N; i++) fleet[i].update(t, fs[i](t));
  updates += N;
}
const fleetUs = ((performance.now() - t0) * 1000) / updates;
g.gc?.();
const heap = held() - before;
// Still in use after the measurement, so the collector cannot free them before it.
const alive = fleet.filter((d) => d.status === 'ready').length;

console.log('\n| measure | value |');
console.log('|---|---|');
console.log(`| state per series, \`StreamDetector.bytes()\` | ${one.bytes().toLocaleString('en')} bytes |`);
console.log(`| checkpoint per series after 2 days at 60 s (JSON) | ${checkpoint.toLocaleString('en')} bytes |`);
console.log(
  `| memory held (heap and typed arrays) by ${N.toLocaleString('en')} detectors after a day of 60 s cells${g.gc ? '' : ' (run with --expose-gc for a settled figure)'} | ${(heap / N).toLocaleString('en', { maximumFractionDigits: 0 })} bytes per series |`,
);
console.log(`| detectors scoring after that day | ${alive.toLocaleString('en')} of ${N.toLocaleString('en')} |`);
console.log(`| CPU per update across ${N.toLocaleString('en')} detectors at 60 s | ${fleetUs.toFixed(2)} µs |`);
console.log(`| share of one core for ${N.toLocaleString('en')} series sampled every 15 s | ${((100 * perStep.get(15)! * N) / 15e6).toFixed(3)} % |`);
