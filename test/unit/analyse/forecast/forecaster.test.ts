import { Forecaster } from '../../../../exporter/src/analyse/forecast/forecaster';
import { forecastConfigSchema } from '../../../../exporter/src/analyse/forecast/config';
import { runJob, type FitJob, type WorkerResponse } from '../../../../exporter/src/analyse/forecast/worker';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { collectionSnapshot, groupSnapshot } from '../../../helpers/synthetic';
import { forecastFamilies } from '../../../../exporter/src/expose/families/forecast';
import type { ExporterState } from '../../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
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

/**
 * History from Prometheus, answered by a stand-in fetch (a real Prometheus
 * holding procsight's series: test/integration/forecast-backfill.test.ts).
 */
describe('Forecaster history from Prometheus (stand-in responses)', () => {
  const now = Date.UTC(2026, 10, 23, 12);
  const config = forecastConfigSchema.parse({ step_seconds: 60, history_points: 120, horizons: ['15m'], min_points: 30, top_groups: 2 });
  type Answer = { status?: number; body: unknown };
  /** Records the URLs asked for and answers each with `answer(url)`. */
  function standIn(answer: (url: URL) => Answer): { fetchImpl: typeof fetch; asked: URL[] } {
    const asked: URL[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      const url = new URL(String(input));
      asked.push(url);
      const a = answer(url);
      return new Response(JSON.stringify(a.body), { status: a.status ?? 200, headers: { 'content-type': 'application/json' } });
    };
    return { fetchImpl, asked };
  }
  const matrix = (result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>): Answer => ({ body: { status: 'success', data: { resultType: 'matrix', result } } });

  it('finds its instance by hostname in procsight_host_info over the history window, and refuses when none or several match', async () => {
    const f = new Forecaster({ config, now: () => now });
    const series = (instances: string[]) => standIn(() => ({ body: { status: 'success', data: instances.map((instance) => ({ __name__: 'procsight_host_info', instance, hostname: 'web-1' })) } }));
    const one = series(['web-1:9556', 'web-1:9556']);
    expect(await f.findInstance({ prometheusUrl: 'http://prom.test', hostname: 'web-1', fetchImpl: one.fetchImpl })).toEqual({ instance: 'web-1:9556' });
    expect(one.asked).toHaveLength(1);
    expect(one.asked[0].pathname).toBe('/api/v1/series');
    expect(one.asked[0].searchParams.get('match[]')).toBe('procsight_host_info{hostname="web-1"}');
    expect(Number(one.asked[0].searchParams.get('end'))).toBe(now / 1000);
    expect(Number(one.asked[0].searchParams.get('start'))).toBe(now / 1000 - 120 * 60);
    expect(await f.findInstance({ prometheusUrl: 'http://prom.test', hostname: 'web-1', fetchImpl: series(['b:9556', 'a:9556']).fetchImpl })).toEqual({ refused: 'ambiguous_instance', candidates: ['a:9556', 'b:9556'] });
    expect(await f.findInstance({ prometheusUrl: 'http://prom.test', hostname: 'web-1', fetchImpl: series([]).fetchImpl })).toEqual({ refused: 'no_instance', candidates: [] });
    await expect(f.findInstance({ prometheusUrl: 'http://prom.test', hostname: 'web-1', fetchImpl: standIn(() => ({ status: 503, body: {} })).fetchImpl })).rejects.toThrow(/series procsight_host_info: HTTP 503/);
  });

  it('fills empty histories with its own instance only, the host series under _host, skipping values that are not numbers; live data wins', async () => {
    const f = new Forecaster({ config, now: () => now });
    // Live data for web's series before the backfill (host memory unknown: no live host series).
    for (const t of [now - 120_000, now - 60_000]) f.ingest(collectionSnapshot([groupSnapshot('web', { gauges: { rssBytes: 5e7 } })], { timestampMs: t, intervalSeconds: 60, host: emptyHost() }));
    const live = f.toJSON().histories['web\u0000memory'];
    expect(live).toHaveLength(1);
    const points = (vs: string[]): Array<[number, string]> => vs.map((v, i) => [now / 1000 - 600 + 60 * i, v]);
    const prom = standIn((url) => {
      const q = url.searchParams.get('query') ?? '';
      if (q.includes('procsight_group_memory_bytes')) return matrix([{ metric: { group: 'api' }, values: points(['1e8', '1.1e8', 'NaN', '1.2e8']) }, { metric: { group: 'web' }, values: points(['9e9', '9e9']) }]);
      if (q.includes('procsight_host_memory_bytes')) return matrix([{ metric: {}, values: points(['6e9', '5e9']) }]);
      if (q.includes('procsight_group_open_fds')) return matrix([{ metric: {}, values: points(['3']) }]); // no group label: not a group's series
      return matrix([]);
    });
    const r = await f.backfill({ prometheusUrl: 'http://prom.test', instance: 'web-1:9556', fetchImpl: prom.fetchImpl });
    const queries = prom.asked.map((u) => u.searchParams.get('query') ?? '');
    expect(prom.asked.map((u) => u.pathname)).toEqual(Array(5).fill('/api/v1/query_range'));
    for (const q of queries) expect(q).toContain('instance="web-1:9556"');
    expect(prom.asked.every((u) => u.searchParams.get('step') === '60')).toBe(true);
    expect(r).toEqual({ series: 2, points: 5 });
    const h = f.toJSON().histories;
    expect(h['api\u0000memory']).toEqual([1e8, 1.1e8, 1.2e8]);
    expect(h['_host\u0000memory_available']).toEqual([6e9, 5e9]);
    expect(h['web\u0000memory']).toEqual(live);
    expect(Object.keys(h).filter((k) => k.endsWith('\u0000fds'))).toEqual(['web\u0000fds']);
  });

  it('fails the backfill on an HTTP error, naming the resource', async () => {
    const f = new Forecaster({ config, now: () => now });
    await expect(f.backfill({ prometheusUrl: 'http://prom.test', instance: 'x:1', fetchImpl: standIn(() => ({ status: 500, body: {} })).fetchImpl })).rejects.toThrow(/query_range cpu: HTTP 500/);
  });
});
