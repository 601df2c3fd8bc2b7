import type { ProcessExporterCli } from './process-exporter';

/**
 * Command-line flags in the Prometheus exporter family's style. Each flag can
 * also be set from the environment (PROCSIGHT_ + upper-cased, dots and dashes
 * as underscores: --web.listen-address → PROCSIGHT_WEB_LISTEN_ADDRESS).
 * docs/config.md is generated from this list.
 */
export interface FlagSpec {
  /** Long flag without the leading dashes, e.g. `web.listen-address`. */
  name: string;
  /** Key in the parsed options object. */
  key: keyof CliOptions;
  description: string;
  /** Default as a string, exactly as it would be typed. */
  default: string;
  kind: 'string' | 'duration' | 'enum' | 'url' | 'number' | 'bool';
  choices?: readonly string[];
}

export interface CliOptions {
  listenAddress: string;
  configFile: string;
  procfsPath: string;
  cgroupfsPath: string;
  collectIntervalSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
  webConfigFile: string;
  storagePath: string;
  checkpointIntervalSeconds: number;
  historyPrometheusUrl: string;
  historyInstance: string;
  telemetryPath: string;
  /** --compat.process-exporter: export process-exporter's namedprocess_namegroup_* series beside procsight's. */
  compatProcessExporter: boolean;
  /** --kubernetes.enabled: pod, namespace and container of each process from the Kubernetes API. */
  kubernetesEnabled: 'auto' | 'true' | 'false';
  /**
   * process-exporter's own flags (-config.path, -procnames, -threads …), when
   * any was given (./process-exporter.ts); they imply --compat.process-exporter.
   */
  processExporter?: ProcessExporterCli | null;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    name: 'web.listen-address',
    key: 'listenAddress',
    kind: 'string',
    default: ':9556',
    description: 'Address to listen on for /metrics, the API and the landing page (host:port; empty host = all interfaces).',
  },
  { name: 'web.telemetry-path', key: 'telemetryPath', kind: 'string', default: '/metrics', description: 'Path under which to expose metrics.' },
  {
    name: 'web.config.file',
    key: 'webConfigFile',
    kind: 'string',
    default: '',
    description: 'Path to a Prometheus exporter-toolkit web config (TLS, basic auth). Empty: plain HTTP, no auth.',
  },
  {
    name: 'config.file',
    key: 'configFile',
    kind: 'string',
    default: '',
    description:
      'Path to the YAML config (groups, limits, analysis thresholds, forecasts). Empty: embedded defaults (one group per comm). Also accepts a process-exporter config unchanged.',
  },
  { name: 'path.procfs', key: 'procfsPath', kind: 'string', default: '/proc', description: 'procfs mount point (e.g. /host/proc in a container).' },
  {
    name: 'path.cgroupfs',
    key: 'cgroupfsPath',
    kind: 'string',
    default: '/sys/fs/cgroup',
    description: 'cgroup v2 mount point, for the PSI of the cgroups that groups live in (e.g. /host/sys/fs/cgroup in a container).',
  },
  {
    name: 'collect.interval',
    key: 'collectIntervalSeconds',
    kind: 'duration',
    default: '5s',
    description: 'Sampling interval of the collector, 1s to 60s. Scrapes never trigger collection.',
  },
  {
    name: 'storage.path',
    key: 'storagePath',
    kind: 'string',
    default: '',
    description: 'Directory for checkpoints of learned baselines, models and suggestion history. Empty: nothing persisted.',
  },
  {
    name: 'storage.checkpoint-interval',
    key: 'checkpointIntervalSeconds',
    kind: 'duration',
    default: '60s',
    description: 'How often learned state is checkpointed under --storage.path (also on SIGTERM).',
  },
  {
    name: 'history.prometheus-url',
    key: 'historyPrometheusUrl',
    kind: 'url',
    default: '',
    description: "Prometheus base URL to backfill forecast history from procsight's own series at start. Empty: no backfill.",
  },
  {
    name: 'history.instance',
    key: 'historyInstance',
    kind: 'string',
    default: '',
    description:
      "Value of the instance label Prometheus gives this exporter: the backfill (--history.prometheus-url) takes only the series with it. Empty: the instance whose procsight_host_info has this host's hostname; no backfill when none or several match.",
  },
  {
    name: 'log.level',
    key: 'logLevel',
    kind: 'enum',
    choices: ['debug', 'info', 'warn', 'error'],
    default: 'info',
    description: 'Only log messages with the given severity or above.',
  },
  { name: 'log.format', key: 'logFormat', kind: 'enum', choices: ['logfmt', 'json'], default: 'logfmt', description: 'Output format of log messages.' },
  {
    name: 'compat.process-exporter',
    key: 'compatProcessExporter',
    kind: 'bool',
    default: 'false',
    description:
      "Also export process-exporter's namedprocess_namegroup_* series (its names, labels and units) with its defaults (-children, -threads, -gather-smaps on). Implied by any of process-exporter's own single-dash flags (-config.path, -procnames, -threads …), which procsight accepts with their meanings (docs/process-exporter.md).",
  },
  {
    name: 'kubernetes.enabled',
    key: 'kubernetesEnabled',
    kind: 'enum',
    choices: ['auto', 'true', 'false'],
    default: 'auto',
    description:
      'Pod, namespace and container of each process, from its cgroup and the pods of this node in the Kubernetes API (the kubernetes: section of the config). auto: on when KUBERNETES_SERVICE_HOST is set and the service-account token exists (docs/kubernetes.md).',
  },
];

/** Environment variable that can set a flag. */
export function envName(flag: string): string {
  return 'PROCSIGHT_' + flag.toUpperCase().replace(/[.-]/g, '_');
}
