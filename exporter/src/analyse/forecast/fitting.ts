/**
 * Which tier fits a series needs and how a fit is installed: the
 * forecaster's refit, and the evaluation's replay of it (eval/forecast),
 * run this same code. Pure apart from the series' own state.
 */
import type { ForecastConfig } from './config';
import type { ForecastParams } from './params';
import { ServedTier } from './serve';
import type { ForecastSeries } from './series';
import { CAPACITY_FROM_SECONDS, horizonSteps, type TierSpec } from './tiers';
import type { WorkerFit, WorkerJob } from './worker';

interface TierRef {
  spec: TierSpec;
  refitSeconds: number;
  /** Points the tier's history needs before it is fitted. */
  minPoints: number;
}

export function tiersOf(c: ForecastConfig): TierRef[] {
  return [
    { spec: { name: 'short', stepSeconds: c.step_seconds, historyPoints: c.history_points }, refitSeconds: c.refit_seconds, minPoints: c.min_points },
    // An hour of capacity points before the capacity tier fits (until its backtest reaches a horizon it scores like naive).
    {
      spec: { name: 'capacity', stepSeconds: c.capacity.step_seconds, historyPoints: c.capacity.history_points },
      refitSeconds: c.capacity.refit_seconds,
      minPoints: Math.max(6, Math.ceil(3600 / c.capacity.step_seconds)),
    },
  ];
}

/**
 * The horizons (steps) a tier fits on this much history: its own (short:
 * below 6 h; capacity: 6 h and beyond), the capacity tier also the short
 * ones it can compete for; each only as far as `horizon_factor` × the history.
 */
function tierHorizons(spec: TierSpec, horizonsSeconds: readonly number[], historySeconds: number, c: ForecastConfig, p: ForecastParams): number[] {
  const reach = c.cold_start.horizon_factor * historySeconds;
  const own = (s: number): boolean => (spec.name === 'capacity' ? s >= CAPACITY_FROM_SECONDS || p.tierChoice === 'best' : s < CAPACITY_FROM_SECONDS);
  return horizonsSeconds
    .filter((s) => own(s) && s <= reach)
    .map((s) => horizonSteps(spec, s))
    .filter((x): x is number => x !== null);
}

/** The jobs a series needs now: each tier with enough history, whose fit is missing or (with `dueOnly`) older than its refit period. */
export function jobsFor(
  s: ForecastSeries,
  opts: { config: ForecastConfig; params: ForecastParams; horizonsSeconds: readonly number[]; nowMs: number; dueOnly: boolean },
): WorkerJob[] {
  const jobs: WorkerJob[] = [];
  for (const t of tiersOf(opts.config)) {
    const ring = t.spec.name === 'capacity' ? s.capacity : s.short;
    const finite = ring.finiteCount();
    if (finite < t.minPoints) continue;
    const served = t.spec.name === 'capacity' ? s.servedCapacity : s.servedShort;
    if (opts.dueOnly && served && opts.nowMs - served.fittedAtMs < t.refitSeconds * 1000) continue;
    const horizons = tierHorizons(t.spec, opts.horizonsSeconds, finite * t.spec.stepSeconds, opts.config, opts.params);
    if (horizons.length === 0) continue;
    jobs.push({
      key: s.key,
      tier: t.spec.name,
      series: ring.values(),
      stepSeconds: t.spec.stepSeconds,
      phase0: ring.phaseOfOldest(),
      horizons,
      level: opts.config.level,
      params: opts.params,
      pushed: ring.pushed,
    });
  }
  return jobs;
}

/** A new fit replaces the served one; it first takes the points its series got since it was copied. */
export function install(s: ForecastSeries, r: WorkerFit, fittedAtMs: number): void {
  const ring = r.tier === 'capacity' ? s.capacity : s.short;
  const served = new ServedTier(r, ring.stepSeconds, ring.newestEndMs, fittedAtMs);
  const since = ring.pushed - r.pushed;
  if (since > 0) served.feed(ring.tail(since), ring.newestEndMs);
  if (r.tier === 'capacity') s.servedCapacity = served;
  else s.servedShort = served;
  s.invalidate();
}

/**
 * The configuration on data at `dataStepSeconds` (the evaluation's CSV
 * files): no history finer than the data, each keeping its span (an hourly
 * series has 24 short-tier points, not 1,440; its cold start is its first
 * points); the minimum history counts the same span.
 */
export function configForData(c: ForecastConfig, dataStepSeconds: number): ForecastConfig {
  const coarser = (step: number, points: number): { step: number; points: number } =>
    dataStepSeconds <= step ? { step, points } : { step: dataStepSeconds, points: Math.max(2, Math.floor((step * points) / dataStepSeconds)) };
  const short = coarser(c.step_seconds, c.history_points);
  const cap = coarser(c.capacity.step_seconds, c.capacity.history_points);
  const cold = coarser(c.cold_start.step_seconds, c.cold_start.points);
  return {
    ...c,
    step_seconds: short.step,
    history_points: short.points,
    min_points: Math.max(3, Math.ceil((c.min_points * c.step_seconds) / short.step)),
    capacity: { ...c.capacity, step_seconds: cap.step, history_points: cap.points },
    cold_start: {
      ...c.cold_start,
      step_seconds: cold.step,
      points: cold.points,
      min_points: Math.max(3, Math.min(c.cold_start.min_points, Math.ceil((c.cold_start.min_points * c.cold_start.step_seconds) / cold.step))),
    },
  };
}
