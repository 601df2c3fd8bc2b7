import { backtest, calibratedScaleAt, crossing, dampedHolt, linear, naive, robustArima, robustLevel, zFor, type ArimaFn } from '../../../../exporter/src/analyse/forecast/models';
import { arima } from '../../../../exporter/src/analyse/forecast/worker';

let seed = 9;
const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) - 0.5;

describe('forecast models', () => {
  const trend = Array.from({ length: 300 }, (_, i) => 100 + 2 * i + 5 * rand());

  it('follow a linear trend (ARIMA, damped Holt, linear) where naive cannot', () => {
    const actual = 100 + 2 * (300 + 29);
    expect(Math.abs(robustArima(trend, 30, arima).mean[29] - actual)).toBeLessThan(30);
    expect(Math.abs(linear(trend, 30).mean[29] - actual)).toBeLessThan(15);
    expect(Math.abs(dampedHolt(trend, 30).mean[29] - actual)).toBeLessThan(60);
    expect(Math.abs(naive(trend, 30).mean[29] - actual)).toBeGreaterThan(50);
  });

  it('falls back to damped Holt when ARIMA diverges or throws', () => {
    const diverging: ArimaFn = (_s, n) => [Array(n).fill(1e164), Array(n).fill(1)];
    expect(robustArima(trend, 10, diverging).model).toBe('damped_holt');
    const broken: ArimaFn = () => {
      throw new Error('bad fit');
    };
    expect(robustArima(trend, 10, broken).model).toBe('damped_holt');
    const wasm: ArimaFn = () => {
      const e = new Error('unreachable');
      e.name = 'RuntimeError';
      throw e;
    };
    expect(() => robustArima(trend, 10, wasm)).toThrow('unreachable');
  });

  it('calibrates intervals on its own backtest (split conformal)', () => {
    expect(zFor(0.8)).toBeCloseTo(1.2816, 3);
    expect(zFor(0.95)).toBeCloseTo(1.96, 2);
    const noisy = Array.from({ length: 600 }, () => 50 + 10 * rand());
    const bt = backtest(noisy, 10, 12, 0.8, (s, n) => naive(s, n));
    expect(bt.scale).toBeGreaterThan(0.05);
    expect(bt.coverage).not.toBeNull();
    expect(bt.mase).toBeCloseTo(1, 5);
  });

  it('finds when a path crosses a limit, rising or falling', () => {
    expect(crossing([10, 20, 30, 40], 60, 25, { falling: false, current: 0 })).toBeCloseTo(2.5 * 60);
    expect(crossing([10, 20], 60, 100, { falling: false, current: 0 })).toBeNull();
    expect(crossing([80, 50, 10], 60, 0, { falling: true, current: 100 })).toBeNull();
    expect(crossing([80, 40, -20], 60, 0, { falling: true, current: 100 })).toBeCloseTo(60 * (2 + 40 / 60));
  });

  it('carries the median of the last points forward as the robust level, ignoring a spike at the end', () => {
    const f = robustLevel([5, 5, 6, 5, 4, 5, 90], 3, 6);
    expect(f.model).toBe('median_6');
    expect(f.mean).toEqual([5, 5, 5]);
    expect(f.sd[2]).toBeGreaterThan(f.sd[0]);
  });

  it('calibrates the path steps between and past the horizons from the horizons around them (served-as-of-scrape points)', () => {
    const horizons = [15, 60, 360];
    // The 6 h horizon has no backtest yet (a short history): its scale is 1, the raw model sd.
    const bts = [0.5, 0.9, 1].map((scale) => ({ scale, mase: null, coverage: null }));
    expect(calibratedScaleAt(1, horizons, bts)).toBe(0.5);
    expect(calibratedScaleAt(15, horizons, bts)).toBe(0.5);
    // Step 16 (a 15 min forecast served a minute after its fit) stays near the 15 min calibration, not the 1 h one.
    expect(calibratedScaleAt(16, horizons, bts)).toBeCloseTo(0.5 + 0.4 / 45, 9);
    expect(calibratedScaleAt(60, horizons, bts)).toBe(0.9);
    // Past the longest horizon (the refit period the path runs on): the longest horizon's scale, not the shortest's.
    expect(calibratedScaleAt(365, horizons, bts)).toBe(1);
    expect(calibratedScaleAt(65, [15, 60], bts.slice(0, 2))).toBe(0.9);
    expect(calibratedScaleAt(3, [], [])).toBe(1);
  });
});
