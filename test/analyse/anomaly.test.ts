import { calibrate, RobustScorer } from '../../exporter/src/analyse/anomaly/robust';
import { AnomalyEngine } from '../../exporter/src/analyse/anomaly/engine';
import { anomalyConfigSchema } from '../../exporter/src/analyse/anomaly/config';
import type { CollectionSnapshot } from '../../exporter/src/types';
import { emptyHost } from '../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../helpers/synthetic';

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

  it('uses the time-of-day profile once enough history exists', () => {
    const seasonal = new RobustScorer({ ...opts, baseline: 40, seasonalAfter: 24 * 8 });
    const flat = new RobustScorer({ ...opts, baseline: 40, seasonalAfter: 0 });
    // Four days, 8 points an hour: a nightly batch doubles the value at 02:00.
    let zs = 0;
    let zf = 0;
    for (let i = 0; i < 4 * 24 * 8; i++) {
      const t = i * 450_000;
      const v = new Date(t).getUTCHours() === 2 ? 2 : 1;
      zs = seasonal.push(v, t) ?? 0;
      zf = flat.push(v, t) ?? 0;
      if (new Date(t).getUTCHours() === 2 && i > 3 * 24 * 8) {
        expect(calibrate(zs)).toBeLessThan(0.5);
      }
    }
    expect(Number.isFinite(zf)).toBe(true);
  });
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
});
