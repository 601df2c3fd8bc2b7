import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forecaster } from '../../exporter/src/analyse/forecast/forecaster';
import { forecastConfigSchema } from '../../exporter/src/analyse/forecast/config';
import { silentLogger, type Logger } from '../../exporter/src/log/logger';
import { scrape, sleep, startExporter } from '../helpers/exporter';
import { startPrometheus, type RunningServer } from '../helpers/prometheus';

/**
 * History survives restarts: a real Prometheus holds 3 hours of procsight's
 * own series from two hosts (written as TSDB blocks by promtool), and a fresh
 * forecaster backfills only its own host's series and forecasts at once.
 */
describe('forecast history backfilled from a real Prometheus', () => {
  let prom: RunningServer;
  const work = mkdtempSync(join(tmpdir(), 'procsight-backfill-'));
  const now = Math.floor(Date.now() / 1000);
  // host-1 leaks memory; host-2 (this machine's hostname, for the exporter started below) is small and steady.
  const hosts = [
    { instance: 'host-1:9556', hostname: 'host-1', rss: (s: number) => 2e8 + 5000 * s, available: (s: number) => 8e9 - 5000 * s },
    { instance: 'host-2:9556', hostname: hostname(), rss: (s: number) => 5e7 + 10 * s, available: (s: number) => 2e9 - 1000 * s },
  ];

  beforeAll(async () => {
    const lines: string[] = [];
    const start = now - 3 * 3600;
    const family = (name: string, type: string, series: Array<[string, (s: number) => number]>): void => {
      lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of series) for (let t = start; t <= now - 60; t += 30) lines.push(`${name}{${labels}} ${value(t - start)} ${t}`);
    };
    const job = (h: { instance: string }): string => `instance="${h.instance}",job="procsight"`;
    family(
      'procsight_group_memory_bytes',
      'gauge',
      hosts.map((h) => [`group="api",${job(h)},type="resident"`, h.rss]),
    );
    family(
      'procsight_group_open_fds',
      'gauge',
      hosts.map((h) => [`group="api",${job(h)}`, (s) => 100 + Math.floor(s / 60)]),
    );
    family(
      'procsight_host_memory_bytes',
      'gauge',
      hosts.map((h) => [`${job(h)},type="available"`, h.available]),
    );
    // Two exporters on one host ("twin", ports 9556 and 9557) cannot be told apart by hostname.
    const info = [...hosts, { instance: 'host-3:9556', hostname: 'twin' }, { instance: 'host-3:9557', hostname: 'twin' }];
    family(
      'procsight_host_info',
      'gauge',
      info.map((h) => [`cores="2",cpu_model="x",hostname="${h.hostname}",${job(h)},kernel="6",memory_bytes="8000000000",os="linux"`, () => 1]),
    );
    lines.push('# EOF');
    writeFileSync(join(work, 'history.om'), lines.join('\n') + '\n');
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'history.om'), join(work, 'data')], { stdio: 'pipe' });
    prom = await startPrometheus({ config: 'global:\n  scrape_interval: 15s\n', dataDir: join(work, 'data') });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('fills the histories from query_range with its own instance only and forecasts immediately', async () => {
    const f = new Forecaster({ config: forecastConfigSchema.parse({ horizons: ['15m', '1h'], backtest_origins: 4 }), now: () => now * 1000 });
    try {
      const r = await f.backfill({ prometheusUrl: prom.url, instance: 'host-1:9556' });
      expect(r.series).toBe(3);
      // 3 h at the short tier's 60 s and the capacity tier's 300 s.
      expect(r.points).toBeGreaterThan(3 * 150);
      expect(r.capacityPoints).toBeGreaterThan(3 * 30);
      // host-1's values, not the sum over both hosts.
      const h = f.toJSON().histories;
      expect(h['api\u0000memory'][0]).toBeCloseTo(2e8, -6);
      expect(h['_host\u0000memory_available'][0]).toBeCloseTo(8e9, -7);
      await f.refit();
      const mem = f.current().find((x) => x.group === 'api' && x.resource === 'memory');
      expect(mem).toBeDefined();
      // 5,000 bytes a second keep climbing: the 1 h forecast is above the last value.
      expect(mem!.horizons['1h'].mean).toBeGreaterThan(2e8 + 5000 * 3 * 3600);
      expect(f.current().find((x) => x.group === '_host')!.resource).toBe('memory_available');
      const other = await f.backfill({ prometheusUrl: prom.url, instance: 'nowhere:1' });
      expect(other.series).toBe(0);
    } finally {
      await f.stop();
    }
  }, 60_000);

  it('finds its instance by the hostname in procsight_host_info, and refuses when none or several match', async () => {
    const f = new Forecaster({ config: forecastConfigSchema.parse({}), now: () => now * 1000 });
    expect(await f.findInstance({ prometheusUrl: prom.url, hostname: 'host-1' })).toEqual({ instance: 'host-1:9556' });
    expect(await f.findInstance({ prometheusUrl: prom.url, hostname: 'twin' })).toEqual({
      refused: 'ambiguous_instance',
      candidates: ['host-3:9556', 'host-3:9557'],
    });
    expect(await f.findInstance({ prometheusUrl: prom.url, hostname: 'ghost' })).toEqual({ refused: 'no_instance', candidates: [] });
  }, 30_000);

  it('a restarted exporter without --history.instance backfills only the series of the instance with its hostname', async () => {
    const svc = await startExporter({ cli: { historyPrometheusUrl: prom.url } });
    try {
      const key = 'procsight_forecast{group="_host",resource="memory_available",horizon="15m",bound="mean"}';
      let m = await scrape(svc.url);
      for (let i = 0; i < 60 && !m.has(key); i++) {
        await sleep(500);
        m = await scrape(svc.url);
      }
      // host-2 has about 2e9 bytes available, host-1 about 8e9: the sum (1e10) would be the fleet's.
      expect(m.get(key)).toBeGreaterThan(1.5e9);
      expect(m.get(key)).toBeLessThan(2.5e9);
      expect([...m.keys()].some((k) => k.startsWith('procsight_forecast_backfill_refused_total{'))).toBe(false);
    } finally {
      await svc.stop();
    }
  }, 60_000);
});

/** The exporter's side of the backfill against a stand-in Prometheus that records the queries. */
describe('backfill instance selection at start', () => {
  let server: http.Server;
  let url = '';
  const seen: URL[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      seen.push(u);
      res.setHeader('content-type', 'application/json');
      if (u.pathname === '/api/v1/series') {
        // This host's hostname on two instances: ambiguous.
        res.end(
          JSON.stringify({
            status: 'success',
            data: [
              { __name__: 'procsight_host_info', instance: 'a:9556' },
              { __name__: 'procsight_host_info', instance: 'b:9556' },
            ],
          }),
        );
      } else {
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => (seen.length = 0));

  it('refuses to backfill when several instances have its hostname: warns once and counts it', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_obj, msg) => void warnings.push(msg) };
    const svc = await startExporter({ cli: { historyPrometheusUrl: url }, logger });
    try {
      const m = await scrape(svc.url);
      expect(m.get('procsight_forecast_backfill_refused_total{reason="ambiguous_instance"}')).toBe(1);
      expect(warnings.filter((w) => /history\.instance/.test(w))).toHaveLength(1);
      expect(seen.map((u) => u.pathname)).not.toContain('/api/v1/query_range');
    } finally {
      await svc.stop();
    }
  }, 30_000);

  it('with --history.instance queries only that instance and does not look for it', async () => {
    const svc = await startExporter({ cli: { historyPrometheusUrl: url, historyInstance: 'b:9556' } });
    try {
      const queries = seen.filter((u) => u.pathname === '/api/v1/query_range').map((u) => u.searchParams.get('query') ?? '');
      // Five series, once per tier (short and capacity).
      expect(queries).toHaveLength(10);
      for (const q of queries) expect(q).toContain('instance="b:9556"');
      expect(seen.map((u) => u.pathname)).not.toContain('/api/v1/series');
      // Let the host facts finish reading before stopping (they are read in the background).
      for (let i = 0; i < 40 && ![...(await scrape(svc.url)).keys()].some((k) => k.startsWith('procsight_host_info{')); i++) await sleep(250);
    } finally {
      await svc.stop();
    }
  }, 30_000);
});
