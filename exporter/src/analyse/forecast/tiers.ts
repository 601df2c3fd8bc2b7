/**
 * The forecaster's two fit tiers: short horizons from fine points over the
 * last day, capacity horizons (6 h and beyond) from coarse points over up to
 * two weeks, where a daily cycle can be learnt. The evaluation asks the same
 * plan what to fit on data at another step.
 */

export interface TierSpec {
  name: 'short' | 'capacity';
  stepSeconds: number;
  historyPoints: number;
}

export interface TierPlan {
  short: TierSpec;
  capacity: TierSpec;
  /** Horizons (seconds) at or beyond this come from the capacity tier. */
  capacityFromSeconds: number;
}

export function tierFor(plan: TierPlan, horizonSeconds: number): TierSpec {
  return horizonSeconds >= plan.capacityFromSeconds ? plan.capacity : plan.short;
}

/**
 * The plan on data at `dataStepSeconds` (the evaluation's CSV files): a
 * tier's step is never finer than the data's, and it keeps the same span of
 * history (so an hourly series has 24 short-tier points, not 1,440).
 */
export function planForData(plan: TierPlan, dataStepSeconds: number): TierPlan {
  const at = (t: TierSpec): TierSpec => {
    if (dataStepSeconds <= t.stepSeconds) return t;
    const span = t.stepSeconds * t.historyPoints;
    return { ...t, stepSeconds: dataStepSeconds, historyPoints: Math.max(2, Math.floor(span / dataStepSeconds)) };
  };
  return { ...plan, short: at(plan.short), capacity: at(plan.capacity) };
}

/** Horizon in steps of the tier, or null when the horizon is shorter than a step (not applicable). */
export function horizonSteps(t: TierSpec, horizonSeconds: number): number | null {
  if (horizonSeconds < t.stepSeconds) return null;
  return Math.max(1, Math.round(horizonSeconds / t.stepSeconds));
}

/** The plan the exporter runs with this forecast configuration. */
export function planFromConfig(c: { step_seconds: number; history_points: number; capacity: { step_seconds: number; history_points: number } }): TierPlan {
  return {
    short: { name: 'short', stepSeconds: c.step_seconds, historyPoints: c.history_points },
    capacity: { name: 'capacity', stepSeconds: c.capacity.step_seconds, historyPoints: c.capacity.history_points },
    capacityFromSeconds: CAPACITY_FROM_SECONDS,
  };
}

/** Horizons of 6 h and longer come from the capacity tier. */
export const CAPACITY_FROM_SECONDS = 6 * 3600;

/**
 * Which tier serves a horizon both tiers have fitted: the capacity tier when
 * its own backtest beat the short tier's there (a daily cycle the short
 * tier's day of history cannot learn), else the short tier.
 */
export function preferCapacity(short: { mase: number | null; calibration: string } | undefined, capacity: { mase: number | null; calibration: string } | undefined): boolean {
  if (!capacity || capacity.mase === null || capacity.calibration !== 'own') return false;
  if (!short || short.mase === null) return true;
  return capacity.mase < short.mase;
}
