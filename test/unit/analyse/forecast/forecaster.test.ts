import { Forecaster } from '../../../../exporter/src/analyse/forecast/forecaster';
import { forecastConfigSchema } from '../../../../exporter/src/analyse/forecast/config';
import { runJobs, type WorkerJob, type WorkerResponse } from '../../../../exporter/src/analyse/forecast/worker';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { collectionSnapshot, groupSnapshot } from '../../../helpers/synthetic';
import { forecastFamilies } from '../../../../exporter/src/expose/families/forecast';
import type { ExporterState } from '../../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import type { GroupSnapshot } from '../../../../exporter/src/group/types';

/** One collection every `intervalSeconds` on a 2-core, 8 GB host with this much memory available. */
function snapshotAt(timestampMs: number, memoryAvailableBytes: number, groups: GroupSnapshot[], intervalSeconds = 60): CollectionSnapshot {
  return collectionSnapshot(groups, { timestampMs, intervalSeconds, host: { ...emptyHost(), cpus: 2, memoryTotalBytes: 8e9, memoryAvailableBytes } });
}

/** Fits in this thread (the worker's own loop), failing the chosen series. */
const inThread =
  (failing: ReadonlySet<string> = new Set()) =>
  async (jobs: WorkerJob[]): Promise<WorkerResponse> => {
    const r = runJobs(jobs.filter((j) => !failing.has(j.key)));
    return {
      id: 0,
      results: r.results,
      failures: [...r.failures, ...jobs.filter((j) => failing.has(j.key)).map((j) => ({ key: j.key, tier: j.tier, reason: 'synthetic failure' }))],
    };
  };

/** The forecaster with its real worker thread. */
describe('Forecaster (real worker)', () => {
  let now = Date.UTC(2026, 10, 23);
  const f = new Forecaster({
    config: forecastConfigSchema.parse({ step_seconds: 60, horizons: ['15m', '1h'], min_points: 30, top_groups: 2 }),
    now: () => now,
    workerIdleMs: 1500,
  });
  afterAll(() => f.stop());

  const snap = (i: number): CollectionSnapshot =>
    snapshotAt(now, 4e9 - 2e6 * i, [
      // Leaks 2 MB a minute; its fds creep towards the limit.
      groupSnapshot('leaky', {
        gauges: { rssBytes: 1e8 + 2e6 * i, openFds: 100 + 6 * i, fdLimitRatio: (100 + 6 * i) / 1024, fdLimitMin: 1024 },
        rates: { cpuCores: 0.3 },
      }),
      groupSnapshot('idle', { gauges: { rssBytes: 1e7 }, rates: { cpuCores: 0.001 } }),
    ]);

  it('forecasts the top groups and the host from the tier fits after enough history, with exhaustion times', async () => {
    for (let i = 0; i < 121; i++) {
      f.ingest(snap(i));
      now += 60_000;
    }
    await f.refit();
    const all = f.current();
    const mem = all.find((x) => x.group === 'leaky' && x.resource === 'memory')!;
    expect(mem).toBeDefined();
    expect(mem.model).not.toMatch(/^cold_/);
    expect(Object.keys(mem.horizons).sort()).toEqual(['15m', '1h']);
    // 2 MB a minute keep climbing: the 1 h forecast is well above the last value (1e8 + 2.4e8).
    expect(mem.horizons['1h'].mean).toBeGreaterThan(1e8 + 2e6 * 160);
    expect(mem.horizons['1h'].lower).toBeLessThanOrEqual(mem.horizons['1h'].mean);
    const fds = all.find((x) => x.group === 'leaky' && x.resource === 'fds')!;
    const fdExhaustion = fds.exhaustion.find((e) => e.limit === 'fd_limit');
    // 1024 − 820 fds at 6/min ≈ 34 min.
    expect(fdExhaustion?.seconds).toBeGreaterThan(0.65 * 34 * 60);
    expect(fdExhaustion?.seconds).toBeLessThan(1.35 * 34 * 60);
    expect(all.find((x) => x.group === '_host' && x.resource === 'memory_available')).toBeDefined();
    expect(all.some((x) => x.group === 'idle')).toBe(true);
    expect(mem.accuracy['15m'].mase).not.toBeNull();
  }, 60_000);

  it('ends its worker thread after a refit round and starts it again with the next', async () => {
    await f.refit();
    expect(f.hasWorker()).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    expect(f.hasWorker()).toBe(false);
    f.ingest(snap(121));
    now += 60_000;
    await f.refit();
    expect(f.current().find((x) => x.group === 'leaky' && x.resource === 'memory')?.model).not.toMatch(/^cold_/);
  });
});

describe('Forecaster cold start', () => {
  it('gives a leaking group a time to its fd limit within 35 % after 2 minutes of 1 s collections, and a 15 min forecast after 4, before any tier fit', () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({ config: forecastConfigSchema.parse({}), now: () => now, fit: inThread() });
    // 40 fds a second from 200 towards a limit of 20,000: 495 s to go at 0 s.
    const fdsAt = (s: number): number => 200 + 40 * s;
    const ingestTo = (from: number, to: number): void => {
      for (let s = from; s <= to; s++) {
        f.ingest(
          snapshotAt(
            now,
            4e9,
            [
              groupSnapshot('hoarder', {
                gauges: { rssBytes: 5e7, openFds: fdsAt(s), fdLimitRatio: fdsAt(s) / 20_000, fdLimitMin: 20_000 },
                rates: { cpuCores: 0.01 },
              }),
            ],
            1,
          ),
        );
        now += 1000;
      }
    };
    ingestTo(0, 120);
    let fds = f.current().find((x) => x.group === 'hoarder' && x.resource === 'fds')!;
    expect(fds.model).toBe('cold_trend');
    const e = fds.exhaustion.find((x) => x.limit === 'fd_limit')!;
    const truth = (20_000 - fdsAt(120)) / 40;
    expect(Math.abs(e.seconds! - truth) / truth).toBeLessThan(0.35);
    expect(e.earliestSeconds).toBeLessThanOrEqual(e.seconds!);
    // A forecast reaches 4 × the history behind it: the 15 min one from about 4 minutes on, extrapolating the trend.
    expect(fds.horizons['15m']).toBeUndefined();
    ingestTo(121, 240);
    fds = f.current().find((x) => x.group === 'hoarder' && x.resource === 'fds')!;
    expect(fds.horizons['15m'].mean).toBeGreaterThan(fdsAt(240) + 40 * 600);
    expect(fds.horizons['15m'].lower).toBeLessThanOrEqual(fds.horizons['15m'].mean);
    expect(fds.horizons['15m'].upper).toBeGreaterThanOrEqual(fds.horizons['15m'].mean);
  });

  it('watches a small group heading for its memory threshold although it is not among the top groups', () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({ config: forecastConfigSchema.parse({ top_groups: 1, thresholds: { memory: 3e8 } }), now: () => now, fit: inThread() });
    const rss = (s: number): number => 4e7 + 1e6 * s; // 1 MB/s: 300 MB at 260 s
    for (let s = 0; s <= 90; s += 5) {
      f.ingest(
        snapshotAt(
          now,
          4e9,
          [
            groupSnapshot('big', { gauges: { rssBytes: 2e9 }, rates: { cpuCores: 1 } }),
            groupSnapshot('leaker', { gauges: { rssBytes: rss(s) }, rates: { cpuCores: 0.01 } }),
          ],
          5,
        ),
      );
      now += 5000;
    }
    const mem = f.current().find((x) => x.group === 'leaker' && x.resource === 'memory');
    const e = mem?.exhaustion.find((x) => x.limit === 'threshold');
    const truth = (3e8 - rss(90)) / 1e6;
    expect(e?.seconds).toBeDefined();
    expect(Math.abs(e!.seconds! - truth) / truth).toBeLessThan(0.35);
  });
});

describe('Forecaster re-anchoring between refits', () => {
  it('serves forecasts from the newest points without a refit', async () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({ config: forecastConfigSchema.parse({ horizons: ['15m'], top_groups: 1 }), now: () => now, fit: inThread() });
    let seed = 3;
    const noise = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.1;
    const ingest = (level: number, minutes: number): void => {
      for (let i = 0; i < minutes; i++) {
        f.ingest(snapshotAt(now, 4e9, [groupSnapshot('svc', { gauges: { rssBytes: 1e8 }, rates: { cpuCores: level + noise() } })]));
        now += 60_000;
      }
    };
    ingest(1, 120);
    await f.refit();
    const before = f.current().find((x) => x.resource === 'cpu')!;
    expect(before.horizons['15m'].mean).toBeCloseTo(1, 0);
    // The level steps to 3 cores; 40 minutes later, no refit yet, the served forecast has moved to it
    // (even the median of the last 72 points, the slowest candidate, has).
    ingest(3, 40);
    const after = f.current().find((x) => x.resource === 'cpu')!;
    expect(after.fittedAtMs).toBe(before.fittedAtMs);
    expect(after.horizons['15m'].mean).toBeGreaterThan(2.5);
  });
});

/** A refit where some fits fail: those series keep their last good fit, and each failure is counted. */
describe('Forecaster refit with failing fits', () => {
  it('keeps the last good fit of a series whose fit failed, counts the failure, and drops it once older than the longest horizon', async () => {
    let now = Date.UTC(2026, 10, 23);
    const failing = new Set<string>();
    const failures: string[] = [];
    const f = new Forecaster({
      config: forecastConfigSchema.parse({ step_seconds: 60, horizons: ['15m', '1h'], min_points: 30, top_groups: 1, cold_start: { enabled: false } }),
      now: () => now,
      hooks: { onFitFailed: (reason) => failures.push(reason) },
      fit: inThread(failing),
    });
    const ingest = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        f.ingest(snapshotAt(now, 4e9 - 2e6 * i, [groupSnapshot('leaky', { gauges: { rssBytes: 1e8 + 2e6 * i, openFds: 100 }, rates: { cpuCores: 0.3 } })]));
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
    // The failed series serves its previous fit, fitted 10 minutes ago; the others are refitted.
    expect(find('memory')!.fittedAtMs).toBe(good.fittedAtMs);
    expect(find('cpu')!.fittedAtMs).toBe(now);
    // One failure per tier fit of the failing series (short and capacity).
    expect(failures).toEqual(['error', 'error']);

    // Still failing an hour after its last good fit: dropped.
    ingest(71, 131);
    await f.refit();
    expect(find('memory')).toBeUndefined();
    failing.clear();
    await f.refit();
    expect(find('memory')!.fittedAtMs).toBe(now);
  });
});

describe('Forecaster exhaustion by the pessimistic bound alone', () => {
  it('reports the earliest crossing when the upper bound crosses the threshold and the mean does not, and exports only bound="earliest"', async () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({
      config: forecastConfigSchema.parse({ horizons: ['15m', '1h'], top_groups: 1, thresholds: { memory: 1.1e8 } }),
      now: () => now,
      fit: inThread(),
    });
    let seed = 5;
    const noise = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 1e7;
    for (let i = 0; i < 240; i++) {
      f.ingest(snapshotAt(now, 4e9, [groupSnapshot('steady', { gauges: { rssBytes: 1e8 + noise() }, rates: { cpuCores: 0.1 } })]));
      now += 60_000;
    }
    await f.refit();
    // current() computes first fits' exhaustion within a time budget and defers the rest to the next call: a busy machine may need more than one.
    let mem = f.current().find((x) => x.group === 'steady' && x.resource === 'memory')!;
    for (let i = 0; i < 20 && !mem.exhaustion.some((x) => x.limit === 'threshold'); i++)
      mem = f.current().find((x) => x.group === 'steady' && x.resource === 'memory')!;
    const e = mem.exhaustion.find((x) => x.limit === 'threshold');
    expect(e).toBeDefined();
    expect(e!.seconds).toBeNull();
    expect(e!.earliestSeconds).toBeGreaterThanOrEqual(0);
    const family = forecastFamilies.find((x) => x.name === 'procsight_forecast_exhaustion_seconds')!;
    const state: ExporterState = { snapshot: () => null, analysis: () => null, forecasts: () => f.current(), hostInfo: () => null };
    const samples = [...family.samples(state)].filter(([l]) => l.group === 'steady' && l.resource === 'memory');
    expect(samples.map(([l]) => l.bound)).toEqual(['earliest']);
  });
});
