import { coldAt, coldFit } from '../../../../exporter/src/analyse/forecast/cold';
import { forecastConfigSchema } from '../../../../exporter/src/analyse/forecast/config';
import { Forecaster } from '../../../../exporter/src/analyse/forecast/forecaster';
import { TimeRing } from '../../../../exporter/src/analyse/forecast/history';
import { DEFAULT_PARAMS } from '../../../../exporter/src/analyse/forecast/params';
import { robustTrend, trendExhaustion, type TimedPoint } from '../../../../exporter/src/analyse/forecast/trend';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { collectionSnapshot, groupSnapshot } from '../../../helpers/synthetic';

let seed = 11;
const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;

/** A leak sampled every `step` seconds for `seconds`, with jitter like a real process's. */
function leak(opts: { step: number; seconds: number; start: number; perSecond: number; jitter: number }): TimedPoint[] {
  const out: TimedPoint[] = [];
  for (let t = 0; t <= opts.seconds; t += opts.step) out.push({ t, v: opts.start + opts.perSecond * t + opts.jitter * (rand() - 0.5) });
  return out;
}

describe('cold start: trendExhaustion on the first minutes', () => {
  for (const step of [1, 5]) {
    for (const seconds of [60, 120]) {
      it(`finds an fd leak's time to its limit within 35 % after ${seconds} s of ${step} s samples`, () => {
        // 25 fds/s from 100 towards 8,000, ±3 fds of jitter: the truth counts from the last sample.
        const pts = leak({ step, seconds, start: 100, perSecond: 25, jitter: 6 });
        const e = trendExhaustion(pts, 8000, { maxSeconds: 30 * 86400 })!;
        const truth = (8000 - (100 + 25 * seconds)) / 25;
        expect(Math.abs(e.seconds! - truth) / truth).toBeLessThan(0.35);
        expect(e.earliestSeconds!).toBeLessThanOrEqual(e.seconds!);
      });
    }
  }

  it("finds a memory leak's time to a threshold within 35 % after 2 minutes at 5 s, despite allocation steps", () => {
    // 2 MB/s in 4 MB steps every 2 s (a buffer pool growing), 50 MB to start, limit 1 GB.
    const pts: TimedPoint[] = [];
    for (let t = 0; t <= 120; t += 5) pts.push({ t, v: 50e6 + 4e6 * Math.floor(t / 2) });
    const e = trendExhaustion(pts, 1e9)!;
    const truth = (1e9 - pts[pts.length - 1].v) / 2e6;
    expect(Math.abs(e.seconds! - truth) / truth).toBeLessThan(0.35);
  });

  it('finds a falling resource reaching zero, and says 0 for a limit already passed', () => {
    const pts = leak({ step: 5, seconds: 120, start: 4e9, perSecond: -1e7, jitter: 1e6 });
    const e = trendExhaustion(pts, 0, { falling: true })!;
    expect(Math.abs(e.seconds! - (4e9 - 1.2e9) / 1e7) / ((4e9 - 1.2e9) / 1e7)).toBeLessThan(0.35);
    expect(trendExhaustion(pts, 5e9, { falling: true })!.seconds).toBe(0);
  });

  it('gives no time to exhaustion for noise, a flat series, or a trend away from the limit', () => {
    const noise = Array.from({ length: 60 }, (_, i) => ({ t: 5 * i, v: 100 + 20 * (rand() - 0.5) }));
    expect(trendExhaustion(noise, 1000)!.seconds).toBeNull();
    const flat = Array.from({ length: 60 }, (_, i) => ({ t: 5 * i, v: 100 }));
    expect(trendExhaustion(flat, 1000)!.seconds).toBeNull();
    const down = leak({ step: 5, seconds: 120, start: 500, perSecond: -1, jitter: 0 });
    expect(trendExhaustion(down, 1000)!.seconds).toBeNull();
    // Beyond maxSeconds: dropped.
    expect(trendExhaustion(leak({ step: 5, seconds: 120, start: 0, perSecond: 1, jitter: 0 }), 1e6, { maxSeconds: 3600 })!.seconds).toBeNull();
  });

  it('never throws on bad points: NaN, infinities, repeated and reversed times, too few', () => {
    const bad: TimedPoint[][] = [
      [],
      [{ t: 0, v: 1 }],
      [
        { t: NaN, v: 1 },
        { t: 1, v: NaN },
        { t: 2, v: Infinity },
      ],
      Array.from({ length: 20 }, () => ({ t: 5, v: 3 })),
      Array.from({ length: 20 }, (_, i) => ({ t: 100 - i, v: i })),
    ];
    for (const pts of bad) {
      expect(() => robustTrend(pts)).not.toThrow();
      expect(() => trendExhaustion(pts, 10)).not.toThrow();
      expect(() => coldFit(pts, { forecastFactor: 4, horizonFactor: 30, level: 0.8, minPoints: 3, minSpanSeconds: 1 })).not.toThrow();
    }
  });

  it('forecasts the last value with wide intervals for a noisy series, and the trend for a leak', () => {
    const noisy = Array.from({ length: 24 }, (_, i) => ({ t: 5 * i, v: 1 + 0.5 * (rand() - 0.5) }));
    const nf = coldFit(noisy, { forecastFactor: 4, horizonFactor: 30, level: 0.8, minPoints: 6, minSpanSeconds: 30 })!;
    expect(nf.model).toBe('cold_level');
    expect(nf.level).toBe(noisy[noisy.length - 1].v);
    const p = coldAt(
      nf,
      noisy.map((x) => x.v),
      5,
      300,
      DEFAULT_PARAMS,
    )!;
    expect(p.upper - p.lower).toBeGreaterThan(0.2);
    const lf = coldFit(leak({ step: 5, seconds: 120, start: 10, perSecond: 2, jitter: 0.5 }), {
      forecastFactor: 4,
      horizonFactor: 30,
      level: 0.8,
      minPoints: 6,
      minSpanSeconds: 30,
    })!;
    expect(lf.model).toBe('cold_trend');
    expect(lf.slope).toBeCloseTo(2, 1);
    // 2 minutes of history: forecasts reach 4 × that (8 min), times to exhaustion 30 × (1 h).
    expect(coldAt(lf, [], 5, 7 * 60, DEFAULT_PARAMS)).not.toBeNull();
    expect(coldAt(lf, [], 5, 9 * 60, DEFAULT_PARAMS)).toBeNull();
    expect(lf.exhaustionReachSeconds).toBe(3600);
  });
});

describe('bounded histories', () => {
  it('keeps at most its capacity, clock-aligned, with gaps as NaN and a clock stepping back ignored', () => {
    const r = new TimeRing(60, 100);
    for (let i = 0; i < 1000; i++) r.add(i, i * 60_000 + 1000);
    expect(r.length).toBe(100);
    expect(r.finiteCount()).toBe(100);
    expect(r.values()[99]).toBe(998); // the newest closed bucket; 999 is still open
    r.add(5, 500 * 60_000); // the clock stepped back: joins the open bucket
    r.add(7, 1010 * 60_000); // ten minutes without samples
    const v = r.values();
    expect(v.slice(-10).every(Number.isNaN)).toBe(true);
    expect(r.finiteCount()).toBe(90);
    expect(r.length).toBe(100);
    expect(r.phaseOfOldest()).toBe((1010 - 100) % 1440);
  });

  it('forgets the least recently seen series beyond forecast.max_series', () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({ config: forecastConfigSchema.parse({ max_series: 10 }), now: () => now });
    for (let g = 0; g < 30; g++) {
      f.ingest(
        collectionSnapshot([groupSnapshot(`g${g}`, { gauges: { rssBytes: 1e6 }, rates: { cpuCores: 0.1 } })], {
          timestampMs: now,
          intervalSeconds: 5,
          host: { ...emptyHost(), cpus: 2, memoryTotalBytes: 8e9, memoryAvailableBytes: 4e9 },
        }),
      );
      now += 5000;
    }
    const keys = Object.keys(f.toJSON().tiers ?? {});
    expect(keys.length).toBeLessThanOrEqual(10);
    expect(keys).toContain('g29\u0000memory');
    expect(keys).not.toContain('g0\u0000memory');
  });

  it('takes bad samples (NaN, negative, infinite, a process restart) without throwing', () => {
    let now = Date.UTC(2026, 10, 23);
    const f = new Forecaster({ config: forecastConfigSchema.parse({ top_groups: 3 }), now: () => now });
    const values = [NaN, -1, Infinity, 1e12, 0, 5e8, NaN];
    for (let i = 0; i < 400; i++) {
      const v = values[i % values.length];
      f.ingest(
        collectionSnapshot(
          [groupSnapshot('odd', { gauges: { rssBytes: v, openFds: i < 200 ? 10 * i : 3, fdLimitRatio: 0.5, fdLimitMin: 1024 }, rates: { cpuCores: v } })],
          {
            timestampMs: now,
            intervalSeconds: 5,
            host: { ...emptyHost(), cpus: 2, memoryTotalBytes: 8e9, memoryAvailableBytes: v },
          },
        ),
      );
      now += i === 300 ? 3_600_000 : 5000; // and an hour's gap
    }
    expect(() => f.current()).not.toThrow();
    for (const fc of f.current()) for (const p of Object.values(fc.horizons)) expect(Number.isNaN(p.mean)).toBe(false);
  });
});
