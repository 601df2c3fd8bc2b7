import { calibrate, RobustScorer } from '../../exporter/src/analyse/anomaly/robust';

/** procsight's univariate detector fed a series as a stream (NAB: 5-minute points). */
export function procsightScores(timestamps: readonly number[], values: readonly number[], opts: { baseline?: number; recent?: number; suppress?: number } = {}): number[] {
  const s = new RobustScorer({
    baseline: opts.baseline ?? 288, // one day of 5-minute points
    recent: opts.recent ?? 1,
    warmup: 48,
    seasonalAfter: 288 * 3,
    minScale: 0,
    relativeMinScale: 0.01,
  });
  const raw = values.map((v, i) => {
    const z = s.push(v, timestamps[i]);
    return z === null ? 0 : calibrate(z);
  });
  return newExcursions(raw, opts.suppress ?? 288);
}

/**
 * NAB rewards the first detection of an anomaly and charges every further
 * one outside the window, so a score is kept only when it exceeds every score
 * of the previous `k` points (a new excursion); repeats of the same excursion
 * score 0. In the exporter, bottleneck hysteresis and alert `for` durations
 * play this role.
 */
export function newExcursions(raw: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    let prevMax = 0;
    for (let j = Math.max(0, i - k); j < i; j++) if (raw[j] > prevMax) prevMax = raw[j];
    out.push(raw[i] > prevMax ? raw[i] : 0);
  }
  return out;
}

/** Plain z-score baseline: rolling mean and standard deviation of the previous day. */
export function zScoreScores(values: readonly number[], window = 288): number[] {
  const out: number[] = [];
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < values.length; i++) {
    const n = Math.min(i, window);
    if (n >= 48) {
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(1e-12, sum2 / n - mean * mean));
      out.push(calibrate((values[i] - mean) / sd));
    } else out.push(0);
    sum += values[i];
    sum2 += values[i] * values[i];
    if (i >= window) {
      sum -= values[i - window];
      sum2 -= values[i - window] * values[i - window];
    }
  }
  return out;
}
