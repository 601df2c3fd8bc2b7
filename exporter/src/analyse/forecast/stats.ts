/** Small order statistics for the forecast models (pure, NaN-free inputs expected). */

/** Median of the values; 0 for none. Does not modify its input (quickselect on a copy). */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return 0;
  if (n === 1) return xs[0];
  const a = Float64Array.from(xs);
  const hi = select(a, n >> 1);
  if (n % 2) return hi;
  // The lower middle is the largest of the part left of the upper middle.
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}

/** The k-th smallest (0-based) by Hoare's selection; partially reorders `a` (smaller values end up left of k). */
export function select(a: Float64Array, k: number): number {
  let l = 0;
  let r = a.length - 1;
  while (l < r) {
    const pivot = a[(l + r) >> 1];
    let i = l;
    let j = r;
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
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return a[k];
  }
  return a[k];
}

/** Median absolute deviation from the median, scaled to a normal σ (× 1.4826). */
export function madSigma(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  const m = median(xs);
  const d = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) d[i] = Math.abs(xs[i] - m);
  return 1.4826 * median(d);
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
