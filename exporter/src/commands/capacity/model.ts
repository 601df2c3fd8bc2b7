/** The capacity plan's findings and the rules that turn a trend into a recommendation. */
export type Resource = 'cpu' | 'memory' | 'fds';
export type Advice = 'act' | 'plan' | 'watch' | 'ok';

export const CAPACITY_RULES = {
  /** Fewer daily points than this: no trend. */
  minPoints: 5,
  /** Exhaustion within this many days, or use at or above actUse: act now. */
  actDays: 7,
  actUse: 0.9,
  /** Exhaustion within this many days, or use at or above planUse: plan it. */
  planDays: 30,
  planUse: 0.8,
} as const;

interface DailyPoint {
  date: string;
  value: number;
}

export interface Finding {
  instance: string;
  /** Null for the host as a whole. */
  group: string | null;
  resource: Resource;
  /** What `latest`, `limit` and `trend_per_day` measure. */
  measure: string;
  unit: 'cores' | 'bytes' | 'ratio';
  /** The last day's value (peak CPU, peak memory in use, worst fd ratio). */
  latest: number;
  limit: number;
  /** latest / limit. */
  use: number;
  /** Theil–Sen slope over the daily points, in unit per day; null with too few points. */
  trend_per_day: number | null;
  /** Days until the trend reaches the limit, when that happens within the horizon (0: already there); else null. */
  days_to_exhaustion: number | null;
  /** Open fds of the group on the last day (fds findings only). */
  open_fds?: number;
  days: number;
  daily: DailyPoint[];
  recommendation: { level: Advice; text: string };
}

export interface CapacityPlan {
  end: string;
  days: number;
  horizon_days: number;
  prometheus: string;
  job: string;
  hosts: Array<{ instance: string; cpus: number | null; memory_bytes: number | null }>;
  findings: Finding[];
}

export function adviceLevel(use: number, days: number | null): Advice {
  if ((days !== null && days <= CAPACITY_RULES.actDays) || use >= CAPACITY_RULES.actUse) return 'act';
  if ((days !== null && days <= CAPACITY_RULES.planDays) || use >= CAPACITY_RULES.planUse) return 'plan';
  if (days !== null) return 'watch';
  return 'ok';
}
