/**
 * Every PromQL query the app runs, as pure builders (unit-tested; the
 * no-dead-panel test of the stack runs them against a real Prometheus).
 * `$instance` stays a Grafana variable unless a concrete value is given.
 */
export interface Scope {
  /** Instance selector value: a concrete instance or `$instance` (multi-value regex). */
  instance?: string;
  /** A regex of instances (e.g. Grafana's `${instance:regex}` interpolated); wins over `instance`. */
  instanceRegex?: string;
  /** Label that names a host (default `instance`; the config page's instance label). */
  instanceLabel?: string;
}

/** The label that names a host in the scope's series. */
export function hostLabel(scope: Scope): string {
  return scope.instanceLabel ?? 'instance';
}

/** Legend for per-host series of a group, e.g. `{{group}} on {{instance}}`. */
export function groupOnHostLegend(scope: Scope): string {
  return `{{group}} on {{${hostLabel(scope)}}}`;
}

function sel(scope: Scope, extra: Record<string, string> = {}): string {
  const parts: string[] = [];
  const label = hostLabel(scope);
  const inst = scope.instance ?? '$instance';
  if (scope.instanceRegex !== undefined) {
    parts.push(`${label}=~"${escapeLabel(scope.instanceRegex)}"`);
  } else {
    parts.push(inst.startsWith('$') ? `${label}=~"${inst}"` : `${label}="${escapeLabel(inst)}"`);
  }
  for (const [k, v] of Object.entries(extra)) {
    parts.push(v.startsWith('~') ? `${k}=~"${escapeLabel(v.slice(1))}"` : `${k}="${escapeLabel(v)}"`);
  }
  return `{${parts.join(',')}}`;
}

/** Escapes a label value for a PromQL string literal. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Series the plugin reads to fill the catalog's `{{evidence.<feature>.text}}` (the exporter keeps its evidence sentences in its API, not in Prometheus). */
export type EvidenceSeries =
  | 'cpu'
  | 'cpuWait'
  | 'runnable'
  | 'cpus'
  | 'rss'
  | 'rssSlope'
  | 'hostAvailable'
  | 'majorFaults'
  | 'memoryPressure'
  | 'io'
  | 'blkioDelay'
  | 'switches'
  | 'threads'
  | 'threadsMin5m'
  | 'fdRatio'
  | 'fdSlope'
  | 'network';

/** Instant queries for evidence: per (host, group), or per host for host context. Rates over 2 minutes, trends over a 10-minute (memory) or 5-minute (fds, threads) window. */
export function evidenceQueries(s: Scope): Record<EvidenceSeries, string> {
  const h = hostLabel(s);
  const byGroup = (inner: string) => `sum by (${h}, group) (${inner})`;
  return {
    cpu: byGroup(`rate(procsight_group_cpu_seconds_total${sel(s)}[2m])`),
    cpuWait: byGroup(`rate(procsight_group_cpu_wait_seconds_total${sel(s)}[2m])`),
    runnable: `max by (${h}) (procsight_host_procs_running${sel(s)})`,
    cpus: `max by (${h}) (procsight_host_cpus${sel(s)})`,
    rss: byGroup(`procsight_group_memory_bytes${sel(s, { type: 'resident' })}`),
    rssSlope: byGroup(`deriv(procsight_group_memory_bytes${sel(s, { type: 'resident' })}[10m])`),
    hostAvailable: `max by (${h}) (procsight_host_memory_bytes${sel(s, { type: 'available' })})`,
    majorFaults: byGroup(`rate(procsight_group_major_page_faults_total${sel(s)}[2m])`),
    memoryPressure: `max by (${h}) (rate(procsight_host_pressure_stalled_seconds_total${sel(s, { resource: 'memory', type: 'some' })}[2m]))`,
    io: `sum by (${h}, group, direction) (rate(procsight_group_io_bytes_total${sel(s)}[2m]))`,
    blkioDelay: byGroup(`rate(procsight_group_blkio_delay_seconds_total${sel(s)}[2m])`),
    switches: byGroup(`rate(procsight_group_context_switches_total${sel(s)}[2m])`),
    threads: byGroup(`procsight_group_threads${sel(s)}`),
    threadsMin5m: `min_over_time(${byGroup(`procsight_group_threads${sel(s)}`)}[5m:])`,
    fdRatio: `max by (${h}, group) (procsight_group_fd_limit_ratio${sel(s)})`,
    fdSlope: byGroup(`deriv(procsight_group_open_fds${sel(s)}[5m])`),
    network: byGroup(`rate(procsight_group_network_bytes_total${sel(s)}[2m])`),
  };
}

/** `topk` within each host of the per-(host, group) sum. */
function topPerHost(s: Scope, n: number, inner: string): string {
  const h = hostLabel(s);
  return `topk by (${h}) (${n}, sum by (${h}, group) (${inner}))`;
}

export const q = {
  /** Any procsight series at all (onboarding check). */
  present: () => 'count(procsight_build_info)',
  /** Per host, its top `n` groups by CPU cores (hosts are never merged). */
  topCpu: (s: Scope, n = 10) => topPerHost(s, n, `rate(procsight_group_cpu_seconds_total${sel(s)}[$__rate_interval])`),
  /** Per host, its top `n` groups by resident memory. */
  topMemory: (s: Scope, n = 10) => topPerHost(s, n, `procsight_group_memory_bytes${sel(s, { type: 'resident' })}`),
  /** Per host, its top `n` groups by disk I/O (read + write). */
  topIo: (s: Scope, n = 10) => topPerHost(s, n, `rate(procsight_group_io_bytes_total${sel(s)}[$__rate_interval])`),
  activeByKind: (s: Scope) => `count by (kind) (procsight_bottleneck${sel(s)} >= 0.5)`,
  anomalyHeatmap: (s: Scope) => `max by (group) (procsight_anomaly_score${sel(s, { signal: 'combined' })})`,
  bottlenecks: (s: Scope) => `procsight_bottleneck${sel(s)}`,
  bottleneckConfidence: (s: Scope) => `procsight_bottleneck_confidence${sel(s)}`,
  /** Culprits named for the groups' waits: share of the victim's wait each explains (victim `group`, `culprit`, `resource`). */
  contention: (s: Scope) => `procsight_contention${sel(s)}`,
  /** Behaviour map: each group's 2-D coordinates (`axis="x|y"`), current and usual cluster, and the novelty score of unfamiliar groups. */
  profileCoordinates: (s: Scope) => `procsight_profile_coordinate${sel(s)}`,
  profileCluster: (s: Scope) => `procsight_profile_cluster${sel(s)}`,
  profileUsualCluster: (s: Scope) => `procsight_profile_usual_cluster${sel(s)}`,
  novelty: (s: Scope) => `procsight_anomaly_score${sel(s, { signal: 'novelty' })}`,
  /** The culprits named for one group's waits. */
  groupContention: (s: Scope, group: string) => `procsight_contention${sel(s, { group })}`,
  suggestions: (s: Scope, group?: string) => `procsight_suggestion${sel(s, group ? { group } : {})}`,
  groupCpu: (s: Scope, group: string) =>
    `sum by (mode) (rate(procsight_group_cpu_seconds_total${sel(s, { group })}[$__rate_interval]))`,
  groupMemory: (s: Scope, group: string) => `procsight_group_memory_bytes${sel(s, { group })}`,
  groupIo: (s: Scope, group: string) =>
    `sum by (direction) (rate(procsight_group_io_bytes_total${sel(s, { group })}[$__rate_interval]))`,
  groupThreadsFds: (s: Scope, group: string) => [
    `procsight_group_threads${sel(s, { group })}`,
    `procsight_group_open_fds${sel(s, { group })}`,
  ],
  groupSwitches: (s: Scope, group: string) =>
    `sum by (type) (rate(procsight_group_context_switches_total${sel(s, { group })}[$__rate_interval]))`,
  groupAnomaly: (s: Scope, group: string) => `procsight_anomaly_score${sel(s, { group })}`,
  /** A group's total CPU (cores), the quantity its CPU band is for. */
  groupCpuTotal: (s: Scope, group: string) =>
    `sum(rate(procsight_group_cpu_seconds_total${sel(s, { group })}[$__rate_interval]))`,
  /** A group's total context switches per second, the quantity its band is for. */
  groupSwitchesTotal: (s: Scope, group: string) =>
    `sum(rate(procsight_group_context_switches_total${sel(s, { group })}[$__rate_interval]))`,
  /** The adaptive band of a group's signal (bound="lower|upper"), in the signal's unit. */
  groupBand: (
    s: Scope,
    group: string,
    signal: 'cpu' | 'memory' | 'io_read' | 'io_write' | 'fds' | 'context_switches'
  ) => `procsight_band${sel(s, { group, signal })}`,
  groupBottleneckPeriods: (s: Scope, group: string) => `procsight_bottleneck${sel(s, { group })}`,
  /** The forecast for a horizon, shifted so it is drawn at the time it predicts. */
  forecastBand: (s: Scope, group: string, resource: string, horizon: string, bound: 'mean' | 'lower' | 'upper') =>
    `procsight_forecast${sel(s, { group, resource, horizon, bound })} offset -${horizon}`,
  /** The actual values of a forecast resource (history under the band). */
  forecastActual: (s: Scope, group: string, resource: string): string => {
    if (group === '_host') {
      return `procsight_host_memory_bytes${sel(s, { type: 'available' })}`;
    }
    switch (resource) {
      case 'cpu':
        return `sum(rate(procsight_group_cpu_seconds_total${sel(s, { group })}[$__rate_interval]))`;
      case 'memory':
        return `procsight_group_memory_bytes${sel(s, { group, type: 'resident' })}`;
      case 'fds':
        return `procsight_group_open_fds${sel(s, { group })}`;
      default:
        return `sum(rate(procsight_group_io_bytes_total${sel(s, { group })}[$__rate_interval]))`;
    }
  },
  /**
   * The actual series of whichever resource the `$resource` variable names:
   * one query per resource, each kept only when `$resource` equals it
   * (label_replace turns the variable into a label that `and on(r)` compares).
   */
  forecastActualByVariable: (s: Scope, group: string, resourceVar = '$resource'): string[] =>
    ['cpu', 'memory', 'fds', 'io'].map(
      (r) =>
        `(${q.forecastActual(s, group, r)}) and on() (label_replace(vector(1), "r", "${resourceVar}", "", "") and on(r) label_replace(vector(1), "r", "${r}", "", ""))`
    ),
  exhaustion: (s: Scope) => `sort(procsight_forecast_exhaustion_seconds${sel(s, { bound: 'mean' })})`,
  mase: (s: Scope, group: string, resource: string) => `procsight_forecast_mase${sel(s, { group, resource })}`,
  coverage: (s: Scope, group: string, resource: string) =>
    `procsight_forecast_interval_coverage_ratio${sel(s, { group, resource })}`,
  /** Earliest (upper-band) time to exhaustion of every forecast. */
  exhaustionEarliest: (s: Scope) => `procsight_forecast_exhaustion_seconds${sel(s, { bound: 'earliest' })}`,
  /** Worst MASE over the horizons of every forecast (one per host, group, resource). */
  maseByForecast: (s: Scope) => `max by (${hostLabel(s)}, group, resource) (procsight_forecast_mase${sel(s)})`,
  /** Worst interval coverage over the horizons of every forecast. */
  coverageByForecast: (s: Scope) =>
    `min by (${hostLabel(s)}, group, resource) (procsight_forecast_interval_coverage_ratio${sel(s)})`,
  /** Values of the Forecasts page's `$group` variable: groups with a forecast on the selected instances. */
  forecastGroups: (s: Scope) => `label_values(procsight_forecast${sel(s)}, group)`,
  /** Values of the Forecasts page's `$horizon` variable: the horizons the exporter forecasts for `$group` and `$resource`. */
  forecastHorizons: (s: Scope) =>
    `label_values(procsight_forecast${sel(s, { group: '$group', resource: '$resource' })}, horizon)`,
  /** Values of the `$instance` variable: every host that runs procsight. */
  instances: (s: Scope) => `label_values(procsight_build_info, ${hostLabel(s)})`,
  /** Measured outcomes of applied actions (resolved within 30 minutes or persisted), per selected host. */
  outcomes: (s: Scope) =>
    `sum by (${hostLabel(s)}, kind, action, outcome) (procsight_suggestion_outcomes_total${sel(s)})`,
  /** Mean fall of the bottleneck's severity after each applied action, over the selected hosts. */
  severityFall: (s: Scope) => `avg by (kind, action) (procsight_suggestion_outcome_severity_fall${sel(s)})`,
};
