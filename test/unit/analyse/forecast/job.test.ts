import { restoreModel, seasonalCandidate } from '../../../../exporter/src/analyse/forecast/candidates';
import { conformalPair, runTierJob, scaleAt, spreadOrigins, type TierJob } from '../../../../exporter/src/analyse/forecast/job';
import { DEFAULT_PARAMS } from '../../../../exporter/src/analyse/forecast/params';
import { ServedTier } from '../../../../exporter/src/analyse/forecast/serve';
import { median } from '../../../../exporter/src/analyse/forecast/stats';
import { runJobs } from '../../../../exporter/src/analyse/forecast/worker';

let seed = 9;
const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
/** Standard normal (Box–Muller). */
const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

const job = (series: number[], over: Partial<TierJob> = {}): TierJob => ({
  key: 'g\u0000cpu',
  series,
  stepSeconds: 300,
  phase0: 0,
  horizons: [3, 12],
  level: 0.8,
  params: DEFAULT_PARAMS,
  ...over,
});

describe('forecast candidates and the tier job', () => {
  it('forecasts a daily cycle with the seasonal candidate, well below naive and the seasonal naive forecast at 6 h and 1 day', () => {
    const day = 288; // 5-minute steps
    const truth = (i: number): number => 50 + 30 * Math.sin((2 * Math.PI * i) / day);
    const series = Array.from({ length: 7 * day }, (_, i) => truth(i) + 3 * gauss());
    const fit = runTierJob(job(series, { horizons: [72, 288] }));
    for (const h of fit.horizons) {
      expect(fit.models[h.model].name).toMatch(/^seasonal_/);
      const f = restoreModel(fit.models[h.model].state).forecast(h.steps);
      const actual = truth(series.length + h.steps - 1);
      // Noise σ 3: within 4 of the truth, where naive is off by up to 60 (6 h) and yesterday's value by its own noise (1 day).
      expect(Math.abs(f - actual)).toBeLessThan(4);
      expect(h.mase).toBeLessThan(0.8);
    }
  });

  it('keeps the phase of the day across a gap and a restore of its state', () => {
    const c = seasonalCandidate({ stepSeconds: 3600, halfLifeSeconds: 3600, gamma: 0.5, alpha: 0.3, smooth: 0 });
    const m = c.create([], { season: 24, phase0: 5 });
    // Point i is at phase (5 + i) mod 24; every day peaks at phase 17.
    for (let i = 0; i < 72; i++) m.update((5 + i) % 24 === 17 ? 100 : 0);
    // The next point is at phase 5 (77 mod 24): the peak is 13 steps ahead, not 12 or 14.
    expect(m.forecast(13)).toBeGreaterThan(60);
    expect(m.forecast(12)).toBeLessThan(20);
    m.update(NaN);
    const restored = restoreModel(m.state());
    expect(restored.forecast(12)).toBeCloseTo(m.forecast(12), 9);
    expect(restored.forecast(12)).toBeGreaterThan(60);
  });

  it('calibrates its intervals to cover about 80 % of new values of white noise (conformal quantiles of its own errors)', () => {
    let inside = 0;
    let total = 0;
    for (let k = 0; k < 150; k++) {
      const series = Array.from({ length: 400 }, () => 10 + gauss());
      const fit = runTierJob(job(series));
      for (const h of fit.horizons) {
        expect(h.calibration).toBe('own');
        const mean = restoreModel(fit.models[h.model].state).forecast(h.steps);
        const actual = 10 + gauss();
        total++;
        if (actual >= mean + h.lo && actual <= mean + h.hi) inside++;
      }
    }
    expect(inside / total).toBeGreaterThan(0.74);
    expect(inside / total).toBeLessThan(0.86);
  });

  it('gives a young series the pooled quantiles times its own error scale', () => {
    const series = Array.from({ length: 12 }, (_, i) => 5 + (i % 2));
    const fit = runTierJob(job(series, { horizons: [12] }));
    expect(fit.horizons[0].calibration).toBe('pooled');
    expect(fit.horizons[0].hi).toBeGreaterThan(0);
    expect(fit.horizons[0].lo).toBeLessThan(0);
    expect(fit.horizons[0].scale).toBeCloseTo(scaleAt(series, 12), 9);
  });

  it('picks a robust level for a spiky flat rate and a trend for a leak', () => {
    const spiky = Array.from({ length: 288 }, (_, i) => 2 + 0.1 * gauss() + (i % 7 === 3 ? 5 : 0));
    const flat = runTierJob(job(spiky, { stepSeconds: 60, horizons: [15, 60] }));
    for (const h of flat.horizons) {
      expect(flat.models[h.model].name).toMatch(/^median_/);
      expect(h.mase).toBeLessThan(1);
    }
    const leak = Array.from({ length: 288 }, (_, i) => 100 + 2 * i + gauss());
    const lf = runTierJob(job(leak, { stepSeconds: 60, horizons: [15, 60] }));
    const h = lf.horizons[1];
    expect(restoreModel(lf.models[h.model].state).forecast(60)).toBeGreaterThan(100 + 2 * (287 + 60) - 20);
  });

  it('never throws on bad input: NaN, infinities, gaps, a reset, constants, too short', () => {
    const bad: number[][] = [
      [],
      [NaN],
      [1, 2],
      Array(500).fill(NaN),
      Array(500).fill(7),
      Array.from({ length: 500 }, (_, i) => (i % 50 < 10 ? NaN : i)),
      Array.from({ length: 500 }, (_, i) => (i < 250 ? 1e9 + i * 1e6 : i)), // a reset (process restart)
      Array.from({ length: 500 }, (_, i) => (i === 100 ? Infinity : i === 200 ? -Infinity : Math.sin(i))),
    ];
    for (const series of bad) {
      const r = runJobs([{ ...job(series, { horizons: [1, 3, 12, 72, 288, 2016] }), tier: 'capacity', pushed: 0 }]);
      expect(r.failures).toEqual([]);
      for (const f of r.results) for (const h of f.horizons) expect(Number.isNaN(h.lo) || h.lo <= 0).toBe(true);
    }
  });

  it('spreads backtest origins and takes split-conformal quantiles with the finite-sample correction', () => {
    expect(spreadOrigins(10, 20, 3)).toEqual([10, 15, 20]);
    expect(spreadOrigins(10, 12, 10)).toEqual([10, 11, 12]);
    expect(spreadOrigins(5, 4, 3)).toEqual([]);
    const errs = Array.from({ length: 99 }, (_, i) => i - 49); // −49 … 49
    const q = conformalPair(errs, 0.8);
    // ⌈100 × 0.9⌉ = 90th of 99 (40), ⌊100 × 0.1⌋ = 10th (−40).
    expect(q).toEqual({ lo: -40, hi: 40 });
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('re-anchoring a served fit', () => {
  it('moves a level model to the newest points; parameters and interval widths stay from the fit', () => {
    const series = Array.from({ length: 300 }, () => 10 + 0.2 * gauss());
    const fit = runTierJob(job(series, { stepSeconds: 60, horizons: [15] }));
    const served = new ServedTier(fit, 60, 300 * 60_000, 0);
    const before = served.at(15)!;
    expect(before.mean).toBeCloseTo(10, 0);
    served.feed(Array(30).fill(20), 330 * 60_000);
    const after = served.at(15)!;
    expect(after.mean).toBeGreaterThan(18);
    expect(after.upper - after.mean).toBeCloseTo(before.upper - before.mean, 9);
    // Counted from the newest point: 15 steps after it is now + 15 min when the newest point ended now.
    expect(served.stepsAhead(330 * 60_000, 15 * 60_000)).toBe(15);
  });

  it('widens the interval beyond the longest fitted horizon and narrows it before the first', () => {
    const series = Array.from({ length: 300 }, () => 10 + gauss());
    const fit = runTierJob(job(series, { stepSeconds: 60, horizons: [15, 60] }));
    const served = new ServedTier(fit, 60, 0, 0);
    const w = (k: number): number => served.offsetsAt(k).hi - served.offsetsAt(k).lo;
    expect(w(1)).toBeLessThan(w(15));
    expect(w(240)).toBeCloseTo(w(60) * 2, 6);
  });
});
