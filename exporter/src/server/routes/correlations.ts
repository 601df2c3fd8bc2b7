import { Router } from 'express';
import { z } from 'zod';
import { SIGNALS } from '@procsight/contract';
import { RequestError } from '../../errors';
import type { CorrelationReport } from '../../analyse/correlate/hints';
import { parseQuery } from '../validate';
import { sendJsonList } from '../json';

/** Query parameters (exported for the check of docs/api.md). */
export const correlationsQuery = z
  .object({ group: z.string().min(1).max(256), signal: z.enum(SIGNALS).optional(), limit: z.coerce.number().int().min(1).max(50).default(10) })
  .strict();

export interface CorrelationsRouterDeps {
  /** Null before the first analysis. */
  correlations(q: z.infer<typeof correlationsQuery>): CorrelationReport | null;
  knownGroups(): string[];
}

/** GET /api/v1/correlations: series that moved with a group's bottleneck signal, a hint (docs/api.md). */
export function createCorrelationsRouter(deps: CorrelationsRouterDeps): Router {
  const r = Router();
  r.get('/correlations', async (req, res) => {
    const q = parseQuery(correlationsQuery, req.query);
    const report = deps.correlations(q);
    if (!report) throw new RequestError(503, 'no analysis yet: try again after the first collection interval');
    if (!deps.knownGroups().includes(q.group)) throw new RequestError(404, `unknown group ${JSON.stringify(q.group)}`);
    await sendJsonList(res, {
      head: { group: report.group, signal: report.signal, bottleneck: report.bottleneck, window_seconds: 3600 },
      key: 'correlations',
      items: report.hints,
      view: (h) => ({ source: h.source, group: h.group, signal: h.signal, strength: h.strength, lag_seconds: h.lagSeconds, pairs: h.pairs }),
    });
  });
  return r;
}
