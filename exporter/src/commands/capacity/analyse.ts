import * as fmt from '../format';
import type { Series } from '../http/prometheus';
import { theilSen } from '../stats';
import type { DailySeries } from './collect';
import { adviceLevel, CAPACITY_RULES, type CapacityPlan, type Finding, type Resource } from './model';

const DAY_MS = 86_400_000;

type Points = Array<[number, number]>;

const byInstance = (rows: Series[], instance: string): Series[] => rows.filter((s) => s.metric.instance === instance);
const finite = (pts: Points): Points => pts.filter(([, v]) => Number.isFinite(v));
const last = (pts: Points): number | null => (pts.length > 0 ? pts[pts.length - 1][1] : null);

interface Trend {
  slope: number | null;
  days: number | null;
}

/**
 * Trend per day (Theil–Sen over the daily points) and the days until it
 * reaches `limit` from the later of the last point and the line's value at
 * the end (a last-day jump is not averaged away); null beyond `horizonDays`,
 * when not rising, or with fewer than CAPACITY_RULES.minPoints points.
 */
function trendTo(points: Points, limit: number, horizonDays: number): Trend {
  const pts = finite(points);
  const latest = last(pts);
  if (latest === null) return { slope: null, days: null };
  if (pts.length < CAPACITY_RULES.minPoints) return { slope: null, days: latest >= limit ? 0 : null };
  const endMs = pts[pts.length - 1][0];
  const line = theilSen(pts.map(([t, v]) => [(t - endMs) / DAY_MS, v] as const));
  if (!line) return { slope: null, days: latest >= limit ? 0 : null };
  const base = Math.max(latest, line.intercept);
  if (base >= limit) return { slope: line.slope, days: 0 };
  if (line.slope <= 0) return { slope: line.slope, days: null };
  const days = (limit - base) / line.slope;
  return { slope: line.slope, days: days <= horizonDays ? Math.round(days * 10) / 10 : null };
}

/** Point-wise a − b over the timestamps both have. */
function minus(a: Points, b: Points): Points {
  const bm = new Map(b);
  return a.flatMap(([t, v]) => (bm.has(t) ? [[t, v - (bm.get(t) ?? 0)] as [number, number]] : []));
}

function plus(a: Points, b: Points): Points {
  const bm = new Map(b);
  return a.flatMap(([t, v]) => (bm.has(t) ? [[t, v + (bm.get(t) ?? 0)] as [number, number]] : []));
}

export function buildPlan(input: {
  instances: string[];
  series: DailySeries;
  endMs: number;
  days: number;
  horizonDays: number;
  prometheus: string;
  job: string;
  groups: readonly string[];
}): CapacityPlan {
  const { series: s, horizonDays } = input;
  const findings: Finding[] = [];
  const hosts: CapacityPlan['hosts'] = [];
  const wanted = (g: string): boolean => input.groups.length === 0 || input.groups.includes(g);
  for (const instance of input.instances) {
    const cpus = last(finite(byInstance(s.hostCpus, instance)[0]?.points ?? []));
    const totalPts = finite(byInstance(s.hostMemoryTotal, instance)[0]?.points ?? []);
    const total = last(totalPts);
    const availPts = finite(byInstance(s.hostAvailableLeast, instance)[0]?.points ?? []);
    hosts.push({ instance, cpus, memory_bytes: total });
    const add = (f: Omit<Finding, 'use' | 'trend_per_day' | 'days_to_exhaustion' | 'days' | 'daily' | 'recommendation' | 'latest'>, pts: Points): void => {
      const p = finite(pts);
      const latest = last(p);
      if (latest === null || !(f.limit > 0)) return;
      const t = trendTo(p, f.limit, horizonDays);
      const use = latest / f.limit;
      const level = adviceLevel(use, t.days);
      const finding: Finding = {
        ...f,
        latest,
        use,
        trend_per_day: t.slope,
        days_to_exhaustion: t.days,
        days: p.length,
        daily: p.map(([ts, v]) => ({ date: fmt.day(ts - 1), value: v })),
        recommendation: { level, text: '' },
      };
      finding.recommendation.text = recommend(finding, horizonDays);
      findings.push(finding);
    };
    if (cpus !== null) {
      add(
        { instance, group: null, resource: 'cpu', measure: "daily peak of busy cores (15-minute rate) against the host's cores", unit: 'cores', limit: cpus },
        byInstance(s.hostCpuPeak, instance)[0]?.points ?? [],
      );
    }
    if (total !== null) {
      add(
        {
          instance,
          group: null,
          resource: 'memory',
          measure: 'daily peak of memory in use (total − least available) against total memory',
          unit: 'bytes',
          limit: total,
        },
        minus(totalPts, availPts),
      );
    }
    for (const g of byInstance(s.groupCpuPeak, instance).filter((x) => wanted(x.metric.group))) {
      if (cpus !== null)
        add(
          {
            instance,
            group: g.metric.group,
            resource: 'cpu',
            measure: "the group's daily peak cores (15-minute rate) against the host's cores",
            unit: 'cores',
            limit: cpus,
          },
          g.points,
        );
    }
    for (const g of byInstance(s.groupMemoryPeak, instance).filter((x) => wanted(x.metric.group))) {
      const room = plus(finite(g.points), availPts);
      const limit = last(room);
      if (limit !== null)
        add(
          {
            instance,
            group: g.metric.group,
            resource: 'memory',
            measure: "the group's daily peak resident memory against what it could reach: itself plus the host's least available memory",
            unit: 'bytes',
            limit,
          },
          g.points,
        );
    }
    for (const g of byInstance(s.groupFdRatioPeak, instance).filter((x) => wanted(x.metric.group))) {
      const fds = last(finite(byInstance(s.groupFdsPeak, instance).find((x) => x.metric.group === g.metric.group)?.points ?? []));
      add(
        {
          instance,
          group: g.metric.group,
          resource: 'fds',
          measure: "the daily peak share of its open-files limit that the group's worst process holds",
          unit: 'ratio',
          limit: 1,
          ...(fds !== null ? { open_fds: fds } : {}),
        },
        g.points,
      );
    }
  }
  const order = { act: 0, plan: 1, watch: 2, ok: 3 } as const;
  findings.sort(
    (a, b) =>
      order[a.recommendation.level] - order[b.recommendation.level] ||
      (a.days_to_exhaustion ?? Infinity) - (b.days_to_exhaustion ?? Infinity) ||
      b.use - a.use ||
      a.instance.localeCompare(b.instance) ||
      (a.group ?? '').localeCompare(b.group ?? '') ||
      a.resource.localeCompare(b.resource),
  );
  return { end: fmt.iso(input.endMs), days: input.days, horizon_days: horizonDays, prometheus: input.prometheus, job: input.job, hosts, findings };
}

export function valueText(v: number, unit: Finding['unit']): string {
  return unit === 'cores' ? fmt.cores(v) : unit === 'bytes' ? fmt.bytes(v) : fmt.percent(v, 0);
}

export function trendText(slope: number | null, unit: Finding['unit']): string {
  if (slope === null) return 'n/a';
  const abs = Math.abs(slope);
  const v = unit === 'cores' ? `${abs.toFixed(abs >= 1 ? 2 : 3)} cores` : unit === 'bytes' ? fmt.bytes(abs) : `${(abs * 100).toFixed(2)} pp`;
  // A slope that rounds to zero is shown without a sign.
  const sign = /^0(\.0+)? /.test(v) ? '±' : slope > 0 ? '+' : '−';
  return `${sign}${v}/day`;
}

const WHAT: Record<Resource, { host: string; group: string; fix: string; hostFix?: string }> = {
  cpu: {
    host: 'host CPU',
    group: 'CPU',
    fix: 'profile the busiest groups, spread work over more hosts or add cores',
  },
  memory: {
    host: 'host memory',
    group: 'resident memory',
    fix: 'look for a leak (two heap snapshots a day apart), cap the group (MemoryMax=) or plan a restart, or add memory',
    hostFix: 'find the growing groups (their memory findings), add memory or move work to another host',
  },
  fds: {
    host: 'open files',
    group: 'worst process',
    fix: 'find leaked descriptors (`ls -l /proc/<pid>/fd | sort | uniq -c`), or raise LimitNOFILE= if the load is real',
  },
};

function recommend(f: Finding, horizonDays: number): string {
  const what = WHAT[f.resource];
  const who = f.group === null ? what.host : `${f.group}'s ${what.group}`;
  const fix = (f.group === null ? what.hostFix : undefined) ?? what.fix;
  const now =
    f.unit === 'ratio'
      ? `${fmt.percent(f.latest, 0)} of its open-files limit`
      : `${valueText(f.latest, f.unit)} of ${valueText(f.limit, f.unit)} (${fmt.percent(f.use, 0)})`;
  const trend =
    f.trend_per_day === null ? `too little history for a trend (${f.days} days)` : `trend ${trendText(f.trend_per_day, f.unit)} over ${f.days} days`;
  const when = f.days_to_exhaustion === null ? '' : f.days_to_exhaustion === 0 ? ': at its limit now' : `: reaches the limit in ${f.days_to_exhaustion} days`;
  switch (f.recommendation.level) {
    case 'act':
      return `Act now: ${who} at ${now}, ${trend}${when}. ${capitalise(fix)}.`;
    case 'plan':
      return `Plan: ${who} at ${now}, ${trend}${when}. Before then: ${fix}.`;
    case 'watch':
      return `Watch: ${who} at ${now}, ${trend}${when}; check again in a week.`;
    case 'ok':
      return `No action: ${who} at ${now}, ${trend}; no crossing within ${horizonDays} days.`;
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
