/**
 * Data shaping for the pages, pure: Prometheus samples and feedback
 * annotations in, rows and ranked suggestions out. Ranking goes through the
 * exporter's own catalog and ranking function (imported, not copied).
 */
import {
  rankSuggestions,
  renderTemplate,
  type FeedbackCounts,
  CATALOG,
  type BottleneckKind,
} from '@procsight/contract';
import type { Sample, RangeSeries } from '../api/prometheus';
import type { FeedbackAnnotation } from '../api/annotations';
import { evidenceFor, type EvidenceSamples } from './evidence';

export interface BottleneckRow {
  instance: string;
  group: string;
  kind: BottleneckKind;
  severity: number;
  confidence: number | null;
  /** Unix seconds the current continuous episode started (within the queried range), null if unknown. */
  since: number | null;
}

/** A neighbour named as causing part of a group's wait (procsight_contention). */
export interface CulpritRow {
  culprit: string;
  /** cpu, io or memory. */
  resource: string;
  /** Share of the wait it explains, 0–1. */
  share: number;
}

/** The bottleneck kind whose wait a contention resource is. */
const KIND_OF_RESOURCE: Record<string, BottleneckKind> = {
  cpu: 'cpu_starvation',
  io: 'io_bound',
  memory: 'memory_pressure',
};

/** Culprits per (host, victim group), largest share first. */
export function culpritsByGroup(contention: Sample[], instanceLabel = 'instance'): Map<string, CulpritRow[]> {
  const out = new Map<string, CulpritRow[]>();
  for (const c of contention) {
    const k = `${c.metric[instanceLabel] ?? ''}\u0000${c.metric.group ?? ''}`;
    const list = out.get(k) ?? [];
    list.push({ culprit: c.metric.culprit ?? '', resource: c.metric.resource ?? '', share: c.value });
    out.set(k, list);
  }
  for (const list of out.values()) {
    list.sort((a, b) => b.share - a.share || a.culprit.localeCompare(b.culprit));
  }
  return out;
}

/** The culprits that explain a bottleneck row's wait (only waits another group can cause have any). */
export function culpritsFor(
  row: Pick<BottleneckRow, 'instance' | 'group' | 'kind'>,
  byGroup: Map<string, CulpritRow[]>
): CulpritRow[] {
  return (byGroup.get(`${row.instance}\u0000${row.group}`) ?? []).filter(
    (c) => KIND_OF_RESOURCE[c.resource] === row.kind
  );
}

/** Joins severity, confidence and episode start into rows, most severe first. */
export function bottleneckRows(
  severity: Sample[],
  confidence: Sample[],
  history: RangeSeries[] = [],
  instanceLabel = 'instance'
): BottleneckRow[] {
  const key = (m: Record<string, string>) => `${m[instanceLabel]}\u0000${m.group}\u0000${m.kind}`;
  const conf = new Map(confidence.map((c) => [key(c.metric), c.value]));
  const since = new Map(history.map((h) => [key(h.metric), episodeStart(h.values)]));
  return severity
    .map((s) => ({
      instance: s.metric[instanceLabel] ?? '',
      group: s.metric.group ?? '',
      kind: s.metric.kind as BottleneckKind,
      severity: s.value,
      confidence: conf.get(key(s.metric)) ?? null,
      since: since.get(key(s.metric)) ?? null,
    }))
    .sort((a, b) => b.severity - a.severity || a.group.localeCompare(b.group));
}

/** Start of the last unbroken run of points (gaps longer than 3 steps end a run). */
export function episodeStart(values: Array<[number, number]>): number | null {
  if (values.length === 0) {
    return null;
  }
  const steps = values
    .slice(1)
    .map((v, i) => v[0] - values[i][0])
    .sort((a, b) => a - b);
  const typical = steps.length > 0 ? steps[Math.floor(steps.length / 2)] : 1;
  let start = values[values.length - 1][0];
  for (let i = values.length - 1; i > 0; i--) {
    if (values[i][0] - values[i - 1][0] > 3 * Math.max(typical, 1)) {
      break;
    }
    start = values[i - 1][0];
  }
  return start;
}

/** Feedback counts per action id, from annotations' tags. */
export function feedbackCounts(annotations: FeedbackAnnotation[]): Record<string, FeedbackCounts> {
  const out: Record<string, FeedbackCounts> = {};
  for (const a of annotations) {
    const action = a.tags.find((t) => t.startsWith('action:'))?.slice(7);
    const kind = a.tags.find((t) => t.startsWith('feedback:'))?.slice(9);
    if (!action || !kind) {
      continue;
    }
    const c = (out[action] ??= { helpful: 0, notHelpful: 0, applied: 0 });
    if (kind === 'helpful') {
      c.helpful++;
    } else if (kind === 'not_helpful') {
      c.notHelpful++;
    } else if (kind === 'applied') {
      c.applied++;
    }
  }
  return out;
}

export interface SuggestionCard {
  group: string;
  instance: string;
  kind: BottleneckKind;
  severity: number;
  action: string;
  title: string;
  rationale: string;
  steps: string[];
  expectedEffect: string;
  risk: string;
  score: number;
}

/**
 * Ranked suggestions for active bottlenecks, re-ranked with operator feedback.
 * Rationales are filled with evidence measured from Prometheus (`evidenceFor`
 * on the samples of `evidenceQueries`) plus severity and confidence; a
 * feature the series do not give renders as "n/a".
 */
export function suggestionCards(
  rows: BottleneckRow[],
  /** Counts per action: the same for every row, or per row's instance (each host's measured outcomes rank its own cards). */
  feedback: Record<string, FeedbackCounts> | ((instance: string) => Record<string, FeedbackCounts>),
  perBottleneck = 3,
  evidence: { samples?: EvidenceSamples; instanceLabel?: string } = {}
): SuggestionCard[] {
  const cards: SuggestionCard[] = [];
  for (const r of rows) {
    const items = [
      { feature: 'severity', value: r.severity, text: `severity ${Math.round(r.severity * 100)}%` },
      ...(r.confidence !== null
        ? [{ feature: 'confidence', value: r.confidence, text: `confidence ${Math.round(r.confidence * 100)}%` }]
        : []),
      ...evidenceFor(CATALOG, r.kind, r.instance, r.group, evidence.samples ?? {}, evidence.instanceLabel),
    ];
    for (const s of rankSuggestions(
      {
        group: r.group,
        kind: r.kind,
        severity: r.severity,
        evidence: items.map((e) => ({ ...e, baseline: null, threshold: 0, unit: '' })),
        feedback: typeof feedback === 'function' ? feedback(r.instance) : feedback,
        limit: perBottleneck,
      },
      CATALOG
    )) {
      cards.push({
        group: r.group,
        instance: r.instance,
        kind: r.kind,
        severity: r.severity,
        action: s.action,
        title: s.title,
        rationale: s.rationale,
        steps: s.steps,
        expectedEffect: s.expectedEffect,
        risk: s.risk,
        score: s.score,
      });
    }
  }
  return cards.sort((a, b) => b.score - a.score);
}

/** One action's measured efficacy (the exporter measures it after operators mark the action applied). */
export interface SuccessRate {
  kind: string;
  action: string;
  title: string;
  resolved: number;
  persisted: number;
  /** resolved / (resolved + persisted). */
  rate: number;
  /** Mean fall of the bottleneck's severity (0–1 scale), null when not exported. */
  meanFall: number | null;
}

/** An action's title outside any one bottleneck: its placeholders ({{culprit}}, {{group}}) in words. */
function actionTitle(kind: string, action: string): string {
  const title = CATALOG.kinds[kind as BottleneckKind]?.find((a) => a.id === action)?.title;
  return title === undefined
    ? action
    : renderTemplate(title, { group: 'the group', severity: 0, evidence: [], culprit: 'the culprit' });
}

/**
 * Success rate per action from `procsight_suggestion_outcomes_total` (summed
 * by kind, action, outcome) and the mean severity fall; most outcomes first.
 */
export function successRates(outcomes: Sample[], falls: Sample[]): SuccessRate[] {
  const by = new Map<string, SuccessRate>();
  for (const o of outcomes) {
    const { kind = '', action = '', outcome } = o.metric;
    const r = by.get(action) ?? {
      kind,
      action,
      title: actionTitle(kind, action),
      resolved: 0,
      persisted: 0,
      rate: 0,
      meanFall: null,
    };
    if (outcome === 'resolved') {
      r.resolved += o.value;
    } else if (outcome === 'persisted') {
      r.persisted += o.value;
    }
    by.set(action, r);
  }
  for (const f of falls) {
    const r = by.get(f.metric.action ?? '');
    if (r) {
      r.meanFall = f.value;
    }
  }
  return [...by.values()]
    .filter((r) => r.resolved + r.persisted > 0)
    .map((r) => ({ ...r, rate: r.resolved / (r.resolved + r.persisted) }))
    .sort((a, b) => b.resolved + b.persisted - (a.resolved + a.persisted) || a.action.localeCompare(b.action));
}

/** Feedback counts with the measured outcomes added, so the app ranks with the prior the exporter learned. */
export function withOutcomes(
  feedback: Record<string, FeedbackCounts>,
  rates: SuccessRate[]
): Record<string, FeedbackCounts> {
  const out: Record<string, FeedbackCounts> = { ...feedback };
  for (const r of rates) {
    out[r.action] = {
      ...(out[r.action] ?? { helpful: 0, notHelpful: 0, applied: 0 }),
      resolved: r.resolved,
      persisted: r.persisted,
    };
  }
  return out;
}

/**
 * The counts each host's cards rank with: the operators' feedback (Grafana
 * annotations, about an action wherever it was applied) with that host's own
 * measured outcomes, from `outcomes` summed by the host label as well. The
 * exporter ranks a host's suggestions with its own outcomes; summing every
 * selected host's here would let one host's outcomes reorder another's cards.
 */
export function feedbackPerHost(
  notes: Record<string, FeedbackCounts>,
  outcomes: Sample[],
  instanceLabel: string
): (instance: string) => Record<string, FeedbackCounts> {
  const byHost = new Map<string, Record<string, FeedbackCounts>>();
  return (instance) => {
    let counts = byHost.get(instance);
    if (counts === undefined) {
      const own = outcomes.filter((o) => (o.metric[instanceLabel] ?? '') === instance);
      counts = withOutcomes(notes, successRates(own, []));
      byHost.set(instance, counts);
    }
    return counts;
  };
}

/** Human units for table cells. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) {
    return '—';
  }
  if (s >= 3600) {
    return `${(s / 3600).toFixed(1)} h`;
  }
  if (s >= 60) {
    return `${Math.round(s / 60)} min`;
  }
  return `${Math.round(s)} s`;
}

/** One group on the behaviour map. */
export interface MapPoint {
  instance: string;
  group: string;
  x: number;
  y: number;
  cluster: number | null;
  usualCluster: number | null;
  /** In a cluster other than its usual one. */
  left: boolean;
  /** Has a novelty score (a group unlike any the exporter knew, using a lot). */
  unfamiliar: boolean;
}

/** Joins the profile series into map points (groups with both coordinates only). */
export function mapPoints(
  parts: { coordinates: Sample[]; cluster: Sample[]; usual: Sample[]; novelty: Sample[] },
  instanceLabel = 'instance'
): MapPoint[] {
  const key = (m: Record<string, string>) => `${m[instanceLabel] ?? ''}\u0000${m.group ?? ''}`;
  const byKey = (samples: Sample[]) => new Map(samples.map((x) => [key(x.metric), x.value]));
  const cluster = byKey(parts.cluster);
  const usual = byKey(parts.usual);
  const novel = byKey(parts.novelty);
  const axes = new Map<string, { metric: Record<string, string>; x?: number; y?: number }>();
  for (const c of parts.coordinates) {
    const e = axes.get(key(c.metric)) ?? { metric: c.metric };
    if (c.metric.axis === 'x') {
      e.x = c.value;
    }
    if (c.metric.axis === 'y') {
      e.y = c.value;
    }
    axes.set(key(c.metric), e);
  }
  return [...axes.entries()].flatMap(([k, e]) => {
    if (e.x === undefined || e.y === undefined) {
      return [];
    }
    const c = cluster.get(k) ?? null;
    const u = usual.get(k) ?? null;
    return [
      {
        instance: e.metric[instanceLabel] ?? '',
        group: e.metric.group ?? '',
        x: e.x,
        y: e.y,
        cluster: c,
        usualCluster: u,
        left: c !== null && u !== null && c !== u,
        unfamiliar: novel.has(k),
      },
    ];
  });
}
