/**
 * Metric names: the public contract. Every series procsight exports is named
 * here once; docs/metrics.md is generated from the registry and a test fails
 * when it drifts. Base units, `_total` for counters, variants as labels.
 */
export const PREFIX = 'procsight_';

// --- per group (collection) -------------------------------------------------
export const GROUP_PROCESSES = 'procsight_group_processes';
export const GROUP_DECLARED = 'procsight_group_declared'; // {group} = 1 for groups declared in config
export const GROUP_CPU_SECONDS_TOTAL = 'procsight_group_cpu_seconds_total'; // {mode="user|system"}
export const GROUP_MEMORY_BYTES = 'procsight_group_memory_bytes'; // {type="resident|virtual|swap"}
export const GROUP_IO_BYTES_TOTAL = 'procsight_group_io_bytes_total'; // {direction="read|write"}
export const GROUP_THREADS = 'procsight_group_threads';
export const GROUP_OPEN_FDS = 'procsight_group_open_fds';
export const GROUP_FD_LIMIT_RATIO = 'procsight_group_fd_limit_ratio';
export const GROUP_CONTEXT_SWITCHES_TOTAL = 'procsight_group_context_switches_total'; // {type="voluntary|nonvoluntary"}
export const GROUP_CPU_WAIT_SECONDS_TOTAL = 'procsight_group_cpu_wait_seconds_total';
export const GROUP_MAJOR_PAGE_FAULTS_TOTAL = 'procsight_group_major_page_faults_total';
export const GROUP_MINOR_PAGE_FAULTS_TOTAL = 'procsight_group_minor_page_faults_total';
export const GROUP_BLKIO_DELAY_SECONDS_TOTAL = 'procsight_group_blkio_delay_seconds_total';
export const GROUP_STATES = 'procsight_group_states'; // {state}
export const GROUP_NETWORK_BYTES_TOTAL = 'procsight_group_network_bytes_total'; // {direction="receive|transmit"}, containers only
export const PROCESS_CPU_SECONDS_TOTAL = 'procsight_process_cpu_seconds_total'; // {group,pid} opt-in
export const PROCESS_RESIDENT_MEMORY_BYTES = 'procsight_process_resident_memory_bytes'; // {group,pid} opt-in
export const PROCESS_OPEN_FDS = 'procsight_process_open_fds'; // {group,pid} opt-in
export const GROUP_KUBERNETES_INFO = 'procsight_group_kubernetes_info'; // {group, namespace, pod, container} = 1, --kubernetes.enabled only

// --- host context -------------------------------------------------------------
export const HOST_PRESSURE_STALLED_SECONDS_TOTAL = 'procsight_host_pressure_stalled_seconds_total'; // {resource="cpu|memory|io", type="some|full"}
export const HOST_CPU_SECONDS_TOTAL = 'procsight_host_cpu_seconds_total'; // {mode}
export const HOST_PROCS_RUNNING = 'procsight_host_procs_running';
export const HOST_PROCS_BLOCKED = 'procsight_host_procs_blocked';
export const HOST_LOAD = 'procsight_host_load'; // {window="1m|5m|15m"}
export const HOST_MEMORY_BYTES = 'procsight_host_memory_bytes'; // {type="total|available|swap_total|swap_free"}
export const HOST_CPUS = 'procsight_host_cpus';
export const HOST_INFO = 'procsight_host_info'; // {cpu_model, cores, os, kernel, hostname}
export const CGROUP_PRESSURE_STALLED_SECONDS_TOTAL = 'procsight_cgroup_pressure_stalled_seconds_total'; // {cgroup, resource, type}

// --- analysis -----------------------------------------------------------------
export const ANOMALY_SCORE = 'procsight_anomaly_score'; // {group, signal} signal ∈ Signal ∪ {combined, novelty}
export const BAND = 'procsight_band'; // {group, signal, bound="lower|upper"} signal ∈ BAND_SIGNALS, in the signal's unit
export const GROUP_SEASONALITY = 'procsight_group_seasonality'; // {group, period="daily|weekly"} = strength [0,1]
export const BOTTLENECK = 'procsight_bottleneck'; // {group, kind} = severity [0,1]
export const BOTTLENECK_CONFIDENCE = 'procsight_bottleneck_confidence'; // {group, kind}
export const BOTTLENECK_EVIDENCE = 'procsight_bottleneck_evidence'; // {group, kind, feature, unit} = the feature's value, active bottlenecks only
export const BOTTLENECK_EVIDENCE_THRESHOLD = 'procsight_bottleneck_evidence_threshold'; // {group, kind, feature, unit}
export const BOTTLENECK_EVIDENCE_BASELINE = 'procsight_bottleneck_evidence_baseline'; // {group, kind, feature, unit}, absent until learned
export const SUGGESTION = 'procsight_suggestion'; // {group, kind, action} = rank score
export const PROFILE_CLUSTER = 'procsight_profile_cluster'; // {group} = cluster id
export const PROFILE_USUAL_CLUSTER = 'procsight_profile_usual_cluster'; // {group} = the cluster it usually belongs to
export const PROFILE_COORDINATE = 'procsight_profile_coordinate'; // {group, axis="x|y"} = position on the 2-D behaviour map
export const CONTENTION = 'procsight_contention'; // {group, culprit, resource="cpu|io|memory"} = share of the group's wait the culprit explains

export const SUGGESTION_OUTCOMES_TOTAL = 'procsight_suggestion_outcomes_total'; // {kind, action, outcome="resolved|persisted"}
export const SUGGESTION_OUTCOME_SEVERITY_FALL = 'procsight_suggestion_outcome_severity_fall'; // {kind, action} mean fall of severity after "applied"

// --- remediation ----------------------------------------------------------------
export const REMEDIATION_ACTIONS_TOTAL = 'procsight_remediation_actions_total'; // {action, status}
export const REMEDIATION_PENDING_ACTIONS = 'procsight_remediation_pending_actions';

// --- forecasts ----------------------------------------------------------------
export const FORECAST = 'procsight_forecast'; // {group, resource, horizon, bound="mean|lower|upper"}
export const FORECAST_EXHAUSTION_SECONDS = 'procsight_forecast_exhaustion_seconds'; // {group, resource, limit, bound="mean|earliest"}
export const FORECAST_MASE = 'procsight_forecast_mase'; // {group, resource, horizon}
export const FORECAST_INTERVAL_COVERAGE_RATIO = 'procsight_forecast_interval_coverage_ratio'; // {group, resource, horizon}
export const FORECAST_MODEL_INFO = 'procsight_forecast_model_info'; // {group, resource, model}
export const FORECAST_FIT_DURATION_SECONDS = 'procsight_forecast_fit_duration_seconds'; // histogram
export const FORECAST_FITS_FAILED_TOTAL = 'procsight_forecast_fits_failed_total'; // {reason}
export const FORECAST_WORKER_RESTARTS_TOTAL = 'procsight_forecast_worker_restarts_total';
export const FORECAST_BACKFILL_REFUSED_TOTAL = 'procsight_forecast_backfill_refused_total'; // {reason="no_instance|ambiguous_instance"}

// --- self ---------------------------------------------------------------------
export const BUILD_INFO = 'procsight_build_info'; // {version, revision, build_date, node_version, platform}
export const COLLECT_DURATION_SECONDS = 'procsight_collect_duration_seconds'; // histogram
export const LAST_COLLECT_DURATION_SECONDS = 'procsight_last_collect_duration_seconds';
export const LAST_COLLECT_TIMESTAMP_SECONDS = 'procsight_last_collect_timestamp_seconds';
export const COLLECT_ERRORS_TOTAL = 'procsight_collect_errors_total'; // {reason}
export const COLLECT_PROCESSES_TOTAL = 'procsight_collect_processes_total';
export const COLLECTOR_DURATION_SECONDS = 'procsight_scrape_collector_duration_seconds'; // {collector}
export const COLLECTOR_SUCCESS = 'procsight_scrape_collector_success'; // {collector}
export const GROUPS_TRACKED = 'procsight_groups_tracked';
export const GROUPS_OVERFLOWED = 'procsight_groups_overflowed'; // groups folded into group="other"
export const PIDS_TRACKED = 'procsight_pids_tracked';
export const ANALYSIS_DURATION_SECONDS = 'procsight_analysis_duration_seconds';
export const ANALYSIS_ERRORS_TOTAL = 'procsight_analysis_errors_total'; // {stage}
export const API_ERRORS_TOTAL = 'procsight_api_errors_total'; // {reason}
export const CHECKPOINT_ERRORS_TOTAL = 'procsight_checkpoint_errors_total'; // {op}
export const HTTP_FRONT_RESTARTS_TOTAL = 'procsight_http_front_restarts_total';
export const AUTH_FAILURES_TOTAL = 'procsight_auth_failures_total'; // {reason="no_credentials|bad_credentials|rate_limited|client_cert"}
export const KUBERNETES_ERRORS_TOTAL = 'procsight_kubernetes_errors_total'; // {reason="list|watch|decode"}
export const KUBERNETES_PODS = 'procsight_kubernetes_pods'; // pods of this node in the cache

// --- the exporter's own process: the names every exporter uses (client_golang's process collector, prom-client) ---
// Not procsight_process_* (per watched pid, above): these describe procsight itself.
export const SELF_PROCESS_NAMES = {
  cpuSecondsTotal: 'process_cpu_seconds_total',
  residentMemoryBytes: 'process_resident_memory_bytes',
  virtualMemoryBytes: 'process_virtual_memory_bytes',
  openFds: 'process_open_fds',
  maxFds: 'process_max_fds',
  startTimeSeconds: 'process_start_time_seconds',
} as const;

// --- process-exporter's series (--compat.process-exporter or its flags): its names, labels and units exactly ---
// Not procsight_-prefixed on purpose: dashboards and alerts written for process-exporter keep working.
export const PROCESS_EXPORTER_NAMES = {
  numProcs: 'namedprocess_namegroup_num_procs', // {groupname}
  cpuSecondsTotal: 'namedprocess_namegroup_cpu_seconds_total', // {groupname, mode="user|system"}
  readBytesTotal: 'namedprocess_namegroup_read_bytes_total',
  writeBytesTotal: 'namedprocess_namegroup_write_bytes_total',
  majorPageFaultsTotal: 'namedprocess_namegroup_major_page_faults_total',
  minorPageFaultsTotal: 'namedprocess_namegroup_minor_page_faults_total',
  contextSwitchesTotal: 'namedprocess_namegroup_context_switches_total', // {ctxswitchtype="voluntary|nonvoluntary"}
  memoryBytes: 'namedprocess_namegroup_memory_bytes', // {memtype="resident|virtual|swapped|proportionalResident|proportionalSwapped"}
  openFiledesc: 'namedprocess_namegroup_open_filedesc',
  worstFdRatio: 'namedprocess_namegroup_worst_fd_ratio',
  oldestStartTimeSeconds: 'namedprocess_namegroup_oldest_start_time_seconds',
  numThreads: 'namedprocess_namegroup_num_threads',
  states: 'namedprocess_namegroup_states', // {state="Running|Sleeping|Waiting|Zombie|Other"}
  threadCount: 'namedprocess_namegroup_thread_count', // {groupname, threadname}
  threadCpuSecondsTotal: 'namedprocess_namegroup_thread_cpu_seconds_total', // {groupname, threadname, mode}
  threadIoBytesTotal: 'namedprocess_namegroup_thread_io_bytes_total', // {groupname, threadname, iomode="read|write"}
  threadMajorPageFaultsTotal: 'namedprocess_namegroup_thread_major_page_faults_total',
  threadMinorPageFaultsTotal: 'namedprocess_namegroup_thread_minor_page_faults_total',
  threadContextSwitchesTotal: 'namedprocess_namegroup_thread_context_switches_total', // {groupname, threadname, ctxswitchtype}
  scrapeErrors: 'namedprocess_scrape_errors',
  scrapeProcreadErrors: 'namedprocess_scrape_procread_errors',
  scrapePartialErrors: 'namedprocess_scrape_partial_errors',
} as const;

/** Name of the overflow group that sums groups beyond `limits.max_groups`. */
export const OVERFLOW_GROUP = 'other';
/** Pseudo-group used for host-level forecasts and anomalies. */
export const HOST_GROUP = '_host';
