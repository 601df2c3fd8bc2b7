import { HOST_GROUP } from '@procsight/contract';
import type { AnalysisResult } from '../analyse/types';
import type { Forecast } from '../analyse/forecast/types';
import type { CollectionSnapshot } from '../pipeline/types';

/**
 * The analysis and forecasts restricted to the groups the latest collection
 * exports (and the host pseudo-group). The analysis keeps a vanished group's
 * learned state for an hour, so that a group that comes back keeps its
 * baselines; its series and API entries must still go when the grouper drops
 * the group (after `limits.empty_group_ttl_seconds`), or a group would linger
 * in `procsight_profile_cluster`, `procsight_anomaly_score`, `procsight_band`,
 * `procsight_group_seasonality` … long after its
 * `procsight_group_*` series are gone.
 *
 * Each view is computed once per (analysis, snapshot) or (forecasts, snapshot)
 * pair: scrapes and API calls between two cycles reuse it.
 */
export interface LiveGroupsView {
  analysis(): AnalysisResult | null;
  forecasts(): readonly Forecast[];
}

export function liveGroupsView(source: {
  snapshot(): CollectionSnapshot | null;
  analysis(): AnalysisResult | null;
  forecasts(): readonly Forecast[];
}): LiveGroupsView {
  let live: { snapshot: CollectionSnapshot | null; names: ReadonlySet<string> | null } = { snapshot: null, names: null };
  const liveNames = (): ReadonlySet<string> | null => {
    const snapshot = source.snapshot();
    if (snapshot !== live.snapshot) live = { snapshot, names: snapshot ? new Set([...snapshot.groups.map((g) => g.name), HOST_GROUP]) : null };
    return live.names;
  };
  const analysis = memo2((a: AnalysisResult | null, names: ReadonlySet<string> | null) => (a && names ? restrictAnalysis(a, names) : a));
  const forecasts = memo2((f: readonly Forecast[], names: ReadonlySet<string> | null) =>
    names && f.some((x) => !names.has(x.group)) ? f.filter((x) => names.has(x.group)) : f,
  );
  return {
    analysis: () => analysis(source.analysis(), liveNames()),
    forecasts: () => forecasts(source.forecasts(), liveNames()),
  };
}

/** The analysis without the groups outside `names`; the same object when nothing is dropped. */
export function restrictAnalysis(a: AnalysisResult, names: ReadonlySet<string>): AnalysisResult {
  const keep = <T extends { group: string }>(xs: readonly T[]): T[] => xs.filter((x) => names.has(x.group));
  const dropped =
    a.anomalies.some((x) => !names.has(x.group)) ||
    a.bands.some((x) => !names.has(x.group)) ||
    a.patterns.some((x) => !names.has(x.group)) ||
    a.bottlenecks.some((x) => !names.has(x.group)) ||
    a.suggestionSeries.some((x) => !names.has(x.group)) ||
    a.profiles.points.some((x) => !names.has(x.group));
  if (!dropped) return a;
  return {
    ...a,
    anomalies: keep(a.anomalies),
    bands: keep(a.bands),
    patterns: keep(a.patterns),
    bottlenecks: keep(a.bottlenecks),
    suggestionSeries: keep(a.suggestionSeries),
    profiles: { ...a.profiles, points: keep(a.profiles.points) },
  };
}

/** Caches the last result of a function of two arguments, compared by identity. */
function memo2<A, B, R>(fn: (a: A, b: B) => R): (a: A, b: B) => R {
  let last: { a: A; b: B; r: R } | null = null;
  return (a, b) => {
    if (last === null || last.a !== a || last.b !== b) last = { a, b, r: fn(a, b) };
    return last.r;
  };
}
