import { GROUP_CPU_SECONDS_TOTAL, GROUP_IO_BYTES_TOTAL, GROUP_MEMORY_BYTES, GROUP_OPEN_FDS, GROUP_THREADS } from '@procsight/contract';
import { sel, type Scope } from '../http/promql';
import { RATE_WINDOW } from '../report/model';

/**
 * Alert tuning: each group's level of each signal in normal operation (a
 * percentile over the history, outside the group's bottleneck periods), and
 * three levels above it: P3 (info), P2 (warning), P1 (critical).
 */
export type Signal = 'cpu' | 'memory' | 'fds' | 'threads' | 'io';
export type Priority = 'P1' | 'P2' | 'P3';

export const PRIORITY_SEVERITY: Record<Priority, 'critical' | 'warning' | 'info'> = { P1: 'critical', P2: 'warning', P3: 'info' };

export const TUNE_RULES = {
  /** The level of normal operation. */
  percentile: 0.99,
  /** Each priority's threshold: the normal level times this margin, and how long it must hold. */
  levels: [
    { priority: 'P3', margin: 1.2, for: '15m' },
    { priority: 'P2', margin: 1.5, for: '10m' },
    { priority: 'P1', margin: 2, for: '5m' },
  ] as ReadonlyArray<{ priority: Priority; margin: number; for: string }>,
  /** Subquery resolution over the history. */
  resolution: '5m',
  /** Least samples (at the resolution) for a group's signal to be tuned: one day. */
  minSamples: 288,
} as const;

export interface SignalSpec {
  title: string;
  unit: 'cores' | 'bytes' | 'count' | 'bytes/s';
  /** Below this normal level the signal is too quiet to alert on: no rule. */
  floor: number;
  /** Per instance and group, as PromQL; `only` adds matchers (one instance and group in a rule). */
  expr: (scope: Scope, only?: string) => string;
  /** The physical ceiling per instance, if any (thresholds at or above it are dropped). */
  ceiling?: 'host_cpus' | 'host_memory';
  alert: string;
}

export const SIGNALS: Record<Signal, SignalSpec> = {
  cpu: {
    title: 'CPU',
    unit: 'cores',
    floor: 0.05,
    expr: (s, only) => `sum by (instance, group) (rate(${sel(GROUP_CPU_SECONDS_TOTAL, s, only)}[${RATE_WINDOW}]))`,
    ceiling: 'host_cpus',
    alert: 'ProcsightTunedCpuHigh',
  },
  memory: {
    title: 'resident memory',
    unit: 'bytes',
    floor: 64 * 1024 * 1024,
    expr: (s, only) => `sum by (instance, group) (${sel(GROUP_MEMORY_BYTES, s, ['type="resident"', only].filter(Boolean).join(','))})`,
    ceiling: 'host_memory',
    alert: 'ProcsightTunedMemoryHigh',
  },
  fds: {
    title: 'open file descriptors',
    unit: 'count',
    floor: 64,
    expr: (s, only) => `sum by (instance, group) (${sel(GROUP_OPEN_FDS, s, only)})`,
    alert: 'ProcsightTunedOpenFdsHigh',
  },
  threads: {
    title: 'threads',
    unit: 'count',
    floor: 16,
    expr: (s, only) => `sum by (instance, group) (${sel(GROUP_THREADS, s, only)})`,
    alert: 'ProcsightTunedThreadsHigh',
  },
  io: {
    title: 'disk I/O',
    unit: 'bytes/s',
    floor: 1024 * 1024,
    expr: (s, only) => `sum by (instance, group) (rate(${sel(GROUP_IO_BYTES_TOTAL, s, only)}[${RATE_WINDOW}]))`,
    alert: 'ProcsightTunedDiskIoHigh',
  },
};

interface TunedLevel {
  priority: Priority;
  severity: 'critical' | 'warning' | 'info';
  threshold: number;
  for: string;
}

export interface TunedSignal {
  instance: string;
  group: string;
  signal: Signal;
  unit: SignalSpec['unit'];
  samples: number;
  p50: number | null;
  p99: number;
  max: number | null;
  levels: TunedLevel[];
  /** Why no rule was written (too quiet, too little history), else null. */
  skipped: string | null;
}

export interface TuneResult {
  start: string;
  end: string;
  days: number;
  prometheus: string;
  job: string;
  percentile: number;
  output: string | null;
  /** Recording rules holding thresholds, and alerting rules, in the file. */
  rules: { thresholds: number; alerts: number };
  signals: TunedSignal[];
}
