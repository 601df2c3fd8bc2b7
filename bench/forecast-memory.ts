/**
 * Forecast memory at its bound (not in CI): a Forecaster holding `max_series`
 * series with every history full (cold-start, short and capacity tiers) and
 * the top groups fitted and served, measured as V8 heap after GC. Tells the
 * histories' bound (4 bytes a point) from what the fits add. Rewrites the
 * forecast-memory section of docs/evaluation.md, "Forecasts".
 *
 *   node --expose-gc --import tsx bench/forecast-memory.ts [--series 801]
 */
import { join } from 'node:path';
import { forecastConfigSchema } from '../exporter/src/analyse/forecast/config';
import { Forecaster, type ForecasterState } from '../exporter/src/analyse/forecast/forecaster';
import { emptyHost } from '../exporter/src/pipeline/collector';
import { collectionSnapshot, groupSnapshot } from '../test/helpers/synthetic';
import { writeDocSection } from '../scripts/doc-section';

const args = process.argv.slice(2);
const seriesN = args.includes('--series') ? Number(args[args.indexOf('--series') + 1]) : 801;
const groups = Math.floor((seriesN - 1) / 4);
const config = forecastConfigSchema.parse({});
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
let seed = 7;
const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc --import tsx bench/forecast-memory.ts');
  let nowMs = Date.UTC(2026, 11, 1);
  const before = heap();
  const f = new Forecaster({ config, now: () => nowMs });
  let tiers: NonNullable<ForecasterState['tiers']> = {};
  const ring = (step: number, points: number, k: number) => ({
    step,
    newest: Math.floor(nowMs / 1000 / step) - 1,
    values: Array.from({ length: points }, (_, i) => 10 + k + 3 * Math.sin(i / 30) + 2 * rnd()),
  });
  for (let g = 0; g < groups; g++) {
    for (const r of ['cpu', 'memory', 'fds', 'io'])
      tiers[`g${g}\u0000${r}`] = {
        short: ring(config.step_seconds, config.history_points, g),
        capacity: ring(config.capacity.step_seconds, config.capacity.history_points, g),
      };
  }
  tiers['_host\u0000memory_available'] = {
    short: ring(config.step_seconds, config.history_points, 0),
    capacity: ring(config.capacity.step_seconds, config.capacity.history_points, 0),
  };
  f.restore({ version: 1, histories: {}, tiers });
  tiers = {}; // the restored copy only
  // Fill the cold-start rings: one sample every cold step for its whole span.
  const snap = () =>
    collectionSnapshot(
      Array.from({ length: groups }, (_, g) =>
        groupSnapshot(`g${g}`, { gauges: { rssBytes: 1e8 + 1e6 * rnd(), openFds: 100, fdLimitRatio: 0.1, fdLimitMin: 1000 }, rates: { cpuCores: rnd() } }),
      ),
      {
        timestampMs: nowMs,
        intervalSeconds: config.cold_start.step_seconds,
        host: { ...emptyHost(), cpus: 8, memoryTotalBytes: 32e9, memoryAvailableBytes: 16e9 },
      },
    );
  for (let i = 0; i <= config.cold_start.points; i++) {
    f.ingest(snap());
    nowMs += config.cold_start.step_seconds * 1000;
  }
  const histories = heap();
  await f.refit();
  f.current();
  const fitted = heap();
  await f.stop();
  const points = config.cold_start.points + config.history_points + config.capacity.history_points;
  const bound = seriesN * points * 4;
  const body = `\`node --expose-gc --import tsx bench/forecast-memory.ts --series ${seriesN}\` on ${new Date().toISOString().slice(0, 10)}: a Forecaster with ${seriesN} series (${groups} groups × 4 resources + the host), every history full (${config.cold_start.points} cold-start, ${config.history_points} short-tier and ${config.capacity.history_points} capacity-tier points), then the default ${config.top_groups} top groups fitted and served. V8 heap plus array buffers after GC: ${mb(histories - before)} MB for the histories (their bound: ${seriesN} × ${points} points × 4 bytes = ${mb(bound)} MB, plus the per-series objects), ${mb(fitted - histories)} MB more for the served fits of ${config.top_groups * 4 + 1} series (model states, seasonal profiles, cached paths). With forecast.max_series at its default (1,000) the histories never exceed ${mb(1000 * points * 4)} MB, whatever the uptime; a host with fewer groups holds proportionally less (each history grows by doubling up to its cap).`;
  console.log(body);
  writeDocSection(join(__dirname, '..', 'docs', 'evaluation.md'), 'forecast-memory', body);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
