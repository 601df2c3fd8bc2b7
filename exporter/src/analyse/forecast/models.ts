/**
 * Forecast models and their evaluation, pure (the worker runs them; tests and
 * the evaluation script call them directly).
 */
import { linearRegression, median, rootMeanSquare } from 'simple-statistics';

export interface PathForecast {
  model: string;
  mean: number[];
  /** Standard deviation of the forecast error per step (model-based, before calibration). */
  sd: number[];
}

/** A fitted ARIMA's point forecasts and variances, as the arima package returns them. */
export type ArimaFn = (series: number[], steps: number) => [number[], number[]];

/** Last value carried forward; error grows like a random walk. */
export function naive(series: readonly number[], steps: number): PathForecast {
  const last = series[series.length - 1];
  const diffs = series.slice(1).map((v, i) => v - series[i]);
  const sigma = (diffs.length > 0 ? rootMeanSquare(diffs) : 0) || 1e-9;
  return { model: 'naive', mean: Array(steps).fill(last), sd: Array.from({ length: steps }, (_, h) => sigma * Math.sqrt(h + 1)) };
}

/** Holt's linear trend with damping; parameters by a small grid search on one-step errors. */
export function dampedHolt(series: readonly number[], steps: number): PathForecast {
  let best: { sse: number; a: number; b: number; phi: number } = { sse: Infinity, a: 0.5, b: 0.1, phi: 0.9 };
  for (const a of [0.1, 0.3, 0.5, 0.8]) {
    for (const b of [0.01, 0.05, 0.2]) {
      for (const phi of [0.8, 0.9, 0.98]) {
        let level = series[0];
        let trend = series.length > 1 ? series[1] - series[0] : 0;
        let sse = 0;
        for (let i = 1; i < series.length; i++) {
          const f = level + phi * trend;
          const e = series[i] - f;
          sse += e * e;
          const nl = a * series[i] + (1 - a) * (level + phi * trend);
          trend = b * (nl - level) + (1 - b) * phi * trend;
          level = nl;
        }
        if (sse < best.sse) best = { sse, a, b, phi };
      }
    }
  }
  let level = series[0];
  let trend = series.length > 1 ? series[1] - series[0] : 0;
  for (let i = 1; i < series.length; i++) {
    const nl = best.a * series[i] + (1 - best.a) * (level + best.phi * trend);
    trend = best.b * (nl - level) + (1 - best.b) * best.phi * trend;
    level = nl;
  }
  const sigma = Math.sqrt(best.sse / Math.max(1, series.length - 1)) || 1e-9;
  const mean: number[] = [];
  const sd: number[] = [];
  let damp = 0;
  for (let h = 1; h <= steps; h++) {
    damp += best.phi ** h;
    mean.push(level + damp * trend);
    sd.push(sigma * Math.sqrt(1 + (h - 1) * best.a * best.a * (1 + h * best.b)));
  }
  return { model: 'damped_holt', mean, sd };
}

/**
 * Simple exponential smoothing (ARIMA(0,1,1)): a flat forecast at the
 * smoothed level, alpha by grid search on one-step errors. On noisy,
 * mean-reverting series (most CPU and I/O rates) it beats carrying the last
 * noisy value forward.
 */
export function ses(series: readonly number[], steps: number): PathForecast {
  let best = { sse: Infinity, a: 0.5 };
  for (const a of [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9]) {
    let level = series[0];
    let sse = 0;
    for (let i = 1; i < series.length; i++) {
      const e = series[i] - level;
      sse += e * e;
      level += a * e;
    }
    if (sse < best.sse) best = { sse, a };
  }
  let level = series[0];
  for (let i = 1; i < series.length; i++) level += best.a * (series[i] - level);
  const sigma = Math.sqrt(best.sse / Math.max(1, series.length - 1)) || 1e-9;
  return { model: 'ses', mean: Array(steps).fill(level), sd: Array.from({ length: steps }, (_, h) => sigma * Math.sqrt(1 + h * best.a * best.a)) };
}

/**
 * Robust level: the median of the last `window` points carried forward, with
 * the naive forecast's random-walk error growth (the conformal calibration
 * rescales it). CPU and I/O rates are spiky and mean-reverting: carrying the
 * last value forward repeats a spike, smoothing (SES) is pulled by it, the
 * median of a short window is not. A trend (a leak) makes it lag, so the
 * backtest selection picks the ARIMA with drift there.
 */
export function robustLevel(series: readonly number[], steps: number, window: number): PathForecast {
  const level = medianOf(series.slice(-Math.max(1, window)));
  return { model: `median_${window}`, mean: Array(steps).fill(level), sd: naive(series, steps).sd };
}

/** Least-squares line over the window extrapolated (what PromQL's predict_linear does). */
export function linear(series: readonly number[], steps: number): PathForecast {
  const n = series.length;
  // simple-statistics centres on the means before summing, so byte-sized values do not cancel.
  const { m, b } = linearRegression(series.map((v, t) => [t, v]));
  const resid = Math.sqrt(series.reduce((s, v, t) => s + (v - (b + m * t)) ** 2, 0) / Math.max(1, n - 2)) || 1e-9;
  return { model: 'linear', mean: Array.from({ length: steps }, (_, h) => b + m * (n + h)), sd: Array(steps).fill(resid) };
}

/**
 * ARIMA(1,1,1) with drift, fitted by CSS (method 1: did not diverge on real
 * CPU windows, unlike the default), rejected when its path is not finite or
 * leaves a plausible band around the history; then damped Holt is used.
 */
export function robustArima(series: readonly number[], steps: number, arima: ArimaFn | null): PathForecast {
  if (arima && series.length >= 20) {
    try {
      // ARIMA with drift: the median step is removed before the fit and added back,
      // so a steady leak is extrapolated instead of flattened.
      const diffs = series.slice(1).map((v, i) => v - series[i]);
      const drift = medianOf(diffs);
      const detrended = series.map((v, t) => v - drift * t);
      const [m0, variance] = arima(detrended, steps);
      const n = series.length;
      const mean = m0.map((m, h) => m + drift * (n + h));
      const lo = Math.min(...series);
      const hi = Math.max(...series);
      const span = Math.max(hi - lo, Math.abs(hi) * 0.1, 1e-9) + Math.abs(drift) * steps;
      const plausible = mean.length === steps && mean.every((m, i) => Number.isFinite(m) && Number.isFinite(variance[i]) && variance[i] >= 0 && m > lo - 10 * span && m < hi + 10 * span);
      if (plausible) return { model: 'arima_1_1_1_drift', mean, sd: variance.map((v) => Math.sqrt(v)) };
    } catch (e) {
      // A WASM RuntimeError leaves the module unusable: the caller restarts the worker.
      if (e instanceof Error && e.name === 'RuntimeError') throw e;
    }
  }
  return { ...dampedHolt(series, steps), model: 'damped_holt' };
}

/** Median, 0 for no values (simple-statistics throws on an empty list). */
function medianOf(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : median(xs);
}

export interface Backtest {
  /** Per horizon step index (0-based): multiplier for the model sd so that `level` of errors fall inside. */
  scale: number;
  mase: number | null;
  coverage: number | null;
}

/** z for a two-sided central interval at `level`. */
export function zFor(level: number): number {
  // Acklam's approximation of the normal quantile for p = (1 + level) / 2.
  const p = (1 + level) / 2;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const q = Math.sqrt(-2 * Math.log(1 - p));
  if (p > 0.97575) return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  const r = p - 0.5;
  const s = r * r;
  return ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
}

/**
 * Rolling-origin backtest at one horizon (in steps): fit on the prefix up to
 * each origin, forecast `h` ahead, compare. Split-conformal calibration: the
 * first half of the origins give the scale (quantile of |error| / model sd at
 * `level`, over the z the model would use), the second half measure coverage
 * and MASE (MAE over the naive forecast's MAE at the same horizon).
 */
export function backtest(series: readonly number[], h: number, origins: number, level: number, fit: (s: readonly number[], steps: number) => PathForecast): Backtest {
  const minFit = Math.max(20, Math.floor(series.length / 2));
  const last = series.length - h;
  if (last <= minFit) return { scale: 1, mase: null, coverage: null };
  const step = Math.max(1, Math.floor((last - minFit) / origins));
  const errs: Array<{ ratio: number; err: number; naiveErr: number; sd: number }> = [];
  for (let o = minFit; o <= last && errs.length < origins; o += step) {
    const prefix = series.slice(0, o);
    const f = fit(prefix, h);
    const actual = series[o + h - 1];
    const sd = Math.max(f.sd[h - 1], 1e-12);
    errs.push({ ratio: Math.abs(actual - f.mean[h - 1]) / sd, err: Math.abs(actual - f.mean[h - 1]), naiveErr: Math.abs(actual - prefix[prefix.length - 1]), sd });
  }
  if (errs.length < 2) return { scale: 1, mase: null, coverage: null };
  const z = zFor(level);
  const calib = errs.slice(0, Math.ceil(errs.length / 2)).map((e) => e.ratio).sort((a, b) => a - b);
  // Conformal quantile with the finite-sample correction ⌈(n+1)·level⌉.
  const k = Math.min(calib.length - 1, Math.ceil((calib.length + 1) * level) - 1);
  const scale = Math.max(0.05, calib[k] / z);
  const test = errs.slice(Math.ceil(errs.length / 2));
  const coverage = test.filter((e) => e.err <= z * scale * e.sd).length / test.length;
  const naiveMae = errs.reduce((s, e) => s + e.naiveErr, 0) / errs.length;
  const mae = errs.reduce((s, e) => s + e.err, 0) / errs.length;
  return { scale, mase: naiveMae > 0 ? mae / naiveMae : null, coverage };
}

/**
 * The conformal scale for one path step, interpolated linearly between the
 * horizons around it, the nearest horizon's outside them (forecasts served as
 * of the scrape read steps between and past the horizons). A horizon longer
 * than the history allows has no backtest and keeps scale 1, the raw model sd:
 * on the machine recordings of 2026-11-24 that covered 1 h better (0.84)
 * than carrying the 15 min calibration out to it (0.70).
 */
export function calibratedScaleAt(step: number, horizons: readonly number[], backtests: readonly Backtest[]): number {
  if (horizons.length === 0) return 1;
  if (step <= horizons[0]) return backtests[0].scale;
  for (let i = 1; i < horizons.length; i++) {
    if (step <= horizons[i]) {
      const w = (step - horizons[i - 1]) / (horizons[i] - horizons[i - 1]);
      return backtests[i - 1].scale * (1 - w) + backtests[i].scale * w;
    }
  }
  return backtests[horizons.length - 1].scale;
}

/**
 * Seconds until a path crosses `limit` (upwards when rising, downwards when
 * `falling`), interpolated between steps; null when it does not within the path.
 */
export function crossing(path: readonly number[], stepSeconds: number, limit: number, opts: { falling: boolean; current: number }): number | null {
  let prev = opts.current;
  for (let i = 0; i < path.length; i++) {
    const v = path[i];
    const crossed = opts.falling ? v <= limit : v >= limit;
    if (crossed) {
      const frac = v === prev ? 1 : Math.min(1, Math.max(0, (limit - prev) / (v - prev)));
      return (i + frac) * stepSeconds;
    }
    prev = v;
  }
  return null;
}
