import express, { type NextFunction, type Request, type Response } from 'express';
import { securityHeaders } from './headers';
import { rateLimit } from 'express-rate-limit';
import { ProcsightError, RequestError } from '../errors';
import type { Exposition } from '../expose/registry';
import { formatFor } from '../expose/body';
import type { ExporterState } from '../expose/family';
import type { Logger } from '../log/logger';
import type { ProcIdentity, ProcSample } from '../read/types';
import { createGroupsRouter } from './routes/groups';
import { createProcessesRouter } from './routes/processes';
import { createAnalysisRouter } from './routes/analysis';
import { createForecastRouter } from './routes/forecasts';
import { createCorrelationsRouter, type CorrelationsRouterDeps } from './routes/correlations';
import { createFeedbackRouter } from './routes/feedback';
import { createRemediationRouter } from './routes/remediation';
import type { FeedbackService } from '../analyse/feedback/service';
import type { Remediator } from '../remediate/remediator';
import { landingPage } from './landing';
import { probeAnswer } from './probes';
import { gzipResponses } from './gzip';
import { errorMessage } from '../util/error-message';

export interface AppDeps {
  state: ExporterState;
  exposition: Exposition;
  logger: Logger;
  version: string;
  telemetryPath: string;
  /** True once the first collection has finished. */
  ready(): boolean;
  /** A group's live processes (GET /api/v1/groups/:group/processes). */
  processesOf(group: string): Array<{ identity: ProcIdentity; sample: ProcSample }>;
  /** Correlation hints of a group (GET /api/v1/correlations); null before the first analysis (absent: always null). */
  correlations?: CorrelationsRouterDeps['correlations'];
  /** Requests per minute per client address on /api/v1 (default 1200). */
  apiRateLimitPerMinute?: number;
  /** Writes per minute (feedback verdicts, webhook notifications, decisions on actions), each; default: each route's own (tests raise it). */
  writeRateLimitPerMinute?: number;
  /** Operator feedback (POST|GET /api/v1/feedback); absent: 404. */
  feedback?: FeedbackService;
  /** Remediation (webhook, actions); null or absent: remediation is off. */
  remediator?: Remediator | null;
  /** Middleware run before every route (auth, headers). */
  before?: Array<(req: Request, res: Response, next: NextFunction) => void>;
}

/** The exporter's HTTP app: landing page, metrics, health, JSON API. Every route is registered here. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: hashing each megabyte-sized /metrics body costs more than any scraper saves (none sends If-None-Match).
  app.set('etag', false);
  app.set('query parser', 'simple');
  // JSON responses escape <, > and & (as \u003c …): echoed input can never become markup.
  app.set('json escape', true);
  // Behind the HTTP front (./front), which connects over a Unix socket (no address) and names its client in X-Forwarded-For.
  app.set('trust proxy', (addr: string | undefined, hop: number) => hop === 0 && !addr);
  app.use(securityHeaders());
  for (const mw of deps.before ?? []) app.use(mw);

  app.get('/', (_req, res) => {
    res.type('html').send(landingPage({ version: deps.version, telemetryPath: deps.telemetryPath }));
  });
  // Scrapes go to the HTTP front (./front), which compresses each rendering once; this route compresses like the API, in the thread pool.
  app.get(deps.telemetryPath, gzipResponses(), async (req, res) => {
    const format = formatFor(req.get('accept'));
    res.set('Content-Type', deps.exposition.contentType(format));
    res.send(await deps.exposition.body(format));
  });
  for (const probe of ['healthz', 'readyz'] as const) {
    app.get(`/${probe}`, (_req, res) => {
      const answer = probeAnswer(probe, deps.ready());
      res.status(answer.status).type('text').send(answer.body);
    });
  }

  const api = express.Router();
  api.use(gzipResponses());
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.apiRateLimitPerMinute ?? 1200,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new RequestError(429, 'too many requests: slow down')),
    }),
  );
  const knownGroups = (): string[] => (deps.state.snapshot()?.groups ?? []).map((g) => g.name);
  api.use(createGroupsRouter({ snapshot: () => deps.state.snapshot() }));
  api.use(createProcessesRouter({ knownGroups, processesOf: deps.processesOf }));
  api.use(createAnalysisRouter({ current: () => deps.state.analysis(), knownGroups }));
  api.use(createForecastRouter({ current: () => deps.state.forecasts() }));
  api.use(createCorrelationsRouter({ correlations: deps.correlations ?? (() => null), knownGroups }));
  if (deps.feedback) api.use(createFeedbackRouter({ feedback: deps.feedback, perMinute: deps.writeRateLimitPerMinute }));
  api.use(createRemediationRouter({ remediator: deps.remediator ?? null, perMinute: deps.writeRateLimitPerMinute }));
  api.use((req, _res, next) => next(new RequestError(404, `no such endpoint: ${req.method} /api/v1${req.path}`)));
  app.use('/api/v1', api);

  app.use((_req, res) => {
    res.status(404).type('text').send('not found\n');
  });
  // Errors: a message for the user, never a stack trace or an internal path.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof RequestError) {
      deps.exposition.self.apiErrors.inc({ reason: String(err.status) });
      res.status(err.status).json({ error: err.message });
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number((err as { status: unknown }).status) : 500;
    if (status >= 400 && status < 500) {
      // express' own errors (bad JSON body, payload too large): their messages are safe.
      deps.exposition.self.apiErrors.inc({ reason: String(status) });
      res.status(status).json({ error: err instanceof Error ? err.message : 'bad request' });
      return;
    }
    deps.exposition.self.apiErrors.inc({ reason: 'internal' });
    deps.logger.error({ err: errorMessage(err), code: err instanceof ProcsightError ? err.code : 'internal' }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
