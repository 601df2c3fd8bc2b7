/**
 * Scores rolling-origin records: per series and horizon the MASE (mean
 * absolute error over the naive forecast's at the same origins), then over
 * series the median with a bootstrap interval (series resampled), the share
 * of series better than naive, the interval coverage, and the same for the
 * baselines. Deterministic (seeded bootstrap).
 */
import { BASELINES, type Rec, type SeriesResult } from './rolling';

export interface HorizonScore {
  series: number;
  forecasts: number;
  mase_median: number | null;
  mase_ci: [number, number] | null;
  beats_naive_share: number | null;
  coverage80: number | null;
  coverage_ci: [number, number] | null;
  /** Baselines' median MASE (naive is 1 by definition). */
  baselines: Record<string, number | null>;
  /** Median over series of procsight's MAE over seasonal naive's, with its bootstrap interval; share of series where procsight's MAE is lower. */
  vs_seasonal_naive: { ratio_median: number | null; ratio_ci: [number, number] | null; beats_share: number | null };
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** Percentile bootstrap (2,000 resamples of the items) of a statistic. */
export function bootstrap<T>(
  items: readonly T[],
  stat: (xs: T[]) => number,
  opts: { reps?: number; seed?: number; level?: number } = {},
): [number, number] | null {
  if (items.length < 2) return null;
  const r = rng(opts.seed ?? 42);
  const reps = opts.reps ?? 2000;
  const out: number[] = [];
  for (let b = 0; b < reps; b++) {
    const sample: T[] = [];
    for (let i = 0; i < items.length; i++) sample.push(items[Math.floor(r() * items.length)]);
    const v = stat(sample);
    if (Number.isFinite(v)) out.push(v);
  }
  out.sort((a, b) => a - b);
  const a = (1 - (opts.level ?? 0.95)) / 2;
  return [out[Math.floor(a * (out.length - 1))], out[Math.ceil((1 - a) * (out.length - 1))]];
}

function mae(recs: readonly Rec[], f: (r: Rec) => number): number {
  let s = 0;
  for (const r of recs) s += Math.abs(r.actual - f(r));
  return s / recs.length;
}

interface PerSeries {
  id: string;
  category: string;
  n: number;
  /** null: naive is exact on this series (MASE undefined). */
  mase: number | null;
  baseMase: Array<number | null>;
  /** procsight MAE / seasonal naive MAE (null when both are exact). */
  vsSnaive: number | null;
  inside: number;
}

function perSeries(results: readonly SeriesResult[], horizon: string, filter: (r: Rec) => boolean = () => true): PerSeries[] {
  const out: PerSeries[] = [];
  for (const res of results) {
    const recs = res.recs.get(horizon)?.filter(filter);
    if (!recs || recs.length === 0) continue;
    const naive = mae(recs, (r) => r.base[0]);
    const m = mae(recs, (r) => r.mean);
    const sn = mae(recs, (r) => r.base[1]);
    out.push({
      id: res.id,
      category: res.category,
      n: recs.length,
      mase: naive > 0 ? m / naive : null,
      baseMase: BASELINES.map((_, i) => (naive > 0 ? mae(recs, (r) => r.base[i]) / naive : null)),
      vsSnaive: sn > 0 ? m / sn : m > 0 ? Infinity : null,
      inside: recs.filter((r) => r.actual >= r.lo && r.actual <= r.hi).length,
    });
  }
  return out;
}

export function scoreHorizon(results: readonly SeriesResult[], horizon: string, filter?: (r: Rec) => boolean): HorizonScore | null {
  if (results.every((r) => r.recs.get(horizon) === null)) return null;
  const ps = perSeries(results, horizon, filter);
  const withMase = ps.filter((p) => p.mase !== null);
  const mases = withMase.map((p) => p.mase as number);
  const forecasts = ps.reduce((s, p) => s + p.n, 0);
  const inside = ps.reduce((s, p) => s + p.inside, 0);
  const coverage = (xs: PerSeries[]): number =>
    xs.reduce((s, p) => s + p.inside, 0) /
    Math.max(
      1,
      xs.reduce((s, p) => s + p.n, 0),
    );
  const vs = ps.filter((p) => p.vsSnaive !== null).map((p) => p.vsSnaive as number);
  return {
    series: ps.length,
    forecasts,
    mase_median: mases.length ? medianOf(mases) : null,
    mase_ci: bootstrap(mases, medianOf),
    beats_naive_share: mases.length ? mases.filter((x) => x < 1).length / mases.length : null,
    coverage80: forecasts ? inside / forecasts : null,
    coverage_ci: bootstrap(ps, coverage),
    baselines: Object.fromEntries(BASELINES.map((b, i) => [b, withMase.length ? medianOf(withMase.map((p) => p.baseMase[i] as number)) : null])),
    vs_seasonal_naive: {
      ratio_median: vs.length ? medianOf(vs) : null,
      ratio_ci: bootstrap(vs, medianOf),
      beats_share: vs.length ? vs.filter((x) => x < 1).length / vs.length : null,
    },
  };
}

export function round(x: number | null, d = 3): number | null {
  return x === null || !Number.isFinite(x) ? x : Math.round(x * 10 ** d) / 10 ** d;
}
