import * as fmt from '../format';
import type { ApiBottleneck, ApiForecast, ExporterClient } from '../http/exporter';
import { bottleneckLevel, gradeHost, STATUS_RULES, type HostStatus, type StatusBottleneck, type StatusExhaustion } from './model';

/**
 * One host's status straight from its exporter: the current analysis
 * (/api/v1/bottlenecks, with the exporter's own evidence sentences and
 * suggestion steps), the forecasts' exhaustion list and the last collection time.
 */
export async function statusFromExporter(client: ExporterClient, opts: { nowMs: number; groups: readonly string[] }): Promise<HostStatus> {
  const [facts, bottlenecks, forecasts] = await Promise.all([client.facts(), client.bottlenecks(), client.forecasts()]);
  const wanted = (g: string): boolean => opts.groups.length === 0 || opts.groups.includes(g);
  return gradeHost({
    instance: new URL(client.url).host,
    hostname: facts.hostname,
    up: null,
    last_collect_age_seconds: facts.lastCollectMs === null ? null : Math.max(0, Math.round((opts.nowMs - facts.lastCollectMs) / 1000)),
    bottlenecks: bottlenecks.filter((b) => wanted(b.group)).map(toBottleneck),
    exhaustion: forecasts.filter((f) => wanted(f.group)).flatMap(toExhaustion),
  });
}

function toBottleneck(b: ApiBottleneck): StatusBottleneck {
  const top = [...b.suggestions].sort((x, y) => y.score - x.score)[0];
  return {
    group: b.group,
    kind: b.kind,
    level: bottleneckLevel(b.kind, b.severity),
    severity: b.severity,
    confidence: b.confidence,
    since: Number.isFinite(Date.parse(b.since)) ? fmt.iso(Date.parse(b.since)) : null,
    evidence: b.evidence.map((e) => ({ feature: e.feature, value: e.value, threshold: e.threshold, baseline: e.baseline, unit: e.unit, text: e.text })),
    action: top ? { id: top.action, title: top.title, first_step: top.steps[0] ?? null } : null,
  };
}

function toExhaustion(f: ApiForecast): StatusExhaustion[] {
  const out: StatusExhaustion[] = [];
  for (const e of f.exhaustion) {
    const within = (s: number | null): s is number => s !== null && s <= STATUS_RULES.exhaustionWithinSeconds;
    if (within(e.seconds)) out.push({ group: f.group, resource: f.resource, limit: e.limit, bound: 'mean', seconds: e.seconds, level: 'CRITICAL' });
    else if (within(e.earliest_seconds))
      out.push({ group: f.group, resource: f.resource, limit: e.limit, bound: 'earliest', seconds: e.earliest_seconds, level: 'WARNING' });
  }
  return out;
}
