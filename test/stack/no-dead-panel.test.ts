import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DASHBOARDS } from '../../dashboards/src/dashboards';
import { startLocalStack, type LocalStack } from '../../scripts/stack';
import { startFault, type FaultHandle } from '../faults/spawn';
import { sleep } from '../helpers/exporter';
import { testSizedConfig } from '../helpers/stack-config';
import { q } from '../../grafana-plugin/src/queries/promql';

/**
 * No dead panel: the local stack (exporter, Prometheus, Alertmanager) with
 * real fault processes collects for about three minutes; then every query of
 * every dashboard panel and every query the app's pages build is executed
 * against that Prometheus with the variables resolved, and must return data.
 * The exporter runs a test-sized config (short warm-up, 1-minute forecasts)
 * so every series exists within the run. The fault processes have names of
 * their own: Jest runs other suites at the same time, and a same-named
 * process of theirs would join these groups (each exporter reads all of /proc).
 */
const root = join(__dirname, '..', '..');
const CONFIG = testSizedConfig({
  bottlenecks: { memory_leak_evidence_seconds: 60, memory_leak_min_seconds: 60, memory_leak_min_bytes_per_second: 262144 },
  forecastThresholds: { cpu: 0.5 },
});

describe('no dead panel (local stack, real processes, real Prometheus)', () => {
  let stack: LocalStack;
  const faults: FaultHandle[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'procsight-nodead-'));

  beforeAll(async () => {
    writeFileSync(join(dir, 'config.yml'), CONFIG);
    stack = await startLocalStack({
      scrapeInterval: '1s',
      exporterArgs: ['--collect.interval=1s', `--config.file=${join(dir, 'config.yml')}`],
      rulesFile: join(root, 'alert-rules', 'test-sized', 'procsight.rules.yml'),
    });
    faults.push(
      await startFault('leaker', { name: 'panel-leaker', args: { 'mb-per-min': 60 }, maxSeconds: 600 }),
      await startFault('cpu-hog', { name: 'panel-encoder', maxSeconds: 600 }),
      await startFault('fd-leak', { name: 'panel-pooler', args: { 'per-sec': 20 }, fdLimit: 4096, maxSeconds: 600 }),
    );
    await sleep(200_000);
  }, 260_000);

  afterAll(async () => {
    await Promise.all(faults.map((f) => f.stop()));
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const resolve = (expr: string, vars: Record<string, string>): string =>
    expr
      .replace(/\$__rate_interval/g, '1m')
      .replace(/\$__range/g, '3m')
      .replace(/\$__interval_ms/g, '5000')
      .replace(/\$__interval/g, '5s')
      .replace(/\$\{?([a-z_]+)\}?/g, (m, name: string) => vars[name] ?? m);

  async function rangeQuery(expr: string): Promise<{ error?: string; series: number }> {
    const end = Math.floor(Date.now() / 1000);
    const r = await fetch(
      `${stack.prometheusUrl}/api/v1/query_range?${new URLSearchParams({ query: expr, start: String(end - 120), end: String(end), step: '5' })}`,
    );
    const body = (await r.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    return body.status === 'success' ? { series: body.data?.result.length ?? 0 } : { error: body.error, series: 0 };
  }

  it('every dashboard panel query returns data', async () => {
    const vars = { instance: stack.instance.replace(/\./g, '\\\\.'), group: 'panel-leaker', horizon: '1m', datasource: 'procsight-prometheus' };
    const dead: string[] = [];
    let checked = 0;
    for (const [file, make] of Object.entries(DASHBOARDS)) {
      const d = make();
      for (const p of d.panels) {
        for (const t of p.targets ?? []) {
          const expr = resolve(t.expr, p.title.includes('Time to exhaustion') ? { ...vars } : vars);
          const r = await rangeQuery(expr);
          checked++;
          if (r.error || r.series === 0) dead.push(`${file} / ${p.title} / ${t.refId}: ${r.error ?? 'no data'} — ${expr}`);
        }
      }
      for (const a of d.annotations.list as Array<{ expr?: string; name: string }>) {
        if (!a.expr) continue;
        const r = await rangeQuery(resolve(a.expr, vars));
        checked++;
        if (r.error || r.series === 0) dead.push(`${file} / annotation ${a.name}: ${r.error ?? 'no data'}`);
      }
    }
    expect(dead).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it("every query of the app's pages returns data", async () => {
    const inst = { instance: stack.instance };
    const queries: Record<string, string> = {
      present: q.present(),
      topCpu: q.topCpu(inst),
      topMemory: q.topMemory(inst),
      topIo: q.topIo(inst),
      activeByKind: q.activeByKind(inst),
      anomalyHeatmap: q.anomalyHeatmap(inst),
      bottlenecks: q.bottlenecks(inst),
      bottleneckConfidence: q.bottleneckConfidence(inst),
      suggestions: q.suggestions(inst, 'panel-leaker'),
      groupCpu: q.groupCpu(inst, 'panel-leaker'),
      groupMemory: q.groupMemory(inst, 'panel-leaker'),
      groupIo: q.groupIo(inst, 'panel-pooler'),
      threads: q.groupThreadsFds(inst, 'panel-leaker')[0],
      fds: q.groupThreadsFds(inst, 'panel-leaker')[1],
      switches: q.groupSwitches(inst, 'panel-leaker'),
      groupAnomaly: q.groupAnomaly(inst, 'panel-leaker'),
      groupCpuTotal: q.groupCpuTotal(inst, 'panel-leaker'),
      groupSwitchesTotal: q.groupSwitchesTotal(inst, 'panel-leaker'),
      groupBandMemory: q.groupBand(inst, 'panel-leaker', 'memory'),
      groupBandFds: q.groupBand(inst, 'panel-leaker', 'fds'),
      periods: q.groupBottleneckPeriods(inst, 'panel-leaker'),
      bandMean: q.forecastBand(inst, 'panel-leaker', 'memory', '1m', 'mean'),
      bandUpper: q.forecastBand(inst, 'panel-leaker', 'memory', '1m', 'upper'),
      actualSelected: q.forecastActualByVariable(inst, 'panel-leaker', 'memory')[1],
      hostActual: q.forecastActual(inst, '_host', 'memory_available'),
      exhaustion: q.exhaustion(inst),
      mase: q.mase(inst, 'panel-leaker', 'memory'),
      coverage: q.coverage(inst, 'panel-leaker', 'memory'),
    };
    const dead: string[] = [];
    for (const [name, expr] of Object.entries(queries)) {
      const r = await rangeQuery(resolve(expr, {}));
      if (r.error || r.series === 0) dead.push(`${name}: ${r.error ?? 'no data'} — ${expr}`);
    }
    expect(dead).toEqual([]);
    // The variable-guarded actual query is empty for a resource that is not selected.
    expect((await rangeQuery(resolve(q.forecastActualByVariable(inst, 'panel-leaker', 'memory')[0], {}))).series).toBe(0);
  });
});
