/** Numerical helpers of the streaming detector (no dependencies). */

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** Complementary error function, relative error < 1.2e-7 everywhere (Numerical Recipes erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > x) for a standard normal Z. */
export function normalTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Φ⁻¹(0.95): |z| = 5 maps to 0.9 in `calibrate`. */
const CALIBRATION_K = 5 / 1.6448536269514722;

/** Maps a z-score to [0, 1): erf(|z| / (k√2)) with k such that |z| = 5 gives 0.9. */
export function calibrate(z: number): number {
  return erf(Math.abs(z) / (CALIBRATION_K * Math.SQRT2));
}

/** k-th smallest (0-based) of a[0..n-1] by quickselect; reorders those entries. O(n) on average. */
export function selectInPlace(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
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
