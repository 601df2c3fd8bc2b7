/** Small order statistics for the forecast models (pure, NaN-free inputs expected). */
import { median as middle, medianAbsoluteDeviation } from '../../util/statistics';

/** Median of the values; 0 for none. */
export function median(xs: ArrayLike<number>): number {
  return xs.length === 0 ? 0 : middle(xs);
}

/** Median absolute deviation from the median, scaled to a normal σ (× 1.4826). */
export function madSigma(xs: ArrayLike<number>): number {
  return xs.length === 0 ? 0 : 1.4826 * medianAbsoluteDeviation(xs);
}

/** Mean absolute difference between points `lag` apart (both finite); null when no pair. */
export function meanAbsLagDiff(xs: ArrayLike<number>, lag: number, from = 0): number | null {
  let s = 0;
  let n = 0;
  for (let i = Math.max(lag, from); i < xs.length; i++) {
    const a = xs[i];
    const b = xs[i - lag];
    if (Number.isFinite(a) && Number.isFinite(b)) {
      s += Math.abs(a - b);
      n++;
    }
  }
  return n > 0 ? s / n : null;
}
