import { normalQuantile, normalTail } from './math';
import { type Json, bool, num, obj, StreamCheckpointError } from './checkpoint';

/** Floors of the fitted normal (as Numenta's anomaly likelihood): a series with almost no raw anomaly does not alert on the slightest blip. */
const MIN_MEAN = 0.03;
const MIN_VARIANCE = 0.0003;
/** −log10 of the tail probability, divided by this, is the score (1 ⇔ p ≤ 1e-10). */
const LOG_SCALE = 10;

/**
 * Anomaly likelihood over a stream of raw scores in [0, 1], after Numenta's
 * (HTM): the raw scores' short exponential average (time constant
 * `shortMs`) is compared with a normal fitted to that average's own history
 * (exponentially weighted, half-life `longMs`; each point weighs the time it
 * covers, so a young series learns fast and the fit is the same whether a
 * minute holds one point or sixty); the upper-tail probability p maps to
 * −log10(p)/10. A series whose raw score is noisy all the time needs a larger
 * excursion than a quiet one. O(1) memory and time; every weight is in time.
 */
export class Likelihood {
  private short = 0;
  private started = false;
  private weight = 0;
  private mean = 0;
  private variance = 0;

  constructor(
    private readonly shortMs: number,
    private readonly longMs: number,
  ) {}

  /**
   * Adds a raw score seen `dtMs` after the previous one; `weightMs` is the
   * time it stands for in the fit (its cell's span, less after a gap, and
   * less while the baseline it was judged against is young: such a raw score
   * says little about how noisy the series is). Returns the likelihood score
   * of the new short average (0 before any history).
   */
  update(raw: number, dtMs: number, weightMs: number): number {
    const a = this.started ? 1 - Math.exp(-Math.max(0, dtMs) / this.shortMs) : 1;
    this.short += a * (raw - this.short);
    this.started = true;
    let score = 0;
    if (this.weight > 0) {
      const mean = Math.max(this.mean, MIN_MEAN);
      const sd = Math.sqrt(Math.max(this.variance, MIN_VARIANCE));
      const p = this.short > mean ? normalTail((this.short - mean) / sd) : 0.5;
      score = Math.min(1, -Math.log10(p + 1e-10) / LOG_SCALE);
    }
    // The fit learns after scoring: the new point never explains itself.
    const own = Math.max(weightMs, 1e-3);
    this.weight = this.weight * Math.pow(0.5, Math.max(0, dtMs) / this.longMs) + own;
    const w = own / this.weight;
    const d = this.short - this.mean;
    this.mean += w * d;
    this.variance = (1 - w) * (this.variance + w * d * d);
    return score;
  }

  /**
   * The short average at which the likelihood reaches `score` under the
   * current fit (the inverse of `update`'s mapping): a raw score held at
   * this level long enough scores `score`. NaN before any history.
   */
  rawFor(score: number): number {
    if (this.weight === 0) return NaN;
    const p = Math.pow(10, -score * LOG_SCALE) - 1e-10;
    if (!(p > 0)) return Infinity;
    const mean = Math.max(this.mean, MIN_MEAN);
    const sd = Math.sqrt(Math.max(this.variance, MIN_VARIANCE));
    return mean + sd * -normalQuantile(p);
  }

  /** Forgets the short average (kept: the fit of how noisy this series' raw scores are). */
  restartShort(): void {
    this.started = false;
    this.short = 0;
  }

  toJSON(): Json {
    return { short: this.short, started: this.started, weight: this.weight, mean: this.mean, variance: this.variance };
  }

  static fromJSON(v: unknown, path: string, shortMs: number, longMs: number): Likelihood {
    const o = obj(v, path);
    const l = new Likelihood(shortMs, longMs);
    l.short = num(o, 'short', path);
    l.started = bool(o, 'started', path);
    l.weight = num(o, 'weight', path);
    l.mean = num(o, 'mean', path);
    l.variance = num(o, 'variance', path);
    if (l.weight < 0 || l.variance < 0) throw new StreamCheckpointError(`${path}: negative weight or variance`);
    return l;
  }
}

export const LIKELIHOOD_BYTES = 5 * 8;
