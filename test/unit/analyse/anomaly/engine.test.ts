import { calibrate, RobustScorer } from '../../../../exporter/src/analyse/anomaly/robust';
import { AnomalyEngine, type AnomalyEngineState, type AnomalyEngineStateV1 } from '../../../../exporter/src/analyse/anomaly/engine';
import { CheckpointError } from '../../../../exporter/src/errors';
import { anomalyConfigSchema } from '../../../../exporter/src/analyse/anomaly/config';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../../../helpers/synthetic';

const opts = { baseline: 100, recent: 1, warmup: 30, seasonalAfter: 0, minScale: 0.01, relativeMinScale: 0 };

describe('robust univariate score', () => {
  it('is calibrated: |z| = 5 maps to 0.9 for every signal, monotonic, in [0, 1)', () => {
    expect(calibrate(5)).toBeCloseTo(0.9, 3);
    expect(calibrate(-5)).toBeCloseTo(0.9, 3);
    expect(calibrate(0)).toBeCloseTo(0, 6);
    expect(calibrate(2)).toBeLessThan(calibrate(3));
    expect(calibrate(50)).toBeLessThanOrEqual(1);
  });

  it('gives no score during warm-up, a low score on noise and a high one on a level shift', () => {
    const s = new RobustScorer(opts);
    let seed = 11;
    const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.2;
    const scores: Array<number | null> = [];
    for (let i = 0; i < 120; i++) scores.push(s.push(1 + noise(), i * 15000));
    expect(scores.slice(0, 29).every((x) => x === null)).toBe(true);
    const normal = scores.slice(40).map((z) => calibrate(z!));
    expect(Math.max(...normal)).toBeLessThan(0.9);
    const shift = s.push(3, 121 * 15000);
    expect(calibrate(shift!)).toBeGreaterThan(0.99);
  });

  it('does not divide by zero on a flat series', () => {
    const s = new RobustScorer(opts);
    let z: number | null = null;
    for (let i = 0; i < 60; i++) z = s.push(5, i);
    expect(z).toBe(0);
    const jump = s.push(5.005, 61);
    expect(Number.isFinite(jump!)).toBe(true);
  });

  it('with a range floor, a one-step blip on a flat stretch of a series seen spanning 0–100 is not news, a burst still is; the range survives a checkpoint', () => {
    const ranged = { ...opts, minScale: 0, relativeMinScale: 0.01, rangeMinScale: 0.01 };
    const plain = { ...ranged, rangeMinScale: 0 };
    const feed = (s: RobustScorer): void => {
      for (let i = 0; i < 20; i++) s.push(i % 10 === 0 ? 100 : 0.1, i); // earlier bursts: the range is 0.1–100
      for (let i = 20; i < 120; i++) s.push(0.1, i); // then a flat stretch longer than the window
    };
    const a = new RobustScorer(ranged);
    const b = new RobustScorer(plain);
    feed(a);
    feed(b);
    const restored = RobustScorer.fromJSON(ranged, JSON.parse(JSON.stringify(a.toJSON())));
    expect(calibrate(b.push(0.2, 120)!)).toBeGreaterThan(0.99); // without the floor: σ = 0.001, z = 100
    expect(calibrate(a.push(0.2, 120)!)).toBeLessThan(0.2); // σ ≥ 1 % of 99.9
    expect(calibrate(restored.push(0.2, 120)!)).toBeLessThan(0.2);
    expect(calibrate(a.push(40, 121)!)).toBeGreaterThan(0.99);
  });

  it('uses the time-of-day profile once enough history exists', () => {
    const seasonal = new RobustScorer({ ...opts, baseline: 40, seasonalAfter: 24 * 8 });
    const flat = new RobustScorer({ ...opts, baseline: 40, seasonalAfter: 0 });
    // Four days, 8 points an hour: a nightly batch doubles the value at 02:00.
    const batchSeasonal: number[] = [];
    const batchFlat: number[] = [];
    for (let i = 0; i < 4 * 24 * 8; i++) {
      const t = i * 450_000;
      const v = new Date(t).getUTCHours() === 2 ? 2 : 1;
      const zs = seasonal.push(v, t);
      const zf = flat.push(v, t);
      if (new Date(t).getUTCHours() === 2 && i > 3 * 24 * 8) {
        batchSeasonal.push(calibrate(zs!));
        batchFlat.push(calibrate(zf!));
      }
    }
    expect(batchSeasonal).toHaveLength(8);
    // The batch is usual at 02:00 on past days: low for the whole hour…
    expect(Math.max(...batchSeasonal)).toBeLessThan(0.5);
    // …while the rolling baseline alone (the last 5 hours, all at 1) flags its start.
    expect(batchFlat[0]).toBeGreaterThan(0.99);
  });

  it('keeps the time-of-day profile and the open hour across a checkpoint, and migrates a state without a profile', () => {
    const o = { ...opts, baseline: 40, seasonalAfter: 24 * 8, seasonalDays: 3 };
    const a = new RobustScorer(o);
    const series = (i: number) => 1 + (new Date(i * 450_000).getUTCHours() === 2 ? 1 : 0) + ((i * 7919) % 13) / 100;
    // Two and a half days, so the checkpoint falls inside an open hour.
    const cut = Math.floor(2.5 * 24 * 8) + 3;
    for (let i = 0; i < cut; i++) a.push(series(i), i * 450_000);
    const saved = JSON.parse(JSON.stringify(a.toJSON()));
    expect(saved.profile.length).toBeLessThanOrEqual(24 * 3);
    const b = RobustScorer.fromJSON(o, saved);
    // A state written before the profile existed (no `slot`, no `profile`) keeps its window only.
    const old = RobustScorer.fromJSON(o, { buf: saved.buf, head: saved.head, size: saved.size, seen: saved.seen });
    let differs = 0;
    for (let i = cut; i < 4 * 24 * 8; i++) {
      const za = a.push(series(i), i * 450_000);
      expect(b.push(series(i), i * 450_000)).toBe(za);
      const zo = old.push(series(i), i * 450_000);
      expect(zo).not.toBeNull(); // no new warm-up
      if (zo !== za) differs++;
    }
    expect(differs).toBeGreaterThan(0); // the migrated one had to rebuild its profile
  });

  it('bounds its memory: one window, one hour sample and a few numbers per hour and past day', () => {
    const o = { baseline: 240, recent: 2, warmup: 40, seasonalAfter: 5760, minScale: 0.01, relativeMinScale: 0 };
    expect(RobustScorer.bytes(o)).toBe(242 * 8 + 256 * 8 + 24 * 7 * 20);
    expect(RobustScorer.bytes({ ...o, seasonalAfter: 0 })).toBe(242 * 8);
    const s = new RobustScorer({ ...o, seasonalDays: 2 });
    // A month of 5-minute points: the profile holds at most 24 hours × 2 days.
    for (let i = 0; i < 30 * 288; i++) s.push(i % 288, i * 300_000);
    expect(s.toJSON().profile!.length).toBe(48);
  });
});

describe('time-of-day profile at the exporter step (15 s points)', () => {
  const H = 3_600_000;
  const MIN = 60_000;
  const DAY = 24 * H;
  const config = anomalyConfigSchema.parse({});
  const snap = (t: number, cpu: number): CollectionSnapshot => ({
    timestampMs: t,
    intervalSeconds: config.step_seconds,
    groups: [groupSnapshot('web', { rates: { cpuCores: cpu } })],
    host: { ...emptyHost(), memoryTotalBytes: 8e9 },
    read: { processesListed: 1, processesRead: 1, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: 1,
  });
  // A daily sine (1 ± 0.5 core) with noise, plus a batch job adding 1 core every day 09:00–10:00.
  let seed = 7;
  const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.06;
  const usual = (t: number) => {
    const hour = (t % DAY) / H;
    return 1 + 0.5 * Math.sin((2 * Math.PI * hour) / 24) + (hour >= 9 && hour < 10 ? 1 : 0) + noise();
  };
  // Today (day 1), an unusual +1 core from 14:20 to 15:05: 45 minutes, across an hour boundary.
  const shiftStart = DAY + 14 * H + 20 * MIN;
  const shiftEnd = DAY + 15 * H + 5 * MIN;

  it('keeps a sustained unusual shift high for its whole length, and a shift that is usual at that hour low', () => {
    expect(config.step_seconds).toBe(15);
    const seasonal = new AnomalyEngine(config);
    const flat = new AnomalyEngine({ ...config, seasonal_after_points: 0 });
    const shift: number[] = [];
    const batch: number[] = [];
    const batchFlat: number[] = [];
    // History from 08:00 on day 0: a full day (5760 points, the documented 24 h) before the batch on day 1.
    for (let t = 8 * H; t < shiftEnd + 5 * MIN; t += config.step_seconds * 1000) {
      const cpu = usual(t) + (t >= shiftStart && t < shiftEnd ? 1 : 0);
      seasonal.ingest(snap(t, cpu));
      if (t >= DAY + 6 * H && t < DAY + 10 * H) flat.ingest(snap(t, cpu)); // the control only needs a rolling baseline
      // From the second point on (the first is averaged with the point before, recent_points = 2).
      if (t >= shiftStart + 30_000 && t < shiftEnd) shift.push(seasonal.score('web', 'cpu')!);
      if (t >= DAY + 9 * H + 30_000 && t < DAY + 10 * H) {
        batch.push(seasonal.score('web', 'cpu')!);
        batchFlat.push(flat.score('web', 'cpu')!);
      }
    }
    expect(shift).toHaveLength(45 * 4 - 2);
    // Above the threshold that bottleneck evidence uses, for all 45 minutes (the old
    // per-hour buffer of 96 points fell to 0.05–0.10 from minute 15).
    expect(Math.min(...shift)).toBeGreaterThanOrEqual(config.threshold);
    // The same +1 core at 09:00 is what happens every day: not anomalous…
    expect(Math.max(...batch)).toBeLessThan(0.5);
    // …while without the profile its start is (the control).
    expect(Math.max(...batchFlat.slice(0, 20))).toBeGreaterThanOrEqual(config.threshold);
  }, 120_000);
});

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
