import { ANOMALY_THRESHOLD } from '@procsight/contract';

/**
 * Options of the streaming detector. Every duration is in time, never in
 * points: the detector derives counts from time and the step it observes, so
 * it behaves alike at 1 s, 15 s, 5 min and 1 h steps.
 */
export interface StreamDetectorOptions {
  /** Shortest cell: samples closer than this are averaged into one cell (at 1 s, a minute of samples). */
  minCellSeconds: number;
  /** Span of the recent baseline (median and MAD of its cells). */
  baselineHours: number;
  /** Cells needed before the first score (learning state until then), and the fewest a baseline is made of. */
  minBaselineCells: number;
  /** σ is never below this fraction of the range the series spanned lately (a flat series moving one quantisation step is not a 20 σ event). */
  scaleFloorOfRange: number;
  /** σ and the range rule's margin are never below this, in the signal's units (0: none): below it, changes are noise (e.g. 0.02 cores). */
  minScale: number;
  /**
   * A signal's natural bounds when known (CPU in cores 0–host cores, a
   * percentage 0–100, a rate ≥ 0; either side may be left out): values are
   * clamped to them (a reading of 101 % is 100 %). They
   * are not used as a scale: a process using 100 MB of a 64 GB host would be
   * judged on the wrong scale; `minScale` is the floor in units.
   */
  bounds?: { min?: number; max?: number };
  /** `counter`: a cumulative counter, scored as its rate per second; a decrease is a reset (re-based, never scored). */
  kind: 'gauge' | 'counter';
  /** Time constant of the raw scores' short average in the likelihood (Numenta's 10 points at 5 min). */
  shortMinutes: number;
  /** Half-life of the likelihood's fit of that average's history. */
  longDays: number;
  /** Range rule: a cell more than this fraction of the recent range outside it scores 1 (null: no range rule). */
  rangeMargin: number | null;
  /** The range rule also needs the cell this many σ from the recent baseline's median (records of plain noise are not news). */
  rangeMarginScales: number;
  /** No range rule before the series is this old (its range means little yet). */
  rangeMinAgeHours: number;
  /** The range's margin is widened by rangeSettleHours / age while the series is younger than this (0: never). */
  rangeSettleHours: number;
  /** A cell outside the range must stay out this long (one cell of 5 min suffices; at 1-min cells, two)… */
  rangeMinMinutes: number;
  /** …unless it lies this fraction of the range outside it (a large spike of one minute is news at once). */
  rangeInstantMargin: number;
  /** Cells join the range this long after they were seen: a slow ramp is compared with the range it started from. */
  rangeLagMinutes: number;
  /** Memory of the range, in days. */
  rangeDays: number;
  /** Daily profile: a second likelihood over the residual from the same time of day on past days. */
  seasonal: boolean;
  /** Days averaged per time-of-day slot (exponential weights). */
  seasonalDays: number;
  /** Days a slot must have seen before it is used. */
  seasonalMinDays: number;
  /** A daily event this early or late is still the daily event. */
  seasonalJitterMinutes: number;
  /** Score at or above which an alert starts (the shipped threshold). */
  alertThreshold: number;
  /** Quiet time (score below `alertThreshold · rearmFraction`) before another alert can start. */
  rearmQuietMinutes: number;
  rearmFraction: number;
  /** After `restart()`, samples this long are neither scored nor learned (the start-up transient). */
  restartGraceMinutes: number;
}

/**
 * Shipped defaults, chosen by leave-one-category-out cross-validation on the
 * NAB development corpus (docs/evaluation.md, eval/anomaly/cv.ts).
 */
export const STREAM_DEFAULTS: Readonly<StreamDetectorOptions> = Object.freeze({
  minCellSeconds: 60,
  baselineHours: 12,
  minBaselineCells: 12,
  scaleFloorOfRange: 0.01,
  minScale: 0,
  kind: 'gauge',
  shortMinutes: 50,
  longDays: 30,
  rangeMargin: 0.05,
  rangeDays: 30,
  rangeMarginScales: 3,
  rangeMinAgeHours: 6,
  rangeSettleHours: 24,
  rangeMinMinutes: 2,
  rangeInstantMargin: 0.25,
  rangeLagMinutes: 60,
  seasonal: true,
  seasonalDays: 7,
  seasonalMinDays: 2,
  seasonalJitterMinutes: 15,
  alertThreshold: ANOMALY_THRESHOLD,
  rearmQuietMinutes: 120,
  rearmFraction: 0.5,
  restartGraceMinutes: 15,
});

/** The shipped alert threshold (a score at or above it starts an alert): the contract's ANOMALY_THRESHOLD, which the alert rules and the Grafana app share. */
export const STREAM_ALERT_THRESHOLD = STREAM_DEFAULTS.alertThreshold;

const POSITIVE: Array<keyof StreamDetectorOptions> = ['minCellSeconds', 'baselineHours', 'shortMinutes', 'longDays', 'rangeDays', 'seasonalDays'];
const NON_NEGATIVE: Array<keyof StreamDetectorOptions> = [
  'rangeMarginScales',
  'rangeMinAgeHours',
  'rangeSettleHours',
  'rangeMinMinutes',
  'rangeInstantMargin',
  'rangeLagMinutes',
  'scaleFloorOfRange',
  'minScale',
  'seasonalMinDays',
  'seasonalJitterMinutes',
  'rearmQuietMinutes',
  'restartGraceMinutes',
];

/** Defaults overlaid with `o`, checked: a RangeError names the first bad option. */
export function resolveOptions(o: Partial<StreamDetectorOptions> = {}): StreamDetectorOptions {
  const r: StreamDetectorOptions = { ...STREAM_DEFAULTS, ...o };
  const bad = (k: string, why: string): never => {
    throw new RangeError(`stream detector option ${k}: ${why}`);
  };
  for (const k of POSITIVE) if (!(typeof r[k] === 'number' && Number.isFinite(r[k]) && (r[k] as number) > 0)) bad(k, 'must be a positive number');
  for (const k of NON_NEGATIVE) if (!(typeof r[k] === 'number' && Number.isFinite(r[k]) && (r[k] as number) >= 0)) bad(k, 'must be a number ≥ 0');
  if (!Number.isInteger(r.minBaselineCells) || r.minBaselineCells < 3 || r.minBaselineCells > 256) bad('minBaselineCells', 'must be an integer in [3, 256]');
  if (r.rangeMargin !== null && !(Number.isFinite(r.rangeMargin) && r.rangeMargin >= 0)) bad('rangeMargin', 'must be null or a number ≥ 0');
  if (!(r.alertThreshold > 0 && r.alertThreshold <= 1)) bad('alertThreshold', 'must be in (0, 1]');
  if (!(r.rearmFraction > 0 && r.rearmFraction <= 1)) bad('rearmFraction', 'must be in (0, 1]');
  if (r.kind !== 'gauge' && r.kind !== 'counter') bad('kind', "must be 'gauge' or 'counter'");
  if (r.bounds !== undefined) {
    const { min, max } = r.bounds;
    if ((min !== undefined && !Number.isFinite(min)) || (max !== undefined && !Number.isFinite(max))) bad('bounds', 'min and max must be finite when given');
    if (min !== undefined && max !== undefined && !(max > min)) bad('bounds', 'must have min < max');
  }
  return r;
}
