import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forecaster } from '../../exporter/src/analyse/forecast/forecaster';
import { forecastConfigSchema } from '../../exporter/src/analyse/forecast/config';
import { startPrometheus, type RunningServer } from '../helpers/prometheus';

/**
 * History survives restarts: a real Prometheus holds 3 hours of procsight's
 * own series (written as TSDB blocks by promtool), and a fresh forecaster
 * backfills from it and forecasts at once.
 */
describe('forecast history backfilled from a real Prometheus', () => {
  let prom: RunningServer;
  const work = mkdtempSync(join(tmpdir(), 'procsight-backfill-'));
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    const lines: string[] = [];
    const start = now - 3 * 3600;
    lines.push('# HELP procsight_group_memory_bytes memory', '# TYPE procsight_group_memory_bytes gauge');
    for (let t = start; t <= now - 60; t += 30) lines.push(`procsight_group_memory_bytes{group="api",instance="host-1:9556",job="procsight",type="resident"} ${2e8 + 5000 * (t - start)} ${t}`);
    lines.push('# HELP procsight_group_open_fds fds', '# TYPE procsight_group_open_fds gauge');
    for (let t = start; t <= now - 60; t += 30) lines.push(`procsight_group_open_fds{group="api",instance="host-1:9556",job="procsight"} ${100 + Math.floor((t - start) / 60)} ${t}`);
    lines.push('# HELP procsight_host_memory_bytes host memory', '# TYPE procsight_host_memory_bytes gauge');
    for (let t = start; t <= now - 60; t += 30) lines.push(`procsight_host_memory_bytes{instance="host-1:9556",job="procsight",type="available"} ${8e9 - 5000 * (t - start)} ${t}`);
    lines.push('# EOF');
    writeFileSync(join(work, 'history.om'), lines.join('\n') + '\n');
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'history.om'), join(work, 'data')], { stdio: 'pipe' });
    prom = await startPrometheus({ config: 'global:\n  scrape_interval: 15s\n', dataDir: join(work, 'data') });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('fills the histories from query_range and forecasts immediately', async () => {
    const f = new Forecaster({ config: forecastConfigSchema.parse({ horizons: ['15m', '1h'], backtest_origins: 4 }), now: () => now * 1000 });
    try {
      const r = await f.backfill({ prometheusUrl: prom.url, instance: 'host-1:9556' });
      expect(r.series).toBe(3);
      expect(r.points).toBeGreaterThan(3 * 150);
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
});
