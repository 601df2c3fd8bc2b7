/**
 * Correlation hints (issue 20 point 2): which other series moved with a
 * group's bottleneck signal over the last hour, at which lag and how
 * strongly. Pure. A hint to look at, never a cause: two series that follow
 * the same daily load, or one that answers the other, correlate too.
 *
 * Every series is resampled onto one grid (`stepSeconds` apart, ending at
 * `endSeconds`) by linear interpolation between its own points (none outside
 * them), and compared by the Pearson correlation of its changes from one grid
 * point to the next: levels would make any two trends (a leak and a growing
 * cache) look alike. The other series is shifted by −maxLag … +maxLag steps;
 * the lag with the largest |r| is reported (lag > 0: the other series moves
 * first).
 */
export interface Series {
  /** Times in seconds, ascending. */
  t: ArrayLike<number>;
  x: ArrayLike<number>;
}

export interface CorrelationOptions {
  /** Grid step (seconds). */
  stepSeconds: number;
  /** Newest grid point (seconds). */
  endSeconds: number;
  /** Grid points. */
  points: number;
  /** Largest shift tried, in steps either way. */
  maxLagSteps: number;
  /** Fewest pairs of changes a correlation needs. */
  minPairs: number;
  /** Least |r| reported. */
  minStrength: number;
}

export interface Correlation {
  /** Pearson r of the changes at the best lag (−1…1). */
  r: number;
  /** Seconds the other series leads (> 0) or lags (< 0) the target. */
  lagSeconds: number;
  /** Pairs of changes it rests on. */
  pairs: number;
}

/** The series at each grid point (oldest first), NaN outside its points or across a gap longer than `maxGap` seconds. */
export function resample(s: Series, o: { stepSeconds: number; endSeconds: number; points: number; maxGap: number }): Float64Array {
  const out = new Float64Array(o.points).fill(NaN);
  let j = 0;
  for (let k = 0; k < o.points; k++) {
    const g = o.endSeconds - (o.points - 1 - k) * o.stepSeconds;
    while (j + 1 < s.t.length && s.t[j + 1] < g) j++;
    if (j >= s.t.length) break;
    if (g === s.t[j]) out[k] = s.x[j];
    else if (j + 1 < s.t.length && s.t[j] <= g && g <= s.t[j + 1] && s.t[j + 1] - s.t[j] <= o.maxGap) {
      const f = (g - s.t[j]) / (s.t[j + 1] - s.t[j]);
      out[k] = s.x[j] + f * (s.x[j + 1] - s.x[j]);
    }
  }
  return out;
}

function changes(x: Float64Array): Float64Array {
  const d = new Float64Array(Math.max(0, x.length - 1));
  for (let i = 1; i < x.length; i++) d[i - 1] = x[i] - x[i - 1];
  return d;
}

/** Pearson r of a[i] and b[i − lag] over the pairs where both are numbers; null with fewer than minPairs or a constant side. */
function pearson(a: Float64Array, b: Float64Array, lag: number, minPairs: number): { r: number; pairs: number } | null {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = Math.max(0, lag); i < a.length && i - lag < b.length; i++) {
    const x = a[i];
    const y = b[i - lag];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  if (n < minPairs) return null;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  // Relative floor: a series that does not move (or only by rounding) correlates with nothing.
  if (va <= 1e-12 * Math.max(1, saa) || vb <= 1e-12 * Math.max(1, sbb)) return null;
  return { r: (sab - (sa * sb) / n) / Math.sqrt(va * vb), pairs: n };
}

/** The strongest lagged correlation of `other`'s changes with `target`'s, or null when below minStrength or too short. */
export function correlate(target: Series, other: Series, o: CorrelationOptions): Correlation | null {
  const grid = { stepSeconds: o.stepSeconds, endSeconds: o.endSeconds, points: o.points, maxGap: 3 * o.stepSeconds };
  const a = changes(resample(target, grid));
  const b = changes(resample(other, grid));
  let best: Correlation | null = null;
  for (let lag = -o.maxLagSteps; lag <= o.maxLagSteps; lag++) {
    const c = pearson(a, b, lag, o.minPairs);
    if (c && (best === null || Math.abs(c.r) > Math.abs(best.r))) best = { r: c.r, lagSeconds: lag * o.stepSeconds, pairs: c.pairs };
  }
  // Also 4 null standard deviations (1/√pairs) clear: the best of 2·maxLag + 1 shifts of noise reaches about 2.5.
  return best && Math.abs(best.r) >= Math.max(o.minStrength, 4 / Math.sqrt(best.pairs)) ? best : null;
}
