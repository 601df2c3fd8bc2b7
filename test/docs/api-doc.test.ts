import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { anomalyQuery, bottleneckQuery, createAnalysisRouter, patternsQuery, profilesQuery, suggestionQuery } from '../../exporter/src/server/routes/analysis';
import { createForecastRouter, forecastQuery } from '../../exporter/src/server/routes/forecasts';
import { createGroupsRouter, groupsQuery } from '../../exporter/src/server/routes/groups';
import { createProcessesRouter, processesQuery } from '../../exporter/src/server/routes/processes';
import { createFeedbackRouter, feedbackBody, feedbackQuery } from '../../exporter/src/server/routes/feedback';
import { actionQuery, actionsQuery, createRemediationRouter, decisionBody, decisionQuery, webhookQuery } from '../../exporter/src/server/routes/remediation';
import { OutcomeTracker } from '../../exporter/src/analyse/feedback/outcomes';
import { FeedbackService } from '../../exporter/src/analyse/feedback/service';
import { Remediator } from '../../exporter/src/remediate/remediator';
import { parseConfigText } from '../../exporter/src/config/load';
import { silentLogger } from '../../exporter/src/log/logger';
import { CATALOG, type FeedbackCounts } from '@procsight/contract';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { correlationsQuery, createCorrelationsRouter } from '../../exporter/src/server/routes/correlations';
import type { AnalysisResult } from '../../exporter/src/analyse/types';
import type { Forecast } from '../../exporter/src/analyse/forecast/types';
import type { CorrelationReport } from '../../exporter/src/analyse/correlate/hints';
import type { Service } from '../../exporter/src/compose';
import { startExporter } from '../helpers/exporter';
import { analysisResult, identity } from '../helpers/synthetic';

/**
 * docs/api.md is the API's public contract: every route it documents exists
 * and every route is documented; each route's parameter table names exactly
 * the parameters its schema accepts (enum values and defaults too); and each
 * JSON example has the key structure of a real response (groups and
 * processes from an exporter running in-process on this machine's /proc;
 * analysis and forecasts from the real routers over typed results, since a
 * bottleneck or a forecast takes minutes to appear).
 */
const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');

/** Query parameters per route (`METHOD path`). */
const QUERIES: Record<string, z.ZodObject> = {
  'GET /groups': groupsQuery,
  'GET /groups/{group}/processes': processesQuery,
  'GET /bottlenecks': bottleneckQuery,
  'GET /anomalies': anomalyQuery,
  'GET /suggestions': suggestionQuery,
  'GET /profiles': profilesQuery,
  'GET /patterns': patternsQuery,
  'GET /forecasts': forecastQuery,
  'GET /correlations': correlationsQuery,
  'GET /feedback': feedbackQuery,
  'POST /feedback': feedbackQuery,
  'POST /alertmanager': webhookQuery,
  'GET /actions': actionsQuery,
  'GET /actions/{id}': actionQuery,
  'POST /actions/{id}/{decision}': decisionQuery,
};

/** JSON body fields of POST routes (the webhook's is Alertmanager's payload, documented by reference). */
const BODIES: Record<string, z.ZodObject | null> = {
  'POST /feedback': feedbackBody,
  'POST /alertmanager': null,
  'POST /actions/{id}/{decision}': decisionBody,
};

interface Param {
  name: string;
  values: string[];
  default: string | null;
}

interface Section {
  path: string;
  params: Param[];
  fields: Param[];
  examples: unknown[];
}

/** The rows of the Markdown table whose header starts with `| first |`. */
function table(lines: string[], first: string): Param[] {
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  const out: Param[] = [];
  if (start < 0) return out;
  const header = lines[start].split('|').map((c) => c.trim());
  const def = header.indexOf('default');
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    const cells = l.split('|').map((c) => c.trim());
    const ticks = (c: string) => [...c.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    out.push({ name: ticks(cells[1])[0], values: ticks(cells[2]), default: def > 0 && /^(`[^`]+`|\d+)$/.test(cells[def]) ? cells[def].replace(/`/g, '') : null });
  }
  return out;
}

/** The `## \`GET|POST /api/v1/…\`` sections with their parameter and body tables and JSON examples. */
function sections(): Section[] {
  const parts = doc.split(/^## /m).slice(1);
  return parts
    .map((p) => ({ head: /^`(GET|POST) \/api\/v1(\S+)`/.exec(p), body: p }))
    .filter((p): p is { head: RegExpExecArray; body: string } => p.head !== null)
    .map(({ head, body }) => {
      const lines = body.split('\n');
      const examples = [...body.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown);
      return { path: `${head[1]} ${head[2]}`, params: table(lines, 'parameter'), fields: table(lines, 'field'), examples };
    });
}

/**
 * Key structure: objects by key, arrays by the union of their elements, maps keyed by data (horizon,
 * feature) by their values; a primitive is a leaf; null (rates before two cycles, a limit never crossed)
 * says nothing and matches any structure.
 */
type Shape = 'leaf' | { obj: Record<string, Shape | null> } | { arr: Shape | null } | { map: Shape | null };
const MAPS = new Set(['horizons', 'accuracy', 'centroid']);
/** Keys whose value's shape is the remediation action's own (docs/remediation.md), not the API's. */
const FREE = new Set(['before', 'after']);
function shape(x: unknown, key = ''): Shape | null {
  if (x === null) return null;
  if (FREE.has(key)) return 'leaf';
  if (Array.isArray(x)) return { arr: x.reduce<Shape | null>((acc, e) => merge(acc, shape(e)), null) };
  if (typeof x === 'object') {
    if (MAPS.has(key)) return { map: Object.values(x).reduce<Shape | null>((acc, v) => merge(acc, shape(v)), null) };
    return { obj: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shape(v, k)])) };
  }
  return 'leaf';
}
function merge(a: Shape | null, b: Shape | null): Shape | null {
  if (a === null || b === null) return a ?? b;
  if (a !== 'leaf' && b !== 'leaf' && 'obj' in a && 'obj' in b) {
    const out: Record<string, Shape | null> = { ...a.obj };
    for (const [k, v] of Object.entries(b.obj)) out[k] = merge(out[k] ?? null, v);
    return { obj: out };
  }
  if (a !== 'leaf' && b !== 'leaf' && 'arr' in a && 'arr' in b) return { arr: merge(a.arr, b.arr) };
  if (a !== 'leaf' && b !== 'leaf' && 'map' in a && 'map' in b) return { map: merge(a.map, b.map) };
  return a; // different kinds among the elements: diff reports them against the doc
}
const kind = (s: Shape): string => (s === 'leaf' ? 'leaf' : 'obj' in s ? 'object' : 'arr' in s ? 'array' : 'map');
/** Differences between the documented and the real structure, as paths. */
function diff(docShape: Shape | null, real: Shape | null, at: string, out: string[]): string[] {
  if (docShape === null || real === null) return out; // nothing known on one side (null, an empty list)
  if (kind(docShape) !== kind(real)) out.push(`${at}: documented as ${kind(docShape)}, the response has ${kind(real)}`);
  else if (docShape !== 'leaf' && real !== 'leaf') {
    if ('obj' in docShape && 'obj' in real) {
      for (const k of Object.keys(docShape.obj)) if (!(k in real.obj)) out.push(`${at}.${k}: documented, not in the response`);
      for (const k of Object.keys(real.obj)) if (!(k in docShape.obj)) out.push(`${at}.${k}: in the response, not documented`);
      for (const k of Object.keys(docShape.obj)) if (k in real.obj) diff(docShape.obj[k], real.obj[k], `${at}.${k}`, out);
    } else if ('arr' in docShape && 'arr' in real) diff(docShape.arr, real.arr, `${at}[]`, out);
    else if ('map' in docShape && 'map' in real) diff(docShape.map, real.map, `${at}{}`, out);
  }
  return out;
}

const T = Date.UTC(2026, 10, 24);
// With a combined score, whose contributors the example shows.
const analysis: AnalysisResult = { ...analysisResult(), anomalies: [{ group: 'api', signal: 'combined', score: 0.97, state: 'scoring', contributors: [{ signal: 'memory', share: 0.8 }] }, ...analysisResult().anomalies] };
const point = { timestampMs: T, mean: 1, lower: 0.5, upper: 1.5 };
const forecast: Forecast = {
  group: 'api',
  resource: 'memory',
  model: 'arima_1_1_1_drift',
  fittedAtMs: T,
  level: 0.8,
  horizons: { '15m': point, '1h': point },
  path: [point, point],
  exhaustion: [{ limit: 'host_memory', limitValue: 8e9, seconds: 100, earliestSeconds: 50 }],
  accuracy: { '15m': { mase: 0.8, coverage: 0.8 } },
};

const notification = (startsAt: string) => ({
  version: '4',
  status: 'firing',
  receiver: 'procsight-remediation',
  alerts: [{ status: 'firing', labels: { alertname: 'ProcsightCpuSaturation', group: 'batch', kind: 'cpu_saturation', instance: 'h:1' }, startsAt, fingerprint: 'abc' }, { status: 'firing', labels: { alertname: 'ProcsightCpuSaturation', group: 'web', kind: 'cpu_saturation', instance: 'h:1' }, startsAt, fingerprint: 'def' }],
});

/** The feedback and remediation routers over real services (feedback with an outcome and a measurement under way; one approved action). */
async function feedbackAndRemediation() {
  let analysis: AnalysisResult | null = { ...analysisResult(), bottlenecks: [] };
  const counts: Record<string, FeedbackCounts> = {};
  const feedback = new FeedbackService({
    analyzer: { recordFeedback: (a, k) => void (counts[a] = { ...(counts[a] ?? { helpful: 0, notHelpful: 0, applied: 0 }), [k]: ((counts[a] ?? {})[k] ?? 0) + 1 }), feedbackCounts: () => counts, current: () => analysis },
    tracker: new OutcomeTracker(),
    catalog: CATALOG,
  });
  analysis = analysisResult();
  feedback.record({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'applied' });
  feedback.observe({ ...analysisResult(), bottlenecks: [] }); // cleared: an outcome
  const remediator = new Remediator({
    config: parseConfigText('remediation:\n  mode: approve\n  webhook_token_file: /x\n  rules:\n    - {group: batch, kind: cpu_saturation, action: renice, nice: 10}\n', { source: 't' }).remediation,
    auditPath: join(mkdtempSync(join(tmpdir(), 'procsight-api-doc-')), 'audit.jsonl'),
    killSwitchFile: '/nonexistent',
    token: 'x'.repeat(16),
    procfs: '/proc',
    cgroupfs: '/sys/fs/cgroup',
    selfPid: 1,
    processesOf: () => [{ identity: identity(4242, 'batch') }],
    bottleneckActive: () => true,
    logger: silentLogger,
    executorFor: () => ({ plan: () => Promise.resolve({ ok: true, before: { processes: [] }, after: { nice: 10 } }), execute: () => Promise.resolve({ ok: true, after: { nice: 10 }, reason: 'renice to 10: 1 process(es) changed' }) }),
  });
  const asToken = (_req: Request, res: Response, next: NextFunction) => {
    res.locals.principal = { kind: 'token' };
    next();
  };
  const remediationApp = express().use(asToken).use('/api/v1', createRemediationRouter({ remediator }));
  await request(remediationApp).post('/api/v1/alertmanager').send(notification('2026-11-24T10:00:00Z'));
  const actionId = remediator.list({ status: 'pending' })[0].id;
  return { feedbackApp: express().use('/api/v1', createFeedbackRouter({ feedback })), remediationApp, actionId };
}

const correlationReport: CorrelationReport = {
  group: 'db',
  signal: 'io_write',
  bottleneck: 'io_bound',
  hints: [
    { source: 'group', group: 'backup', signal: 'io_write', strength: 0.91, lagSeconds: 0, pairs: 238 },
    { source: 'host', group: null, signal: 'iowait_ratio', strength: 0.84, lagSeconds: 0, pairs: 238 },
  ],
};

describe('docs/api.md', () => {
  const documented = sections();
  let exp: Service;
  beforeAll(async () => {
    exp = await startExporter();
    // Rates need two cycles (1 s each here).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = (await (await fetch(`${exp.url}/api/v1/groups`)).json()) as { groups?: Array<{ rates: unknown }> }; // 503 until the first collection: {error}
      if (r.groups?.some((g) => g.rates !== null)) break;
      if (Date.now() > deadline) throw new Error('no group with rates after 20 s');
      await new Promise((res) => setTimeout(res, 250));
    }
  }, 30_000);
  afterAll(async () => {
    await exp?.stop();
  });

  it('documents every route, and only routes that exist', () => {
    // A new route module must be added to this test (and to the doc).
    expect(readdirSync(join(ROOT, 'exporter', 'src', 'server', 'routes')).sort()).toEqual(['analysis.ts', 'correlations.ts', 'feedback.ts', 'forecasts.ts', 'groups.ts', 'processes.ts', 'remediation.ts']);
    const stub = { current: () => null, knownGroups: () => [], snapshot: () => null, processesOf: () => [], correlations: () => null };
    const feedbackStub = { knows: () => false, record: () => ({ counts: { helpful: 0, notHelpful: 0, applied: 0 }, measurement: { watching: false as const, reason: 'not_applied' as const } }), summary: () => [], measurements: () => ({ watching: [], recent: [] }) };
    const routers = [createAnalysisRouter(stub), createForecastRouter({ current: () => [] }), createGroupsRouter(stub), createProcessesRouter(stub), createCorrelationsRouter(stub), createFeedbackRouter({ feedback: feedbackStub }), createRemediationRouter({ remediator: null })];
    const routes = [
      ...new Set(
        routers.flatMap((r) =>
          (r.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>)
            .filter((l) => l.route)
            .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`)),
        ),
      ),
    ];
    expect(documented.map((s) => s.path).sort()).toEqual(routes.sort());
    expect(Object.keys(QUERIES).sort()).toEqual(routes.sort());
    expect(Object.keys(BODIES).sort()).toEqual(routes.filter((r) => r.startsWith('POST ')).sort());
  });

  it('lists exactly the parameters and body fields each route accepts, with their enum values and defaults', () => {
    const check = (path: string, documentedParams: Param[], schema: z.ZodObject) => {
      expect({ path, params: documentedParams.map((p) => p.name).sort() }).toEqual({ path, params: Object.keys(schema.shape).sort() });
      for (const p of documentedParams) {
        const field = schema.shape[p.name];
        const inner = field instanceof z.ZodDefault || field instanceof z.ZodOptional ? field.def.innerType : field;
        if (inner instanceof z.ZodEnum && p.values.length > 0) expect({ path, param: p.name, values: [...p.values].sort() }).toEqual({ path, param: p.name, values: (inner.options as string[]).map(String).sort() });
        if (p.default !== null) {
          expect(field).toBeInstanceOf(z.ZodDefault);
          expect({ path, param: p.name, default: p.default }).toEqual({ path, param: p.name, default: String((field as z.ZodDefault).def.defaultValue) });
        }
      }
    };
    for (const s of documented) {
      check(s.path, s.params, QUERIES[s.path]);
      const body = BODIES[s.path];
      if (body) check(s.path, s.fields, body);
      else expect({ path: s.path, fields: s.fields }).toEqual({ path: s.path, fields: [] });
    }
  });

  it('shows JSON examples with the key structure of real responses', async () => {
    const analysisApp = express().use(
      '/api/v1',
      createAnalysisRouter({ current: () => analysis, knownGroups: () => ['api'] }),
      createForecastRouter({ current: () => [forecast] }),
      createCorrelationsRouter({ correlations: () => correlationReport, knownGroups: () => ['db'] }),
    );
    const groups = (await (await fetch(`${exp.url}/api/v1/groups`)).json()) as { groups: Array<{ group: string; rates: unknown }> };
    const withProcesses = groups.groups.find((g) => g.rates !== null)!.group;
    const { feedbackApp, remediationApp, actionId } = await feedbackAndRemediation();
    const real: Record<string, () => Promise<unknown>> = {
      'GET /groups': async () => groups,
      'GET /groups/{group}/processes': async () => (await fetch(`${exp.url}/api/v1/groups/${encodeURIComponent(withProcesses)}/processes`)).json(),
      'GET /bottlenecks': async () => (await request(analysisApp).get('/api/v1/bottlenecks')).body,
      'GET /anomalies': async () => (await request(analysisApp).get('/api/v1/anomalies')).body,
      'GET /suggestions': async () => (await request(analysisApp).get('/api/v1/suggestions')).body,
      'GET /profiles': async () => (await request(analysisApp).get('/api/v1/profiles')).body,
      'GET /patterns': async () => (await request(analysisApp).get('/api/v1/patterns')).body,
      'GET /forecasts': async () => (await request(analysisApp).get('/api/v1/forecasts')).body,
      'GET /correlations': async () => (await request(analysisApp).get('/api/v1/correlations?group=db')).body,
      'POST /feedback': async () => (await request(feedbackApp).post('/api/v1/feedback').send({ group: 'api', kind: 'memory_leak', action: 'memory_leak.cap_memory', verdict: 'applied' })).body,
      'GET /feedback': async () => (await request(feedbackApp).get('/api/v1/feedback')).body,
      'POST /alertmanager': async () => (await request(remediationApp).post('/api/v1/alertmanager').send(notification('2026-11-24T10:05:00Z'))).body,
      'GET /actions': async () => (await request(remediationApp).get('/api/v1/actions')).body,
      'GET /actions/{id}': async () => (await request(remediationApp).get(`/api/v1/actions/${actionId}`)).body,
      'POST /actions/{id}/{decision}': async () => (await request(remediationApp).post(`/api/v1/actions/${actionId}/approve`)).body,
    };
    let compared = 0;
    for (const s of documented) {
      const body = await real[s.path]();
      for (const ex of s.examples) {
        expect({ path: s.path, differences: diff(shape(ex), shape(body), '', []) }).toEqual({ path: s.path, differences: [] });
        compared++;
      }
    }
    expect(compared).toBe(documented.length); // one example per route
  });
});
