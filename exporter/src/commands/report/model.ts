import type { Grade, SliName } from '../grades';

export type Period = 'daily' | 'weekly';

export const PERIOD_SECONDS: Record<Period, number> = { daily: 86_400, weekly: 7 * 86_400 };
/** Subquery resolution per period (peaks, percentiles, anomaly runs). */
export const RESOLUTION_SECONDS: Record<Period, number> = { daily: 60, weekly: 300 };
/** Window of every rate(): long enough for sparse scrapes, short enough to show a peak. */
export const RATE_WINDOW = '15m';

export interface SliValue {
  value: number | null;
  grade: Grade | null;
  previous: number | null;
  previous_grade: Grade | null;
}

export interface HostReport {
  instance: string;
  hostname: string | null;
  slis: Record<SliName, SliValue>;
  /** Worst grade of the host's SLIs this period. */
  grade: Grade | null;
}

interface CpuRow {
  instance: string;
  group: string;
  avg_cores: number;
  peak_cores: number | null;
  previous_avg_cores: number | null;
}

interface MemoryRow {
  instance: string;
  group: string;
  avg_bytes: number;
  peak_bytes: number | null;
  previous_avg_bytes: number | null;
}

interface IoRow {
  instance: string;
  group: string;
  read_bytes: number;
  write_bytes: number;
  total_bytes: number;
  previous_total_bytes: number | null;
}

export interface PeriodRow {
  instance: string;
  group: string;
  /** Bottleneck kind, or the anomaly signal (`combined`). */
  kind: string;
  start: string;
  end: string;
  duration_seconds: number;
  peak: number;
  ongoing: boolean;
}

export interface PeriodSummary {
  periods: PeriodRow[];
  total_seconds: number;
  previous_count: number;
  previous_total_seconds: number;
}

export interface ExhaustionRow {
  instance: string;
  group: string;
  resource: string;
  limit: string;
  bound: 'mean' | 'earliest';
  /** Soonest crossing the forecasts predicted during the period, in seconds from then, and when. */
  soonest_seconds: number;
  soonest_at: string;
  /** The prediction at the period's end, or null when the forecast no longer crossed then. */
  at_end_seconds: number | null;
}

export interface ChartSeries {
  name: string;
  points: Array<[number, number]>;
}

export interface Report {
  period: Period;
  start: string;
  end: string;
  previous_start: string;
  prometheus: string;
  job: string;
  hosts: HostReport[];
  top: { cpu: CpuRow[]; memory: MemoryRow[]; io: IoRow[] };
  totals: {
    cpu_avg_cores: number;
    previous_cpu_avg_cores: number | null;
    memory_avg_bytes: number;
    previous_memory_avg_bytes: number | null;
    io_bytes: number;
    previous_io_bytes: number | null;
  };
  bottlenecks: PeriodSummary;
  anomalies: PeriodSummary & { threshold: number };
  exhaustion: ExhaustionRow[];
}

/** Time series drawn in the HTML report (not part of the JSON). */
export interface ReportCharts {
  hostCpu: ChartSeries[];
  hostMemory: ChartSeries[];
  groupCpu: ChartSeries[];
}
