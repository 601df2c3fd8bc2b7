import {
  GROUP_CPU_SECONDS_TOTAL,
  GROUP_FD_LIMIT_RATIO,
  GROUP_MEMORY_BYTES,
  GROUP_OPEN_FDS,
  HOST_CPU_SECONDS_TOTAL,
  HOST_CPUS,
  HOST_MEMORY_BYTES,
} from '@procsight/contract';
import type { PrometheusClient, Series } from '../http/prometheus';
import { sel, type Scope } from '../http/promql';
import { RATE_WINDOW } from '../report/model';
import { procsightInstances } from '../source';

export interface DailySeries {
  groupCpuPeak: Series[];
  hostCpuPeak: Series[];
  hostCpus: Series[];
  groupMemoryPeak: Series[];
  hostAvailableLeast: Series[];
  hostMemoryTotal: Series[];
  groupFdsPeak: Series[];
  groupFdRatioPeak: Series[];
}

const DAY = 86_400;

/**
 * Daily aggregates over `days` days ending at `endMs`: range queries with a
 * one-day step whose expressions aggregate over the day before each step
 * (max_over_time(…[1d]) and the like), so 30 days cost 8 queries of 30 points
 * per series instead of every raw sample.
 */
export async function collectDaily(
  prom: PrometheusClient,
  opts: { scope: Scope; endMs: number; days: number },
): Promise<{ instances: string[]; series: DailySeries }> {
  const { scope, endMs, days } = opts;
  const instances = await procsightInstances(prom, scope, endMs, days * DAY);
  const startMs = endMs - (days - 1) * DAY * 1000;
  const range = (expr: string): Promise<Series[]> => prom.range(expr, startMs, endMs, DAY);
  const [groupCpuPeak, hostCpuPeak, hostCpus, groupMemoryPeak, hostAvailableLeast, hostMemoryTotal, groupFdsPeak, groupFdRatioPeak] = await Promise.all([
    range(`max_over_time((sum by (instance, group) (rate(${sel(GROUP_CPU_SECONDS_TOTAL, scope)}[${RATE_WINDOW}])))[1d:5m])`),
    range(`max_over_time((sum by (instance) (rate(${sel(HOST_CPU_SECONDS_TOTAL, scope, 'mode!~"idle|iowait"')}[${RATE_WINDOW}])))[1d:5m])`),
    range(`max by (instance) (max_over_time(${sel(HOST_CPUS, scope)}[1d]))`),
    range(`sum by (instance, group) (max_over_time(${sel(GROUP_MEMORY_BYTES, scope, 'type="resident"')}[1d]))`),
    range(`min by (instance) (min_over_time(${sel(HOST_MEMORY_BYTES, scope, 'type="available"')}[1d]))`),
    range(`max by (instance) (max_over_time(${sel(HOST_MEMORY_BYTES, scope, 'type="total"')}[1d]))`),
    range(`sum by (instance, group) (max_over_time(${sel(GROUP_OPEN_FDS, scope)}[1d]))`),
    range(`max by (instance, group) (max_over_time(${sel(GROUP_FD_LIMIT_RATIO, scope)}[1d]))`),
  ]);
  return { instances, series: { groupCpuPeak, hostCpuPeak, hostCpus, groupMemoryPeak, hostAvailableLeast, hostMemoryTotal, groupFdsPeak, groupFdRatioPeak } };
}
