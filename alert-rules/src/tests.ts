import { stringify } from 'yaml';
import { CATALOG, type BottleneckKind } from '@procsight/contract';
import { APP_PATH, DEFAULT_RULE_OPTIONS } from './options';
import { ALERTS, runbookUrl } from './rules';

/**
 * promtool unit tests, one pair per alert: it does not fire yet at an early
 * time, and it fires later with exactly these labels and annotations.
 * Expected annotation texts are written out here, not rendered by our code.
 */
const I = 'host-1:9556';
const base = { job: 'procsight', instance: I };
const series = (name: string, labels: Record<string, string>, values: string) => ({
  series: `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`,
  values,
});
/** Expected link; `path` is the group already escaped by hand (e.g. `tmux%3A%20server`). */
const drill = (path: string) => `${DEFAULT_RULE_OPTIONS.grafanaUrl}${APP_PATH}explorer/${path}?var-instance=host-1%3A9556`;
/** The catalog's entry for an action (the expected title and first step are the catalog's own text). */
const actionOf = (kind: string, id: string) => CATALOG.kinds[kind as BottleneckKind].find((a) => a.id === id)!;

interface Case {
  alert: string;
  sentence: string;
  inputs: Array<{ series: string; values: string }>;
  early: string;
  late: string;
  labels: Record<string, string>;
  description: string;
  /** Expected `first_step` annotation (default: the runbook's first step). */
  firstStep?: string;
  /** Expected `evidence` annotation (bottleneck alerts). */
  evidence?: string;
  group?: string;
  /** The group as the link's path segment, escaped by hand when it is not plain. */
  groupPath?: string;
}

/** One evidence feature of the alert's bottleneck as input series: [feature, unit, value, threshold, baseline or null]. */
type Ev = [string, string, number, number, number | null];

/**
 * [alert, kind, top action, minutes until it fires, evidence series, expected `evidence` annotation].
 * The expected texts are Prometheus' humanize functions worked out by hand.
 */
const BOTTLENECKS: Array<[string, string, string, number, Ev[], string]> = [
  [
    'ProcsightMemoryLeak',
    'memory_leak',
    'memory_leak.heap_dump',
    20,
    [
      ['time_to_host_memory_exhaustion_seconds', 'seconds', 7200, 86400, null],
      ['rss_slope_bytes_per_second', 'bytes/s', 1048576, 262144, 0],
    ],
    'rss_slope_bytes_per_second=1MiB/s (threshold 256kiB/s, usually 0B/s); time_to_host_memory_exhaustion_seconds=2h 0m 0s (threshold 1d 0h 0m 0s)',
  ],
  [
    'ProcsightCpuSaturation',
    'cpu_saturation',
    'cpu_saturation.profile_hot_path',
    15,
    [
      ['cpu_cores_1m', 'cores', 1.95, 0.9, 0.4],
      ['host_cpu_busy_ratio', 'ratio', 0.97, 0, 0.35],
    ],
    'cpu_cores_1m=1.95 cores (threshold 0.9 cores, usually 0.4 cores); host_cpu_busy_ratio=97% (threshold 0%, usually 35%)',
  ],
  [
    'ProcsightCpuStarvation',
    'cpu_starvation',
    'cpu_starvation.find_the_competitor',
    15,
    [
      ['cpu_wait_share_1m', 'ratio', 0.6, 0.3, null],
      ['host_cpu_pressure_ratio', 'ratio', 0.45, 0.2, 0.05],
    ],
    'cpu_wait_share_1m=60% (threshold 30%); host_cpu_pressure_ratio=45% (threshold 20%, usually 5%)',
  ],
  [
    'ProcsightIoBound',
    'io_bound',
    'io_bound.find_hot_files',
    15,
    [
      ['io_bytes_per_second_1m', 'bytes/s', 52428800, 10485760, 1048576],
      ['io_wait_ratio', 'ratio', 0.42, 0.2, null],
    ],
    'io_bytes_per_second_1m=50MiB/s (threshold 10MiB/s, usually 1MiB/s); io_wait_ratio=42% (threshold 20%)',
  ],
  [
    'ProcsightLockContention',
    'lock_contention',
    'lock_contention.find_the_lock',
    15,
    [
      ['context_switches_per_second_1m', 'switches/s', 42000, 5000, 800],
      ['switches_per_cpu_second', 'switches/cpu-s', 84000, 20000, null],
    ],
    'context_switches_per_second_1m=42k switches/s (threshold 5k switches/s, usually 800 switches/s); switches_per_cpu_second=84k switches/cpu-s (threshold 20k switches/cpu-s)',
  ],
  [
    'ProcsightFdExhaustion',
    'fd_exhaustion',
    'fd_exhaustion.find_leaked_fds',
    15,
    [
      ['fd_limit_ratio', 'ratio', 0.93, 0.8, 0.1],
      ['fd_time_to_limit_seconds', 'seconds', 540, 3600, null],
    ],
    'fd_limit_ratio=93% (threshold 80%, usually 10%); fd_time_to_limit_seconds=9m 0s (threshold 1h 0m 0s)',
  ],
  [
    'ProcsightThreadExplosion',
    'thread_explosion',
    'thread_explosion.bound_the_pool',
    15,
    [['thread_growth_5m', 'ratio', 1.5, 0.5, null]],
    'thread_growth_5m=150% (threshold 50%)',
  ],
  [
    'ProcsightMemoryPressure',
    'memory_pressure',
    'memory_pressure.reduce_working_set',
    15,
    [
      ['major_faults_per_second_1m', 'faults/s', 250, 50, 0.5],
      ['host_memory_pressure_some_ratio', 'ratio', 0.3, 0.1, null],
    ],
    'host_memory_pressure_some_ratio=30% (threshold 10%); major_faults_per_second_1m=250 faults/s (threshold 50 faults/s, usually 0.5 faults/s)',
  ],
  [
    'ProcsightNetworkSaturation',
    'network_saturation',
    'network_saturation.find_the_traffic',
    15,
    [['container_network_bytes_per_second', 'bytes/s', 120000000, 104857600, null]],
    'container_network_bytes_per_second=114.4MiB/s (threshold 100MiB/s)',
  ],
];

/** The evidence series of one bottleneck (value, threshold, baseline when learned). */
const evidenceSeries = (group: string, kind: string, evs: Ev[]) =>
  evs.flatMap(([feature, unit, value, threshold, baseline]) => {
    const l = { ...base, group, kind, feature, unit };
    return [
      series('procsight_bottleneck_evidence', l, `${value}x40`),
      series('procsight_bottleneck_evidence_threshold', l, `${threshold}x40`),
      ...(baseline === null ? [] : [series('procsight_bottleneck_evidence_baseline', l, `${baseline}x40`)]),
    ];
  });

export const CASES: Case[] = [
  ...BOTTLENECKS.map(([alert, kind, topId, late, evs, evidence]): Case => ({
    alert,
    sentence: `${alert} names the group, the ${kind} severity, its evidence with thresholds and usual values, and the top suggestion's title and first step once it has lasted`,
    group: 'api',
    inputs: [
      series('procsight_bottleneck', { ...base, group: 'api', kind }, '0.8x40'),
      series('procsight_suggestion', { ...base, group: 'api', kind, action: topId }, '0.72x40'),
      // Another action of the catalog, ranked lower: not the one shown.
      series('procsight_suggestion', { ...base, group: 'api', kind, action: CATALOG.kinds[kind as BottleneckKind].find((x) => x.id !== topId)!.id }, '0.3x40'),
      ...evidenceSeries('api', kind, evs),
      // Evidence of another group and of another kind of the same group: not this alert's.
      series('procsight_bottleneck', { ...base, group: 'db', kind }, '0.2x40'),
      ...evidenceSeries('db', kind, [['unrelated_feature', 'ratio', 0.99, 0.5, null]]),
      ...evidenceSeries('api', kind === 'io_bound' ? 'cpu_saturation' : 'io_bound', [['other_kind_feature', 'ratio', 0.99, 0.5, null]]),
    ],
    early: '3m',
    late: `${late}m`,
    labels: { ...base, group: 'api', kind },
    description: `api on ${I}: ${kind} with severity 80%. Top suggestion: ${actionOf(kind, topId).title}.`,
    firstStep: actionOf(kind, topId).steps[0],
    evidence,
  })),
  {
    alert: 'ProcsightMemoryLeak',
    sentence: 'ProcsightMemoryLeak names the top action by its id when the exporter ranks one these rules do not know (a newer catalog)',
    group: 'api',
    inputs: [
      series('procsight_bottleneck', { ...base, group: 'api', kind: 'memory_leak' }, '0.8x40'),
      series('procsight_suggestion', { ...base, group: 'api', kind: 'memory_leak', action: 'memory_leak.from_a_newer_catalog' }, '0.9x40'),
      series('procsight_suggestion', { ...base, group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump' }, '0.2x40'),
    ],
    early: '3m',
    late: '20m',
    labels: { ...base, group: 'api', kind: 'memory_leak' },
    description: `api on ${I}: memory_leak with severity 80%. Top suggestion: memory_leak.from_a_newer_catalog.`,
    evidence: 'none exported',
  },
  {
    alert: 'ProcsightMemoryLeak',
    sentence: 'ProcsightMemoryLeak says no evidence was exported when an exporter without evidence series reports a leak',
    group: 'api',
    inputs: [series('procsight_bottleneck', { ...base, group: 'api', kind: 'memory_leak' }, '0.8x40')],
    early: '3m',
    late: '20m',
    labels: { ...base, group: 'api', kind: 'memory_leak' },
    description: `api on ${I}: memory_leak with severity 80%. Top suggestion: none yet.`,
    evidence: 'none exported',
  },
  {
    alert: 'ProcsightAnomalousGroup',
    sentence: 'ProcsightAnomalousGroup fires for a group whose combined score stays very high',
    group: 'api',
    inputs: [
      series('procsight_anomaly_score', { ...base, group: 'api', signal: 'combined' }, '0.97x60'),
      series('procsight_anomaly_score', { ...base, group: 'api', signal: 'cpu' }, '0.99x60'),
    ],
    early: '20m',
    late: '40m',
    labels: { ...base, group: 'api', signal: 'combined' },
    description: `api on ${I} has a combined anomaly score of 0.97 (0.6 and above: unusual for this group; 1 = most unusual).`,
  },
  {
    alert: 'ProcsightAnomalousGroup',
    sentence: 'ProcsightAnomalousGroup fires at the detector threshold, not for a group just below it',
    group: 'web',
    inputs: [
      series('procsight_anomaly_score', { ...base, group: 'web', signal: 'combined' }, '0.6x60'),
      series('procsight_anomaly_score', { ...base, group: 'db', signal: 'combined' }, '0.59x60'),
    ],
    early: '20m',
    late: '40m',
    labels: { ...base, group: 'web', signal: 'combined' },
    description: `web on ${I} has a combined anomaly score of 0.60 (0.6 and above: unusual for this group; 1 = most unusual).`,
  },
  {
    alert: 'ProcsightMemoryAboveBand',
    sentence: 'ProcsightMemoryAboveBand fires for a group above the upper bound of its memory band for 30 minutes, not for one inside its band',
    group: 'api',
    inputs: [
      series('procsight_group_memory_bytes', { ...base, group: 'api', type: 'resident' }, '500000000x60'),
      series('procsight_band', { ...base, group: 'api', signal: 'memory', bound: 'upper' }, '400000000x60'),
      series('procsight_band', { ...base, group: 'api', signal: 'memory', bound: 'lower' }, '300000000x60'),
      series('procsight_group_memory_bytes', { ...base, group: 'db', type: 'resident' }, '350000000x60'),
      series('procsight_band', { ...base, group: 'db', signal: 'memory', bound: 'upper' }, '400000000x60'),
    ],
    early: '20m',
    late: '40m',
    labels: { instance: I, group: 'api' },
    description: `api on ${I} has used 476.8MiB of memory, above its adaptive band, for 30m.`,
  },
  {
    alert: 'ProcsightResourceExhaustionSoon',
    sentence: 'ProcsightResourceExhaustionSoon pages when memory runs out within the hour',
    group: 'api',
    inputs: [
      series('procsight_forecast_exhaustion_seconds', { ...base, group: 'api', resource: 'memory', limit: 'host_memory', bound: 'mean' }, '1800x40'),
      series('procsight_forecast_exhaustion_seconds', { ...base, group: 'api', resource: 'memory', limit: 'host_memory', bound: 'earliest' }, '900x40'),
    ],
    early: '5m',
    late: '15m',
    labels: { ...base, group: 'api', resource: 'memory', limit: 'host_memory', bound: 'mean' },
    description: `api on ${I}: memory is forecast to reach its host_memory limit in 30m 0s.`,
  },
  {
    alert: 'ProcsightResourceExhaustionWithinSixHours',
    sentence: 'ProcsightResourceExhaustionWithinSixHours warns when fds run out within six hours',
    group: 'api',
    inputs: [series('procsight_forecast_exhaustion_seconds', { ...base, group: 'api', resource: 'fds', limit: 'fd_limit', bound: 'mean' }, '10800x60')],
    early: '10m',
    late: '40m',
    labels: { ...base, group: 'api', resource: 'fds', limit: 'fd_limit', bound: 'mean' },
    description: `api on ${I}: fds is forecast to reach its fd_limit limit in 3h 0m 0s.`,
  },
  {
    alert: 'ProcsightDeclaredGroupNotRunning',
    sentence: 'ProcsightDeclaredGroupNotRunning fires for a declared group without processes but not for an undeclared one',
    group: 'nginx',
    inputs: [
      series('procsight_group_processes', { ...base, group: 'nginx' }, '0x20'),
      series('procsight_group_declared', { ...base, group: 'nginx' }, '1x20'),
      series('procsight_group_processes', { ...base, group: 'tmp-job' }, '0x20'),
    ],
    early: '2m',
    late: '10m',
    labels: { ...base, group: 'nginx' },
    description: `nginx on ${I} has had no running process for 5m.`,
  },
  {
    alert: 'ProcsightDeclaredGroupNotRunning',
    sentence: 'ProcsightDeclaredGroupNotRunning links to the drilldown of a group with a space and a colon, escaped as %20 and %3A',
    group: 'tmux: server',
    groupPath: 'tmux%3A%20server',
    inputs: [
      series('procsight_group_processes', { ...base, group: 'tmux: server' }, '0x20'),
      series('procsight_group_declared', { ...base, group: 'tmux: server' }, '1x20'),
    ],
    early: '2m',
    late: '10m',
    labels: { ...base, group: 'tmux: server' },
    description: `tmux: server on ${I} has had no running process for 5m.`,
  },
  {
    alert: 'ProcsightUnfamiliarProcess',
    sentence: 'ProcsightUnfamiliarProcess links to a group with a plus and a slash, escaped as %2B and %2F (a plus is not a space)',
    group: 'g++ build/1',
    groupPath: 'g%2B%2B%20build%2F1',
    inputs: [series('procsight_anomaly_score', { ...base, group: 'g++ build/1', signal: 'novelty' }, '0.8x20')],
    early: '1m',
    late: '5m',
    labels: { ...base, group: 'g++ build/1', signal: 'novelty' },
    description: `g++ build/1 appeared on ${I} recently and takes significant CPU or memory (novelty 0.80).`,
  },
  {
    alert: 'ProcsightUnfamiliarProcess',
    sentence: 'ProcsightUnfamiliarProcess fires for a new group taking resources',
    group: 'xmrig',
    inputs: [series('procsight_anomaly_score', { ...base, group: 'xmrig', signal: 'novelty' }, '0.8x20')],
    early: '1m',
    late: '5m',
    labels: { ...base, group: 'xmrig', signal: 'novelty' },
    description: `xmrig appeared on ${I} recently and takes significant CPU or memory (novelty 0.80).`,
  },
  {
    alert: 'ProcsightExporterDown',
    sentence: 'ProcsightExporterDown pages when procsight cannot be scraped',
    inputs: [series('up', base, '0x20')],
    early: '1m',
    late: '5m',
    labels: base,
    description: `Prometheus has not scraped procsight on ${I} for 2m.`,
  },
  {
    alert: 'ProcsightCollectionStalled',
    sentence: 'ProcsightCollectionStalled fires when collections stop while scrapes go on',
    inputs: [series('procsight_last_collect_timestamp_seconds', base, '0x20')],
    early: '1m',
    late: '10m',
    labels: base,
    description: `The last collection on ${I} finished 10m 0s ago.`,
  },
  {
    alert: 'ProcsightCollectionErrors',
    sentence: 'ProcsightCollectionErrors fires on steady io errors but ignores vanished processes',
    inputs: [
      series('procsight_collect_errors_total', { ...base, reason: 'io' }, '0+60x40'),
      series('procsight_collect_errors_total', { ...base, reason: 'vanished' }, '0+6000x40'),
    ],
    early: '5m',
    late: '25m',
    labels: { instance: I },
    description: `${I} has 1 collection errors per second (parse, io or host).`,
  },
];

export function renderTests(rulesFile: string): string {
  const known = new Set(ALERTS.map((a) => a.alert));
  const tests = CASES.map((c) => {
    if (!known.has(c.alert)) throw new Error(`test for unknown alert ${c.alert}`);
    const a = ALERTS.find((x) => x.alert === c.alert)!;
    if ((c.evidence === undefined) !== (a.evidence === undefined))
      throw new Error(`${c.sentence}: the alert ${a.evidence ? 'has' : 'has no'} evidence annotation`);
    const annotations: Record<string, string> = {
      summary: a.summary,
      description: c.description,
      first_step: c.firstStep ?? a.firstSteps[0],
      ...(c.evidence !== undefined ? { evidence: c.evidence } : {}),
      runbook_url: runbookUrl(c.alert),
    };
    if (c.group) annotations.dashboard_url = drill(c.groupPath ?? c.group);
    return {
      name: c.sentence,
      interval: '1m',
      input_series: c.inputs,
      alert_rule_test: [
        { eval_time: c.early, alertname: c.alert, exp_alerts: [] },
        { eval_time: c.late, alertname: c.alert, exp_alerts: [{ exp_labels: { severity: a.severity, ...c.labels }, exp_annotations: annotations }] },
      ],
    };
  });
  return (
    '# Generated by `npm run generate` from alert-rules/src/tests.ts — do not edit.\n' +
    stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests }, { lineWidth: 0 })
  );
}
