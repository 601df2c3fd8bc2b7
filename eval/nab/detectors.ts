import { calibrate, RobustScorer } from '../../exporter/src/analyse/anomaly/robust';
import { AnomalyLikelihood, DEFAULT_LIKELIHOOD } from './likelihood';
import { ContextDetector } from './context';
import { probationLength } from './scorer';

/**
 * The NAB detector's alert level: likelihood outputs at or above it are
 * alerts, subject to the repeat filter; NAB's threshold is searched from here
 * up (below it, points would pass the threshold without the filter).
 */
export const NAB_ALERT_LEVEL = 0.4;

/**
 * The contextual stage's alert level: NAB's own standard-profile threshold for
 * CAD OSE (config/thresholds.json in NAB's repository, optimised by NAB on its
 * whole corpus), not tuned on this subset.
 */
const CONTEXT_ALERT_LEVEL = 0.7655273437500002;

/**
 * Where the contextual stage's quantisation range comes from:
 * - `series`: the series' minimum and maximum, which NAB hands every detector
 *   before the stream starts (inputMin / inputMax; Numenta HTM's encoder and
 *   CAD OSE are sized from them);
 * - `probation`: the minimum and maximum of the probation period only (strictly
 *   streaming: the detector could buffer those points and replay them, and NAB
 *   does not score them);
 */
export type ContextRange = 'series' | 'probation';

/** The contextual stage alone (`ContextDetector` as NAB runs CAD OSE): its scores in [0, 1]. */
export function contextScores(values: readonly number[], range: ContextRange = 'series'): number[] {
  const probation = probationLength(values.length);
  const seen = range === 'series' ? values : values.slice(0, probation);
  let min = Infinity;
  let max = -Infinity;
  for (const v of seen) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const d = new ContextDetector({ min, max, restPeriod: probation / 5 });
  return values.map((v) => d.push(v));
}

/**
 * The likelihood stage of procsight's NAB detector, fed a series as a stream
 * (5-minute points): `RobustScorer` (median/MAD of the previous 6 h, no
 * time-of-day profile, σ at least 1 % of the range seen so far) gives a
 * calibrated raw score per point; `AnomalyLikelihood` turns it into the tail
 * probability of its 10-point mean under the series' own history of such
 * means, adds the range rule (5 % outside every value seen so far scores 1)
 * and reports at most one alert per day. One parameter set for every file;
 * the learning period is half the probation period NAB gives each detector
 * (as Numenta's HTM detector does).
 */
export function likelihoodScores(
  timestamps: readonly number[],
  values: readonly number[],
  opts: { baseline?: number; refractory?: number; rangeTolerance?: number | null; rangeMinScale?: number } = {},
): number[] {
  const s = new RobustScorer({ baseline: opts.baseline ?? 72, recent: 1, warmup: 48, seasonalAfter: 0, minScale: 0, relativeMinScale: 0.01, rangeMinScale: opts.rangeMinScale ?? 0.01 });
  const l = new AnomalyLikelihood({
    ...DEFAULT_LIKELIHOOD,
    learning: Math.floor(probationLength(values.length) / 2),
    alertLevel: NAB_ALERT_LEVEL,
    repeatLevel: NAB_ALERT_LEVEL / 2,
    refractory: opts.refractory ?? 288,
    rangeTolerance: opts.rangeTolerance === undefined ? 0.05 : opts.rangeTolerance,
  });
  return values.map((v, i) => {
    const z = s.push(v, timestamps[i]);
    return l.push(z === null ? 0 : calibrate(z), v) ?? 0;
  });
}

/**
 * procsight's NAB detector: the likelihood stage's scores (`likelihoodScores`),
 * raised to 1 where the contextual stage (`contextScores`) alerts. A
 * contextual alert is an alert on its own, as the range rule's: the two
 * stages see different things.
 */
export function procsightScores(likelihood: readonly number[], contextual: readonly number[]): number[] {
  return likelihood.map((l, i) => (contextual[i] >= CONTEXT_ALERT_LEVEL ? 1 : l));
}

/** The range rule alone (ablation): 1 when a value lies 5 % outside every value seen before. */
export function rangeRuleScores(values: readonly number[], tolerance = 0.05): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  return values.map((v) => {
    const out = hi > lo && (v > hi + (hi - lo) * tolerance || v < lo - (hi - lo) * tolerance) ? 1 : 0;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    return out;
  });
}

/**
 * The exporter's live univariate score (what `procsight_anomaly_score` runs,
 * at NAB's 5-minute step): `RobustScorer` on the previous day, time-of-day
 * profile after 3 days, calibrated; repeats of an excursion dropped by
 * `newExcursions` (evaluation only).
 */
export function robustScores(timestamps: readonly number[], values: readonly number[], opts: { baseline?: number; recent?: number; suppress?: number } = {}): number[] {
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
function newExcursions(raw: readonly number[], k: number): number[] {
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
