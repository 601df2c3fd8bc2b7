/**
 * The vocabularies every package shares: the signals the analysis follows, the
 * bottleneck kinds, forecast resources, and the label values of public series.
 */

/** The signals the analysis layer follows per group (label value of `signal`). */
export const SIGNALS = ['cpu', 'memory', 'io_read', 'io_write', 'threads', 'fds', 'context_switches', 'cpu_wait', 'page_faults'] as const;
export type Signal = (typeof SIGNALS)[number];

export const BOTTLENECK_KINDS = [
  'cpu_saturation',
  'cpu_starvation',
  'memory_leak',
  'memory_pressure',
  'io_bound',
  'lock_contention',
  'fd_exhaustion',
  'thread_explosion',
  'network_saturation',
] as const;
export type BottleneckKind = (typeof BOTTLENECK_KINDS)[number];

/** Resources a group can wait for because of another (`procsight_contention{resource}`): run-queue wait, storage, memory (major faults). */
export const CONTENTION_RESOURCES = ['cpu', 'io', 'memory'] as const;
export type ContentionResource = (typeof CONTENTION_RESOURCES)[number];

/** The bottleneck kind whose wait each contention resource explains. */
export const CONTENTION_KIND: Readonly<Record<ContentionResource, BottleneckKind>> = { cpu: 'cpu_starvation', io: 'io_bound', memory: 'memory_pressure' };

/** Resources forecast per group (`_host` for host resources). */
export const FORECAST_RESOURCES = ['cpu', 'memory', 'fds', 'io', 'memory_available'] as const;
export type ForecastResource = (typeof FORECAST_RESOURCES)[number];

/** Process state letter from /proc/<pid>/stat, mapped to a stable label value (`procsight_group_states{state}`). */
export const PROC_STATES = ['running', 'sleeping', 'disk_sleep', 'zombie', 'stopped', 'idle', 'other'] as const;
export type ProcState = (typeof PROC_STATES)[number];

/**
 * Why a read failed (`procsight_collect_errors_total{reason}`, docs/architecture.md "Errors"):
 * - vanished: process exited between listing and reading: normal churn
 * - permission: the exporter lacks privileges (not root / no CAP_SYS_PTRACE
 *   and CAP_DAC_READ_SEARCH): partial data, fixed by running it privileged
 * - protected: the exporter has those privileges and the kernel still refuses
 *   (ptrace access check: a process shielded by a security module or holding
 *   capabilities outside the exporter's bounding set): partial data, expected
 * - parse: unexpected file content: sample dropped or field null
 * - io: other read error
 * - host: host-level file failed
 */
export const COLLECT_ERROR_REASONS = ['vanished', 'permission', 'protected', 'parse', 'io', 'host'] as const;
export type CollectErrorReason = (typeof COLLECT_ERROR_REASONS)[number];

/** Why --web.config.file refused a request or connection (`procsight_auth_failures_total{reason}`). */
export const AUTH_FAILURE_REASONS = ['no_credentials', 'bad_credentials', 'rate_limited', 'client_cert'] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** What an operator says about a suggested action (POST /api/v1/feedback `verdict`). */
export const FEEDBACK_VERDICTS = ['helpful', 'not_helpful', 'applied'] as const;
export type FeedbackVerdict = (typeof FEEDBACK_VERDICTS)[number];

/**
 * Measured outcome of an applied action (`procsight_suggestion_outcomes_total{outcome}`):
 * resolved = the bottleneck cleared within 30 minutes, persisted = still active after them.
 */
export const SUGGESTION_OUTCOMES = ['resolved', 'persisted'] as const;
export type SuggestionOutcome = (typeof SUGGESTION_OUTCOMES)[number];

/** `remediation.mode`: off (default), dry-run (records what it would do), approve (acts after approval), auto. */
export const REMEDIATION_MODES = ['off', 'dry-run', 'approve', 'auto'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

/** What a remediation rule may do (`procsight_remediation_actions_total{action}`). */
export const REMEDIATION_ACTIONS = ['renice', 'ionice', 'cpu_limit', 'memory_limit', 'restart', 'signal', 'run'] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];

/** Status of a remediation action (`GET /api/v1/actions`, `procsight_remediation_actions_total{status}`). */
export const REMEDIATION_STATUSES = ['pending', 'dry_run', 'done', 'failed', 'refused', 'rolled_back'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];
