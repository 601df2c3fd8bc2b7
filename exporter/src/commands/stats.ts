/** Order statistics and robust regression for the commands (pure, no I/O). */

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile (type 7, as numpy's default); NaN for no values. */
function quantile(xs: readonly number[], q: number): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export interface Line {
  slope: number;
  intercept: number;
}

/**
 * Theil–Sen line: the slope is the median of the slopes between every pair of
 * points, the intercept the median of y − slope·x. Up to 29 % of the points
 * can be outliers (a day with an incident, a restart) without moving it,
 * unlike least squares. Null with fewer than 3 points.
 */
export function theilSen(points: ReadonlyArray<readonly [number, number]>): Line | null {
  const p = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (p.length < 3) return null;
  const slopes: number[] = [];
  for (let i = 0; i < p.length; i++) {
    for (let j = i + 1; j < p.length; j++) {
      const dx = p[j][0] - p[i][0];
      if (dx !== 0) slopes.push((p[j][1] - p[i][1]) / dx);
    }
  }
  if (slopes.length === 0) return null;
  const slope = median(slopes);
  const intercept = median(p.map(([x, y]) => y - slope * x));
  return { slope, intercept };
}
