import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { BOTTLENECK_KINDS, FEEDBACK_VERDICTS } from '@procsight/contract';
import { RequestError } from '../../errors';
import type { FeedbackService } from '../../analyse/feedback/service';
import { parseBody, parseQuery } from '../validate';

/** Body of POST /api/v1/feedback and query of GET (exported for the check of docs/api.md). */
export const feedbackBody = z
  .object({
    group: z.string().min(1).max(256),
    kind: z.enum(BOTTLENECK_KINDS),
    action: z.string().min(1).max(128),
    verdict: z.enum(FEEDBACK_VERDICTS),
  })
  .strict();
export const feedbackQuery = z.object({}).strict();

/** Verdicts one client address may post per minute. */
const FEEDBACK_PER_MINUTE = 60;

/** POST /api/v1/feedback (a verdict on a suggested action) and GET /api/v1/feedback (what was said and measured per action). */
export function createFeedbackRouter(deps: { feedback: Pick<FeedbackService, 'knows' | 'record' | 'summary' | 'measurements'>; perMinute?: number }): Router {
  const r = Router();
  const limit = rateLimit({
    windowMs: 60_000,
    limit: deps.perMinute ?? FEEDBACK_PER_MINUTE,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new RequestError(429, 'too much feedback: slow down')),
  });
  r.post('/feedback', limit, express.json({ limit: '4kb' }), (req, res) => {
    const body = parseBody(feedbackBody, req.body);
    if (!deps.feedback.knows(body.kind, body.action))
      throw new RequestError(400, `action: ${JSON.stringify(body.action)} is not a catalog action of ${body.kind}`);
    const { counts, measurement } = deps.feedback.record(body);
    res.status(201).json({
      recorded: body,
      counts: {
        helpful: counts.helpful,
        not_helpful: counts.notHelpful,
        applied: counts.applied,
        resolved: counts.resolved ?? 0,
        persisted: counts.persisted ?? 0,
      },
      measurement: measurement.watching ? { watching: true, severity_before: measurement.severityBefore } : { watching: false, reason: measurement.reason },
    });
  });
  r.get('/feedback', (req, res) => {
    parseQuery(feedbackQuery, req.query);
    const m = deps.feedback.measurements();
    const iso = (ms: number) => new Date(ms).toISOString();
    res.json({
      actions: deps.feedback.summary().map((a) => ({
        kind: a.kind,
        action: a.action,
        catalog_prior: a.catalogPrior,
        learned_prior: a.learnedPrior,
        helpful: a.helpful,
        not_helpful: a.notHelpful,
        applied: a.applied,
        resolved: a.resolved,
        persisted: a.persisted,
        success_rate: a.successRate,
        mean_severity_fall: a.meanSeverityFall,
      })),
      watching: m.watching.map((w) => ({ group: w.group, kind: w.kind, action: w.action, applied_at: iso(w.appliedAtMs), severity_before: w.severityBefore })),
      recent: m.recent.map((o) => ({
        group: o.group,
        kind: o.kind,
        action: o.action,
        outcome: o.outcome,
        applied_at: iso(o.appliedAtMs),
        decided_at: iso(o.decidedAtMs),
        severity_before: o.severityBefore,
        severity_after: o.severityAfter,
      })),
    });
  });
  return r;
}
