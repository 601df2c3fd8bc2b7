/**
 * A tier fit as served between refits: its chosen models keep taking the
 * tier's new points (re-anchoring: a level model's level, a trend model's
 * anchor and a seasonal model's deviation follow the newest data; the
 * parameters and the interval widths stay from the fit), and a forecast for
 * any time ahead is read off them. Pure apart from the models' own state.
 */
import { restoreModel, type Model } from './candidates';
import type { HorizonFit, TierFit } from './job';

export class ServedTier {
  private readonly models: Model[];
  readonly horizons: HorizonFit[];
  /** End time (ms) of the newest point the models have taken. */
  newestEndMs: number;
  /** Points fed since the fit (re-anchoring). */
  fed = 0;

  constructor(
    readonly fit: TierFit,
    readonly stepSeconds: number,
    newestEndMs: number,
    readonly fittedAtMs: number,
  ) {
    this.models = fit.models.map((m) => restoreModel(m.state));
    this.horizons = [...fit.horizons].sort((a, b) => a.steps - b.steps);
    this.newestEndMs = newestEndMs;
  }

  /** Feeds the tier's points closed since (NaN: a gap). */
  feed(points: readonly number[], newestEndMs: number): void {
    for (const m of this.models) for (const v of points) m.update(v);
    this.fed += points.length;
    this.newestEndMs = newestEndMs;
  }

  get longestSteps(): number {
    return this.horizons.length ? this.horizons[this.horizons.length - 1].steps : 0;
  }

  /** The horizon fit that serves `k` steps ahead: the shortest at or beyond it, else the longest. */
  private horizonFor(k: number): HorizonFit | null {
    for (const h of this.horizons) if (h.steps >= k) return h;
    return this.horizons[this.horizons.length - 1] ?? null;
  }

  /**
   * The interval offsets at `k` steps: interpolated between the fitted
   * horizons around it, shrunk by √(k/h) before the first, grown by √(k/h)
   * past the last (no backtest reaches there).
   */
  offsetsAt(k: number): { lo: number; hi: number } {
    const hs = this.horizons;
    if (hs.length === 0) return { lo: 0, hi: 0 };
    if (k <= hs[0].steps) {
      const f = Math.sqrt(k / hs[0].steps);
      return { lo: hs[0].lo * f, hi: hs[0].hi * f };
    }
    for (let i = 1; i < hs.length; i++) {
      if (k <= hs[i].steps) {
        const w = (k - hs[i - 1].steps) / (hs[i].steps - hs[i - 1].steps);
        return { lo: hs[i - 1].lo * (1 - w) + hs[i].lo * w, hi: hs[i - 1].hi * (1 - w) + hs[i].hi * w };
      }
    }
    const last = hs[hs.length - 1];
    const f = Math.sqrt(k / last.steps);
    return { lo: last.lo * f, hi: last.hi * f };
  }

  /** Steps ahead of the newest point for a time `aheadMs` past `nowMs` (at least 1). */
  stepsAhead(nowMs: number, aheadMs: number): number {
    return Math.max(1, Math.round((nowMs + aheadMs - this.newestEndMs) / 1000 / this.stepSeconds));
  }

  /** Mean and bounds `k` steps past the newest point. */
  at(k: number): { mean: number; lower: number; upper: number; model: string } | null {
    const h = this.horizonFor(k);
    if (!h) return null;
    const mean = this.models[h.model].forecast(k);
    if (!Number.isFinite(mean)) return null;
    const o = this.offsetsAt(k);
    return { mean, lower: mean + o.lo, upper: mean + o.hi, model: this.fit.models[h.model].name };
  }

  /** The fitted horizon's backtest accuracy for a horizon of `steps`, if fitted. */
  accuracy(steps: number): HorizonFit | undefined {
    return this.horizons.find((h) => h.steps === steps);
  }
}
