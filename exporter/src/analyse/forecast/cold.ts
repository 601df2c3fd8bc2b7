/**
 * Cold start: a forecast from a series' first minutes, before the short
 * tier has enough points for backtested candidates. A robust trend
 * (Theil–Sen, trend.ts) when it is significant (trendIsSignificant: a leak),
 * else the last value (a few minutes tell nothing better about a noisy
 * rate than where it is now). Intervals are the pooled
 * young-series quantiles (params.young) times the series' own naive error
 * at that lag: honest and wide, since nothing of the series' own errors is
 * known yet. Forecasts reach at most `forecastFactor` × the history's span
 * (times to exhaustion `horizonFactor` ×: a leak's line is worth following
 * further than a rate's wiggle).
 * Pure and cheap (about 2,000 pairwise slopes).
 */
import { scaleAt, youngQuantiles } from './job';
import type { ForecastParams } from './params';
import { robustTrend, trendIsSignificant, type RobustTrend, type TimedPoint } from './trend';

export interface ColdFit {
  model: 'cold_trend' | 'cold_level';
  /** Value at the newest point and change per second (0 for a level). */
  level: number;
  slope: number;
  /** Newest point's time (seconds). */
  lastT: number;
  spanSeconds: number;
  /** Forecasts reach at most this far past the newest point (seconds). */
  reachSeconds: number;
  /** Times to exhaustion reach at most this far (seconds). */
  exhaustionReachSeconds: number;
  trend: RobustTrend;
}

export function coldFit(
  points: readonly TimedPoint[],
  opts: { forecastFactor: number; horizonFactor: number; level: number; minPoints: number; minSpanSeconds: number },
): ColdFit | null {
  const trend = robustTrend(points, { level: opts.level });
  if (!trend || trend.n < opts.minPoints || trend.spanSeconds < opts.minSpanSeconds) return null;
  const reachSeconds = opts.forecastFactor * trend.spanSeconds;
  const exhaustionReachSeconds = opts.horizonFactor * trend.spanSeconds;
  if (trendIsSignificant(trend))
    return {
      model: 'cold_trend',
      level: trend.level,
      slope: trend.slope,
      lastT: trend.lastT,
      spanSeconds: trend.spanSeconds,
      reachSeconds,
      exhaustionReachSeconds,
      trend,
    };
  const last = points.filter((p) => Number.isFinite(p.v)).pop();
  return {
    model: 'cold_level',
    level: last?.v ?? trend.level,
    slope: 0,
    lastT: trend.lastT,
    spanSeconds: trend.spanSeconds,
    reachSeconds,
    exhaustionReachSeconds,
    trend,
  };
}

/** Mean and interval `aheadSeconds` past the newest point; null beyond the fit's reach. */
export function coldAt(
  fit: ColdFit,
  values: ArrayLike<number>,
  stepSeconds: number,
  aheadSeconds: number,
  params: ForecastParams,
): { mean: number; lower: number; upper: number } | null {
  if (aheadSeconds > fit.reachSeconds) return null;
  const mean = fit.level + fit.slope * aheadSeconds;
  const q = youngQuantiles(params, aheadSeconds, fit.spanSeconds);
  const scale = scaleAt(values, Math.max(1, Math.round(aheadSeconds / stepSeconds)));
  return { mean, lower: mean + Math.min(0, q.lo * scale), upper: mean + Math.max(0, q.hi * scale) };
}
