import { Forecaster } from '../../../../exporter/src/analyse/forecast/forecaster';
import { forecastConfigSchema } from '../../../../exporter/src/analyse/forecast/config';
import { runJob, type FitJob, type WorkerResponse } from '../../../../exporter/src/analyse/forecast/worker';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { collectionSnapshot, groupSnapshot } from '../../../helpers/synthetic';
import { forecastAsOf } from '../../../../exporter/src/analyse/forecast/as-of';
import { forecastFamilies } from '../../../../exporter/src/expose/families/forecast';
import type { ExporterState } from '../../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import type { Forecast } from '../../../../exporter/src/analyse/forecast/types';
import type { GroupSnapshot } from '../../../../exporter/src/group/types';

/** One collection a minute on a 2-core, 8 GB host with this much memory available. */
function minuteSnapshot(timestampMs: number, memoryAvailableBytes: number, groups: GroupSnapshot[]): CollectionSnapshot {
  return collectionSnapshot(groups, { timestampMs, intervalSeconds: 60, host: { ...emptyHost(), cpus: 2, memoryTotalBytes: 8e9, memoryAvailableBytes } });
}

/** The forecaster with its real worker thread (arima in WebAssembly). */
describe('Forecaster (real worker)', () => {
  let now = Date.UTC(2026, 10, 23);
  const f = new Forecaster({
    config: forecastConfigSchema.parse({ step_seconds: 60, horizons: ['15m', '1h'], min_points: 30, top_groups: 2, backtest_origins: 4 }),
    now: () => now,
  });
  afterAll(() => f.stop());

  const snap = (i: number): CollectionSnapshot =>
    minuteSnapshot(now, 4e9 - 2e6 * i, [
      // Leaks 2 MB a minute; its fds creep towards the limit.
      groupSnapshot('leaky', { gauges: { rssBytes: 1e8 + 2e6 * i, openFds: 100 + 6 * i, fdLimitRatio: (100 + 6 * i) / 1024, fdLimitMin: 1024 }, rates: { cpuCores: 0.3 } }),
      groupSnapshot('idle', { gauges: { rssBytes: 1e7 }, rates: { cpuCores: 0.001 } }),
    ]);

  it('forecasts the top groups and the host after enough history, with exhaustion times', async () => {
    for (let i = 0; i < 20; i++) {
      f.ingest(snap(i));
      now += 60_000;
    }
    await f.refit();
    expect(f.current()).toEqual([]); // history too short
    for (let i = 20; i < 121; i++) {
      f.ingest(snap(i));
      now += 60_000;
    }
    await f.refit();
    const all = f.current();
    const mem = all.find((x) => x.group === 'leaky' && x.resource === 'memory')!;
    expect(mem).toBeDefined();
    expect(Object.keys(mem.horizons).sort()).toEqual(['15m', '1h']);
    expect(mem.horizons['1h'].mean).toBeGreaterThan(1e8 + 2e6 * 170);
    expect(mem.horizons['1h'].lower).toBeLessThanOrEqual(mem.horizons['1h'].mean);
    const fds = all.find((x) => x.group === 'leaky' && x.resource === 'fds')!;
    const fdExhaustion = fds.exhaustion.find((e) => e.limit === 'fd_limit');
    expect(fdExhaustion).toBeDefined();
    // 1024 − 820 fds at 6/min ≈ 34 min: inside the 1 h path.
    expect(fdExhaustion!.seconds).toBeGreaterThan(20 * 60);
    expect(fdExhaustion!.seconds).toBeLessThan(50 * 60);
    const host = all.find((x) => x.group === '_host' && x.resource === 'memory_available');
    expect(host).toBeDefined();
    expect(all.some((x) => x.group === 'idle')).toBe(true);
    expect(mem.accuracy['15m'].mase).not.toBeNull();
  }, 60_000);
});

/** A refit where some fits fail: those series keep their last good forecast, and each failure is counted. */
describe('Forecaster refit with failing fits', () => {
  it('keeps the last good forecast of a series whose fit failed, counts the failure, and drops it once older than the longest horizon', async () => {
    let now = Date.UTC(2026, 10, 23);
    const failing = new Set<string>();
    const failures: string[] = [];
    const f = new Forecaster({
      config: forecastConfigSchema.parse({ step_seconds: 60, horizons: ['15m', '1h'], min_points: 30, top_groups: 1, backtest_origins: 4 }),
      now: () => now,
      hooks: { onFitFailed: (reason) => failures.push(reason) },
      // Fits in this thread without WASM (damped Holt and SES), failing the chosen series.
      fit: async (jobs: FitJob[]): Promise<WorkerResponse> => ({
        id: 0,
        results: jobs.filter((j) => !failing.has(j.key)).map((j) => runJob(j, null)),
        failures: jobs.filter((j) => failing.has(j.key)).map((j) => ({ key: j.key, reason: 'synthetic failure' })),
      }),
    });
    const ingest = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        f.ingest(minuteSnapshot(now, 4e9 - 2e6 * i, [groupSnapshot('leaky', { gauges: { rssBytes: 1e8 + 2e6 * i, openFds: 100 }, rates: { cpuCores: 0.3 } })]));
        now += 60_000;
      }
    };
    const find = (resource: string) => f.current().find((x) => x.group === 'leaky' && x.resource === resource);
    ingest(0, 61);
    await f.refit();
    const good = find('memory')!;
    expect(good).toBeDefined();
    expect(failures).toEqual([]);

    failing.add('leaky\u0000memory');
    ingest(61, 71);
    await f.refit();
    // The failed series serves its previous forecast, fitted 10 minutes ago; the others are refitted.
    expect(find('memory')!.fittedAtMs).toBe(good.fittedAtMs);
    expect(find('memory')!.path).toBe(good.path);
    expect(find('memory')!.fittedAtMs).toBeLessThan(now - 9 * 60_000);
    expect(find('cpu')!.fittedAtMs).toBe(now);
    expect(failures).toEqual(['error']);

    // Still failing an hour after its last good fit: nothing of the old path is ahead any more.
    ingest(71, 131);
    await f.refit();
    expect(find('memory')).toBeUndefined();
    expect(failures).toEqual(['error', 'error']);

    failing.clear();
    await f.refit();
    expect(find('memory')!.fittedAtMs).toBe(now);
  });
});

/** Time to exhaustion when only the pessimistic bound reaches the limit. */
describe('Forecaster exhaustion by the pessimistic bound alone', () => {
  it('reports the earliest crossing when the upper bound crosses the threshold and the mean does not, and exports only bound="earliest"', async () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({
      config: forecastConfigSchema.parse({ step_seconds: 60, horizons: ['15m'], min_points: 30, top_groups: 1, thresholds: { memory: 1.2e8 } }),
      now: () => now,
      // A flat mean at 1e8 with an interval widening by 2e6 a step.
      fit: async (jobs: FitJob[]): Promise<WorkerResponse> => ({
        id: 0,
        failures: [],
        results: jobs.map((j) => {
          const steps = Math.max(...j.horizons);
          const mean = Array.from({ length: steps }, () => 1e8);
          return { key: j.key, model: 'synthetic', mean, lower: mean.map((m, i) => m - 2e6 * (i + 1)), upper: mean.map((m, i) => m + 2e6 * (i + 1)), accuracy: {}, seconds: 0 };
        }),
      }),
    });
    for (let i = 0; i < 40; i++) {
      f.ingest(minuteSnapshot(now, 4e9, [groupSnapshot('steady', { gauges: { rssBytes: 1e8 }, rates: { cpuCores: 0.1 } })]));
      now += 60_000;
    }
    await f.refit();
    const mem = f.current().find((x) => x.group === 'steady' && x.resource === 'memory')!;
    // The upper bound reaches 1.2e8 at step 10 (1e8 + 2e6 × 10): 600 s; the mean never does.
    expect(mem.exhaustion).toEqual([{ limit: 'threshold', limitValue: 1.2e8, seconds: null, earliestSeconds: 600 }]);
    const family = forecastFamilies.find((x) => x.name === 'procsight_forecast_exhaustion_seconds')!;
    const state: ExporterState = { snapshot: () => null, analysis: () => null, forecasts: () => f.current(), hostInfo: () => null };
    const samples = [...family.samples(state)].filter(([l]) => l.group === 'steady' && l.resource === 'memory');
    expect(samples).toEqual([[{ group: 'steady', resource: 'memory', limit: 'threshold', bound: 'earliest' }, 600]]);
  });
});

/** Scrapes between refits: horizons and times to exhaustion count from now, not from the fit. */
describe('forecastAsOf', () => {
  const fittedAtMs = Date.UTC(2026, 10, 23);
  // 60 s steps, 20 past the 15m horizon (a 1200 s refit period); the mean is the step number.
  const path = Array.from({ length: 35 }, (_, i) => ({ timestampMs: fittedAtMs + (i + 1) * 60_000, mean: i + 1, lower: i, upper: i + 2 }));
  const f: Forecast = {
    group: 'g',
    resource: 'memory',
    model: 'synthetic',
    fittedAtMs,
    level: 0.8,
    horizons: { '15m': path[14] },
    path,
    exhaustion: [
      { limit: 'threshold', limitValue: 12, seconds: 720, earliestSeconds: 300 },
      { limit: 'host_memory', limitValue: 15, seconds: 900, earliestSeconds: null },
    ],
    accuracy: {},
  };
  const opts = { stepSeconds: 60, horizonSeconds: { '15m': 900 }, longestSeconds: 900 };

  it('serves the fit itself at the fit time', () => {
    const fresh = forecastAsOf(f, fittedAtMs, opts);
    expect(fresh.horizons['15m']).toBe(path[14]);
    expect(fresh.exhaustion).toEqual(f.exhaustion);
  });

  it('takes the point at now + horizon and counts exhaustion from now ten minutes later', () => {
    const later = forecastAsOf(f, fittedAtMs + 600_000, opts);
    expect(later.horizons['15m']).toBe(path[24]);
    expect(later.horizons['15m'].timestampMs).toBe(fittedAtMs + 600_000 + 900_000);
    // The pessimistic crossing has passed (0); the mean's is 120 s away; the other limit's 300 s.
    expect(later.exhaustion).toEqual([
      { limit: 'threshold', limitValue: 12, seconds: 120, earliestSeconds: 0 },
      { limit: 'host_memory', limitValue: 15, seconds: 300, earliestSeconds: null },
    ]);
    expect(later.fittedAtMs).toBe(fittedAtMs);
  });

  it('clamps to the end of the path when the next refit is late', () => {
    expect(forecastAsOf(f, fittedAtMs + 3_600_000, opts).horizons['15m']).toBe(path[34]);
  });
});

