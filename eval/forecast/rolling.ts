/**
 * Rolling-origin evaluation of the exporter's forecaster on one series (not
 * a test). At each origin the series' history is replayed into a
 * ForecastSeries sample by sample (the exporter's own histories: cold-start,
 * short and capacity tiers, bucket averaging, gaps), the tier jobs the
 * forecaster would send its worker are run (fitting.ts, job.ts) and
 * installed, and each horizon is read with `ForecastSeries.at` as a scrape
 * reads it: from the tier that serves it, or the cold-start trend. Beside
 * it, the baselines a Prometheus user has: naive, seasonal naive (the same
 * time one day earlier), predict_linear and Holt. Optionally the forecast
 * as served between refits, with and without re-anchoring on the newest points.
 */
import type { ForecastConfig } from '../../exporter/src/analyse/forecast/config';
import { HORIZON_SECONDS } from '../../exporter/src/analyse/forecast/horizons';
import { configForData, install, jobsFor, tiersOf } from '../../exporter/src/analyse/forecast/fitting';
import { scaleAt } from '../../exporter/src/analyse/forecast/job';
import type { ForecastParams } from '../../exporter/src/analyse/forecast/params';
import { ForecastSeries } from '../../exporter/src/analyse/forecast/series';
import { runJobs } from '../../exporter/src/analyse/forecast/worker';
import type { EvalSeries } from './data';

export const EVAL_HORIZONS: Array<[string, number]> = [
  ['15m', 900],
  ['1h', 3600],
  ['6h', 21600],
  ['1d', 86400],
];

export const BASELINES = ['naive', 'seasonal_naive', 'predict_linear', 'holt'] as const;

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
  /** What served it: 'short', 'capacity' or 'cold'. */
  tier: string;
  model: string;
  /** Whether its interval came from its own backtest errors (else pooled quantiles). */
  own: boolean;
  /** The error scale its pooled quantiles would multiply (the young-table estimate needs it). */
  scale: number;
}

/** A forecast served `lag` data steps after its tier's fit, with and without re-anchoring. */
interface ServedRec {
  actual: number;
  naive: number;
  anchored: number;
  frozen: number;
  lag: number;
}

export interface SeriesResult {
  id: string;
  category: string;
  /** Per horizon label: records, or null when the horizon is not applicable (shorter than the data's step). */
  recs: Map<string, Rec[] | null>;
  served: Map<string, ServedRec[]>;
  fitSeconds: number[];
  origins: number;
}

export interface RollingOptions {
  config: ForecastConfig;
  params: ForecastParams;
  origins: number;
  /** First origin after this much history. */
  firstOriginSeconds: number;
  horizons?: Array<[string, number]>;
  /** Only this much history before each origin (a young series, as after a start without backfill). */
  historyLimitSeconds?: number;
  /** Also score forecasts served between refits (re-anchored against not). */
  served?: boolean;
}

function lastFinite(values: readonly number[], from: number, before: number): number {
  for (let i = before - 1; i >= from; i--) if (Number.isFinite(values[i])) return values[i];
  return NaN;
}

/** The value one (or more) days before the target, else the last value. */
function seasonalNaive(values: readonly number[], from: number, o: number, target: number, day: number): number {
  for (let t = target - day; t >= from; t -= day) if (t < o && Number.isFinite(values[t])) return values[t];
  return lastFinite(values, from, o);
}

/** PromQL predict_linear over the last `window` points: least squares, extrapolated `ahead` steps past the last. */
function predictLinear(values: readonly number[], from: number, o: number, window: number, ahead: number): number {
  let n = 0;
  let st = 0;
  let sx = 0;
  let stt = 0;
  let stx = 0;
  for (let i = Math.max(from, o - window); i < o; i++) {
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
  return (sx - slope * st) / n + slope * ahead;
}

/** Holt linear over the last `window` points (PromQL double_exponential_smoothing sf 0.3, tf 0.1), extrapolated. */
function holt(values: readonly number[], from: number, o: number, window: number, ahead: number): number {
  let level = NaN;
  let trend = 0;
  let seen = 0;
  for (let i = Math.max(from, o - window); i < o; i++) {
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

/** Origins evenly spread from `first` to `last`, at most `count`. */
function evalOrigins(first: number, last: number, count: number): number[] {
  if (last < first) return [];
  const c = Math.min(count, last - first + 1);
  if (c <= 1) return [first];
  return Array.from({ length: c }, (_, i) => Math.round(first + (i * (last - first)) / (c - 1)));
}

/**
 * The exporter's series at origin `o`: samples [from, o) replayed at their
 * times, the open buckets closed at the origin, every tier fit it would run
 * there installed, the cold-start trend fitted.
 */
function replay(
  s: EvalSeries,
  from: number,
  o: number,
  opts: { config: ForecastConfig; params: ForecastParams; horizonsSeconds: number[]; fitSeconds?: number[] },
): ForecastSeries {
  const d = s.stepSeconds;
  const c = opts.config;
  const fs = new ForecastSeries(s.id, 'eval', 'cpu', c, opts.params);
  // Only what the longest history can hold is replayed.
  const span = Math.max(c.capacity.step_seconds * c.capacity.history_points, c.step_seconds * c.history_points);
  const start = Math.max(from, o - Math.ceil(span / d) - 1);
  for (let i = start; i < o; i++) fs.add(s.values[i], (s.t0 + i * d) * 1000);
  const nowMs = (s.t0 + o * d) * 1000;
  fs.flush(nowMs);
  const { results } = runJobs(jobsFor(fs, { config: c, params: opts.params, horizonsSeconds: opts.horizonsSeconds, nowMs, dueOnly: false }));
  for (const r of results) {
    opts.fitSeconds?.push(r.seconds);
    install(fs, r, nowMs);
  }
  fs.refreshCold([], nowMs);
  return fs;
}

export function evaluateSeries(s: EvalSeries, opts: RollingOptions): SeriesResult {
  const horizons = opts.horizons ?? EVAL_HORIZONS;
  const d = s.stepSeconds;
  const day = Math.round(86_400 / d);
  const config = configForData(opts.config, d);
  const horizonsSeconds = config.horizons.map((h) => HORIZON_SECONDS[h]);
  const recs = new Map<string, Rec[] | null>(horizons.map(([h, hs]) => [h, hs < d ? null : []]));
  const served = new Map<string, ServedRec[]>(horizons.map(([h]) => [h, []]));
  const longest = Math.max(...horizons.filter(([, hs]) => hs >= d).map(([, hs]) => Math.round(hs / d)));
  const refitSteps = Object.fromEntries(tiersOf(config).map((t) => [t.spec.name, Math.max(1, Math.round(t.refitSeconds / d))]));
  const maxLag = opts.served ? Math.max(...Object.values(refitSteps)) : 1;
  // The same origins with or without the served measurement (its later scrapes past the series' end are skipped).
  const origins = evalOrigins(Math.ceil(opts.firstOriginSeconds / d), s.values.length - longest, opts.origins);
  const fitSeconds: number[] = [];
  for (const o of origins) {
    const from = opts.historyLimitSeconds === undefined ? 0 : Math.max(0, o - Math.floor(opts.historyLimitSeconds / d));
    const fs = replay(s, from, o, { config, params: opts.params, horizonsSeconds, fitSeconds });
    const nowMs = (s.t0 + o * d) * 1000;
    const pending: Array<{ h: string; steps: number; tier: string; frozen: number[] }> = [];
    for (const [h, hs] of horizons) {
      const list = recs.get(h);
      if (!list) continue;
      const p = fs.at(nowMs, hs);
      const why = fs.explain(hs);
      if (!p || !why) continue;
      const steps = Math.max(1, Math.round(hs / d));
      const target = o + steps - 1;
      const actual = s.values[target];
      if (!Number.isFinite(actual)) continue;
      const ahead = target - (o - 1);
      const base = [
        lastFinite(s.values, from, o),
        seasonalNaive(s.values, from, o, target, day),
        predictLinear(s.values, from, o, Math.max(2, 2 * ahead), ahead),
        holt(s.values, from, o, day, ahead),
      ];
      const own = why.tier !== 'cold' && why.fit?.calibration === 'own';
      const scale = why.tier === 'cold' ? scaleAt(fs.cold.values(), Math.max(1, Math.round(hs / fs.cold.stepSeconds))) : (why.fit?.scale ?? 0);
      list.push({ actual, mean: p.mean, lo: p.lower, hi: p.upper, base, historySeconds: (o - from) * d, tier: why.tier, model: p.model, own, scale });
      if (opts.served && why.tier !== 'cold') {
        // Without re-anchoring a scrape `lag` steps after the fit reads the fit's forecast `lag` steps further out.
        const frozen: number[] = [];
        for (let lag = 0; lag < refitSteps[why.tier]; lag++) frozen.push(fs.at(nowMs, hs + lag * d)?.mean ?? NaN);
        pending.push({ h, steps, tier: why.tier, frozen });
      }
    }
    // Between refits: the series takes the next points (its served fits re-anchor on them).
    for (let lag = 0; lag < maxLag && pending.length > 0 && o + lag < s.values.length; lag++) {
      if (lag > 0) {
        fs.add(s.values[o + lag - 1], (s.t0 + (o + lag - 1) * d) * 1000);
        fs.flush((s.t0 + (o + lag) * d) * 1000);
      }
      const at = (s.t0 + (o + lag) * d) * 1000;
      for (const q of pending) {
        if (lag >= q.frozen.length) continue;
        const actual = s.values[o + lag + q.steps - 1];
        const anchored = fs.at(at, horizons.find(([h]) => h === q.h)![1])?.mean ?? NaN;
        const naive = lastFinite(s.values, from, o + lag);
        if ([actual, anchored, q.frozen[lag], naive].every(Number.isFinite)) served.get(q.h)!.push({ actual, naive, anchored, frozen: q.frozen[lag], lag });
      }
    }
  }
  return { id: s.id, category: s.category, recs, served, fitSeconds, origins: origins.length };
}
