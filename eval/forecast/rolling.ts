/**
 * Rolling-origin evaluation of the exporter's forecasting job on one series
 * (not a test): at each origin the history before it is cut into the
 * exporter's tiers (tiers.ts: the short tier's last day, the capacity tier's
 * last two weeks, averaged to the tier's step), `runTierJob` fits each tier
 * exactly as the worker does, and every horizon is read from its tier's fit
 * (mean and interval), beside the baselines a Prometheus user has: naive,
 * seasonal naive (the same time one day earlier), predict_linear and Holt.
 */
import { restoreModel } from '../../exporter/src/analyse/forecast/candidates';
import { runTierJob, type HorizonFit, type TierFit } from '../../exporter/src/analyse/forecast/job';
import type { ForecastParams } from '../../exporter/src/analyse/forecast/params';
import { horizonSteps, planForData, preferCapacity, tierFor, type TierPlan, type TierSpec } from '../../exporter/src/analyse/forecast/tiers';
import type { EvalSeries } from './data';

export const EVAL_HORIZONS: Array<[string, number]> = [
  ['15m', 900],
  ['1h', 3600],
  ['6h', 21600],
  ['1d', 86400],
];

export const BASELINES = ['naive', 'seasonal_naive', 'predict_linear', 'holt'] as const;
export type Baseline = (typeof BASELINES)[number];

/** One scored forecast. */
export interface Rec {
  actual: number;
  mean: number;
  lo: number;
  hi: number;
  /** Baselines' forecasts, same order as BASELINES. */
  base: number[];
  /** Seconds of history before the origin. */
  historySeconds: number;
  /** The tier's model and whether its interval came from its own errors. */
  model: string;
  own: boolean;
  /** The tier's error scale at this horizon (pooled quantiles are multiples of it). */
  scale: number;
}

export interface SeriesResult {
  id: string;
  category: string;
  /** Per horizon label: records, or null when the horizon is not applicable (shorter than the data's step). */
  recs: Map<string, Rec[] | null>;
  fitSeconds: number[];
  origins: number;
}

export interface RollingOptions {
  params: ForecastParams;
  plan: TierPlan;
  level: number;
  origins: number;
  /** First origin after this much history. */
  firstOriginSeconds: number;
  horizons?: Array<[string, number]>;
  /** Only this much history before each origin (a young series, as after a start without backfill). */
  historyLimitSeconds?: number;
}

/**
 * The tier's points over the history values[0..o): averages of `k` data
 * points, the last bucket ending at o − 1, at most `maxPoints`.
 */
export function tierSeries(values: readonly number[], o: number, k: number, maxPoints: number): number[] {
  const buckets = Math.min(maxPoints, Math.floor(o / k));
  const out = new Array<number>(buckets);
  for (let j = 0; j < buckets; j++) {
    const end = o - (buckets - 1 - j) * k;
    let s = 0;
    let c = 0;
    for (let i = end - k; i < end; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        s += v;
        c++;
      }
    }
    out[j] = c ? s / c : NaN;
  }
  return out;
}

function lastFinite(values: readonly number[], before: number): number {
  for (let i = before - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return NaN;
}

/** The value one (or more) days before the target, else the last value. */
function seasonalNaive(values: readonly number[], o: number, target: number, day: number): number {
  for (let t = target - day; t >= 0; t -= day) if (t < o && Number.isFinite(values[t])) return values[t];
  return lastFinite(values, o);
}

/** PromQL predict_linear over the last `window` points: least squares, extrapolated. */
export function predictLinear(values: readonly number[], o: number, window: number, ahead: number): number {
  let n = 0;
  let st = 0;
  let sx = 0;
  let stt = 0;
  let stx = 0;
  for (let i = Math.max(0, o - window); i < o; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const t = i - (o - 1);
    n++;
    st += t;
    sx += v;
    stt += t * t;
    stx += t * v;
  }
  if (n === 0) return NaN;
  const den = n * stt - st * st;
  const slope = den > 0 ? (n * stx - st * sx) / den : 0;
  const icpt = (sx - slope * st) / n;
  return icpt + slope * ahead;
}

/** Holt linear over the last `window` points (PromQL double_exponential_smoothing sf 0.3, tf 0.1), extrapolated. */
export function holt(values: readonly number[], o: number, window: number, ahead: number): number {
  let level = NaN;
  let trend = 0;
  let seen = 0;
  for (let i = Math.max(0, o - window); i < o; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (seen === 0) level = v;
    else if (seen === 1) {
      trend = v - level;
      level = v;
    } else {
      const nl = 0.3 * v + 0.7 * (level + trend);
      trend = 0.1 * (nl - level) + 0.9 * trend;
      level = nl;
    }
    seen++;
  }
  return level + ahead * trend;
}

interface TierAtOrigin {
  spec: TierSpec;
  k: number;
  fit: TierFit;
}

/** The exporter's phase of a point within the day, in the tier's steps. */
function phaseOf(tSeconds: number, stepSeconds: number): number {
  const day = 86_400;
  return Math.floor((((tSeconds % day) + day) % day) / stepSeconds);
}

/** Fits each tier the horizons need at origin `o` (as the worker would with this history). */
export function fitTiers(
  s: EvalSeries,
  o: number,
  opts: { plan: TierPlan; params: ForecastParams; level: number; horizons: ReadonlyArray<[string, number]>; fitSeconds?: number[]; historyLimitSeconds?: number },
): Map<string, TierAtOrigin> {
  const { plan, params, level, horizons, fitSeconds } = opts;
  const out = new Map<string, TierAtOrigin>();
  const p = planForData(plan, s.stepSeconds);
  for (const spec of [p.short, p.capacity]) {
    const k = Math.max(1, Math.round(spec.stepSeconds / s.stepSeconds));
    const stepSeconds = k * s.stepSeconds;
    // The capacity tier also fits the short horizons it can (a step or more ahead): it serves them where its backtest is better.
    const wanted = horizons.filter(([, hs]) => hs >= s.stepSeconds && (tierFor(p, hs) === spec || (spec === p.capacity && params.tierChoice === 'best')));
    const steps = wanted.map(([, hs]) => horizonSteps({ ...spec, stepSeconds }, hs)).filter((x): x is number => x !== null);
    if (steps.length === 0) continue;
    const limit = opts.historyLimitSeconds === undefined ? spec.historyPoints : Math.floor(opts.historyLimitSeconds / stepSeconds);
    const series = tierSeries(s.values, o, k, Math.min(spec.historyPoints, limit));
    if (series.filter(Number.isFinite).length < 3) continue;
    const firstT = s.t0 + (o - series.length * k) * s.stepSeconds;
    const fit = runTierJob({ key: s.id, series, stepSeconds, phase0: phaseOf(firstT, stepSeconds), horizons: steps, level, params });
    fitSeconds?.push(fit.seconds);
    out.set(spec.name, { spec: { ...spec, stepSeconds }, k, fit });
  }
  return out;
}

/** Origins evenly spread from `first` to the last one whose longest horizon is still inside the series. */
export function evalOrigins(n: number, first: number, last: number, count: number): number[] {
  if (last < first) return [];
  const c = Math.min(count, last - first + 1);
  if (c <= 1) return [first];
  return Array.from({ length: c }, (_, i) => Math.round(first + (i * (last - first)) / (c - 1)));
}

/** The tier serving a horizon at this origin (as the forecaster serves it), with the horizon's fit. */
function chooseTier(tiers: Map<string, TierAtOrigin>, p: TierPlan, hs: number): { tier: TierAtOrigin; steps: number; hf: HorizonFit } | null {
  const at = (name: string): { tier: TierAtOrigin; steps: number; hf: HorizonFit } | null => {
    const tier = tiers.get(name);
    if (!tier) return null;
    const steps = horizonSteps(tier.spec, hs);
    const hf = steps === null ? undefined : tier.fit.horizons.find((x) => x.steps === steps);
    return hf && steps !== null ? { tier, steps, hf } : null;
  };
  const home = at(tierFor(p, hs).name);
  if (tierFor(p, hs) === p.capacity) return home;
  const cap = at('capacity');
  return cap && preferCapacity(home?.hf, cap.hf) ? cap : home;
}

export function evaluateSeries(s: EvalSeries, opts: RollingOptions): SeriesResult {
  const horizons = opts.horizons ?? EVAL_HORIZONS;
  const d = s.stepSeconds;
  const day = Math.round(86_400 / d);
  const recs = new Map<string, Rec[] | null>(horizons.map(([h, hs]) => [h, hs < d ? null : []]));
  const longest = Math.max(...horizons.filter(([, hs]) => hs >= d).map(([, hs]) => Math.round(hs / d)));
  const origins = evalOrigins(s.values.length, Math.ceil(opts.firstOriginSeconds / d), s.values.length - longest, opts.origins);
  const historyStart = (o: number): number => (opts.historyLimitSeconds === undefined ? 0 : Math.max(0, o - Math.floor(opts.historyLimitSeconds / d)));
  const fitSeconds: number[] = [];
  for (const o of origins) {
    const tiers = fitTiers(s, o, { plan: opts.plan, params: opts.params, level: opts.level, horizons, fitSeconds, historyLimitSeconds: opts.historyLimitSeconds });
    const p = planForData(opts.plan, d);
    for (const [h, hs] of horizons) {
      const list = recs.get(h);
      if (!list) continue;
      const chosen = chooseTier(tiers, p, hs);
      if (!chosen) continue;
      const { tier, steps, hf } = chosen;
      // The tier forecasts the bucket that ends `steps` tier steps ahead; its last data point is the target.
      const target = o + steps * tier.k - 1;
      const actual = s.values[target];
      if (!Number.isFinite(actual)) continue;
      const mean = restoreModel(tier.fit.models[hf.model].state).forecast(steps);
      const ahead = target - (o - 1);
      // The baselines see the same history as the forecaster.
      const from = historyStart(o);
      const seen = from === 0 ? s.values : s.values.slice(from, o);
      const oo = o - from;
      const base = [
        lastFinite(seen, oo),
        seasonalNaive(seen, oo, target - from, day),
        predictLinear(seen, oo, Math.max(2, 2 * ahead), ahead),
        holt(seen, oo, day, ahead),
      ];
      list.push({ actual, mean, lo: mean + hf.lo, hi: mean + hf.hi, base, historySeconds: oo * d, model: tier.fit.models[hf.model].name, own: hf.calibration === 'own', scale: hf.scale });
    }
  }
  return { id: s.id, category: s.category, recs, fitSeconds, origins: origins.length };
}
