/**
 * Univariate robust anomaly scoring on a stream, in sample units so the same
 * core serves the exporter (15 s points) and the NAB evaluation (5 min points).
 *
 * Baseline: median and MAD (scaled by 1.4826 to estimate σ) of the last
 * `baseline` points before the newest `recent` ones. Once `seasonalAfter`
 * points of history exist, the baseline median is taken per time-of-day hour
 * (24 buckets, robust medians of that hour's past values) so a nightly batch
 * job is not an anomaly. The score of the newest point is the robust z of
 * the mean of the `recent` newest points, mapped to [0, 1] by
 * `calibrate`: 0.9 means |z| ≈ 5 for every signal.
 */
export interface RobustOptions {
  /** Points in the baseline window. */
  baseline: number;
  /** Newest points averaged into the value being scored (1 = the point itself). */
  recent: number;
  /** Points needed before any score (warm-up). */
  warmup: number;
  /** Points of history after which the time-of-day profile is used (0 = never). */
  seasonalAfter: number;
  /** Smallest σ for this signal, in its units (flat series never give infinite z). */
  minScale: number;
  /** σ never below this fraction of |median|. */
  relativeMinScale: number;
}

/** Maps |z| to [0, 1]: erf(|z| / (k√2)) with k so that |z| = 5 gives 0.9. */
export function calibrate(z: number): number {
  const K = 5 / 1.6448536269514722; // Φ⁻¹(0.95): erf(5/(K√2)) = 0.9
  return erf(Math.abs(z) / (K * Math.SQRT2));
}

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** k-th smallest (0-based) by quickselect; reorders `a` in place. O(n) on average. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Median without sorting (the input is not modified). */
export function median(values: Float64Array | number[], n = values.length): number {
  if (n === 0) return NaN;
  const a = Float64Array.from(values.slice(0, n));
  const m = n >> 1;
  if (n % 2) return select(a, m);
  const hi = select(a, m);
  let lo = -Infinity;
  for (let i = 0; i < m; i++) if (a[i] > lo) lo = a[i]; // after select, a[0..m-1] ≤ a[m]
  return (lo + hi) / 2;
}

export class RobustScorer {
  private readonly buf: Float64Array;
  private readonly hours: Float64Array;
  private head = 0;
  private size = 0;
  private seen = 0;
  /** Per hour of day: recent values (bounded) for the seasonal median. */
  private readonly hourly: number[][] = Array.from({ length: 24 }, () => []);

  constructor(readonly opts: RobustOptions) {
    this.buf = new Float64Array(opts.baseline + opts.recent);
    this.hours = new Float64Array(opts.baseline + opts.recent);
  }

  /** Adds a point; returns its robust z, or null during warm-up. */
  push(value: number, timestampMs: number): number | null {
    const hour = new Date(timestampMs).getUTCHours();
    this.buf[this.head] = value;
    this.hours[this.head] = hour;
    this.head = (this.head + 1) % this.buf.length;
    this.size = Math.min(this.size + 1, this.buf.length);
    this.seen++;
    const h = this.hourly[hour];
    h.push(value);
    if (h.length > 96) h.shift();
    if (this.seen < this.opts.warmup || this.size <= this.opts.recent + 2) return null;
    return this.zOfNewest(hour);
  }

  private zOfNewest(hour: number): number {
    const { recent } = this.opts;
    const cap = this.buf.length;
    let recentSum = 0;
    for (let b = 0; b < recent; b++) recentSum += this.buf[(this.head - 1 - b + cap) % cap];
    const x = recentSum / recent;
    const nBase = this.size - recent;
    const base = new Float64Array(nBase);
    for (let b = 0; b < nBase; b++) base[b] = this.buf[(this.head - 1 - recent - b + 2 * cap) % cap];
    let med = median(base);
    const dev = base.map((v) => Math.abs(v - med));
    let scale = 1.4826 * median(dev);
    if (this.opts.seasonalAfter > 0 && this.seen >= this.opts.seasonalAfter) {
      const h = this.hourly[hour];
      if (h.length >= 8) {
        // Seasonal baseline: this hour's own median, excluding the points being scored.
        const past = h.slice(0, Math.max(1, h.length - recent));
        const seasonal = median(past);
        const seasonalScale = 1.4826 * median(past.map((v) => Math.abs(v - seasonal)));
        med = seasonal;
        scale = Math.max(scale, seasonalScale);
      }
    }
    scale = Math.max(scale, this.opts.minScale, this.opts.relativeMinScale * Math.abs(med));
    return (x - med) / scale;
  }

  get count(): number {
    return this.seen;
  }

  toJSON(): { buf: number[]; hours: number[]; head: number; size: number; seen: number; hourly: number[][] } {
    return { buf: Array.from(this.buf), hours: Array.from(this.hours), head: this.head, size: this.size, seen: this.seen, hourly: this.hourly.map((h) => [...h]) };
  }

  static fromJSON(opts: RobustOptions, s: ReturnType<RobustScorer['toJSON']>): RobustScorer {
    const r = new RobustScorer(opts);
    if (s.buf.length !== r.buf.length) return r; // window size changed: start over
    r.buf.set(s.buf);
    r.hours.set(s.hours);
    r.head = s.head;
    r.size = s.size;
    r.seen = s.seen;
    s.hourly.forEach((h, i) => (r.hourly[i] = h.slice(-96)));
    return r;
  }
}
