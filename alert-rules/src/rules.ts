import type { BottleneckKind } from '@procsight/contract';
import { APP_PATH, DEFAULT_RULE_OPTIONS, type RuleOptions } from './options';
import { ACTION_ID, evidence, literal, topAction } from './templates';
import { THRESHOLDS as T } from './thresholds';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  severity: 'critical' | 'warning' | 'info';
  summary: string;
  description: string;
  /** Template of the `evidence` annotation (bottleneck alerts): the exporter's evidence series at alert time. */
  evidence?: string;
  /** Bottleneck kind whose catalog steps the runbook lists. */
  kind?: BottleneckKind;
  /** Group-level alert: gets a drilldown link. */
  perGroup: boolean;
  /** What the on-call engineer does first (runbook). */
  firstSteps: string[];
  /**
   * Template of the `first_step` annotation: for a bottleneck, the top
   * suggestion's first catalog step (the runbook's first step until the
   * exporter has ranked one); otherwise the runbook's first step.
   */
  firstStep: string;
}

export const runbookUrl = (alert: string, base: string = DEFAULT_RULE_OPTIONS.runbookBase): string => `${base}#${alert.toLowerCase()}`;

/**
 * Link to the app's drilldown of this instance and group (Prometheus alert template).
 * The group is a path segment that the app decodes with decodeURIComponent, so a space
 * must be %20, not urlquery's `+`. Prometheus has no pathEscape template function, so
 * urlquery's `+` (only ever a space: a literal `+` becomes %2B) is turned into %20.
 */
export const drilldown = (grafanaUrl: string): string =>
  `${grafanaUrl}${APP_PATH}explorer/{{ $labels.group | urlquery | reReplaceAll "[+]" "%20" }}?var-instance={{ $labels.instance | urlquery }}`;

const bottleneck = (kind: BottleneckKind, alert: string, opts: { job: string; summary: string; severity?: AlertRule['severity']; for?: string }): AlertRule => {
  const firstSteps = [
    `Read the alert's \`evidence\` annotation (each feature's value, the rule's threshold and, once learned, the group's usual value), then open the drilldown for the group and read the evidence sentences (\`curl -s http://<instance>/api/v1/bottlenecks?group=<group>\`).`,
  ];
  return {
    alert,
    kind,
    expr: `procsight_bottleneck{job="${opts.job}",kind="${kind}"} >= ${T.bottleneckSeverity}`,
    for: opts.for ?? T.bottleneckFor,
    severity: opts.severity ?? 'warning',
    summary: opts.summary,
    description: `{{ $labels.group }} on {{ $labels.instance }}: ${kind} with severity {{ $value | humanizePercentage }}. Top suggestion: ${topAction(kind, (a) => a.title, { unknown: ACTION_ID, none: 'none yet' })}.`,
    evidence: evidence(kind),
    perGroup: true,
    firstSteps,
    firstStep: topAction(kind, (a) => a.steps[0], { unknown: literal(firstSteps[0]), none: literal(firstSteps[0]) }),
  };
};

/** A non-bottleneck alert: its `first_step` annotation is the runbook's first step. */
const plain = (rule: Omit<AlertRule, 'firstStep' | 'kind' | 'evidence'>): AlertRule => ({ ...rule, firstStep: literal(rule.firstSteps[0]) });

/** Every alert, selecting `job` (rule options: options.ts). */
export const alertRules = ({ job }: RuleOptions = DEFAULT_RULE_OPTIONS): AlertRule[] => [
  bottleneck('memory_leak', 'ProcsightMemoryLeak', { job, summary: 'A process group leaks memory.', for: T.memoryLeakFor }),
  bottleneck('cpu_saturation', 'ProcsightCpuSaturation', { job, summary: 'A process group is limited by CPU time.' }),
  bottleneck('cpu_starvation', 'ProcsightCpuStarvation', { job, summary: 'A process group waits for CPUs that others hold.' }),
  bottleneck('io_bound', 'ProcsightIoBound', { job, summary: 'A process group waits on storage.' }),
  bottleneck('lock_contention', 'ProcsightLockContention', { job, summary: "A process group's threads contend for locks." }),
  bottleneck('fd_exhaustion', 'ProcsightFdExhaustion', { job, summary: 'A process group is running out of file descriptors.', severity: 'critical' }),
  bottleneck('thread_explosion', 'ProcsightThreadExplosion', { job, summary: 'A process group keeps creating threads.' }),
  bottleneck('memory_pressure', 'ProcsightMemoryPressure', {
    job,
    summary: 'A process group is short of memory: host memory pressure, or its memory cgroup at its limit.',
  }),
  bottleneck('network_saturation', 'ProcsightNetworkSaturation', { job, summary: "A container's network is saturated.", severity: 'info' }),
  plain({
    alert: 'ProcsightAnomalousGroup',
    expr: `procsight_anomaly_score{job="${job}",signal="combined"} >= ${T.anomalyScore}`,
    for: T.anomalyFor,
    severity: 'info',
    summary: 'A process group behaves unlike its own history.',
    description: `{{ $labels.group }} on {{ $labels.instance }} has a combined anomaly score of {{ printf "%.2f" $value }} (${T.anomalyScore} and above: unusual for this group; 1 = most unusual).`,
    perGroup: true,
    firstSteps: [
      "Check which signals contribute, their usual values and bands: `curl -s http://<instance>/api/v1/anomalies?group=<group>` (`contributors`, then each signal's `baseline`, `z` and `band`).",
      'Compare with deploys and traffic changes at the time; the drilldown draws each signal against its band.',
    ],
  }),
  plain({
    alert: 'ProcsightMemoryAboveBand',
    expr: `procsight_group_memory_bytes{job="${job}",type="resident"} > on (instance, group) procsight_band{job="${job}",signal="memory",bound="upper"}`,
    for: T.memoryAboveBandFor,
    severity: 'info',
    summary: 'A process group uses more memory than usual for this time of day.',
    description: `{{ $labels.group }} on {{ $labels.instance }} has used {{ $value | humanize1024 }}B of memory, above its adaptive band, for ${T.memoryAboveBandFor}.`,
    perGroup: true,
    firstSteps: [
      'Open the drilldown: the memory panel draws the band the group usually stays in at this time of day.',
      'A steady climb is a leak (see `ProcsightMemoryLeak` and `procsight_bottleneck{kind="memory_leak"}`); a step is usually a deploy, a bigger cache or a changed workload.',
    ],
  }),
  plain({
    alert: 'ProcsightResourceExhaustionSoon',
    expr: `procsight_forecast_exhaustion_seconds{job="${job}",bound="mean"} < ${T.exhaustionCriticalSeconds}`,
    for: T.exhaustionCriticalFor,
    severity: 'critical',
    summary: 'A resource is forecast to run out within the hour.',
    description:
      '{{ $labels.group }} on {{ $labels.instance }}: {{ $labels.resource }} is forecast to reach its {{ $labels.limit }} limit in {{ $value | humanizeDuration }}.',
    perGroup: true,
    firstSteps: [
      "Open the Forecasts page for the group and resource; check the band and the model's accuracy (MASE).",
      'Act on the resource: restart or cap a leaking group, raise a limit, free memory.',
    ],
  }),
  plain({
    alert: 'ProcsightResourceExhaustionWithinSixHours',
    expr: `procsight_forecast_exhaustion_seconds{job="${job}",bound="mean"} < ${T.exhaustionWarningSeconds}`,
    for: T.exhaustionWarningFor,
    severity: 'warning',
    summary: 'A resource is forecast to run out within six hours.',
    description:
      '{{ $labels.group }} on {{ $labels.instance }}: {{ $labels.resource }} is forecast to reach its {{ $labels.limit }} limit in {{ $value | humanizeDuration }}.',
    perGroup: true,
    firstSteps: ['Plan the fix during working hours: the Forecasts page shows the trend and its uncertainty.'],
  }),
  plain({
    alert: 'ProcsightDeclaredGroupNotRunning',
    expr: `procsight_group_processes{job="${job}"} == 0 and on (instance, group) procsight_group_declared{job="${job}"} == 1`,
    for: T.notRunningFor,
    severity: 'warning',
    summary: 'A process group declared in the config has no running process.',
    description: '{{ $labels.group }} on {{ $labels.instance }} has had no running process for ' + T.notRunningFor + '.',
    perGroup: true,
    firstSteps: ['Check the service: `systemctl status <unit>` / `docker ps -a`, and its logs: `journalctl -u <unit> -n 100`.'],
  }),
  plain({
    alert: 'ProcsightUnfamiliarProcess',
    expr: `procsight_anomaly_score{job="${job}",signal="novelty"} >= ${T.noveltyScore}`,
    for: T.noveltyFor,
    severity: 'warning',
    summary: 'A process never seen on this host takes significant resources.',
    description: '{{ $labels.group }} appeared on {{ $labels.instance }} recently and takes significant CPU or memory (novelty {{ printf "%.2f" $value }}).',
    perGroup: true,
    firstSteps: [
      'Identify it: `pgrep -a <group>`, `ls -l /proc/<pid>/exe`, its parent (`ps -o ppid= -p <pid>`) and user.',
      'If unexpected (crypto miner, runaway script), stop it and look for how it started.',
    ],
  }),
  plain({
    alert: 'ProcsightExporterDown',
    expr: `up{job="${job}"} == 0`,
    for: T.exporterDownFor,
    severity: 'critical',
    summary: 'procsight cannot be scraped.',
    description: 'Prometheus has not scraped procsight on {{ $labels.instance }} for ' + T.exporterDownFor + '.',
    perGroup: false,
    firstSteps: ['`systemctl status procsight` (or the container), then `curl -s http://<instance>/healthz`.'],
  }),
  plain({
    alert: 'ProcsightCollectionStalled',
    expr: `time() - procsight_last_collect_timestamp_seconds{job="${job}"} > ${T.collectionStalledSeconds}`,
    for: T.collectionStalledFor,
    severity: 'warning',
    summary: 'procsight answers scrapes but no longer collects.',
    description: 'The last collection on {{ $labels.instance }} finished {{ $value | humanizeDuration }} ago.',
    perGroup: false,
    firstSteps: ['Look at the exporter log for "collection cycle failed" and at `procsight_scrape_collector_success`.'],
  }),
  plain({
    alert: 'ProcsightCollectionErrors',
    expr: `sum by (instance) (rate(procsight_collect_errors_total{job="${job}",reason=~"parse|io|host"}[5m])) > ${T.collectErrorsPerSecond}`,
    for: T.collectErrorsFor,
    severity: 'info',
    summary: 'procsight fails to read parts of /proc.',
    description: '{{ $labels.instance }} has {{ $value | humanize }} collection errors per second (parse, io or host).',
    perGroup: false,
    firstSteps: ['See which reason grows: `procsight_collect_errors_total` by reason; check `--path.procfs` and the kernel version.'],
  }),
];

/** The alerts the committed files carry (default options). */
export const ALERTS: readonly AlertRule[] = alertRules();

export interface RecordingRule {
  record: string;
  expr: string;
  why: string;
}

/** The recording rules, selecting `job`. */
export const recordingRules = ({ job }: RuleOptions = DEFAULT_RULE_OPTIONS): RecordingRule[] => [
  {
    record: 'instance_kind:procsight_bottleneck:count',
    expr: `count by (instance, kind) (procsight_bottleneck{job="${job}"} >= ${T.bottleneckSeverity})`,
    why: 'Active bottlenecks per instance and kind: for fleet-wide views across many instances and for federation to a global Prometheus, instead of every group series (the shipped dashboards and app query the raw series per instance).',
  },
  {
    record: 'kind:procsight_bottleneck:count',
    expr: 'sum by (kind) (instance_kind:procsight_bottleneck:count)',
    why: 'Active bottlenecks per kind across the fleet: one number per kind for a fleet dashboard or a federating Prometheus.',
  },
  {
    record: 'instance_group:procsight_group_cpu_seconds:rate5m',
    expr: `sum by (instance, group) (rate(procsight_group_cpu_seconds_total{job="${job}"}[5m]))`,
    why: 'Cores used per group: cheap top-N queries across many instances (ad hoc, fleet dashboards, federation); the shipped dashboards compute it from the raw counter.',
  },
  {
    record: 'instance_group:procsight_group_io_bytes:rate5m',
    expr: `sum by (instance, group) (rate(procsight_group_io_bytes_total{job="${job}"}[5m]))`,
    why: 'Disk bytes per second per group (read + write): cheap I/O rankings across many instances (fleet dashboards, federation); the shipped dashboards compute it from the raw counter.',
  },
  {
    record: 'instance:procsight_anomalous_groups:count',
    expr: `count by (instance) (procsight_anomaly_score{job="${job}",signal="combined"} >= ${T.anomalyScore})`,
    why: 'How many groups behave unusually per instance: a cheap fleet health signal for fleet dashboards and federation.',
  },
];

export const RECORDING_RULES: readonly RecordingRule[] = recordingRules();
