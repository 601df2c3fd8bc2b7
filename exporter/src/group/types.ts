/**
 * What the group layer produces: per-group sums over live processes, totals
 * that never go down, and rates over the last interval. Base units throughout.
 */
import type { ProcState } from '@procsight/contract';
import type { ControllerCgroups } from '../read/types';
import type { ThreadCounters } from '../track/tracker';

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
  /** Distinct cgroups of the group's processes per resource controller (bounded as `cgroups`). */
  controllerCgroups: Record<keyof ControllerCgroups, string[]>;
  /** Where its CPU time and run-queue wait went over the last interval, CPU by CPU (null on the first sample; group/placement.ts). */
  placement: GroupPlacement | null;
  /** Processes seen for the first time in this collection (all of them: the group restarted, or it is the first collection); absent: unknown. */
  newProcesses?: number;
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
  /** Distinct Kubernetes pods and containers of the group's processes (from their cgroups; bounded); absent when none. */
  pods?: Array<{ podUid: string; containerId: string }>;
  /** process-exporter's figures, only while its series are exported (GrouperOptions.processExporter). */
  processExporter?: ProcessExporterGroup;
}

/** process-exporter's states: R, S, D, Z and everything else. */
export const PE_STATES = ['Running', 'Sleeping', 'Waiting', 'Zombie', 'Other'] as const;
export type PeState = (typeof PE_STATES)[number];

/** What process-exporter reports per group beyond procsight's own sums. */
export interface ProcessExporterGroup {
  /**
   * As process-exporter counts them: each process's own state, plus each of
   * its threads' when it has more than one (the main thread is then counted
   * twice, as there).
   */
  states: Record<PeState, number>;
  /** Sums of smaps_rollup Pss and SwapPss (0 when not read). */
  pssBytes: number;
  swapPssBytes: number;
  /** Start of the oldest live process (Unix seconds); null with no process. */
  oldestStartTimeSeconds: number | null;
  /** Per thread name, over the group's multi-threaded processes (thread detail only): threads and totals while the name lasts. */
  threads: Array<{ name: string; count: number; counters: ThreadCounters }>;
}

/** Nullable per-process fields whose group series are skipped when no process provided them. */
export const MISSABLE_FIELDS = [
  'swapBytes',
  'readBytes',
  'writeBytes',
  'voluntaryCtxSwitches',
  'nonvoluntaryCtxSwitches',
  'cpuWaitSeconds',
  'openFds',
] as const;
export type MissableField = (typeof MISSABLE_FIELDS)[number];

/** A group's CPU use and run-queue wait per CPU over an interval, and the CPUs it may run on. */
interface GroupPlacement {
  /** Cores used on each CPU (CPU-seconds per second) by processes placed on one CPU, indexed by CPU number. */
  coresByCpu: number[];
  /** Run-queue wait on each CPU (seconds per second), placed as the CPU time is. */
  waitByCpu: number[];
  /** Cores and wait of multi-threaded processes, per set of CPUs they may run on: to be spread over those CPUs. Time of processes that cannot be placed at all is left out. */
  spread: Array<{ cpus: readonly number[]; cores: number; wait: number }>;
  /** The union of its processes' allowed CPUs (sorted; empty when none is known). */
  cpus: number[];
}

export interface PidDetail {
  pid: number;
  cpuSecondsTotal: number;
  rssBytes: number;
  openFds: number;
  threads: number;
}
