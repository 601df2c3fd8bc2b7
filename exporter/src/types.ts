/**
 * Shared types for every layer: read → track → group → analyse → expose.
 * Layers import from here, never from each other's internals, so each layer
 * can be fed synthetic input in tests.
 *
 * Units are base units throughout: seconds, bytes, counts. Counters are
 * cumulative totals since the exporter started (or since the process started,
 * for per-process raw values); rates are per second.
 */

/** Process state letter from /proc/<pid>/stat, mapped to a stable label value. */
export type ProcState =
  | 'running'
  | 'sleeping'
  | 'disk_sleep'
  | 'zombie'
  | 'stopped'
  | 'idle'
  | 'other';

export const PROC_STATES: readonly ProcState[] = [
  'running',
  'sleeping',
  'disk_sleep',
  'zombie',
  'stopped',
  'idle',
  'other',
];

/**
 * Identity of a process, read once when a new (pid, startTime) is seen.
 * `cmdline` is kept in memory for matching only: it is never exported as a
 * label (it may hold secrets) and is redacted wherever the API shows it.
 */
export interface ProcIdentity {
  pid: number;
  /** Start time in clock ticks since boot (field 22 of stat): with pid, the process key. */
  startTicks: number;
  ppid: number;
  comm: string;
  /** Full path of the executable (readlink exe); '' when unreadable (kernel threads, other users). */
  exe: string;
  /** argv joined by single spaces; '' for kernel threads or when unreadable. */
  cmdline: string;
  /** argv as read (NUL-separated in procfs). */
  argv: string[];
  /** cgroup v2 path (the `0::` line), '' when none. */
  cgroup: string;
  /** Container id (64-hex docker/containerd/cri-o id found in the cgroup path), '' when none. */
  containerId: string;
  /** systemd unit (e.g. `nginx.service`) found in the cgroup path, '' when none. */
  systemdUnit: string;
  uid: number;
  username: string;
  /** Network namespace inode (readlink ns/net), 0 when unreadable. */
  netNs: number;
  /** Soft open-files limit from /proc/<pid>/limits; null when unreadable or unlimited. */
  fdLimit: number | null;
  kernelThread: boolean;
}

/**
 * One sample of one process: raw cumulative values as the kernel reports them.
 * Fields that could not be read (permissions, missing kernel feature) are null:
 * partial data, never a guess.
 */
export interface ProcSample {
  pid: number;
  startTicks: number;
  state: ProcState;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  minorFaults: number;
  majorFaults: number;
  threads: number;
  /** delayacct_blkio_ticks in seconds (time waiting for block I/O). */
  blkioDelaySeconds: number;
  rssBytes: number | null;
  vmsBytes: number | null;
  swapBytes: number | null;
  readBytes: number | null;
  writeBytes: number | null;
  /** Summed over all threads (task/*), see docs/architecture.md. */
  voluntaryCtxSwitches: number | null;
  nonvoluntaryCtxSwitches: number | null;
  /** schedstat run-queue wait, summed over all threads. */
  cpuWaitSeconds: number | null;
  /** schedstat timeslices (times scheduled), summed over all threads: tells whether anything ran. */
  timeslices: number | null;
  openFds: number | null;
}

/** Why --web.config.file refused a request or connection (procsight_auth_failures_total{reason}). */
export const AUTH_FAILURE_REASONS = ['no_credentials', 'bad_credentials', 'rate_limited', 'client_cert'] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/**
 * Per-collection counters of what went wrong while reading
 * (procsight_collect_errors_total{reason}, docs/architecture.md "Errors"):
 * - vanished: process exited between listing and reading: normal churn
 * - permission: the exporter lacks privileges (not root / no CAP_SYS_PTRACE
 *   and CAP_DAC_READ_SEARCH): partial data, fixed by running it privileged
 * - protected: the exporter has those privileges and the kernel still refuses
 *   (ptrace access check: a process shielded by a security module or holding
 *   capabilities outside the exporter's bounding set, e.g. a VM/sandbox init
 *   agent): partial data for that process, expected, not fixable by the exporter
 * - parse: unexpected file content: sample dropped or field null
 * - io: other read error
 * - host: host-level file failed
 */
export const COLLECT_ERROR_REASONS = ['vanished', 'permission', 'protected', 'parse', 'io', 'host'] as const;
export type CollectErrorReason = (typeof COLLECT_ERROR_REASONS)[number];

/** A field a process's sample lacks because reading it was refused (for a one-time warning). */
export interface MissingField {
  pid: number;
  /** The file's name in the process directory, e.g. `io` or `fd`. */
  field: string;
  /** Its full path, e.g. `/proc/1/io`. */
  file: string;
  reason: 'permission' | 'protected';
}

export interface ReadStats {
  processesListed: number;
  processesRead: number;
  errors: Partial<Record<CollectErrorReason, number>>;
}

/** Monotonic per-group totals. Never go down, even when processes exit. */
export interface GroupCounters {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  readBytes: number;
  writeBytes: number;
  voluntaryCtxSwitches: number;
  nonvoluntaryCtxSwitches: number;
  cpuWaitSeconds: number;
  /** Times the group's threads were scheduled (schedstat): wait per timeslice tells queueing from wake-up churn. */
  timeslices: number;
  majorFaults: number;
  minorFaults: number;
  blkioDelaySeconds: number;
  /** Attributed from non-host network namespaces only (containers); 0 otherwise. */
  netReceiveBytes: number;
  netTransmitBytes: number;
}

/** Current values summed over a group's live processes. */
export interface GroupGauges {
  rssBytes: number;
  vmsBytes: number;
  swapBytes: number;
  threads: number;
  openFds: number;
  /** Worst (highest) open fds / soft limit among the group's processes; 0 when unknown. */
  fdLimitRatio: number;
  /** Smallest soft open-files limit of a process in the group (null when unknown). */
  fdLimitMin: number | null;
  /**
   * Seconds until the fastest-filling process reaches its open-files limit
   * at its own fd trend (null: no process with a known limit has a rising trend).
   */
  fdTimeToLimitSeconds: number | null;
}

/** Per-second rates over the last collection interval (null on the first sample). */
export interface GroupRates {
  cpuCores: number;
  cpuUserCores: number;
  cpuSystemCores: number;
  readBytesPerSecond: number;
  writeBytesPerSecond: number;
  voluntaryCtxSwitchesPerSecond: number;
  nonvoluntaryCtxSwitchesPerSecond: number;
  /** Run-queue wait seconds per second (≈ threads waiting for a CPU). */
  cpuWaitRatio: number;
  timeslicesPerSecond: number;
  majorFaultsPerSecond: number;
  minorFaultsPerSecond: number;
  blkioDelayRatio: number;
  netReceiveBytesPerSecond: number;
  netTransmitBytesPerSecond: number;
}

export interface GroupSnapshot {
  name: string;
  processes: number;
  counters: GroupCounters;
  gauges: GroupGauges;
  rates: GroupRates | null;
  states: Record<ProcState, number>;
  /** Distinct cgroup v2 paths of the group's processes (bounded). */
  cgroups: string[];
  /** Unix ms when the group was first seen by this exporter. */
  firstSeenMs: number;
  /** True when the group is declared in config (exists at 0 before its processes start). */
  declared: boolean;
  /** True for the overflow group that sums groups beyond the cardinality cap. */
  overflow: boolean;
  /** Optional per-pid detail, only for groups configured for it (capped). */
  pids?: PidDetail[];
  /**
   * Per-process fields that none of the group's processes has ever provided (null in every
   * sample: the non-Linux fallback, or files unreadable without privileges). Their series are
   * left out rather than exported as 0. Absent or empty for a group that has not had a process yet.
   */
  unavailable?: readonly MissableField[];
}

/** Nullable per-process fields whose group series are skipped when no process provided them. */
export const MISSABLE_FIELDS = ['swapBytes', 'readBytes', 'writeBytes', 'voluntaryCtxSwitches', 'nonvoluntaryCtxSwitches', 'cpuWaitSeconds', 'openFds'] as const;
export type MissableField = (typeof MISSABLE_FIELDS)[number];

export interface PidDetail {
  pid: number;
  cpuSecondsTotal: number;
  rssBytes: number;
  openFds: number;
  threads: number;
}

/** Pressure stall information: cumulative stall seconds. */
export interface Pressure {
  someSeconds: number;
  /** null for cpu on kernels that do not report `full` for cpu. */
  fullSeconds: number | null;
}

export interface HostSnapshot {
  /** null where the kernel has no PSI (CONFIG_PSI off): a "no data" case, not an error. */
  pressure: { cpu: Pressure | null; memory: Pressure | null; io: Pressure | null };
  cpuSecondsTotal: {
    user: number;
    nice: number;
    system: number;
    idle: number;
    iowait: number;
    irq: number;
    softirq: number;
    steal: number;
  };
  procsRunning: number;
  procsBlocked: number;
  load1: number;
  load5: number;
  load15: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  cpus: number;
  /** Per cgroup v2 path: that cgroup's PSI (only cgroups that a group's processes live in). */
  cgroupPressure: Record<string, { cpu: Pressure | null; memory: Pressure | null; io: Pressure | null }>;
  /** Derived rates over the last interval (null on first sample). */
  rates: {
    cpuBusyRatio: number;
    iowaitRatio: number;
    pressureCpuSomeRatio: number | null;
    pressureMemorySomeRatio: number | null;
    pressureMemoryFullRatio: number | null;
    pressureIoSomeRatio: number | null;
    pressureIoFullRatio: number | null;
  } | null;
}

export interface HostInfo {
  cpuModel: string;
  cores: number;
  memoryTotalBytes: number;
  os: string;
  kernel: string;
  hostname: string;
}

/** What one collection cycle produces; the only input of the analysis layer. */
export interface CollectionSnapshot {
  timestampMs: number;
  intervalSeconds: number;
  groups: GroupSnapshot[];
  host: HostSnapshot;
  read: ReadStats;
  collectDurationSeconds: number;
  groupsOverflowed: number;
  trackedPids: number;
}

/** The signals the analysis layer follows per group (label value of `signal`). */
export type Signal =
  | 'cpu'
  | 'memory'
  | 'io_read'
  | 'io_write'
  | 'threads'
  | 'fds'
  | 'context_switches'
  | 'cpu_wait'
  | 'page_faults';

export const SIGNALS: readonly Signal[] = [
  'cpu',
  'memory',
  'io_read',
  'io_write',
  'threads',
  'fds',
  'context_switches',
  'cpu_wait',
  'page_faults',
];

/** Value of one signal for a group snapshot (null when not available yet). */
export function signalValue(g: GroupSnapshot, s: Signal): number | null {
  switch (s) {
    case 'cpu':
      return g.rates ? g.rates.cpuCores : null;
    case 'memory':
      return g.gauges.rssBytes;
    case 'io_read':
      return g.rates ? g.rates.readBytesPerSecond : null;
    case 'io_write':
      return g.rates ? g.rates.writeBytesPerSecond : null;
    case 'threads':
      return g.gauges.threads;
    case 'fds':
      return g.gauges.openFds;
    case 'context_switches':
      return g.rates ? g.rates.voluntaryCtxSwitchesPerSecond + g.rates.nonvoluntaryCtxSwitchesPerSecond : null;
    case 'cpu_wait':
      return g.rates ? g.rates.cpuWaitRatio : null;
    case 'page_faults':
      return g.rates ? g.rates.majorFaultsPerSecond : null;
  }
}

export type BottleneckKind =
  | 'cpu_saturation'
  | 'cpu_starvation'
  | 'memory_leak'
  | 'memory_pressure'
  | 'io_bound'
  | 'lock_contention'
  | 'fd_exhaustion'
  | 'thread_explosion'
  | 'network_saturation';

export const BOTTLENECK_KINDS: readonly BottleneckKind[] = [
  'cpu_saturation',
  'cpu_starvation',
  'memory_leak',
  'memory_pressure',
  'io_bound',
  'lock_contention',
  'fd_exhaustion',
  'thread_explosion',
  'network_saturation',
];

/** One piece of evidence a person can read: feature, value, baseline, threshold. */
export interface Evidence {
  feature: string;
  value: number;
  baseline: number | null;
  threshold: number;
  unit: string;
  /** One sentence, e.g. "RSS grows 4.1 MB/min (R² 0.98) over 12 min". */
  text: string;
}

export interface Suggestion {
  action: string;
  kind: BottleneckKind;
  title: string;
  rationale: string;
  steps: string[];
  expectedEffect: string;
  risk: string;
  score: number;
}

export interface Bottleneck {
  group: string;
  kind: BottleneckKind;
  severity: number;
  confidence: number;
  /** Unix ms when the label became active (after hysteresis). */
  sinceMs: number;
  evidence: Evidence[];
  suggestions: Suggestion[];
}

export interface AnomalyScore {
  group: string;
  /** A Signal, or 'combined' (multivariate) or 'novelty' (unfamiliar process). */
  signal: Signal | 'combined' | 'novelty';
  score: number;
  /** For 'combined': top contributing signals, most first. */
  contributors?: Array<{ signal: Signal; share: number }>;
}

export interface ProfilePoint {
  group: string;
  cluster: number;
  x: number;
  y: number;
  /** True when the group left the cluster it usually belongs to. */
  leftUsualCluster: boolean;
}

/** One `procsight_suggestion` series: an action for an active bottleneck, with its rank score. */
export interface SuggestionSeries {
  group: string;
  kind: BottleneckKind;
  action: string;
  score: number;
}

export interface AnalysisResult {
  timestampMs: number;
  anomalies: AnomalyScore[];
  bottlenecks: Bottleneck[];
  /** The exported suggestions: per group its top-ranked actions across all its active bottlenecks, at most `bottlenecks.max_suggestions_per_group`. */
  suggestionSeries: SuggestionSeries[];
  profiles: { clusters: Array<{ id: number; centroid: Record<string, number>; size: number }>; points: ProfilePoint[] };
}

export type ForecastResource = 'cpu' | 'memory' | 'fds' | 'io' | 'memory_available';

export interface ForecastPoint {
  timestampMs: number;
  mean: number;
  lower: number;
  upper: number;
}

export interface Forecast {
  /** Group name, or '_host' for host resources. */
  group: string;
  resource: ForecastResource;
  model: string;
  fittedAtMs: number;
  level: number;
  /** horizon label (e.g. '15m') → point at that horizon. */
  horizons: Record<string, ForecastPoint>;
  /** Full path, for the API and the plugin. */
  path: ForecastPoint[];
  /**
   * Seconds until the mean path (`seconds`) and the pessimistic bound
   * (`earliestSeconds`) cross the limit within the path; null when that one
   * does not. Listed when at least one of them crosses.
   */
  exhaustion: Array<{ limit: string; limitValue: number; seconds: number | null; earliestSeconds: number | null }>;
  accuracy: Record<string, { mase: number | null; coverage: number | null }>;
}
