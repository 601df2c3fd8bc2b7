import { SlidingStats } from '../../../../exporter/src/analyse/features/sliding';
import { FeatureStore } from '../../../../exporter/src/analyse/features/store';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../../../helpers/synthetic';

function snap(t: number, rss: number, cpu: number): CollectionSnapshot {
  return {
    timestampMs: t * 1000,
    intervalSeconds: 1,
    groups: [groupSnapshot('app', { gauges: { rssBytes: rss }, rates: { cpuCores: cpu } })],
    host: emptyHost(),
    read: { processesListed: 1, processesRead: 1, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: 1,
  };
}

describe('SlidingStats', () => {
  it('matches a from-scratch computation over the last n points, including slope and R²', () => {
    const n = 50;
    const st = new SlidingStats(n, 2 / (n + 1));
    const pts: Array<[number, number]> = [];
    let seed = 3;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 500; i++) {
      const p: [number, number] = [1_700_000_000 + i, 5e9 + 1e6 * i + 1e7 * rand()];
      if (pts.length === n) st.remove(...pts.shift()!);
      pts.push(p);
      st.add(...p);
      if (st.needsRebuild()) st.rebuild(pts);
    }
    const mean = pts.reduce((s, p) => s + p[1], 0) / n;
    const tm = pts.reduce((s, p) => s + p[0], 0) / n;
    const sxx = pts.reduce((s, p) => s + (p[1] - mean) ** 2, 0);
    const stt = pts.reduce((s, p) => s + (p[0] - tm) ** 2, 0);
    const sxt = pts.reduce((s, p) => s + (p[0] - tm) * (p[1] - mean), 0);
    expect(st.meanX).toBeCloseTo(mean, -1);
    expect(Math.sqrt(st.variance)).toBeCloseTo(Math.sqrt(sxx / (n - 1)), -1);
    expect(st.slope).toBeCloseTo(sxt / stt, 0);
    expect(st.r2).toBeCloseTo((sxt * sxt) / (stt * sxx), 4);
  });

  it('reports R² 0 and slope 0 for a flat series', () => {
    const st = new SlidingStats(10, 0.2);
    for (let i = 0; i < 10; i++) st.add(i, 42);
    expect(st.slope).toBe(0);
    expect(st.r2).toBe(0);
    expect(st.variance).toBe(0);
  });
});

describe('FeatureStore', () => {
  it('computes window features from snapshots: slope in units per second, p95, growth', () => {
    const fs = new FeatureStore();
    for (let t = 0; t < 1200; t++) fs.ingest(snap(t, 100e6 + 50_000 * t, t % 10 === 0 ? 1 : 0.1));
    const m1 = fs.stats('app', 'memory', '1m')!;
    expect(m1.slope).toBeCloseTo(50_000, -1);
    expect(m1.r2).toBeGreaterThan(0.999);
    const m15 = fs.stats('app', 'memory', '15m')!;
    expect(m15.spanSeconds).toBeGreaterThan(800);
    expect(m15.slope).toBeCloseTo(50_000, -2);
    expect(m15.growth).toBeGreaterThan(0.3);
    const c = fs.stats('app', 'cpu', '1m')!;
    expect(c.p95).toBe(1);
    expect(c.mean).toBeCloseTo(0.19, 2);
    expect(fs.stats('app', 'memory', '1h')!.n).toBeLessThanOrEqual(240);
    expect(fs.stats('nope', 'cpu', '1m')).toBeNull();
  });

  it('sizes windows from the configured interval, not from a longer first interval', () => {
    const fs = new FeatureStore({ evictAfterMs: 3_600_000, stepSeconds: 5 });
    // The exporter's first interval is the interval plus the first collection (8 s here), then 5 s.
    let t = 0;
    for (let i = 0; i < 40; i++) {
      t += i === 0 ? 8 : 5;
      fs.ingest({ ...snap(t, 1e8, 0.5), intervalSeconds: i === 0 ? 8 : 5 });
    }
    const m1 = fs.stats('app', 'cpu', '1m')!;
    expect(m1.n).toBe(12);
    expect(m1.spanSeconds).toBeLessThanOrEqual(60);
  });

  it('keeps at least three points in the 1m window at long intervals (rules need n >= 3)', () => {
    const fs = new FeatureStore({ evictAfterMs: 3_600_000, stepSeconds: 30 });
    for (let i = 1; i <= 20; i++) fs.ingest({ ...snap(i * 30, 1e8, 0.98), intervalSeconds: 30 });
    expect(fs.stats('app', 'cpu', '1m')!.n).toBe(3);
  });

  it.each([
    [10, 20],
    [60, 60],
  ])('spans what the 15m and 1h windows say at a %i s interval (buckets of %i s)', (step, bucket) => {
    const fs = new FeatureStore({ evictAfterMs: 3_600_000 * 4, stepSeconds: step });
    for (let t = step; t <= 3 * 3600; t += step) fs.ingest({ ...snap(t, 1e8 + t, 0.5), intervalSeconds: step });
    for (const [w, secs] of [['15m', 900], ['1h', 3600]] as const) {
      const st = fs.stats('app', 'memory', w)!;
      expect(st.spanSeconds).toBeLessThanOrEqual(secs);
      expect(st.spanSeconds).toBeGreaterThanOrEqual(secs - 2 * bucket);
    }
  });

  it('keeps memory bounded per group', () => {
    expect(FeatureStore.bytesPerGroup(1)).toBeLessThan(64 * 1024);
    expect(FeatureStore.bytesPerGroup(5)).toBeLessThan(32 * 1024);
  });
});
