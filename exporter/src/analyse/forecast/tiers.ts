/**
 * The forecaster's two fit tiers: short horizons from fine points over the
 * last day, capacity horizons (6 h and beyond) from coarse points over up to
 * two weeks, where a daily cycle can be learnt.
 */

export interface TierSpec {
  name: 'short' | 'capacity';
  stepSeconds: number;
  historyPoints: number;
}

/** Horizons of 6 h and longer come from the capacity tier. */
export const CAPACITY_FROM_SECONDS = 6 * 3600;

/** Horizon in steps of the tier, or null when the horizon is shorter than a step (not applicable). */
export function horizonSteps(t: TierSpec, horizonSeconds: number): number | null {
  if (horizonSeconds < t.stepSeconds) return null;
  return Math.max(1, Math.round(horizonSeconds / t.stepSeconds));
}

/**
 * Which tier serves a horizon both tiers have fitted: the capacity tier when
 * its own backtest beat the short tier's there (a daily cycle the short
 * tier's day of history cannot learn), else the short tier.
 */
export function preferCapacity(
  short: { mase: number | null; calibration: string } | undefined,
  capacity: { mase: number | null; calibration: string } | undefined,
): boolean {
  if (!capacity || capacity.mase === null || capacity.calibration !== 'own') return false;
  if (!short || short.mase === null) return true;
  return capacity.mase < short.mase;
}
