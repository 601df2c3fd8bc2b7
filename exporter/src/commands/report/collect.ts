import {
  ANOMALY_SCORE,
  ANOMALY_THRESHOLD,
  BOTTLENECK,
  COLLECTOR_SUCCESS,
  FORECAST_EXHAUSTION_SECONDS,
  GROUP_CPU_SECONDS_TOTAL,
  GROUP_IO_BYTES_TOTAL,
  GROUP_MEMORY_BYTES,
  HOST_CPU_SECONDS_TOTAL,
  HOST_INFO,
  HOST_MEMORY_BYTES,
} from '@procsight/contract';
import { grade, worstGrade, type Grade, type SliName } from '../grades';
import type { PrometheusClient, Sample, Series } from '../http/prometheus';
import { anyOf, promDuration, quote, sel, type Scope } from '../http/promql';
import { runs } from '../periods';
import { procsightInstances } from '../source';
import * as fmt from '../format';
import {
  PERIOD_SECONDS,
  RATE_WINDOW,
  RESOLUTION_SECONDS,
  type ChartSeries,
  type ExhaustionRow,
  type HostReport,
  type Period,
  type PeriodRow,
  type PeriodSummary,
  type Report,
  type ReportCharts,
} from './model';
import { median } from '../stats';

const k = (m: { instance?: string; group?: string }): string => `${m.instance ?? ''}\u0000${m.group ?? ''}`;

/** Host CPU utilisation (busy share, 0–1) per instance, as PromQL. */
function hostCpuBusy(scope: Scope): string {
  const all = `sum by (instance) (rate(${sel(HOST_CPU_SECONDS_TOTAL, scope)}[${RATE_WINDOW}]))`;
  const idle = `sum by (instance) (rate(${sel(HOST_CPU_SECONDS_TOTAL, scope, 'mode=~"idle|iowait"')}[${RATE_WINDOW}]))`;
  return `(1 - ${idle} / ${all})`;
}

/** Host available memory share per instance, as PromQL. */
function hostMemoryAvailable(scope: Scope): string {
  return `(sum by (instance) (${sel(HOST_MEMORY_BYTES, scope, 'type="available"')}) / sum by (instance) (${sel(HOST_MEMORY_BYTES, scope, 'type="total"')}))`;
}

/**
 * Everything the report shows, from Prometheus: the period ending at
 * `endMs` and the one before it (for the change), with a few dozen queries
 * whatever the fleet's size.
 */
export async function collectReport(
  prom: PrometheusClient,
  opts: { scope: Scope; period: Period; endMs: number; top: number; charts: boolean },
): Promise<{ report: Report; charts: ReportCharts | null }> {
  const { scope, period, endMs } = opts;
  const P = PERIOD_SECONDS[period];
  const p = promDuration(P);
  const res = promDuration(RESOLUTION_SECONDS[period]);
  const startMs = endMs - P * 1000;
  const prevStartMs = startMs - P * 1000;
  const instances = await procsightInstances(prom, scope, endMs, P);
  const both = (expr: string): Promise<[Sample[], Sample[]]> => Promise.all([prom.instant(expr, endMs), prom.instant(expr, startMs)]);
  const cpuRate = `sum by (instance, group) (rate(${sel(GROUP_CPU_SECONDS_TOTAL, scope)}[${RATE_WINDOW}]))`;
  const resident = sel(GROUP_MEMORY_BYTES, scope, 'type="resident"');

  const [
    info,
    availability,
    collection,
    cpuBusyP95,
    memoryHeadroom,
    cpuAvg,
    cpuPeak,
    memAvg,
    memPeak,
    io,
    bottleneckNow,
    bottleneckPrev,
    anomalyNow,
    anomalyPrev,
    exhaustion,
  ] = await Promise.all([
    prom.instant(`last_over_time(${sel(HOST_INFO, scope)}[${p}])`, endMs),
    both(`avg by (instance) (avg_over_time(${sel('up', scope)}[${p}]))`),
    both(`avg_over_time((min by (instance) (${sel(COLLECTOR_SUCCESS, scope)}))[${p}:${res}])`),
    both(`quantile_over_time(0.95, ${hostCpuBusy(scope)}[${p}:${res}])`),
    both(
      `min by (instance) (min_over_time(${sel(HOST_MEMORY_BYTES, scope, 'type="available"')}[${p}])) / max by (instance) (max_over_time(${sel(HOST_MEMORY_BYTES, scope, 'type="total"')}[${p}]))`,
    ),
    both(`sum by (instance, group) (increase(${sel(GROUP_CPU_SECONDS_TOTAL, scope)}[${p}])) / ${P}`),
    prom.instant(`max_over_time(${cpuRate}[${p}:${res}])`, endMs),
    both(`sum by (instance, group) (avg_over_time(${resident}[${p}]))`),
    prom.instant(`sum by (instance, group) (max_over_time(${resident}[${p}]))`, endMs),
    both(`sum by (instance, group, direction) (increase(${sel(GROUP_IO_BYTES_TOTAL, scope)}[${p}]))`),
    prom.samples(`${sel(BOTTLENECK, scope)}[${p}]`, endMs),
    prom.samples(`${sel(BOTTLENECK, scope)}[${p}]`, startMs),
    prom.samples(`(${sel(ANOMALY_SCORE, scope, 'signal="combined"')} >= ${ANOMALY_THRESHOLD})[${p}:${res}]`, endMs),
    prom.samples(`(${sel(ANOMALY_SCORE, scope, 'signal="combined"')} >= ${ANOMALY_THRESHOLD})[${p}:${res}]`, startMs),
    prom.samples(`${sel(FORECAST_EXHAUSTION_SECONDS, scope)}[${p}]`, endMs),
  ]);

  const sliSources: Record<SliName, [Sample[], Sample[]]> = {
    availability,
    collection_success: collection,
    cpu_headroom: [cpuBusyP95[0].map(headroom), cpuBusyP95[1].map(headroom)],
    memory_headroom: memoryHeadroom,
  };
  const hosts: HostReport[] = instances.map((instance) => {
    const slis = Object.fromEntries(
      (Object.keys(sliSources) as SliName[]).map((name) => {
        const [now, prev] = sliSources[name];
        const v = valueOf(now, instance);
        const pv = valueOf(prev, instance);
        return [name, { value: v, grade: v === null ? null : grade(name, v), previous: pv, previous_grade: pv === null ? null : grade(name, pv) }];
      }),
    ) as HostReport['slis'];
    const grades = Object.values(slis).flatMap((s) => (s.grade ? [s.grade] : [])) as Grade[];
    return {
      instance,
      hostname: info.find((s) => s.metric.instance === instance)?.metric.hostname ?? null,
      slis,
      grade: grades.length > 0 ? worstGrade(grades) : null,
    };
  });

  const prevCpu = byKey(cpuAvg[1]);
  const peakCpu = byKey(cpuPeak);
  const cpuRows = cpuAvg[0]
    .map((s) => ({
      instance: s.metric.instance,
      group: s.metric.group,
      avg_cores: s.value,
      peak_cores: peakCpu.get(k(s.metric)) ?? null,
      previous_avg_cores: prevCpu.get(k(s.metric)) ?? null,
    }))
    .sort((a, b) => b.avg_cores - a.avg_cores || a.instance.localeCompare(b.instance) || a.group.localeCompare(b.group));
  const prevMem = byKey(memAvg[1]);
  const peakMem = byKey(memPeak);
  const memRows = memAvg[0]
    .map((s) => ({
      instance: s.metric.instance,
      group: s.metric.group,
      avg_bytes: s.value,
      peak_bytes: peakMem.get(k(s.metric)) ?? null,
      previous_avg_bytes: prevMem.get(k(s.metric)) ?? null,
    }))
    .sort((a, b) => b.avg_bytes - a.avg_bytes || a.instance.localeCompare(b.instance) || a.group.localeCompare(b.group));
  const ioRows = ioTable(io[0], io[1]);

  const stepMs = RESOLUTION_SECONDS[period] * 1000;
  const bottlenecks = summary(
    toRows(bottleneckNow, 'kind', { startMs, endMs, stepMs }),
    toRows(bottleneckPrev, 'kind', { startMs: prevStartMs, endMs: startMs, stepMs }),
  );
  const anomalies = summary(
    toRows(anomalyNow, 'signal', { startMs, endMs, stepMs }),
    toRows(anomalyPrev, 'signal', { startMs: prevStartMs, endMs: startMs, stepMs }),
  );

  const report: Report = {
    period,
    start: fmt.iso(startMs),
    end: fmt.iso(endMs),
    previous_start: fmt.iso(prevStartMs),
    prometheus: prom.url,
    job: scope.job,
    hosts,
    top: { cpu: cpuRows.slice(0, opts.top), memory: memRows.slice(0, opts.top), io: ioRows.slice(0, opts.top) },
    totals: {
      cpu_avg_cores: sum(cpuAvg[0]),
      previous_cpu_avg_cores: cpuAvg[1].length > 0 ? sum(cpuAvg[1]) : null,
      memory_avg_bytes: sum(memAvg[0]),
      previous_memory_avg_bytes: memAvg[1].length > 0 ? sum(memAvg[1]) : null,
      io_bytes: sum(io[0]),
      previous_io_bytes: io[1].length > 0 ? sum(io[1]) : null,
    },
    bottlenecks,
    anomalies: { ...anomalies, threshold: ANOMALY_THRESHOLD },
    exhaustion: exhaustionRows(exhaustion, endMs),
  };
  const charts = opts.charts ? await collectCharts(prom, { scope, startMs, endMs, P, top: report.top.cpu }) : null;
  return { report, charts };
}

function headroom(s: Sample): Sample {
  return { metric: s.metric, value: 1 - s.value };
}

function valueOf(rows: Sample[], instance: string): number | null {
  const v = rows.find((s) => s.metric.instance === instance)?.value;
  return v === undefined || !Number.isFinite(v) ? null : v;
}

function byKey(rows: Sample[]): Map<string, number> {
  return new Map(rows.filter((s) => Number.isFinite(s.value)).map((s) => [k(s.metric), s.value]));
}

function sum(rows: Sample[]): number {
  return rows.reduce((a, s) => a + (Number.isFinite(s.value) ? s.value : 0), 0);
}

function ioTable(now: Sample[], prev: Sample[]): Report['top']['io'] {
  const rows = new Map<string, Report['top']['io'][number]>();
  for (const s of now) {
    const row = rows.get(k(s.metric)) ?? {
      instance: s.metric.instance,
      group: s.metric.group,
      read_bytes: 0,
      write_bytes: 0,
      total_bytes: 0,
      previous_total_bytes: null,
    };
    if (s.metric.direction === 'read') row.read_bytes += s.value;
    else row.write_bytes += s.value;
    row.total_bytes += s.value;
    rows.set(k(s.metric), row);
  }
  for (const s of prev) {
    const row = rows.get(k(s.metric));
    if (row) row.previous_total_bytes = (row.previous_total_bytes ?? 0) + s.value;
  }
  return [...rows.values()].sort((a, b) => b.total_bytes - a.total_bytes || a.instance.localeCompare(b.instance) || a.group.localeCompare(b.group));
}

function toRows(series: Series[], kindLabel: string, window: { startMs: number; endMs: number; stepMs: number }): PeriodRow[] {
  return series
    .flatMap((s) =>
      runs(s, window).map((r) => ({
        instance: s.metric.instance ?? '',
        group: s.metric.group ?? '',
        kind: s.metric[kindLabel] ?? '',
        start: fmt.iso(r.startMs),
        end: fmt.iso(r.endMs),
        duration_seconds: Math.round((r.endMs - r.startMs) / 1000),
        peak: r.peak,
        ongoing: r.ongoing,
      })),
    )
    .sort((a, b) => a.start.localeCompare(b.start) || a.instance.localeCompare(b.instance) || a.group.localeCompare(b.group));
}

function summary(now: PeriodRow[], prev: PeriodRow[]): PeriodSummary {
  const total = (rows: PeriodRow[]): number => rows.reduce((a, r) => a + r.duration_seconds, 0);
  return { periods: now, total_seconds: total(now), previous_count: prev.length, previous_total_seconds: total(prev) };
}

/** Per forecast series: the soonest crossing predicted during the period, and the prediction at its end. */
function exhaustionRows(series: Series[], endMs: number): ExhaustionRow[] {
  const best = new Map<string, ExhaustionRow>();
  for (const s of series) {
    if (s.points.length === 0) continue;
    const bound = s.metric.bound === 'mean' ? 'mean' : 'earliest';
    const [atMs, soonest] = s.points.reduce((m, pt) => (pt[1] < m[1] ? pt : m), s.points[0]);
    const last = s.points[s.points.length - 1];
    const gaps = s.points.slice(1).map((pt, i) => pt[0] - s.points[i][0]);
    const interval = gaps.length > 0 ? median(gaps) : 60_000;
    const row: ExhaustionRow = {
      instance: s.metric.instance ?? '',
      group: s.metric.group ?? '',
      resource: s.metric.resource ?? '',
      limit: s.metric.limit ?? '',
      bound,
      soonest_seconds: Math.max(0, Math.round(soonest)),
      soonest_at: fmt.iso(atMs),
      at_end_seconds: last[0] >= endMs - 2 * interval ? Math.max(0, Math.round(last[1])) : null,
    };
    const key = [row.instance, row.group, row.resource, row.limit].join('\u0000');
    const prev = best.get(key);
    // The mean path's crossing is the forecast; the pessimistic bound stands in only where the mean never crossed.
    if (!prev || (prev.bound === 'earliest' && bound === 'mean')) best.set(key, row);
  }
  return [...best.values()].sort((a, b) => a.soonest_seconds - b.soonest_seconds || a.instance.localeCompare(b.instance) || a.group.localeCompare(b.group));
}

async function collectCharts(
  prom: PrometheusClient,
  opts: { scope: Scope; startMs: number; endMs: number; P: number; top: Report['top']['cpu'] },
): Promise<ReportCharts> {
  const step = opts.P / 144;
  const name = (m: Record<string, string>, withGroup: boolean): string => (withGroup ? `${m.group} @ ${m.instance}` : (m.instance ?? ''));
  const asChart = (rows: Series[], withGroup: boolean): ChartSeries[] =>
    rows.map((s) => ({ name: name(s.metric, withGroup), points: s.points })).sort((a, b) => a.name.localeCompare(b.name));
  const top = opts.top.slice(0, 5);
  const groupScope = top.length > 0 ? `group=~${quote(anyOf([...new Set(top.map((r) => r.group))]))}` : 'group="-"';
  const [cpu, mem, groups] = await Promise.all([
    prom.range(hostCpuBusy(opts.scope), opts.startMs, opts.endMs, step),
    prom.range(hostMemoryAvailable(opts.scope), opts.startMs, opts.endMs, step),
    prom.range(`sum by (instance, group) (rate(${sel(GROUP_CPU_SECONDS_TOTAL, opts.scope, groupScope)}[${RATE_WINDOW}]))`, opts.startMs, opts.endMs, step),
  ]);
  const wanted = new Set(top.map((r) => k(r)));
  return {
    hostCpu: asChart(cpu, false),
    hostMemory: asChart(mem, false),
    groupCpu: asChart(
      groups.filter((s) => wanted.has(k(s.metric))),
      true,
    ),
  };
}
