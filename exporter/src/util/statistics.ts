/**
 * The few summary statistics the analysis uses, computed as simple-statistics
 * computes them (the same operations in the same order, so the same bits;
 * test/unit/util/statistics checks it), without loading that library into the
 * exporter: all of it loads with any one function, about 2 MB of memory.
 */
import { selectInPlace } from './select';

/** Arithmetic mean over a compensated sum (Kahan–Babuška, as simple-statistics' `sum`); NaN when empty. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let sum = xs[0];
  let correction = 0;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    const next = sum + x;
    correction += Math.abs(sum) >= Math.abs(x) ? sum - next + x : x - next + sum;
    sum = next;
  }
  return (sum + correction) / xs.length;
}

/** Population standard deviation (divides by n); 0 for one value, NaN when empty. */
export function standardDeviation(xs: ArrayLike<number>): number {
  if (xs.length === 1) return 0;
  const m = mean(xs);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i] - m;
    sum += d * d;
  }
  return Math.sqrt(sum / xs.length);
}

/** Median (type 7 quantile at 0.5: the middle value, or halfway between the two middle ones); NaN when empty. */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(xs);
  const k = (n - 1) >> 1;
  const lower = selectInPlace(a, n, k);
  if (n % 2 === 1) return lower;
  // After the selection every value right of k is at least a[k]: the next order statistic is their smallest.
  let upper = Infinity;
  for (let i = k + 1; i < n; i++) if (a[i] < upper) upper = a[i];
  return lower + 0.5 * (upper - lower);
}

/** Median of the absolute deviations from the median (unscaled); NaN when empty. */
export function medianAbsoluteDeviation(xs: ArrayLike<number>): number {
  const m = median(xs);
  const deviations = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) deviations[i] = Math.abs(xs[i] - m);
  return median(deviations);
}
