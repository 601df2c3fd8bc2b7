import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { REMEDIATION_STATUSES } from '@procsight/contract';
import { ActionError, RequestError } from '../../errors';
import type { Remediator } from '../../remediate/remediator';
import { describePrincipal, type ActionRecord, type Principal } from '../../remediate/types';
import { webhookSchema } from '../../remediate/webhook';
import { parseBody, parseQuery } from '../validate';

/** Query of GET /api/v1/actions (exported for the check of docs/api.md). */
export const actionsQuery = z
  .object({
    status: z.enum(REMEDIATION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
export const actionQuery = z.object({}).strict();
export const decisionQuery = z.object({}).strict();
export const webhookQuery = z.object({}).strict();
/** Approve, reject and rollback take no body (an empty JSON object at most). */
export const decisionBody = z.object({}).strict();

/** Notifications per minute the webhook takes (Alertmanager sends one per group and interval). */
const WEBHOOK_PER_MINUTE = 120;
/** Approvals, rejections and rollbacks per minute per client address. */
const DECISIONS_PER_MINUTE = 60;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Who authenticated the request (set by the bearer and basic auth middlewares). */
function principalOf(res: Response): Principal | null {
  const p = res.locals.principal as Principal | undefined;
  return p ?? null;
}

/** The Grafana login the plugin's route forwards (X-Grafana-User), when it is a plain name. */
function grafanaUser(req: Request): string | undefined {
  const u = req.get('x-grafana-user');
  return u && /^[\w.@+-]{1,128}$/.test(u) ? u : undefined;
}

function limiter(perMinute: number, what: string) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new RequestError(429, `too many ${what}: slow down`)),
  });
}

function view(r: ActionRecord) {
  return {
    id: r.id,
    group: r.group,
    kind: r.kind,
    action: r.action,
    status: r.status,
    reason: r.reason,
    before: r.before,
    after: r.after,
    requested_at: r.requested_at,
    decided_at: r.decided_at,
    decided_by: r.decided_by,
    executing: r.executing,
    alert: { alertname: r.alert.alertname, fingerprint: r.alert.fingerprint, starts_at: r.alert.startsAt, instance: r.alert.instance },
    rule: r.rule,
    history: r.history,
  };
}

function actionErrorToRequest(e: unknown): never {
  if (e instanceof ActionError) throw new RequestError(e.reason === 'not_found' ? 404 : e.reason === 'conflict' ? 409 : 503, e.message);
  throw e;
}

/**
 * POST /api/v1/alertmanager (Alertmanager's webhook, bearer token only),
 * GET /api/v1/actions[/<id>], POST /api/v1/actions/<id>/approve|reject|rollback
 * (bearer token or a web-config user). With remediation off the webhook and
 * the decisions answer 404 and the list is empty.
 */
export function createRemediationRouter(deps: { remediator: Remediator | null; perMinute?: number }): Router {
  const r = Router();
  const on = (): Remediator => {
    if (!deps.remediator) throw new RequestError(404, 'remediation is off (remediation.mode in the config file)');
    return deps.remediator;
  };

  // The token is checked before a body of up to 1 MB is read.
  const requireToken = (_req: Request, res: Response, next: () => void): void => {
    on();
    if (principalOf(res)?.kind !== 'token') throw new RequestError(401, 'the webhook needs Authorization: Bearer <token> (remediation.webhook_token_file)');
    next();
  };
  r.post('/alertmanager', limiter(deps.perMinute ?? WEBHOOK_PER_MINUTE, 'notifications'), requireToken, express.json({ limit: '1mb' }), async (req, res) => {
    parseQuery(webhookQuery, req.query);
    const payload = parseBody(webhookSchema, req.body);
    const results = await on()
      .handleWebhook(payload, describePrincipal({ kind: 'token' }))
      .catch(actionErrorToRequest);
    res.json({ results });
  });

  r.get('/actions', (req, res) => {
    const q = parseQuery(actionsQuery, req.query);
    const rem = deps.remediator;
    res.json({
      mode: rem?.mode ?? 'off',
      kill_switch: rem?.killSwitchOn() ?? false,
      pending: rem?.pendingCount() ?? 0,
      actions: (rem?.list({ status: q.status, limit: q.limit }) ?? []).map(view),
    });
  });

  r.get('/actions/:id', (req, res) => {
    parseQuery(actionQuery, req.query);
    const id = String(req.params.id);
    const found = ID.test(id) ? deps.remediator?.find(id) : undefined;
    if (!found) throw new RequestError(404, `no action ${JSON.stringify(id.slice(0, 64))}`);
    res.json({ action: view(found) });
  });

  r.post('/actions/:id/:decision', limiter(deps.perMinute ?? DECISIONS_PER_MINUTE, 'decisions'), express.json({ limit: '1kb' }), async (req, res) => {
    parseQuery(decisionQuery, req.query);
    parseBody(decisionBody, req.body ?? {});
    const rem = on();
    const decision = String(req.params.decision);
    if (decision !== 'approve' && decision !== 'reject' && decision !== 'rollback')
      throw new RequestError(404, `no such endpoint: POST /api/v1/actions/<id>/${decision.slice(0, 32)} (approve, reject or rollback)`);
    const principal = principalOf(res);
    if (!principal) throw new RequestError(401, 'approving, rejecting and rolling back need Authorization: Bearer <token> or a web-config user');
    const id = String(req.params.id);
    if (!ID.test(id)) throw new RequestError(404, 'no such action');
    const by = describePrincipal(principal, grafanaUser(req));
    const action = await (async () =>
      decision === 'approve' ? rem.approve(id, by) : decision === 'reject' ? rem.reject(id, by) : rem.rollback(id, by))().catch(actionErrorToRequest);
    res.json({ action: view(action) });
  });
  return r;
}
