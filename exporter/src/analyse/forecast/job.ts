/**
 * One forecast fit of one series at one tier (the worker runs it; the
 * evaluation replays it): every candidate is run once over the history,
 * which gives its forecasts from up to `maxOrigins` rolling origins at each
 * horizon; the candidate with the lowest error relative to naive (MASE,
 * summed over the horizons) is kept, and its own most recent out-of-sample
 * errors per horizon give the interval (conformal quantiles of the signed
 * error). A horizon with too few own errors takes pooled quantiles
 * (params.young) scaled by the series' own naive error at that lag. Pure.
 */
import {
  dampedHoltCandidate,
  medianCandidate,
  naiveCandidate,
  seasonalCandidate,
  sesCandidate,
  trendCandidate,
  type Candidate,
  type FitContext,
  type ModelState,
} from './candidates';
import type { ForecastParams, QuantilePair } from './params';
import { meanAbsLagDiff } from './stats';
import { CAPACITY_FROM_SECONDS } from './tiers';

export interface TierJob {
  key: string;
  /** Points oldest first at `stepSeconds`; NaN marks a missing point. */
  series: ArrayLike<number>;
  stepSeconds: number;
  /** Phase within the day (in steps) of the first point; seasonal candidates need it. */
  phase0: number;
  /** Horizons in steps. */
  horizons: number[];
  level: number;
  params: ForecastParams;
}

export interface HorizonFit {
  steps: number;
  /** Index into TierFit.models of the model that serves this horizon. */
  model: number;
  /** The interval around the mean at this horizon: mean + lo … mean + hi. */
  lo: number;
  hi: number;
  /** 'own': the series' own backtest errors; 'pooled': params.young × the series' scale. */
  calibration: 'own' | 'pooled';
  /** Backtest MAE over the naive forecast's at this horizon; null without backtest. */
  mase: number | null;
  /** Share of the later half of the backtest errors inside the interval set by the earlier half. */
  coverage: number | null;
  errors: number;
  /** The series' error scale at this horizon (scaleAt): pooled quantiles are multiples of it. */
  scale: number;
}

export interface TierFit {
  key: string;
  /** The models chosen (one per horizon with 'per_horizon' selection, shared where the same wins). */
  models: Array<{ name: string; state: ModelState }>;
  horizons: HorizonFit[];
  seconds: number;
}

/** Points per day at this step, or null when a day is not a whole number of steps. */
function seasonOf(stepSeconds: number): number | null {
  const s = 86_400 / stepSeconds;
  return Number.isInteger(s) && s >= 2 ? s : null;
}

/** The candidates for a history of `n` points at this step. */
function candidatesFor(n: number, stepSeconds: number, p: ForecastParams): Candidate[] {
  const out: Candidate[] = [naiveCandidate()];
  for (const w of p.medianWindows) out.push(medianCandidate(w));
  if (p.ses) out.push(sesCandidate());
  if (p.dampedHolt) out.push(dampedHoltCandidate());
  if (p.trendWindow > 0) out.push(trendCandidate(p.trendWindow));
  const season = seasonOf(stepSeconds);
  // Seasonal candidates once two days are there: a profile to forecast from and a day of origins to score it.
  if (season !== null && n >= 2 * season) {
    const smooth = Math.round(p.seasonalSmoothSeconds / stepSeconds);
    for (const hl of p.seasonalHalfLivesSeconds) {
      out.push({
        ...seasonalCandidate({ stepSeconds, halfLifeSeconds: hl, gamma: p.seasonalGamma, alpha: p.seasonalAlpha, smooth }),
        name: `seasonal_${Math.round(hl / 60)}m`,
      });
    }
  }
  return out;
}

interface Scored {
  name: string;
  /** Per horizon: signed errors in origin order, and the naive forecast's absolute errors at the same origins. */
  errs: number[][];
  naiveAbs: number[][];
  model: ModelState;
}

/** Runs a candidate over the series, recording its forecasts from each origin. */
function runCandidate(c: Candidate, series: ArrayLike<number>, origins: readonly number[], horizons: readonly number[], ctx: FitContext): Scored {
  const m = c.create(series, ctx);
  // Named after the job's candidate (seasonal names carry their half-life).
  const errs = horizons.map(() => [] as number[]);
  const naiveAbs = horizons.map(() => [] as number[]);
  let last = NaN;
  let oi = 0;
  for (let i = 0; i <= series.length; i++) {
    if (oi < origins.length && origins[oi] === i) {
      oi++;
      if (Number.isFinite(last)) {
        for (let hi = 0; hi < horizons.length; hi++) {
          const t = i + horizons[hi] - 1;
          if (t >= series.length) continue;
          const y = series[t];
          const f = m.forecast(horizons[hi]);
          if (!Number.isFinite(y) || !Number.isFinite(f)) continue;
          errs[hi].push(y - f);
          naiveAbs[hi].push(Math.abs(y - last));
        }
      }
    }
    if (i === series.length) break;
    const y = series[i];
    m.update(y);
    if (Number.isFinite(y)) last = y;
  }
  return { name: c.name, errs, naiveAbs, model: m.state() };
}

function sumAbs(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += Math.abs(x);
  return s;
}

/** Origins evenly spread over [from, to], at most `max`. */
export function spreadOrigins(from: number, to: number, max: number): number[] {
  if (to < from || max <= 0) return [];
  const count = Math.min(max, to - from + 1);
  if (count === 1) return [to];
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const o = Math.round(to - ((count - 1 - k) * (to - from)) / (count - 1));
    if (out.length === 0 || o > out[out.length - 1]) out.push(o);
  }
  return out;
}

/**
 * The series' error scale at a lag: the naive forecast's mean absolute error
 * at that lag in its own history (from the lag-1 error × √lag while the
 * history is shorter than twice the lag); 0 for a constant series.
 */
export function scaleAt(series: ArrayLike<number>, lag: number): number {
  const n = series.length;
  if (n > 2 * lag + 1) return meanAbsLagDiff(series, lag) ?? 0;
  const base = Math.max(1, Math.floor((n - 1) / 2));
  const d = meanAbsLagDiff(series, base);
  return d === null ? 0 : d * Math.sqrt(lag / base);
}

/** Pooled quantiles for a horizon and a history length: the `young` entry nearest in log-time, in its history bucket. */
export function youngQuantiles(p: ForecastParams, horizonSeconds: number, historySeconds: number): QuantilePair {
  if (p.young.length === 0) return { lo: -1.5, hi: 1.5 };
  const dist = (h: number): number => Math.abs(Math.log(h / horizonSeconds));
  const nearest = p.young.reduce((a, y) => (dist(y.horizonSeconds) < dist(a.horizonSeconds) ? y : a)).horizonSeconds;
  const rows = p.young.filter((y) => y.horizonSeconds === nearest).sort((a, b) => a.ratioBelow - b.ratioBelow);
  const ratio = historySeconds / horizonSeconds;
  return rows.find((y) => ratio < y.ratioBelow) ?? rows[rows.length - 1];
}

/**
 * Split-conformal quantiles of signed errors: the ⌈(n+1)·p⌉-th order
 * statistic at the upper end, the mirrored one at the lower end.
 */
export function conformalPair(errors: readonly number[], level: number): { lo: number; hi: number } {
  const s = Float64Array.from(errors).sort();
  const n = s.length;
  const a = (1 - Math.min(0.999, level)) / 2;
  // The epsilon keeps a rank that is a whole number in exact arithmetic from moving by one in binary.
  const hiRank = Math.min(n, Math.ceil((n + 1) * (1 - a) - 1e-9));
  const loRank = Math.max(1, Math.floor((n + 1) * a + 1e-9));
  return { lo: s[loRank - 1], hi: s[hiRank - 1] };
}

export function runTierJob(job: TierJob): TierFit {
  const t0 = performance.now();
  const { series, params: p } = job;
  const n = series.length;
  const horizons = [...new Set(job.horizons)].filter((h) => h >= 1).sort((a, b) => a - b);
  const ctx: FitContext = { season: seasonOf(job.stepSeconds), phase0: job.phase0 };
  const candidates = candidatesFor(n, job.stepSeconds, p);
  // Every candidate is scored on the same origins: after the longest warm-up that still leaves half the history.
  const eligible = candidates.filter((c) => c.warmup <= Math.max(10, Math.floor(n / 2)));
  const from = Math.max(...eligible.map((c) => c.warmup));
  const origins = spreadOrigins(from, n - 1, p.maxOrigins);
  const scored = eligible.map((c) => runCandidate(c, series, origins, horizons, ctx));
  // MASE per horizon; a horizon with fewer than 5 scored origins does not count in the choice.
  const maseOf = (s: Scored, hi: number): number | null => {
    if (s.errs[hi].length < 5) return null;
    const nv = sumAbs(s.naiveAbs[hi]);
    return nv > 0 ? sumAbs(s.errs[hi]) / nv : sumAbs(s.errs[hi]) > 0 ? Infinity : 1;
  };
  const scoreOf = (sc: Scored, his: readonly number[]): number => his.reduce((sum, hi) => sum + (maseOf(sc, hi) ?? 1), 0);
  const pick = (his: readonly number[]): Scored => {
    let best = scored[0];
    let bestScore = Infinity;
    for (const sc of scored) {
      const v = scoreOf(sc, his);
      if (v < bestScore - 1e-12) {
        best = sc;
        bestScore = v;
      }
    }
    return best;
  };
  const all = horizons.map((_, hi) => hi);
  // 'grouped': the capacity horizons (6 h and beyond) share one choice (their errors overlap and are few per day), shorter ones choose alone.
  const long = all.filter((hi) => horizons[hi] * job.stepSeconds >= CAPACITY_FROM_SECONDS);
  const winners =
    p.selection === 'joint'
      ? horizons.map(() => pick(all))
      : p.selection === 'grouped'
        ? (() => {
            const w = long.length ? pick(long) : null;
            return all.map((hi) => (w && long.includes(hi) ? w : pick([hi])));
          })()
        : all.map((hi) => pick([hi]));
  const models: TierFit['models'] = [];
  const levelAt = (h: number): number => Math.min(0.995, job.level + p.levelBoost + (h * job.stepSeconds >= CAPACITY_FROM_SECONDS ? p.capacityLevelBoost : 0));
  const fits: HorizonFit[] = horizons.map((h, hi) => {
    const best = winners[hi];
    let model = models.findIndex((m) => m.name === best.name);
    if (model < 0) model = models.push({ name: best.name, state: best.model }) - 1;
    const errs = best.errs[hi];
    const mase = maseOf(best, hi);
    const level = levelAt(h);
    const recent = errs.slice(-p.calibrationErrors);
    // Coverage: the later half's errors against the quantiles of the earlier half (out of sample).
    const half = Math.floor(recent.length / 2);
    let coverage: number | null = null;
    if (half >= 5) {
      const q = conformalPair(recent.slice(0, half), level);
      const test = recent.slice(half);
      coverage = test.filter((e) => e >= q.lo && e <= q.hi).length / test.length;
    }
    const scale = scaleAt(series, h);
    const common = { steps: h, model, mase: mase === Infinity ? null : mase, coverage, errors: errs.length, scale };
    if (recent.length >= p.minOwnErrors) {
      const q = conformalPair(recent, level);
      return { ...common, lo: Math.min(0, q.lo), hi: Math.max(0, q.hi), calibration: 'own' };
    }
    const y = youngQuantiles(p, h * job.stepSeconds, n * job.stepSeconds);
    return { ...common, lo: Math.min(0, y.lo * scale), hi: Math.max(0, y.hi * scale), calibration: 'pooled' };
  });
  return { key: job.key, models, horizons: fits, seconds: (performance.now() - t0) / 1000 };
}
