/**
 * Baseline detectors for the anomaly evaluation, replayed like procsight's
 * (per row, no look-ahead) and thresholded per row without an alert gate.
 */
import { calibrate, normalTail } from '../../exporter/src/analyse/anomaly/stream/math';

/**
 * z-score: |value − mean| / σ of the previous 24 hours (in time, so any step
 * works), calibrated to [0, 1] as procsight's raw score (|z| = 5 ⇔ 0.9);
 * nothing before 1 hour of history.
 */
export function zScoreScores(timestamps: readonly number[], values: readonly number[], windowMs = 86_400_000, warmupMs = 3_600_000): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  let sum2 = 0;
  let from = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const t = timestamps[i];
    while (from < i && timestamps[from] <= t - windowMs) {
      if (Number.isFinite(values[from])) {
        sum -= values[from];
        sum2 -= values[from] * values[from];
        n--;
      }
      from++;
    }
    const v = values[i];
    if (n >= 2 && t - timestamps[0] >= warmupMs && Number.isFinite(v)) {
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
      out[i] = sd > 0 ? calibrate((v - mean) / sd) : v === mean ? 0 : 1;
    }
    if (Number.isFinite(v)) {
      sum += v;
      sum2 += v * v;
      n++;
    }
  }
  return out;
}

/**
 * NAB's windowed Gaussian detector as published (nab/detectors/gaussian): the
 * score is 1 − the normal tail probability of the value under the mean and σ
 * of the previous `windowSize` rows, the window moving `stepSize` rows at a
 * time once full (NAB's results use 6400 and 100; they are row counts, as
 * NAB defines it).
 */
export function windowedGaussianScores(values: readonly number[], windowSize = 6400, stepSize = 100): Float64Array {
  const out = new Float64Array(values.length);
  const window: number[] = [];
  let step: number[] = [];
  let mean = 0;
  let sd = 1;
  const refit = (): void => {
    let s = 0;
    for (const x of window) s += x;
    mean = s / window.length;
    let s2 = 0;
    for (const x of window) s2 += (x - mean) * (x - mean);
    sd = Math.sqrt(s2 / window.length) || 0.000001;
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    // NAB's results files hold 12 significant digits (Python 2's str of a float), and its threshold 1.0 applies to them.
    if (window.length > 0) out[i] = Number((1 - normalTail(Math.abs(v - mean) / sd)).toPrecision(12));
    if (window.length < windowSize) {
      window.push(v);
      refit();
    } else {
      step.push(v);
      if (step.length === stepSize) {
        window.splice(0, stepSize, ...[]);
        window.push(...step);
        step = [];
        refit();
      }
    }
  }
  return out;
}

/** NAB's published threshold for its windowed Gaussian detector (all three profiles). */
export const GAUSSIAN_THRESHOLD = 1.0;

/** Thresholds the cross-validation chooses the z-score baseline's from (calibrated: 0.9 ⇔ |z| = 5). */
export const ZSCORE_THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.99999];

/** The z-score baseline's shipped threshold: the cross-validation's in-sample choice on the development corpus (docs/evaluation.md). */
export const ZSCORE_THRESHOLD = 0.999;
