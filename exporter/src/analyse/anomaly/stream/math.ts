/**
 * Numerical helpers of the streaming detector (no dependencies).
 *
 * simple-statistics is not used here although it has erf, probit and
 * quickselect: the likelihood needs tail probabilities down to 1e-10, which
 * 1 − errorFunction(x) loses to cancellation (erfc below keeps them); its
 * probit goes through inverseErrorFunction(2p − 1), which loses the same
 * tail; and its quickselect takes a number[] and reads a `right` of 0 as "to
 * the end", while the baseline selects the upper median of a prefix of one
 * shared Float64Array without allocating.
 */

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
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
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

/**
 * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation
 * with one Halley step (relative error below 1e-9); ±Infinity at 0 and 1.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return -Infinity;
  if (!(p < 1)) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step on Φ(x) − p (Φ from the accurate erfc).
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** The |z| that `calibrate` maps to r (inverse of calibrate on [0, 1)); Infinity for r ≥ 1. */
export function uncalibrate(r: number): number {
  if (!(r < 1)) return Infinity;
  if (!(r > 0)) return 0;
  return CALIBRATION_K * normalQuantile((1 + r) / 2);
}
