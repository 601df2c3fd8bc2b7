import { compareText } from './order';
/**
 * Ranking of suggestions, pure so the exporter and the Grafana plugin share it:
 * score = severity × learned prior × feedback factor.
 *
 * The learned prior is the catalog's prior updated with measured outcomes of
 * "applied" actions (did the bottleneck clear within 30 minutes?): the mean
 * of a Beta prior worth OUTCOME_PRIOR_WEIGHT outcomes centred on the catalog
 * prior, (prior × w + resolved) / (w + resolved + persisted). No outcome
 * gives the catalog prior; many move it towards the measured success rate.
 *
 * The feedback factor is the mean of a Beta(2, 2) prior updated with operator
 * feedback (helpful and applied count as successes, not helpful as a failure),
 * scaled so that no feedback gives 1: (2 + s) / (4 + s + f) × 2. It lies in
 * (0, 2): one "not helpful" gives 0.8, one "helpful" 1.2, and many votes move
 * it towards 2 × the observed success rate.
 */
import type { BottleneckKind } from './kinds';
import type { Evidence, Suggestion, SuggestionSeries } from './analysis';
import type { Catalog } from './catalog';
import { renderTemplate } from './render';

export interface FeedbackCounts {
  helpful: number;
  notHelpful: number;
  applied: number;
  /** Applied actions whose bottleneck cleared within the measurement window (the exporter measures them). */
  resolved?: number;
  /** Applied actions whose bottleneck was still active at the end of the window. */
  persisted?: number;
}

/** Outcomes the catalog prior is worth: four measured outcomes weigh as much as the catalog's judgement. */
export const OUTCOME_PRIOR_WEIGHT = 4;

/** The catalog prior updated with measured outcomes (see the file comment); in [0, 1]. */
export function learnedPrior(prior: number, f: FeedbackCounts | undefined): number {
  const resolved = Math.max(0, f?.resolved ?? 0);
  const persisted = Math.max(0, f?.persisted ?? 0);
  return (prior * OUTCOME_PRIOR_WEIGHT + resolved) / (OUTCOME_PRIOR_WEIGHT + resolved + persisted);
}

/** Measured success rate of an action (resolved / measured outcomes), null before any outcome. */
export function successRate(f: FeedbackCounts | undefined): number | null {
  const resolved = Math.max(0, f?.resolved ?? 0);
  const n = resolved + Math.max(0, f?.persisted ?? 0);
  return n > 0 ? resolved / n : null;
}

export function feedbackFactor(f: FeedbackCounts | undefined): number {
  if (!f) return 1;
  const s = Math.max(0, f.helpful) + Math.max(0, f.applied);
  const n = Math.max(0, f.notHelpful);
  return ((2 + s) / (4 + s + n)) * 2;
}

export interface RankInput {
  group: string;
  kind: BottleneckKind;
  severity: number;
  evidence: readonly Evidence[];
  /** Feedback per action id. */
  feedback?: Readonly<Record<string, FeedbackCounts>>;
  limit?: number;
  /** Groups named as culprits of the bottleneck's wait, most to blame first: actions that act on a culprit need one. */
  culprits?: ReadonlyArray<{ group: string }>;
}

export function rankSuggestions(input: RankInput, catalog: Catalog): Suggestion[] {
  const culprit = input.culprits?.[0]?.group;
  const actions = (catalog.kinds[input.kind] ?? []).filter((a) => !a.needs_culprit || culprit !== undefined);
  const ctx = { group: input.group, severity: input.severity, evidence: input.evidence, culprit };
  return actions
    .map((a) => ({
      action: a.id,
      kind: input.kind,
      title: renderTemplate(a.title, ctx),
      rationale: renderTemplate(a.rationale, ctx),
      steps: a.steps.map((s) => renderTemplate(s, ctx)),
      expectedEffect: renderTemplate(a.expected_effect, ctx),
      risk: a.risk,
      score: Number((input.severity * learnedPrior(a.prior, input.feedback?.[a.id]) * feedbackFactor(input.feedback?.[a.id])).toFixed(4)),
    }))
    .sort((a, b) => b.score - a.score || compareText(a.action, b.action))
    .slice(0, input.limit ?? actions.length);
}

/**
 * The suggestions to export: per group, its `cap` top-ranked actions across
 * all its active bottlenecks (highest score first; ties by kind, then
 * action, so the choice is stable), where each active bottleneck first gets
 * its own best action while the cap allows. Pure, like the ranking.
 */
export function topSuggestionsPerGroup(
  bottlenecks: ReadonlyArray<{ group: string; kind: BottleneckKind; severity: number; suggestions: ReadonlyArray<{ action: string; score: number }> }>,
  cap: number,
): SuggestionSeries[] {
  const order = (a: SuggestionSeries, b: SuggestionSeries) => b.score - a.score || compareText(a.kind, b.kind) || compareText(a.action, b.action);
  const all = bottlenecks.flatMap((b) => b.suggestions.map((s) => ({ group: b.group, kind: b.kind, action: s.action, score: s.score }))).sort(order);
  // First each active bottleneck's best action (so every alert can name one), most severe bottlenecks first
  // while the cap allows (a severe bottleneck whose actions have low priors still comes first); then the
  // remaining slots by rank.
  const key = (x: { group: string; kind: BottleneckKind }): string => `${x.group}\u0000${x.kind}`;
  const severity = new Map(bottlenecks.map((b) => [key(b), b.severity]));
  const best = new Map<string, SuggestionSeries>();
  for (const s of all) if (!best.has(key(s))) best.set(key(s), s);
  const bySeverity = (a: SuggestionSeries, b: SuggestionSeries) => (severity.get(key(b)) ?? 0) - (severity.get(key(a)) ?? 0) || order(a, b);
  const taken = new Map<string, number>();
  const chosen = new Set<SuggestionSeries>();
  const take = (s: SuggestionSeries): void => {
    const n = taken.get(s.group) ?? 0;
    if (n >= cap || chosen.has(s)) return;
    taken.set(s.group, n + 1);
    chosen.add(s);
  };
  [...best.values()].sort(bySeverity).forEach(take);
  all.forEach(take);
  return all.filter((s) => chosen.has(s));
}
