/**
 * Benchmark (not a test): what one refit of the exporter's forecaster costs,
 * measured in the real worker thread (ARIMA + exponential smoothing, rolling
 * backtests, conformal intervals) on full histories. The series are real
 * machine metrics (the NAB AWS CloudWatch files in ../shared/data/nab), one
 * file per group and resource, scaled to the resource's units. Prints a table
 * and rewrites the forecast-refit section of docs/benchmarks.md.
 *
 *   npx tsx bench/forecast-refit.ts [--groups 25] [--refits 3]
 */
import { join } from 'node:path';
import { forecastConfigSchema } from '../exporter/src/analyse/forecast/config';
import { Forecaster } from '../exporter/src/analyse/forecast/forecaster';
import { emptyHost } from '../exporter/src/pipeline/collector';
import type { CollectionSnapshot } from '../exporter/src/pipeline/types';
import { collectionSnapshot, groupSnapshot } from '../test/helpers/synthetic';
import { loadNab } from '../eval/nab/data';
import { writeDocSection } from '../scripts/doc-section';

const args = process.argv.slice(2);
const num = (n: string, d: number) => (args.includes(`--${n}`) ? Number(args[args.indexOf(`--${n}`) + 1]) : d);
const groups = num('groups', 25);
const refits = num('refits', 3);

const config = forecastConfigSchema.parse({ top_groups: groups });
const stepMs = config.step_seconds * 1000;
const points = config.history_points;
const nab = loadNab();
if (nab.length === 0) throw new Error('no NAB AWS files under ../shared/data/nab');
/** Point t of NAB file k, normalised to [0, 1] over the file. */
const norm = nab.map((f) => {
  const v = f.values;
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return (t: number) => (v[t % v.length] - lo) / (hi - lo || 1);
});
const series = (g: number, r: number, t: number) => norm[(g * 4 + r) % norm.length](t);

const host = { ...emptyHost(), cpus: 8, memoryTotalBytes: 32e9, memoryAvailableBytes: 16e9 };
const snap = (t: number): CollectionSnapshot =>
  collectionSnapshot(
    Array.from({ length: groups }, (_, i) =>
      groupSnapshot(`g${i}`, {
        gauges: { rssBytes: 1e8 + 1e9 * series(i, 1, t), threads: 4, openFds: Math.round(50 + 500 * series(i, 2, t)) },
        rates: { cpuCores: 2 * series(i, 0, t), writeBytesPerSecond: 1e6 * series(i, 3, t) },
      }),
    ),
    { timestampMs: t * stepMs, intervalSeconds: config.step_seconds, host: { ...host, memoryAvailableBytes: 8e9 + 8e9 * series(99, 0, t) } },
  );

async function main(): Promise<void> {
  const fits: number[] = [];
  let failed = 0;
  const f = new Forecaster({ config, hooks: { onFit: (s) => fits.push(s), onFitFailed: () => failed++ } });
  for (let t = 0; t < points; t++) f.ingest(snap(t));
  const rows: string[] = [];
  let cpuTotal = 0;
  let wallTotal = 0;
  for (let i = 0; i < refits; i++) {
    fits.length = 0;
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await f.refit();
    const c = process.cpuUsage(c0);
    const wall = (performance.now() - w0) / 1000;
    const cpu = (c.user + c.system) / 1e6;
    cpuTotal += cpu;
    wallTotal += wall;
    rows.push(`| ${i + 1} | ${f.current().length} | ${points} | ${config.horizons.join(', ')} | ${cpu.toFixed(2)} | ${wall.toFixed(2)} | ${((100 * cpu) / config.refit_seconds).toFixed(2)} % |`);
  }
  await f.stop();
  const meanCpu = cpuTotal / refits;
  const table = [
    '| refit | series forecast | points per series | horizons | CPU s (process incl. worker) | wall s | share of one core over the refit period |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(table);
  console.log(`mean ${meanCpu.toFixed(2)} CPU s per refit = ${((100 * meanCpu) / config.refit_seconds).toFixed(2)} % of one core every ${config.refit_seconds} s; fits failed ${failed}; mean wall ${(wallTotal / refits).toFixed(2)} s`);
  const path = join(__dirname, '..', 'docs', 'benchmarks.md');
  const body = `\`npx tsx bench/forecast-refit.ts --groups ${groups} --refits ${refits}\` on ${new Date().toISOString().slice(0, 10)}: the exporter's Forecaster with the default configuration (${config.horizons.length} horizons, ${config.backtest_origins} backtest origins, refit every ${config.refit_seconds} s) and full ${points}-point histories of ${groups} groups × 4 resources + the host, taken from the NAB AWS CloudWatch files (real machine metrics). CPU is the whole process's (the worker thread included), measured around each refit.\n\n${table}\n\nMean: ${meanCpu.toFixed(2)} CPU seconds per refit, **${((100 * meanCpu) / config.refit_seconds).toFixed(2)} % of one core** averaged over the refit period (target ≤ 10 % for 100 series); fits failed: ${failed}.`;
  writeDocSection(path, 'forecast-refit', body, { title: '# Benchmarks', heading: 'Forecast refit cost' });
  console.log(`wrote ${path}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
