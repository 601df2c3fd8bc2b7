import { Router } from 'express';
import { z } from 'zod';
import { RequestError } from '../../errors';
import type { AnalysisResult, AnomalyScore, Bottleneck } from '../../analyse/types';
import { ANOMALY_STATES, ANOMALY_THRESHOLD, BOTTLENECK_KINDS, SIGNALS } from '@procsight/contract';
import { parseQuery } from '../validate';
import { sendJsonList } from '../json';

const KIND = z.enum(BOTTLENECK_KINDS as readonly [string, ...string[]]);
const SIGNAL = z.enum(['combined', 'novelty', ...SIGNALS]);
const GROUP = z.string().min(1).max(256);
const SCORE = z.coerce.number().min(0).max(1);

/** Query parameters per route (exported for the check of docs/api.md). */
export const bottleneckQuery = z.object({ group: GROUP.optional(), kind: KIND.optional(), min_severity: SCORE.optional() }).strict();
export const anomalyQuery = z
  .object({
    group: GROUP.optional(),
    signal: SIGNAL.optional(),
    state: z.enum(ANOMALY_STATES).optional(),
    min_score: SCORE.optional(),
    anomalous: z.enum(['true', 'false']).optional(),
  })
  .strict();
export const suggestionQuery = z.object({ group: GROUP.optional(), kind: KIND.optional() }).strict();
export const profilesQuery = z.object({}).strict();
export const patternsQuery = z.object({ group: GROUP.optional() }).strict();

export interface AnalysisRouterDeps {
  current(): AnalysisResult | null;
  knownGroups(): string[];
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

/** One /anomalies entry: the score and its state, with the learned normal, z and band where there is one. */
function anomalyView(a: AnomalyScore, band: { lower: number; upper: number } | undefined) {
  return {
    group: a.group,
    signal: a.signal,
    score: a.score,
    state: a.state,
    anomalous: a.score !== null && a.score >= ANOMALY_THRESHOLD,
    ...(a.baseline !== undefined ? { baseline: a.baseline } : {}),
    ...(a.z !== undefined ? { z: a.z } : {}),
    ...(band ? { band } : {}),
    ...(a.contributors ? { contributors: a.contributors } : {}),
  };
}

/** /api/v1/bottlenecks, /anomalies, /suggestions, /profiles, /patterns (docs/api.md). */
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

  r.get('/bottlenecks', async (req, res) => {
    const q = parseQuery(bottleneckQuery, req.query);
    checkGroup(q.group);
    const list = result().bottlenecks.filter(
      (b) => (q.group === undefined || b.group === q.group) && (q.kind === undefined || b.kind === q.kind) && b.severity >= (q.min_severity ?? 0),
    );
    await sendJsonList(res, { key: 'bottlenecks', items: list.sort((a, b) => b.severity - a.severity), view: bottleneckView });
  });

  r.get('/anomalies', async (req, res) => {
    const q = parseQuery(anomalyQuery, req.query);
    checkGroup(q.group);
    const a = result();
    const bands = new Map(a.bands.map((b) => [`${b.group}\u0000${b.signal}`, { lower: b.lower, upper: b.upper }]));
    const list = a.anomalies
      .map((x) => anomalyView(x, bands.get(`${x.group}\u0000${x.signal}`)))
      .filter(
        (x) =>
          (q.group === undefined || x.group === q.group) &&
          (q.signal === undefined || x.signal === q.signal) &&
          (q.state === undefined || x.state === q.state) &&
          (q.min_score === undefined || (x.score !== null && x.score >= q.min_score)) &&
          (q.anomalous === undefined || x.anomalous === (q.anomalous === 'true')),
      );
    // Highest score first; series still learning or settling last.
    await sendJsonList(res, {
      head: { threshold: ANOMALY_THRESHOLD },
      key: 'anomalies',
      items: list.sort((x, y) => (y.score ?? -1) - (x.score ?? -1)),
      view: (x) => x,
    });
  });

  r.get('/suggestions', async (req, res) => {
    const q = parseQuery(suggestionQuery, req.query);
    checkGroup(q.group);
    const list = result()
      .bottlenecks.filter((b) => (q.group === undefined || b.group === q.group) && (q.kind === undefined || b.kind === q.kind))
      .flatMap((b) =>
        b.suggestions.map((s) => ({ group: b.group, kind: b.kind, severity: b.severity, ...bottleneckView(b).suggestions.find((x) => x.action === s.action) })),
      );
    await sendJsonList(res, { key: 'suggestions', items: list.sort((a, b) => (b.score ?? 0) - (a.score ?? 0)), view: (s) => s });
  });

  r.get('/profiles', (req, res) => {
    parseQuery(profilesQuery, req.query);
    res.json(result().profiles);
  });

  r.get('/patterns', (req, res) => {
    const q = parseQuery(patternsQuery, req.query);
    checkGroup(q.group);
    const list = result().patterns.filter((p) => q.group === undefined || p.group === q.group);
    res.json({ patterns: list.map((p) => ({ group: p.group, daily: p.daily, weekly: p.weekly, peak_hours_utc: p.peakHoursUtc })) });
  });
  return r;
}
