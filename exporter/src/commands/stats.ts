/** Order statistics and robust regression for the commands (pure, no I/O). */
import { median as ssMedian } from 'simple-statistics';

/** Median of the finite values; NaN for none (simple-statistics throws on an empty list). */
export function median(xs: readonly number[]): number {
  const v = xs.filter(Number.isFinite);
  return v.length === 0 ? NaN : ssMedian(v);
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
