import { Router } from 'express';
import { z } from 'zod';
import { RequestError } from '../../errors';
import type { AnalysisResult, AnomalyScore, Bottleneck } from '../../analyse/types';
import { BOTTLENECK_KINDS, SIGNALS } from '@procsight/contract';
import { parseQuery } from '../validate';

const KIND = z.enum(BOTTLENECK_KINDS as readonly [string, ...string[]]);
const SIGNAL = z.enum(['combined', 'novelty', ...SIGNALS]);
const GROUP = z.string().min(1).max(256);
const SCORE = z.coerce.number().min(0).max(1);

/** Query parameters per route (exported for the check of docs/api.md). */
export const bottleneckQuery = z.object({ group: GROUP.optional(), kind: KIND.optional(), min_severity: SCORE.optional() }).strict();
export const anomalyQuery = z.object({ group: GROUP.optional(), signal: SIGNAL.optional(), min_score: SCORE.optional(), anomalous: z.enum(['true', 'false']).optional() }).strict();
export const suggestionQuery = z.object({ group: GROUP.optional(), kind: KIND.optional() }).strict();
export const profilesQuery = z.object({}).strict();

export interface AnalysisRouterDeps {
  current(): AnalysisResult | null;
  knownGroups(): string[];
  /** `anomaly.threshold`: a score at or above it is flagged `anomalous`. */
  anomalyThreshold: number;
}

function bottleneckView(b: Bottleneck) {
  return {
    group: b.group,
    kind: b.kind,
    severity: b.severity,
    confidence: b.confidence,
    since: new Date(b.sinceMs).toISOString(),
    evidence: b.evidence,
    suggestions: b.suggestions.map((s) => ({
      action: s.action,
      title: s.title,
      rationale: s.rationale,
      steps: s.steps,
      expected_effect: s.expectedEffect,
      risk: s.risk,
      score: s.score,
    })),
    culprits: b.culprits.map((c) => ({ group: c.group, resource: c.resource, share: c.share, evidence: c.evidence })),
  };
}

/** /api/v1/bottlenecks, /anomalies, /suggestions, /profiles (docs/api.md). */
export function createAnalysisRouter(deps: AnalysisRouterDeps): Router {
  const r = Router();
  const result = (): AnalysisResult => {
    const a = deps.current();
    if (!a) throw new RequestError(503, 'no analysis yet: try again after the first collection interval');
    return a;
  };
  // Before the first analysis every group is unknown: answer 503 (try later), not 404.
  const checkGroup = (group: string | undefined): void => {
    result();
    if (group !== undefined && !deps.knownGroups().includes(group)) throw new RequestError(404, `unknown group ${JSON.stringify(group)}`);
  };

  r.get('/bottlenecks', (req, res) => {
    const q = parseQuery(bottleneckQuery, req.query);
    checkGroup(q.group);
    const list = result().bottlenecks.filter(
      (b) => (q.group === undefined || b.group === q.group) && (q.kind === undefined || b.kind === q.kind) && b.severity >= (q.min_severity ?? 0),
    );
    res.json({ bottlenecks: list.sort((a, b) => b.severity - a.severity).map(bottleneckView) });
  });

  r.get('/anomalies', (req, res) => {
    const q = parseQuery(anomalyQuery, req.query);
    checkGroup(q.group);
    const flagged = (a: AnomalyScore): boolean => a.score >= deps.anomalyThreshold;
    const list = result().anomalies.filter(
      (a) =>
        (q.group === undefined || a.group === q.group) &&
        (q.signal === undefined || a.signal === q.signal) &&
        a.score >= (q.min_score ?? 0) &&
        (q.anomalous === undefined || flagged(a) === (q.anomalous === 'true')),
    );
    res.json({
      anomalies: list
        .sort((a, b) => b.score - a.score)
        .map((a) => ({ group: a.group, signal: a.signal, score: a.score, anomalous: flagged(a), ...(a.contributors ? { contributors: a.contributors } : {}) })),
    });
  });

  r.get('/suggestions', (req, res) => {
    const q = parseQuery(suggestionQuery, req.query);
    checkGroup(q.group);
    const list = result()
      .bottlenecks.filter((b) => (q.group === undefined || b.group === q.group) && (q.kind === undefined || b.kind === q.kind))
      .flatMap((b) => b.suggestions.map((s) => ({ group: b.group, kind: b.kind, severity: b.severity, ...bottleneckView(b).suggestions.find((x) => x.action === s.action) })));
    res.json({ suggestions: list.sort((a, b) => (b.score ?? 0) - (a.score ?? 0)) });
  });

  r.get('/profiles', (req, res) => {
    parseQuery(profilesQuery, req.query);
    res.json(result().profiles);
  });
  return r;
}
