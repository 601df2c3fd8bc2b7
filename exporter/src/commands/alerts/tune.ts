import { BOTTLENECK, HOST_CPUS, HOST_MEMORY_BYTES } from '@procsight/contract';
import * as fmt from '../format';
import type { PrometheusClient, Sample } from '../http/prometheus';
import { promDuration, sel, type Scope } from '../http/promql';
import { procsightInstances } from '../source';
import { PRIORITY_SEVERITY, SIGNALS, TUNE_RULES, type Signal, type TunedSignal, type TuneResult } from './model';

const k = (m: Record<string, string>): string => `${m.instance ?? ''}\u0000${m.group ?? ''}`;

/** Signal outside the group's bottleneck periods: normal operation. */
const normal = (expr: string, scope: Scope): string => `(${expr} unless on (instance, group) ${sel(BOTTLENECK, scope)})`;

/**
 * Levels of normal operation per instance, group and signal over `days`
 * before `endMs` (four instant queries per signal: median, percentile, max,
 * sample count over a subquery), and the P3/P2/P1 thresholds above them.
 */
export async function tune(
  prom: PrometheusClient,
  opts: { scope: Scope; endMs: number; days: number; groups: readonly string[] },
): Promise<Omit<TuneResult, 'output' | 'rules'>> {
  const { scope, endMs, days } = opts;
  await procsightInstances(prom, scope, endMs, days * 86_400);
  const window = `[${promDuration(days * 86_400)}:${TUNE_RULES.resolution}]`;
  const [cpus, memory] = await Promise.all([
    prom.instant(`max by (instance) (${sel(HOST_CPUS, scope)})`, endMs),
    prom.instant(`max by (instance) (${sel(HOST_MEMORY_BYTES, scope, 'type="total"')})`, endMs),
  ]);
  const ceilingOf = (instance: string, c: 'host_cpus' | 'host_memory' | undefined): number | null =>
    c === undefined ? null : ((c === 'host_cpus' ? cpus : memory).find((s) => s.metric.instance === instance)?.value ?? null);
  const signals: TunedSignal[] = [];
  for (const signal of Object.keys(SIGNALS) as Signal[]) {
    const spec = SIGNALS[signal];
    const expr = normal(spec.expr(scope), scope);
    const [p50, pq, max, n] = await Promise.all([
      prom.instant(`quantile_over_time(0.5, ${expr}${window})`, endMs),
      prom.instant(`quantile_over_time(${TUNE_RULES.percentile}, ${expr}${window})`, endMs),
      prom.instant(`max_over_time(${expr}${window})`, endMs),
      prom.instant(`count_over_time(${expr}${window})`, endMs),
    ]);
    const med = index(p50);
    const mx = index(max);
    const cnt = index(n);
    for (const s of pq) {
      if (opts.groups.length > 0 && !opts.groups.includes(s.metric.group)) continue;
      const samples = cnt.get(k(s.metric)) ?? 0;
      const base = s.value;
      const ceiling = ceilingOf(s.metric.instance, spec.ceiling);
      let skipped: string | null = null;
      if (samples < TUNE_RULES.minSamples) skipped = `too little history (${samples} samples at ${TUNE_RULES.resolution}; needs ${TUNE_RULES.minSamples})`;
      else if (!(base >= spec.floor)) skipped = `too quiet to alert on (99th percentile below ${fmt.inUnit(spec.floor, spec.unit)})`;
      const levels = skipped
        ? []
        : TUNE_RULES.levels
            .map((l) => ({ priority: l.priority, severity: PRIORITY_SEVERITY[l.priority], threshold: round(base * l.margin, spec.unit), for: l.for }))
            .filter((l) => ceiling === null || l.threshold < ceiling);
      if (!skipped && levels.length === 0) skipped = `normal level too close to the host's limit (${fmt.inUnit(ceiling ?? NaN, spec.unit)}) for any margin`;
      signals.push({
        instance: s.metric.instance,
        group: s.metric.group,
        signal,
        unit: spec.unit,
        samples,
        p50: med.get(k(s.metric)) ?? null,
        p99: base,
        max: mx.get(k(s.metric)) ?? null,
        levels,
        skipped,
      });
    }
  }
  signals.sort((a, b) => a.instance.localeCompare(b.instance) || a.group.localeCompare(b.group) || a.signal.localeCompare(b.signal));
  return {
    start: fmt.iso(endMs - days * 86_400_000),
    end: fmt.iso(endMs),
    days,
    prometheus: prom.url,
    job: scope.job,
    percentile: TUNE_RULES.percentile,
    signals,
  };
}

function index(rows: Sample[]): Map<string, number> {
  return new Map(rows.map((s) => [k(s.metric), s.value]));
}

/** Thresholds a person can read in a rules file: 3 significant digits, whole numbers for counts and bytes. */
function round(v: number, unit: string): number {
  if (unit === 'count' || unit === 'bytes' || unit === 'bytes/s') return Math.ceil(v);
  return Number(v.toPrecision(3));
}
