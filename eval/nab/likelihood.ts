/**
 * Anomaly likelihood (after Numenta's HTM "anomaly likelihood"): a
 * post-processor over a raw anomaly score stream in [0, 1] (e.g. the
 * calibrated robust z of `RobustScorer`). It asks how unusual the *recent*
 * raw scores are for this series rather than how large one score is: the
 * mean of the newest `shortWindow` raw scores is compared with a normal fit
 * (mean, σ) of the short means over the last `history` points, and the upper
 * tail probability p of that mean is mapped to [0, 1] as −log10(p) / 10
 * (0.5 ⇔ p = 1e-5, 1 ⇔ p ≤ 1e-10). A series whose raw score is noisy all the
 * time needs a larger excursion than a quiet one.
 *
 * Range rule (optional, as in Numenta's NAB detector): a value more than
 * `rangeTolerance` × (max − min) outside the range of every value seen so far
 * scores 1, whatever the likelihood says: a new all-time high is news even
 * when the raw score has been noisy.
 *
 * Repeats: a point at alert level (output ≥ `alertLevel`) is reported at
 * `repeatLevel` instead when the point before it was at alert level too
 * (HTM's own filter) or an alert was reported within the last `refractory`
 * points; so one excursion gives one alert, and a series gives at most one
 * per `refractory` points (NAB: one credit per window, a cost per further
 * detection; in the exporter the role of alert `for` durations).
 *
 * Memory: two ring buffers of `shortWindow` and `history` floats plus a few
 * numbers; every update is O(1) (running sums; the fit is refreshed every
 * `refit` points).
 */
export interface LikelihoodOptions {
  /** Raw scores averaged into the value being judged. */
  shortWindow: number;
  /** Short means kept for the normal fit. */
  history: number;
  /** Points with no output (raw scores still learned). */
  learning: number;
  /** Points between refits of the normal (mean, σ). */
  refit: number;
  /** Floors of the fit: a series with almost no raw anomaly does not alert on the slightest blip. */
  minMean: number;
  minVariance: number;
  /** Output level at or above which a point is an alert (0.5 ⇔ tail 1e-5). */
  alertLevel: number;
  /** Output given to an alert that follows another within `refractory` points (below `alertLevel`). */
  repeatLevel: number;
  /** Points after an alert during which further alerts are capped at `repeatLevel` (1 = only consecutive ones). */
  refractory: number;
  /** Range rule: margin outside the seen [min, max], as a fraction of max − min (null = no range rule). */
  rangeTolerance: number | null;
}

export const DEFAULT_LIKELIHOOD: LikelihoodOptions = {
  shortWindow: 10,
  history: 8640,
  learning: 300,
  refit: 100,
  minMean: 0.03,
  minVariance: 0.0003,
  alertLevel: 0.5,
  repeatLevel: 0.3,
  refractory: 1,
  rangeTolerance: null,
};

/** Complementary error function with relative error < 1.2e-7 everywhere (Numerical Recipes erfcc). */
export function erfc(x: number): number {
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

/** Upper tail probability of a standard normal: P(Z > x). */
export function normalTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

export class AnomalyLikelihood {
  private readonly short: Float64Array;
  private shortHead = 0;
  private shortSize = 0;
  private shortSum = 0;
  private readonly hist: Float64Array;
  private histHead = 0;
  private histSize = 0;
  private histSum = 0;
  private histSum2 = 0;
  private seen = 0;
  private mean = 0;
  private sd = 0;
  private fitted = false;
  /** Whether the previous point was at alert level (before demotion). */
  private prevAtAlert = false;
  /** Points since the last alert reported (Infinity: none yet). */
  private sinceAlert = Infinity;
  private min = Infinity;
  private max = -Infinity;

  constructor(readonly opts: LikelihoodOptions = DEFAULT_LIKELIHOOD) {
    this.short = new Float64Array(opts.shortWindow);
    this.hist = new Float64Array(opts.history);
  }

  /**
   * Adds a raw score in [0, 1] and, for the range rule, the value it was
   * computed from; returns the likelihood score in [0, 1], or null while learning.
   */
  push(raw: number, value = NaN): number | null {
    const o = this.opts;
    if (this.shortSize === o.shortWindow) this.shortSum -= this.short[this.shortHead];
    else this.shortSize++;
    this.short[this.shortHead] = raw;
    this.shortSum += raw;
    this.shortHead = (this.shortHead + 1) % o.shortWindow;
    const avg = this.shortSum / this.shortSize;
    this.seen++;

    if (this.seen > o.learning && (!this.fitted || this.seen % o.refit === 0)) this.fit();
    let outOfRange = false;
    if (o.rangeTolerance !== null && Number.isFinite(value)) {
      if (this.max > this.min) {
        const margin = (this.max - this.min) * o.rangeTolerance;
        outOfRange = value > this.max + margin || value < this.min - margin;
      }
      this.min = Math.min(this.min, value);
      this.max = Math.max(this.max, value);
    }
    let out: number | null = null;
    if (this.fitted) {
      const p = avg > this.mean ? normalTail((avg - this.mean) / this.sd) : 0.5;
      out = outOfRange ? 1 : Math.min(1, -Math.log10(p + 1e-10) / 10);
      this.sinceAlert++;
      const atAlert = out >= o.alertLevel;
      if (atAlert) {
        // Reported only as the start of an excursion, and at most once per `refractory` points.
        if (this.prevAtAlert || this.sinceAlert <= o.refractory) out = Math.min(out, o.repeatLevel);
        else this.sinceAlert = 0;
      }
      this.prevAtAlert = atAlert;
    }

    if (this.histSize === o.history) {
      const old = this.hist[this.histHead];
      this.histSum -= old;
      this.histSum2 -= old * old;
    } else this.histSize++;
    this.hist[this.histHead] = avg;
    this.histSum += avg;
    this.histSum2 += avg * avg;
    this.histHead = (this.histHead + 1) % o.history;
    return out;
  }

  private fit(): void {
    if (this.histSize === 0) return;
    const o = this.opts;
    const n = this.histSize;
    const mean = this.histSum / n;
    const variance = Math.max(0, this.histSum2 / n - mean * mean);
    this.mean = Math.max(mean, o.minMean);
    this.sd = Math.sqrt(Math.max(variance, o.minVariance));
    this.fitted = true;
  }

  get count(): number {
    return this.seen;
  }
}
