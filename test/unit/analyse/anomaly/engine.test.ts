import { AnomalyEngine, type AnomalyEngineState, type AnomalyEngineStateV1 } from '../../../../exporter/src/analyse/anomaly/engine';
import { CheckpointError } from '../../../../exporter/src/errors';
import { anomalyConfigSchema } from '../../../../exporter/src/analyse/anomaly/config';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../../../helpers/synthetic';

describe('AnomalyEngine', () => {
  const config = anomalyConfigSchema.parse({ step_seconds: 5, warmup_points: 20, baseline_points: 60, retrain_points: 20 });
  const snap = (t: number, groups: ReturnType<typeof groupSnapshot>[]): CollectionSnapshot => ({
    timestampMs: t,
    intervalSeconds: 5,
    groups,
    host: { ...emptyHost(), memoryTotalBytes: 8e9 },
    read: { processesListed: 1, processesRead: 1, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: 1,
  });

  it('scores per signal after warm-up, a combined score with contributors, and novelty for a new heavy group', () => {
    const e = new AnomalyEngine(config);
    let out = e.ingest(snap(0, [groupSnapshot('web', { rates: { cpuCores: 0.2 } })]));
    expect(out).toEqual([]);
    let seed = 5;
    const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 0.02;
    for (let i = 1; i <= 80; i++) out = e.ingest(snap(i * 5000, [groupSnapshot('web', { rates: { cpuCores: 0.2 + noise() }, gauges: { rssBytes: 1e8 } })]));
    const cpu = out.find((a) => a.signal === 'cpu');
    expect(cpu).toBeDefined();
    expect(cpu!.score).toBeLessThan(0.9);
    for (let i = 81; i <= 84; i++) out = e.ingest(snap(i * 5000, [groupSnapshot('web', { rates: { cpuCores: 1.5 }, gauges: { rssBytes: 1e8 } }), groupSnapshot('xmrig', { rates: { cpuCores: 1.9 }, firstSeenMs: 81 * 5000 })]));
    expect(out.find((a) => a.group === 'web' && a.signal === 'cpu')!.score).toBeGreaterThan(0.9);
    const combined = out.find((a) => a.group === 'web' && a.signal === 'combined');
    expect(combined!.score).toBeGreaterThan(0.9);
    expect(combined!.contributors![0].signal).toBe('cpu');
    expect(out.find((a) => a.group === 'xmrig' && a.signal === 'novelty')!.score).toBe(1);
    expect(out.find((a) => a.group === 'web' && a.signal === 'novelty')).toBeUndefined();
  });

  it('restores learned baselines without a new warm-up', () => {
    const e = new AnomalyEngine(config);
    for (let i = 1; i <= 60; i++) e.ingest(snap(i * 5000, [groupSnapshot('db', { rates: { cpuCores: 0.3 } })]));
    const saved = JSON.parse(JSON.stringify(e.toJSON()));
    const r = new AnomalyEngine(config);
    r.fromJSON(saved, 61 * 5000);
    const out = r.ingest(snap(62 * 5000, [groupSnapshot('db', { rates: { cpuCores: 0.3 } })]));
    expect(out.find((a) => a.group === 'db' && a.signal === 'cpu')).toBeDefined();
  });

  it('does not call a busy group unfamiliar after a restart (the grouper forgets first sight; the checkpoint knows it)', () => {
    const e = new AnomalyEngine(config);
    for (let i = 1; i <= 120; i++) e.ingest(snap(i * 5000, [groupSnapshot('db', { rates: { cpuCores: 1.9 }, firstSeenMs: 5000 })]));
    const saved = JSON.parse(JSON.stringify(e.toJSON()));
    const r = new AnomalyEngine(config);
    const restart = 200 * 5000;
    r.fromJSON(saved, restart);
    const out = r.ingest(snap(restart + 5000, [groupSnapshot('db', { rates: { cpuCores: 1.9 }, firstSeenMs: restart }), groupSnapshot('xmrig', { rates: { cpuCores: 1.9 }, firstSeenMs: restart })]));
    expect(out.find((a) => a.group === 'db' && a.signal === 'novelty')).toBeUndefined();
    // a group the checkpoint did not know is still unfamiliar
    expect(out.find((a) => a.group === 'xmrig' && a.signal === 'novelty')?.score).toBe(1);
  });

  it('migrates a version 1 checkpoint (hourly buffers) and rejects an unknown version', () => {
    const e = new AnomalyEngine(config);
    for (let i = 1; i <= 60; i++) e.ingest(snap(i * 5000, [groupSnapshot('db', { rates: { cpuCores: 0.3 } })]));
    const v2 = e.toJSON();
    expect(v2.version).toBe(2);
    // What version 1 wrote: the window with its hours, and up to 96 recent values per hour of day.
    const v1: AnomalyEngineStateV1 = {
      version: 1,
      startMs: v2.startMs,
      groups: Object.fromEntries(
        Object.entries(v2.groups).map(([name, g]) => [name, { multi: g.multi, scorers: g.scorers.map((sc) => ({ buf: sc.buf, hours: sc.buf.map(() => 0), head: sc.head, size: sc.size, seen: sc.seen, hourly: Array.from({ length: 24 }, () => [0.3]) })) }]),
      ),
    };
    const r = new AnomalyEngine(config);
    r.fromJSON(JSON.parse(JSON.stringify(v1)), 61 * 5000);
    const out = r.ingest(snap(62 * 5000, [groupSnapshot('db', { rates: { cpuCores: 0.3 } })]));
    expect(out.find((a) => a.group === 'db' && a.signal === 'cpu')).toBeDefined();
    expect(r.toJSON().version).toBe(2);
    expect(() => new AnomalyEngine(config).fromJSON({ ...v2, version: 3 } as unknown as AnomalyEngineState, 0)).toThrow(CheckpointError);
  });

  it('documents a bounded memory per group (docs/architecture.md "Analysis memory")', () => {
    const defaults = anomalyConfigSchema.parse({});
    // 9 signals × (242-point window + 256-point hour sample + 24 hours × 7 days × 20 bytes) + 240 × 9 z vectors.
    expect(AnomalyEngine.bytesPerGroup(defaults)).toBe(9 * (242 * 8 + 256 * 8 + 24 * 7 * 20) + 240 * 9 * 8);
    expect(AnomalyEngine.bytesPerGroup(defaults)).toBeLessThan(100 * 1024);
    expect(AnomalyEngine.bytesPerGroup({ ...defaults, seasonal_after_points: 0 })).toBeLessThan(40 * 1024);
  });
});

describe('learned baselines read by the bottleneck evidence', () => {
  const config = anomalyConfigSchema.parse({});
  const snap = (t: number, i: number): CollectionSnapshot => ({
    timestampMs: t,
    intervalSeconds: 5,
    groups: [groupSnapshot('svc', { gauges: { rssBytes: 1e8 + i * 1000, threads: 8 }, rates: { cpuCores: 0.5 } })],
    host: { ...emptyHost(), procsRunning: 3, rates: { cpuBusyRatio: 0.25, iowaitRatio: 0.01, pressureCpuSomeRatio: null, pressureMemorySomeRatio: null, pressureMemoryFullRatio: null, pressureIoSomeRatio: null, pressureIoFullRatio: null } },
    read: { processesListed: 1, processesRead: 1, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: 1,
  });

  it('are null during warm-up, then the usual value, the usual change per second and the host usual; survive a checkpoint', () => {
    const e = new AnomalyEngine(config);
    const t0 = Date.UTC(2026, 0, 5);
    let i = 0;
    for (; i < 60; i++) e.ingest(snap(t0 + i * 5000, i)); // 5 minutes: in warm-up
    expect(e.baseline('svc', 'cpu')).toBeNull();
    expect(e.hostBaseline('cpu_busy_ratio')).toBeNull();
    for (; i < 240; i++) e.ingest(snap(t0 + i * 5000, i)); // 20 minutes
    expect(e.baseline('svc', 'cpu')).toBeCloseTo(0.5);
    expect(e.baseline('svc', 'threads')).toBe(8);
    expect(e.usualRate('svc', 'memory')).toBeCloseTo(200, 0); // 1000 bytes per 5 s sample
    expect(e.usualRate('svc', 'cpu')).toBe(0);
    expect(e.hostBaseline('cpu_busy_ratio')).toBeCloseTo(0.25);
    expect(e.hostBaseline('procs_running')).toBe(3);
    expect(e.hostBaseline('pressure_cpu_some_ratio')).toBeNull(); // no PSI on this host
    expect(e.baseline('unknown', 'cpu')).toBeNull();

    const restored = new AnomalyEngine(config);
    restored.fromJSON(JSON.parse(JSON.stringify(e.toJSON())) as AnomalyEngineState, t0 + i * 5000);
    expect(restored.hostBaseline('cpu_busy_ratio')).toBeCloseTo(0.25);
    expect(restored.baseline('svc', 'cpu')).toBeCloseTo(0.5);
    const { host: _host, ...older } = e.toJSON(); // a checkpoint written before the host baselines
    const fresh = new AnomalyEngine(config);
    fresh.fromJSON(older, t0 + i * 5000);
    expect(fresh.hostBaseline('cpu_busy_ratio')).toBeNull();
    expect(fresh.baseline('svc', 'cpu')).toBeCloseTo(0.5);
  });
});
