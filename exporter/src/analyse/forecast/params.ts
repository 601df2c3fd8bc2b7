import { CHOSEN } from './params.chosen';

/**
 * The forecaster's model parameters: which candidates, how many backtest
 * origins, how intervals are calibrated. Chosen by leave-one-category-out
 * cross-validation on the development corpus (eval/forecast/cv.ts,
 * docs/evaluation.md, "Forecasts"); the exporter and `npm run eval:forecast`
 * run exactly these.
 */

export interface QuantilePair {
  /** Quantiles of the signed error divided by the series' scale (naive MAE at that lag). */
  lo: number;
  hi: number;
}

export interface YoungEntry extends QuantilePair {
  horizonSeconds: number;
  /** Applies while history seconds / horizon seconds is below this. */
  ratioBelow: number;
}

export interface ForecastParams {
  /** Windows (points) of the robust-level candidates. */
  medianWindows: number[];
  /** Window (points) of the robust-trend candidate; 0: none. */
  trendWindow: number;
  ses: boolean;
  dampedHolt: boolean;
  /** Deviation half-lives (seconds) of the seasonal candidates (daily profile); empty: none. */
  seasonalHalfLivesSeconds: number[];
  /** Weight of the newest day in the daily profile. */
  seasonalGamma: number;
  /** Smoothing of the deviation from the profile. */
  seasonalAlpha: number;
  /** Profile phases averaged either side of the target's (seconds). */
  seasonalSmoothSeconds: number;
  /** Backtest origins per fit (evenly spread over the history that can be scored). */
  maxOrigins: number;
  /** The most recent errors per horizon that set its interval. */
  calibrationErrors: number;
  /** Fewer own errors at a horizon than this: the pooled quantiles (`young`) set its interval. */
  minOwnErrors: number;
  /** Added to the nominal level when taking the error quantiles (selection makes own errors optimistic). */
  levelBoost: number;
  /** Added to the level at the capacity horizons (6 h and beyond) on top of levelBoost. */
  capacityLevelBoost: number;
  /** 'per_horizon': each horizon keeps the candidate best at it; 'joint': one candidate for the tier (lowest MASE summed over its horizons); 'grouped': horizons of 6 h and beyond jointly, shorter ones each alone. */
  selection: 'per_horizon' | 'joint' | 'grouped';
  /** 'best': a short horizon is served by the capacity tier where its backtest is better; 'fixed': by the short tier. */
  tierChoice: 'best' | 'fixed';
  /**
   * Pooled normalised error quantiles for a young series (too few own errors
   * at a horizon), by horizon (seconds, the nearest in log-time is used) and
   * by history length over horizon (the first entry whose `ratioBelow` the
   * ratio is under). Also the cold-start intervals.
   */
  young: YoungEntry[];
}

/** The shipped parameters: fixed ones here, the cross-validated ones from params.chosen.ts. */
export const DEFAULT_PARAMS: ForecastParams = {
  trendWindow: 30,
  ses: true,
  dampedHolt: true,
  seasonalGamma: 0.2,
  seasonalAlpha: 0.3,
  seasonalSmoothSeconds: 600,
  maxOrigins: 120,
  minOwnErrors: 20,
  ...CHOSEN,
};
