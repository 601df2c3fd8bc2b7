import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, runExporter, waitReady, type RunningBinary } from '../helpers/binary';
import { promQuery, startPrometheus, type RunningServer } from '../helpers/prometheus';
import { sleep } from '../helpers/exporter';

interface TargetMetadata {
  metric: string;
  type: string;
  help: string;
}

/**
 * The real binary scraped by a real Prometheus (which asks for OpenMetrics
 * first) while plain-text fetches run in parallel: both readers see counters
 * with `_total`. Before the fix the first OpenMetrics render stripped `_total`
 * from the shared counter objects, and every later text scrape lost it.
 */
describe('real Prometheus (OpenMetrics) and plain-text readers of the same exporter', () => {
  let exp: RunningBinary;
  let prom: RunningServer;

  beforeAll(async () => {
    exp = await runExporter([`--path.procfs=${join(ROOT, 'test', 'fixtures', 'proc')}`, '--path.cgroupfs=/nonexistent', '--collect.interval=1s']);
    await waitReady(`${exp.url}/readyz`);
    const target = new URL(exp.url).host;
    prom = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: procsight\n    static_configs:\n      - targets: ['${target}']\n`,
    });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await exp?.stop();
  });

  it('Prometheus stores procsight_group_cpu_seconds_total while every parallel text fetch keeps _total', async () => {
    const texts: string[] = [];
    let series: Awaited<ReturnType<typeof promQuery>> = [];
    let scrapes = 0;
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      texts.push(await (await fetch(`${exp.url}/metrics`)).text());
      series = await promQuery(prom.url, 'procsight_group_cpu_seconds_total{job="procsight"}');
      scrapes = Number((await promQuery(prom.url, 'count_over_time(up{job="procsight"}[1m])'))[0]?.value[1] ?? 0);
      // A few OpenMetrics scrapes by Prometheus, each followed by text fetches.
      if (series.length > 0 && scrapes >= 3) break;
      await sleep(300);
    }
    expect(scrapes).toBeGreaterThanOrEqual(3);
    expect(series.length).toBeGreaterThan(0);
    expect(await promQuery(prom.url, 'procsight_group_cpu_seconds{job="procsight"}')).toEqual([]);
    const last = texts[texts.length - 1];
    for (const text of texts) {
      expect(text).toContain('# TYPE procsight_group_cpu_seconds_total counter');
      expect(text).toMatch(/^procsight_group_cpu_seconds_total\{/m);
      expect(text).not.toMatch(/^procsight_group_cpu_seconds[{ ]/m);
    }
    expect(execFileSync('promtool', ['check', 'metrics'], { input: last, encoding: 'utf8' })).toBe('');
  }, 40_000);

  it('the scrape was OpenMetrics, parsed without error, help text unescaped', async () => {
    const targets = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string; lastError: string }> } };
    expect(targets.data.activeTargets.map((t) => [t.health, t.lastError])).toEqual([['up', '']]);
    const meta = async (metric: string) =>
      ((await (await fetch(`${prom.url}/api/v1/targets/metadata?${new URLSearchParams({ metric })}`)).json()) as { data: TargetMetadata[] }).data;
    // OpenMetrics names the counter family without _total; the text format would name it with.
    expect((await meta('procsight_group_cpu_seconds')).map((m) => m.type)).toEqual(['counter']);
    expect(await meta('procsight_group_cpu_seconds_total')).toEqual([]);
    // HELP with double quotes is escaped in OpenMetrics (\") and read back as written.
    expect((await meta('procsight_groups_overflowed'))[0]?.help).toContain('group="other"');
  });
});
