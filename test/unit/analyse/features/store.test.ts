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
    for (const [w, secs] of [
      ['15m', 900],
      ['1h', 3600],
    ] as const) {
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
