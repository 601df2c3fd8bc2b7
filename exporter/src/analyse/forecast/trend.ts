/**
 * Robust trend over a short history and the time until it reaches a limit.
 * One computation for the forecaster's cold start and for the bottleneck
 * rules (fd_exhaustion, memory_leak): both call `trendExhaustion` on their
 * points, so `procsight_forecast_exhaustion_seconds` and the bottleneck's
 * evidence agree. Pure and cheap: a Theil–Sen slope over at most
 * `MAX_SLOPE_POINTS` points (about 2,000 pairwise slopes).
 */
import { madSigma, median } from './stats';
import { selectInPlace } from '../../util/select';

export interface TimedPoint {
  /** Seconds (any origin). */
  t: number;
  v: number;
}

export interface RobustTrend {
  /** Change per second (Theil–Sen: the median of the pairwise slopes). */
  slope: number;
  /** Lower and upper ends of the slope's rank confidence interval at `level` (Sen 1968). */
  slopeLow: number;
  slopeHigh: number;
  /** The trend line's value at the newest point's time. */
  level: number;
  /** Robust σ of the residuals around the line. */
  residualSigma: number;
  /** Newest point's time (the line's anchor). */
  lastT: number;
  /** Seconds between the oldest and the newest point. */
  spanSeconds: number;
  n: number;
}

/** Points the pairwise slopes are taken over (evenly thinned beyond): bounds the cost at ~2,000 slopes. */
const MAX_SLOPE_POINTS = 64;

/** Normal quantile for a two-sided central interval (Acklam's approximation). */
function zFor(level: number): number {
  const p = (1 + level) / 2;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  if (p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const r = p - 0.5;
  const s = r * r;
  return ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
}

/** The finite points in time order (duplicates and time reversals dropped). */
function clean(points: readonly TimedPoint[]): TimedPoint[] {
  const out: TimedPoint[] = [];
  for (const p of points) {
    if (!Number.isFinite(p.t) || !Number.isFinite(p.v)) continue;
    if (out.length > 0 && p.t <= out[out.length - 1].t) continue;
    out.push(p);
  }
  return out;
}

/**
 * Theil–Sen line through the points, anchored at the newest point's time;
 * null with fewer than 3 finite points or no time span.
 */
export function robustTrend(points: readonly TimedPoint[], opts: { level?: number } = {}): RobustTrend | null {
  const pts = clean(points);
  const n = pts.length;
  if (n < 3) return null;
  const lastT = pts[n - 1].t;
  const span = lastT - pts[0].t;
  if (!(span > 0)) return null;
  const stride = Math.max(1, (n - 1) / (MAX_SLOPE_POINTS - 1));
  const thin: TimedPoint[] = [];
  for (let x = 0; Math.round(x) < n; x += stride) thin.push(pts[Math.round(x)]);
  if (thin[thin.length - 1] !== pts[n - 1]) thin.push(pts[n - 1]);
  const m = thin.length;
  const slopes = new Float64Array((m * (m - 1)) / 2);
  let k = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) slopes[k++] = (thin[j].v - thin[i].v) / (thin[j].t - thin[i].t);
  // Three order statistics by selection (no full sort): the median and the interval's ends.
  const mid = (k - 1) / 2;
  const select = (rank: number): number => selectInPlace(slopes, k, rank);
  const slope = Number.isInteger(mid) ? select(mid) : (select(Math.floor(mid)) + select(Math.ceil(mid))) / 2;
  // Sen's rank interval for the slope: C = z·sqrt(n(n−1)(2n+5)/18) slopes either side of the median.
  const z = zFor(opts.level ?? 0.8);
  const c = z * Math.sqrt((m * (m - 1) * (2 * m + 5)) / 18);
  const lo = Math.max(0, Math.floor((k - c) / 2));
  const hi = Math.min(k - 1, Math.ceil((k + c) / 2));
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = pts[i].v - slope * (pts[i].t - lastT);
  const intercept = median(resid);
  for (let i = 0; i < n; i++) resid[i] -= intercept;
  return { slope, slopeLow: select(lo), slopeHigh: select(hi), level: intercept, residualSigma: madSigma(resid), lastT, spanSeconds: span, n };
}

/** Least points before a trend can count. */
const MIN_TREND_POINTS = 6;

/**
 * A trend counts when it rests on at least MIN_TREND_POINTS points, its
 * slope interval excludes 0, and over the span it moved the level by more
 * than 4 × the noise around it: a leak does, a noisy rate's chance slope
 * rarely does.
 */
export function trendIsSignificant(t: RobustTrend): boolean {
  if (t.n < MIN_TREND_POINTS) return false;
  const excludesZero = t.slopeLow > 0 || t.slopeHigh < 0;
  return excludesZero && Math.abs(t.slope) * t.spanSeconds > 4 * t.residualSigma;
}

export interface TrendExhaustion {
  /**
   * Seconds from the newest point until the trend line reaches the limit;
   * 0 when it is already there; null when the trend does not head there,
   * is not significant (trendIsSignificant), or only gets there beyond `maxSeconds`.
   */
  seconds: number | null;
  /**
   * Earliest plausible crossing: the slope's steep end from the level's
   * pessimistic end; null like `seconds` (0 when the level is already within
   * the noise of the limit).
   */
  earliestSeconds: number | null;
  trend: RobustTrend;
}

/**
 * Time until the robust trend of `points` reaches `limit` (upwards, or
 * downwards with `falling`). The one computation behind the cold-start
 * exhaustion series and the bottleneck evidence.
 */
export function trendExhaustion(
  points: readonly TimedPoint[],
  limit: number,
  opts: { falling?: boolean; level?: number; maxSeconds?: number; minPoints?: number; minSpanSeconds?: number } = {},
): TrendExhaustion | null {
  const trend = robustTrend(points, { level: opts.level });
  if (!trend || trend.n < (opts.minPoints ?? 5) || trend.spanSeconds < (opts.minSpanSeconds ?? 20) || !Number.isFinite(limit)) return null;
  const sign = opts.falling ? -1 : 1;
  // In the rising frame: distance still to go, slope towards the limit.
  const gap = sign * (limit - trend.level);
  const toward = sign * trend.slope;
  const steep = opts.falling ? -trend.slopeLow : trend.slopeHigh;
  const gentle = opts.falling ? -trend.slopeHigh : trend.slopeLow;
  const max = opts.maxSeconds ?? Infinity;
  const cap = (s: number | null): number | null => (s === null || s > max ? null : s);
  const z = zFor(opts.level ?? 0.8);
  const pessimisticGap = gap - z * trend.residualSigma;
  const heading = toward > 0 && gentle > 0 && trendIsSignificant(trend);
  const seconds = gap <= 0 ? 0 : heading ? gap / toward : null;
  const earliest = gap <= 0 || (pessimisticGap <= 0 && heading) ? 0 : heading && steep > 0 ? pessimisticGap / steep : null;
  return { seconds: cap(seconds), earliestSeconds: cap(earliest), trend };
}
