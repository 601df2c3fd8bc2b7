/**
 * A sequential test for a rate held at or above a level (major page faults
 * per second under memory pressure): the time it takes to decide follows the
 * strength of the evidence instead of a fixed hold, as ./growth.ts does for
 * growth. Pure.
 *
 * Over every recent stretch of the series (each suffix of the points, from
 * the newest few back to all of them), the mean and its lower confidence
 * bound (mean − z·s/√n, s the points' spread: bursty faults need more points)
 * are computed. Each point is the rate over the interval that ends at its
 * time, so a stretch of n points covers n intervals. A stretch shows the
 * level when
 *
 * - its mean is at least `min` and its lower bound at least `min × lowerRatio`:
 *   the rate is real, not one burst, and known to a factor;
 * - it covers at least max(minSeconds, evidenceSeconds × min / mean): a rate at
 *   exactly the level must hold evidenceSeconds, k times the level 1/k of that,
 *   any rate at least minSeconds;
 * - it begins with a point of at least `min × lowerRatio`, and both its halves
 *   have a mean of at least that: quiet points before the rate rose are no
 *   evidence of how long it has held, and a level held over the stretch is
 *   not a burst at one end of it.
 */
export interface LevelOptions {
  /** Least rate worth a label (units per second). */
  min: number;
  /** Least span of any stretch that counts (seconds). */
  minSeconds: number;
  /** Span a rate of exactly `min` must hold (seconds); k × min needs evidenceSeconds / k. */
  evidenceSeconds: number;
  /** One-sided z of the mean's lower confidence bound (3 ≈ 99.9 %). */
  z: number;
  /** The lower bound, and each half's mean, must reach this share of `min`. */
  lowerRatio: number;
}

export interface LevelVerdict {
  /** A stretch passed every test. */
  above: boolean;
  /** Mean of the stretch reported (of those that passed, the one with the highest lower bound; else the longest looked at). */
  mean: number;
  /** Its lower confidence bound. */
  lower: number;
  /** Seconds it covers. */
  spanSeconds: number;
  /** Span that stretch needed at its mean. */
  requiredSeconds: number;
  /** Points in it. */
  n: number;
}

/** Fewest points of a stretch: a spread of its own and two halves. */
const MIN_POINTS = 3;

/**
 * Tests the newest stretches of a rate series (`ts` in seconds, ascending, with the rates `xs`, each over the
 * interval ending at its time); null when there are too few points.
 */
export function levelTest(ts: ArrayLike<number>, xs: ArrayLike<number>, o: LevelOptions): LevelVerdict | null {
  const n = ts.length;
  if (n < MIN_POINTS) return null;
  // Suffix sums: s1[i], s2[i] over the points from i to the newest.
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    s1[i] = s1[i + 1] + xs[i];
    s2[i] = s2[i + 1] + xs[i] * xs[i];
  }
  const meanOf = (a: number, b: number): number => (s1[a] - s1[b]) / (b - a);
  const floor = o.lowerRatio * o.min;
  let best: LevelVerdict | null = null;
  let longest: LevelVerdict | null = null;
  for (let a = n - MIN_POINTS; a >= 0; a--) {
    const k = n - a;
    // k points cover k intervals: k mean steps of the stretch.
    const span = ((ts[n - 1] - ts[a]) * k) / (k - 1);
    const mean = s1[a] / k;
    const variance = Math.max(0, (s2[a] - k * mean * mean) / (k - 1));
    const lower = mean - (o.z * Math.sqrt(variance)) / Math.sqrt(k);
    const required = mean > 0 ? Math.max(o.minSeconds, (o.evidenceSeconds * o.min) / mean) : Infinity;
    const mid = a + Math.floor(k / 2);
    const held = xs[a] >= floor && meanOf(a, mid) >= floor && meanOf(mid, n) >= floor;
    const above = mean >= o.min && lower >= floor && span >= required && held;
    const v: LevelVerdict = { above, mean, lower, spanSeconds: span, requiredSeconds: required, n: k };
    longest = v;
    if (above && (best === null || lower >= best.lower)) best = v;
  }
  return best ?? longest;
}
