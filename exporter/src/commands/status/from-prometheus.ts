import {
  BOTTLENECK,
  BOTTLENECK_CONFIDENCE,
  BOTTLENECK_EVIDENCE,
  BOTTLENECK_EVIDENCE_BASELINE,
  BOTTLENECK_EVIDENCE_THRESHOLD,
  FORECAST_EXHAUSTION_SECONDS,
  HOST_INFO,
  LAST_COLLECT_TIMESTAMP_SECONDS,
  SUGGESTION,
} from '@procsight/contract';
import { catalogAction } from '../catalog';
import * as fmt from '../format';
import type { PrometheusClient, Sample, Series } from '../http/prometheus';
import { anyOf, promDuration, quote, sel, type Scope } from '../http/promql';
import { procsightInstances } from '../source';
import { bottleneckLevel, gradeHost, STATUS_RULES, type HostStatus, type StatusBottleneck, type StatusEvidence, type StatusExhaustion } from './model';
import { median } from '../stats';

const key = (...parts: Array<string | undefined>): string => parts.map((p) => p ?? '').join('\u0000');

/**
 * Every host's status from Prometheus as of `atMs`: the hosts that exported
 * procsight series in the last hour, their `up`, active bottlenecks with
 * evidence series and top suggestion, and forecast crossings within the hour.
 */
export async function statusFromPrometheus(prom: PrometheusClient, opts: { scope: Scope; atMs: number; groups: readonly string[] }): Promise<HostStatus[]> {
  const { scope, atMs } = opts;
  const instances = await procsightInstances(prom, scope, atMs, STATUS_RULES.hostLookbackSeconds);
  const groupMatcher = opts.groups.length > 0 ? `group=~${quote(anyOf(opts.groups))}` : '';
  const lookback = promDuration(STATUS_RULES.hostLookbackSeconds);
  const [up, info, age, severity, confidence, evidence, suggestions, exhaustion, history] = await Promise.all([
    prom.instant(sel('up', scope), atMs),
    prom.instant(`last_over_time(${sel(HOST_INFO, scope)}[${lookback}])`, atMs),
    prom.instant(`time() - ${sel(LAST_COLLECT_TIMESTAMP_SECONDS, scope)}`, atMs),
    prom.instant(sel(BOTTLENECK, scope, groupMatcher), atMs),
    prom.instant(sel(BOTTLENECK_CONFIDENCE, scope, groupMatcher), atMs),
    prom.instant(
      sel(
        '',
        scope,
        [`__name__=~${quote(anyOf([BOTTLENECK_EVIDENCE, BOTTLENECK_EVIDENCE_THRESHOLD, BOTTLENECK_EVIDENCE_BASELINE]))}`, groupMatcher]
          .filter(Boolean)
          .join(','),
      ),
      atMs,
    ),
    prom.instant(sel(SUGGESTION, scope, groupMatcher), atMs),
    prom.instant(`${sel(FORECAST_EXHAUSTION_SECONDS, scope, groupMatcher)} <= ${STATUS_RULES.exhaustionWithinSeconds}`, atMs),
    prom.samples(`${sel(BOTTLENECK, scope, groupMatcher)}[${promDuration(STATUS_RULES.sinceLookbackSeconds)}]`, atMs),
  ]);
  const byInstance = <T extends { metric: Record<string, string> }>(rows: T[], instance: string): T[] => rows.filter((r) => r.metric.instance === instance);
  return instances.map((instance) =>
    gradeHost({
      instance,
      hostname: byInstance(info, instance)[0]?.metric.hostname ?? null,
      up: byInstance(up, instance).some((s) => s.value === 1),
      last_collect_age_seconds: ageOf(byInstance(age, instance)),
      bottlenecks: byInstance(severity, instance).map((s) =>
        bottleneck(s, {
          confidence: byInstance(confidence, instance),
          evidence: byInstance(evidence, instance),
          suggestions: byInstance(suggestions, instance),
          history: byInstance(history, instance),
        }),
      ),
      exhaustion: exhaustions(byInstance(exhaustion, instance)),
    }),
  );
}

function ageOf(rows: Sample[]): number | null {
  const v = rows[0]?.value;
  return v === undefined || !Number.isFinite(v) ? null : Math.max(0, Math.round(v));
}

function bottleneck(s: Sample, ctx: { confidence: Sample[]; evidence: Sample[]; suggestions: Sample[]; history: Series[] }): StatusBottleneck {
  const { group, kind } = s.metric;
  const same = (r: { metric: Record<string, string> }): boolean => r.metric.group === group && r.metric.kind === kind;
  const top = ctx.suggestions.filter(same).sort((a, b) => b.value - a.value)[0];
  const entry = top ? catalogAction(top.metric.action) : null;
  return {
    group,
    kind,
    level: bottleneckLevel(kind, s.value),
    severity: s.value,
    confidence: ctx.confidence.find(same)?.value ?? null,
    since: since(ctx.history.find(same)),
    evidence: evidenceOf(ctx.evidence.filter(same)),
    action: top ? { id: top.metric.action, title: entry?.title ?? top.metric.action, first_step: entry?.steps[0] ?? null } : null,
  };
}

/** Evidence from the three evidence families, one item per feature, with a sentence like the alert's `evidence` annotation. */
function evidenceOf(rows: Sample[]): StatusEvidence[] {
  const features = new Map<string, { value?: number; threshold?: number; baseline?: number; unit: string }>();
  for (const r of rows) {
    const f = features.get(r.metric.feature) ?? { unit: r.metric.unit ?? '' };
    if (r.metric.__name__ === BOTTLENECK_EVIDENCE) f.value = r.value;
    else if (r.metric.__name__ === BOTTLENECK_EVIDENCE_THRESHOLD) f.threshold = r.value;
    else f.baseline = r.value;
    features.set(r.metric.feature, f);
  }
  const out: StatusEvidence[] = [];
  for (const [feature, f] of [...features.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (f.value === undefined) continue;
    const threshold = f.threshold ?? null;
    const text = `${feature} = ${fmt.inUnit(f.value, f.unit)}${threshold !== null ? ` (threshold ${fmt.inUnit(threshold, f.unit)}${f.baseline !== undefined ? `, usually ${fmt.inUnit(f.baseline, f.unit)}` : ''})` : ''}`;
    out.push({ feature, value: f.value, threshold, baseline: f.baseline ?? null, unit: f.unit, text });
  }
  return out;
}

/** Start of the run of samples that reaches `atMs` without a gap longer than three scrape intervals. */
function since(series: Series | undefined): string | null {
  const pts = series?.points ?? [];
  if (pts.length === 0) return null;
  const gaps = pts.slice(1).map((p, i) => p[0] - pts[i][0]);
  const interval = gaps.length > 0 ? median(gaps) : 0;
  let i = pts.length - 1;
  while (i > 0 && pts[i][0] - pts[i - 1][0] <= 3 * interval) i--;
  // A run that starts at the look-back's edge may have started earlier; the edge is the most we know.
  return fmt.iso(pts[i][0]);
}

function exhaustions(rows: Sample[]): StatusExhaustion[] {
  const best = new Map<string, StatusExhaustion>();
  for (const r of rows) {
    const bound = r.metric.bound === 'mean' ? 'mean' : 'earliest';
    const e: StatusExhaustion = {
      group: r.metric.group,
      resource: r.metric.resource,
      limit: r.metric.limit,
      bound,
      seconds: Math.max(0, Math.round(r.value)),
      level: bound === 'mean' ? 'CRITICAL' : 'WARNING',
    };
    const k = key(e.group, e.resource, e.limit);
    const prev = best.get(k);
    // The mean path's crossing is the forecast; the pessimistic bound only matters when the mean does not cross.
    if (!prev || (prev.bound === 'earliest' && bound === 'mean')) best.set(k, e);
  }
  return [...best.values()];
}
