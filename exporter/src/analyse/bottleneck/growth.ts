/**
 * A sequential test for steady growth (a leak of memory, threads or file
 * descriptors): the time it takes to decide follows the strength of the
 * evidence instead of a fixed span. Pure.
 *
 * Over every recent stretch of the series (each suffix of the points, from
 * `minSeconds` back to all of them), a least-squares slope is fitted and its
 * lower confidence bound computed. The noise around the line is taken as two
 * parts: white noise (each point off the line by itself: page-level jitter,
 * a collector's sawtooth) and a random walk (changes that stay: a cache that
 * fills and empties), which over a short stretch can look just like growth.
 * Their sizes are read from the stretch's increments: detrended 1-step
 * increments vary by 2σ² + qΔt, k-step ones by 2σ² + kqΔt, so
 * q = (V_k − V₁) / ((k − 1)Δt) (the walk's variance per second; the largest
 * over k = 4, 8, 16, 32 with enough pairs in the stretch, since a cache that
 * drifts back to its size after a minute looks like a walk only at lags that
 * long) and σ² = (V₁ − qΔt) / 2. The slope's variance is σ²/Σ(t − t̄)²
 * (white part) plus 6q/(5T) (a random walk's, over a span T), the latter
 * capped at 9s²/T² (s² the spread around the line): a bounded series (a cache
 * between its sizes) cannot move a fitted slope more, whatever its
 * correlations, and without the cap a noisy leak would never clear. A
 * stretch shows growth when
 *
 * - its slope is at least `minRate` and its lower bound (slope − z·SE)
 *   above 0, at least `minRate × lowerRatio` and at least a quarter of the
 *   slope: the growth is real, not noise, and its rate known to a factor;
 * - it spans at least max(minSeconds, evidenceSeconds × minRate / slope):
 *   growth at the slowest rate worth a label must persist evidenceSeconds,
 *   faster growth proportionally less, any growth at least minSeconds (a
 *   runtime's start-up growth lasts less);
 * - both its halves grow at least `halfRatio` of the slope: still growing,
 *   not a step or a plateau, and the fit explains at least `minR2` of its
 *   variation (growth that noise hides has to persist until it stands out);
 * - given the series' earlier points (`history`, then the tested points
 *   before the stretch; at least the stretch's span of them), it grew twice
 *   as much as the series ever moved over the same span before (twice: a
 *   history of 15-second means shows about a third less movement than the
 *   points themselves): a cache that wanders by ± 5 MB every few minutes
 *   must grow past that before its growth counts, whatever the statistics of
 *   one short stretch say (its slow wandering is what they cannot see).
 *
 * A noisy series needs more points for its bound to clear the threshold:
 * it is labelled only when the growth persists.
 */
export interface GrowthOptions {
  /** Slowest growth worth a label (units per second). */
  minRate: number;
  /** Least span of any stretch that counts (seconds). */
  minSeconds: number;
  /** Span growth at exactly minRate must have (seconds); faster growth needs evidenceSeconds × minRate / rate. */
  evidenceSeconds: number;
  /** One-sided z of the slope's lower confidence bound (3 ≈ 99.9 %). */
  z: number;
  /** The lower bound must reach this share of minRate. */
  lowerRatio: number;
  /** Each half of the stretch must grow at least this share of its slope. */
  halfRatio: number;
  /** Least R² of the stretch's linear fit: the growth explains most of its variation. */
  minR2: number;
}

export interface GrowthVerdict {
  /** A stretch passed every test. */
  growing: boolean;
  /** Slope of the stretch reported (of those that passed, the one with the highest lower bound; else the longest looked at), units per second. */
  rate: number;
  /** Its lower confidence bound. */
  lower: number;
  spanSeconds: number;
  /** Span that stretch needed at its rate. */
  requiredSeconds: number;
  /** Points in it. */
  n: number;
  /** R² of its linear fit. */
  r2: number;
}

/** Fewest points of a stretch: each half needs a slope of its own, and the long increments a few pairs. */
const MIN_POINTS = 8;
/** The lags (in steps) of the long increments, and the fewest pairs one needs in a stretch to count. */
const LAGS = [4, 8, 16, 32];
const MIN_PAIRS = 8;

/** Prefix sums of a stretch's sums of products, over pairs (i, i + lag) of points; i + 1 indexes the sums up to pair i. */
class LagSums {
  readonly xx: Float64Array;
  readonly xt: Float64Array;
  readonly tt: Float64Array;
  readonly dt: Float64Array;

  constructor(
    readonly lag: number,
    ts: ArrayLike<number>,
    xs: ArrayLike<number>,
  ) {
    const n = Math.max(0, ts.length - lag);
    this.xx = new Float64Array(n + 1);
    this.xt = new Float64Array(n + 1);
    this.tt = new Float64Array(n + 1);
    this.dt = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const dx = xs[i + lag] - xs[i];
      const dt = ts[i + lag] - ts[i];
      this.xx[i + 1] = this.xx[i] + dx * dx;
      this.xt[i + 1] = this.xt[i] + dx * dt;
      this.tt[i + 1] = this.tt[i] + dt * dt;
      this.dt[i + 1] = this.dt[i] + dt;
    }
  }

  /** Mean squared detrended increment over the pairs starting in [a, b − lag), and their mean time step. */
  variance(a: number, b: number, slope: number): { v: number; dt: number } {
    const e = b - this.lag;
    const m = e - a;
    if (m < 1) return { v: 0, dt: 0 };
    const ss = this.xx[e] - this.xx[a] - 2 * slope * (this.xt[e] - this.xt[a]) + slope * slope * (this.tt[e] - this.tt[a]);
    return { v: Math.max(0, ss) / m, dt: (this.dt[e] - this.dt[a]) / m };
  }
}

/** Prefix sums over the points, centred on the newest one (bytes in the 1e9 range keep their precision). */
class Sums {
  readonly t: Float64Array;
  readonly x: Float64Array;
  readonly tt: Float64Array;
  readonly tx: Float64Array;
  readonly xx: Float64Array;
  readonly one: LagSums;
  readonly long: LagSums[];

  constructor(ts: ArrayLike<number>, xs: ArrayLike<number>) {
    const n = ts.length;
    const t0 = ts[n - 1];
    const x0 = xs[n - 1];
    this.t = new Float64Array(n + 1);
    this.x = new Float64Array(n + 1);
    this.tt = new Float64Array(n + 1);
    this.tx = new Float64Array(n + 1);
    this.xx = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const t = ts[i] - t0;
      const x = xs[i] - x0;
      this.t[i + 1] = this.t[i] + t;
      this.x[i + 1] = this.x[i] + x;
      this.tt[i + 1] = this.tt[i] + t * t;
      this.tx[i + 1] = this.tx[i] + t * x;
      this.xx[i + 1] = this.xx[i] + x * x;
    }
    this.one = new LagSums(1, ts, xs);
    this.long = LAGS.filter((k) => k + MIN_PAIRS <= n).map((k) => new LagSums(k, ts, xs));
  }

  /** Least-squares fit over points [a, b). */
  fit(a: number, b: number): { slope: number; residual: number; stt: number; sxx: number } {
    const n = b - a;
    const st = this.t[b] - this.t[a];
    const sx = this.x[b] - this.x[a];
    const stt = this.tt[b] - this.tt[a] - (st * st) / n;
    const stx = this.tx[b] - this.tx[a] - (st * sx) / n;
    const sxx = Math.max(0, this.xx[b] - this.xx[a] - (sx * sx) / n);
    const slope = stt > 0 ? stx / stt : 0;
    return { slope, residual: Math.max(0, sxx - slope * stx), stt, sxx };
  }

  /** Standard error of the slope of points [a, b) under white noise plus a random walk (see the module comment). */
  slopeError(a: number, b: number, f: { slope: number; stt: number; residual: number }, span: number): number {
    const v1 = this.one.variance(a, b, f.slope);
    if (f.stt <= 0 || v1.dt <= 0 || span <= 0) return Infinity;
    let q = 0;
    for (const l of this.long) {
      if (b - a - l.lag < MIN_PAIRS) break;
      const vk = l.variance(a, b, f.slope);
      q = Math.max(q, (vk.v - v1.v) / Math.max(1e-9, vk.dt - v1.dt));
    }
    const white = Math.max(0, v1.v - q * v1.dt) / 2;
    // A walk's slope variance grows without bound as its variance does; a bounded one (a cache between its sizes) cannot
    // move a fitted slope by more than 3·s/T (s: its spread around the line), whatever its correlations.
    const spread = f.residual / Math.max(1, b - a - 2);
    return Math.sqrt(white / f.stt + Math.min((1.2 * q) / span, (9 * spread) / (span * span)));
  }
}

/** Growth must exceed the history's largest change over the same span by this much (a short history's largest change understates the long run's). */
const WANDER_MARGIN = 2;

/** Earlier points of the series (ascending times, all before the tested points), coarser is fine. */
interface History {
  t: ArrayLike<number>;
  x: ArrayLike<number>;
}

/**
 * The largest change of the history over about `span` seconds (pairs of points `span` ± a step apart);
 * null when the history spans less than twice that.
 */
function wander(h: History, span: number): number | null {
  const m = h.t.length;
  if (m < 2 || h.t[m - 1] - h.t[0] < span) return null;
  let max = 0;
  let j = 0;
  for (let i = 0; i < m; i++) {
    while (j < m && h.t[j] - h.t[i] < span) j++;
    if (j >= m) break;
    max = Math.max(max, Math.abs(h.x[j] - h.x[i]));
  }
  return max;
}

/**
 * Tests the newest stretches of a series (`ts` in seconds, ascending, with
 * the values `xs`); null when there are too few points. `history`: the
 * series before them, to measure how much it usually moves (default: the
 * points before each stretch).
 */
export function growthTest(ts: ArrayLike<number>, xs: ArrayLike<number>, o: GrowthOptions, history?: History): GrowthVerdict | null {
  const n = ts.length;
  if (n < MIN_POINTS) return null;
  const sums = new Sums(ts, xs);
  let best: GrowthVerdict | null = null;
  let longest: GrowthVerdict | null = null;
  // Stretches end at the newest point; from the shortest that may count to all the points.
  for (let a = n - MIN_POINTS; a >= 0; a--) {
    const span = ts[n - 1] - ts[a];
    if (span < o.minSeconds) continue;
    const v = judge(sums, a, n, span, o);
    if (v.growing) {
      // The series before the stretch: the history given, else its own earlier points.
      const usual = wander(before(history, ts, xs, a), span);
      if (usual !== null && v.rate * span <= WANDER_MARGIN * usual) v.growing = false;
    }
    longest = v;
    if (v.growing && (best === null || v.lower >= best.lower)) best = v;
  }
  return best ?? longest;
}

/** The series before point a (inclusive): the history given, then the tested points up to a. */
function before(history: History | undefined, ts: ArrayLike<number>, xs: ArrayLike<number>, a: number): History {
  const h = history ?? { t: [], x: [] };
  const t = new Float64Array(h.t.length + a + 1);
  const x = new Float64Array(h.x.length + a + 1);
  for (let i = 0; i < h.t.length; i++) {
    t[i] = h.t[i];
    x[i] = h.x[i];
  }
  for (let i = 0; i <= a; i++) {
    t[h.t.length + i] = ts[i];
    x[h.t.length + i] = xs[i];
  }
  return { t, x };
}

function judge(sums: Sums, a: number, b: number, span: number, o: GrowthOptions): GrowthVerdict {
  const n = b - a;
  const f = sums.fit(a, b);
  const lower = f.slope - o.z * sums.slopeError(a, b, f, span);
  const required = f.slope > 0 ? Math.max(o.minSeconds, (o.evidenceSeconds * o.minRate) / f.slope) : Infinity;
  const mid = a + Math.floor(n / 2);
  const halvesGrow = sums.fit(a, mid + 1).slope >= o.halfRatio * f.slope && sums.fit(mid, b).slope >= o.halfRatio * f.slope;
  const r2 = f.sxx > 0 ? Math.min(1, 1 - f.residual / f.sxx) : 0;
  const growing =
    f.slope > 0 &&
    f.slope >= o.minRate &&
    lower > 0 &&
    lower >= Math.max(o.lowerRatio * o.minRate, 0.25 * f.slope) &&
    span >= required &&
    halvesGrow &&
    r2 >= o.minR2;
  return { growing, rate: f.slope, lower, spanSeconds: span, requiredSeconds: required, n, r2 };
}
