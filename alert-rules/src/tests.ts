import { stringify } from 'yaml';
import { ALERTS, runbookUrl } from './rules';
import { GRAFANA_URL } from './thresholds';

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
const drill = (path: string) => `${GRAFANA_URL}/a/procsight-analyzer-app/explorer/${path}?var-instance=host-1%3A9556`;

interface Case {
  alert: string;
  sentence: string;
  inputs: Array<{ series: string; values: string }>;
  early: string;
  late: string;
  labels: Record<string, string>;
  description: string;
  group?: string;
  /** The group as the link's path segment, escaped by hand when it is not plain. */
  groupPath?: string;
}

const BOTTLENECKS: Array<[string, string, string, number]> = [
  ['ProcsightMemoryLeak', 'memory_leak', 'memory_leak.heap_dump', 20],
  ['ProcsightCpuSaturation', 'cpu_saturation', 'cpu_saturation.profile_hot_path', 15],
  ['ProcsightCpuStarvation', 'cpu_starvation', 'cpu_starvation.find_the_competitor', 15],
  ['ProcsightIoBound', 'io_bound', 'io_bound.find_hot_files', 15],
  ['ProcsightLockContention', 'lock_contention', 'lock_contention.find_the_lock', 15],
  ['ProcsightFdExhaustion', 'fd_exhaustion', 'fd_exhaustion.find_leaked_fds', 15],
  ['ProcsightThreadExplosion', 'thread_explosion', 'thread_explosion.bound_the_pool', 15],
  ['ProcsightMemoryPressure', 'memory_pressure', 'memory_pressure.reduce_working_set', 15],
  ['ProcsightNetworkSaturation', 'network_saturation', 'network_saturation.find_the_traffic', 15],
];

export const CASES: Case[] = [
  ...BOTTLENECKS.map(([alert, kind, action, late]): Case => ({
    alert,
    sentence: `${alert} names the group, the ${kind} severity and the top suggestion once it has lasted`,
    group: 'api',
    inputs: [
      series('procsight_bottleneck', { ...base, group: 'api', kind }, '0.8x40'),
      series('procsight_suggestion', { ...base, group: 'api', kind, action }, '0.72x40'),
      series('procsight_suggestion', { ...base, group: 'api', kind, action: `${kind}.other` }, '0.3x40'),
      series('procsight_bottleneck', { ...base, group: 'db', kind }, '0.2x40'),
    ],
    early: '3m',
    late: `${late}m`,
    labels: { ...base, group: 'api', kind },
    description: `api on ${I}: ${kind} with severity 80%. Top suggestion: ${action}.`,
  })),
  {
    alert: 'ProcsightAnomalousGroup',
    sentence: 'ProcsightAnomalousGroup fires for a group whose combined score stays very high',
    group: 'api',
    inputs: [series('procsight_anomaly_score', { ...base, group: 'api', signal: 'combined' }, '0.97x40'), series('procsight_anomaly_score', { ...base, group: 'api', signal: 'cpu' }, '0.99x40')],
    early: '5m',
    late: '20m',
    labels: { ...base, group: 'api', signal: 'combined' },
    description: `api on ${I} has a combined anomaly score of 0.97 (1 = most unusual).`,
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
    inputs: [series('procsight_group_processes', { ...base, group: 'tmux: server' }, '0x20'), series('procsight_group_declared', { ...base, group: 'tmux: server' }, '1x20')],
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
    inputs: [series('procsight_collect_errors_total', { ...base, reason: 'io' }, '0+60x40'), series('procsight_collect_errors_total', { ...base, reason: 'vanished' }, '0+6000x40')],
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
    const annotations: Record<string, string> = { summary: a.summary, description: c.description, runbook_url: runbookUrl(c.alert) };
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
  return '# Generated by `npx tsx scripts/gen-alert-rules.ts` from alert-rules/src/tests.ts.\n' + stringify({ rule_files: [rulesFile], evaluation_interval: '1m', tests }, { lineWidth: 0 });
}
