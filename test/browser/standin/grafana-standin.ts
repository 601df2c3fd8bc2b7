/**
 * A STAND-IN for the parts of Grafana's HTTP server that the procsight app
 * calls (no Grafana server can run on this machine). It is small on purpose
 * and follows Grafana's HTTP contracts:
 *
 * - `GET /public/plugins/<id>/…`: the built plugin (`grafana-plugin/dist`), as
 *   Grafana serves plugin assets; nested plugins live under the parent's path.
 * - `POST /api/ds/query`: Grafana's query API for a Prometheus data source;
 *   each query is run against the REAL Prometheus (range or instant) with the
 *   interval variables Grafana's backend owns resolved, and answered as data
 *   frames (`frames.ts`).
 * - `GET|POST /api/datasources/proxy/uid/<uid>/…`: the data source proxy,
 *   forwarded to the real Prometheus.
 * - `GET|POST /api/plugins/<id>/settings`: plugin settings (enabled, pinned,
 *   jsonData, secureJsonData) held in memory; like Grafana, secureJsonData is
 *   write-only: GET answers `secureJsonFields` (which keys are set), never
 *   the values.
 * - `/api/plugin-proxy/<id>/…`: the app's plugin routes (plugin.json
 *   `routes`), proxied as Grafana's server does (standin/plugin-proxy.ts):
 *   route order and matching, `reqRole` against the signed-in user's role,
 *   URL and headers templated from jsonData and secureJsonData, cookies
 *   dropped, X-Grafana-User set when `sendUserHeader` is on. Each proxied
 *   call is recorded.
 * - The signed-in user (login and org role) is the stand-in's: the page's
 *   boot data carries it and the plugin proxy checks it.
 * - `GET|POST /api/annotations`: annotations held in memory (tags filter with
 *   Grafana's default "all tags must match" or `matchAny`, from/to keeping
 *   annotations that overlap the range, limit, type=annotation), newest
 *   first. The app posts feedback here and reads it back; its annotation
 *   layer reads it through the host's built-in "-- Grafana --" data source
 *   stand-in, which sends these parameters as Grafana's does.
 * - anything else under `/api/` answers 404 and is recorded, so the test can
 *   fail on calls the stand-in does not know.
 * - every other path (`/a/…`, `/plugins/…`, `/d/…`): the host page
 *   (`host/index.html`), which loads the plugin the way Grafana's frontend does.
 */
import express, { type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { interpolateIntervals, stepFor, toFrames, type PromSeries } from './frames';
import { interpolate, joinURLFragments, matchRoute, roleIncludes, type OrgRole, type PluginRoute } from './plugin-proxy';

export interface StandInOptions {
  prometheusUrl: string;
  /** grafana-plugin/dist */
  pluginDist: string;
  /** Directory holding host.js (the esbuild bundle) and index.html. */
  hostDir: string;
  /** Directory of the systemjs package's dist/. */
  systemjsDist: string;
  /** @grafana/ui's icon SVGs (node_modules/@grafana/ui/dist/public/img/icons). */
  uiIcons: string;
  datasourceUid: string;
  scrapeIntervalMs: number;
  appId: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
  /** Grafana's `[dataproxy] send_user_header`: the plugin proxy adds X-Grafana-User. */
  sendUserHeader?: boolean;
}

interface Annotation {
  id: number;
  time: number;
  timeEnd: number;
  tags: string[];
  text: string;
  dashboardUID: string | null;
  panelId: number;
  created: number;
}

export interface StandIn {
  url: string;
  annotations: Annotation[];
  /** GET /api/annotations calls: tags, matchAny and the time range asked for. */
  annotationQueries: Array<{ tags: string[]; matchAny: boolean; from?: number; to?: number }>;
  settings: { enabled: boolean; pinned: boolean; jsonData: Record<string, unknown>; secureJsonData: Record<string, string> };
  /** The signed-in user: pages load with it, the plugin proxy checks its role. */
  user: { login: string; role: OrgRole };
  /** Calls through the plugin proxy: the route taken (or none), the upstream URL and headers sent, Grafana's answer. */
  proxied: Array<{ method: string; path: string; route: string | null; upstream: string | null; headers: Record<string, string>; status: number }>;
  /** API calls the stand-in does not implement (method and path). */
  unknownCalls: string[];
  /** Data source queries answered, with the PromQL sent to Prometheus. */
  queries: Array<{ expr: string; series: number; error?: string }>;
  close(): Promise<void>;
}

interface DsQuery {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  intervalMs?: number;
  datasource?: { uid?: string; type?: string };
}

export async function startGrafanaStandIn(opts: StandInOptions): Promise<StandIn> {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  const pluginJson = JSON.parse(readFileSync(join(opts.pluginDist, 'plugin.json'), 'utf8')) as {
    id: string;
    name: string;
    info: Record<string, unknown>;
    includes: unknown[];
    routes?: PluginRoute[];
  };
  const state: StandIn = {
    url: '',
    annotations: [],
    annotationQueries: [],
    settings: { enabled: true, pinned: true, jsonData: opts.jsonData ?? {}, secureJsonData: opts.secureJsonData ?? {} },
    user: { login: 'admin', role: 'Admin' },
    proxied: [],
    unknownCalls: [],
    queries: [],
    close: async () => undefined,
  };

  app.use('/public/plugins/' + opts.appId, express.static(opts.pluginDist, { fallthrough: false }));
  app.use('/host/systemjs', express.static(opts.systemjsDist, { fallthrough: false }));
  // Grafana's own assets that plugins' shared code asks for: @grafana/ui's icons ship in its npm package;
  // Grafana's Inter font does not, so a system font stands in (or nothing, when none is installed).
  app.use('/public/build/img/icons', express.static(opts.uiIcons));
  // Icons @grafana/ui's package does not ship (Grafana serves its full set): an empty icon.
  app.get('/public/build/img/icons/*rest', (_req, res) => res.type('image/svg+xml').send('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"></svg>'));
  const font = ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'].find((f) =>
    existsSync(f),
  );
  app.get('/public/fonts/*rest', (_req, res) => (font ? res.type('font/ttf').sendFile(font) : res.status(204).end()));
  app.all('/public/*rest', (req, res) => {
    state.unknownCalls.push(`${req.method} ${req.path}`);
    res.status(404).end();
  });
  app.get('/host/host.js', (_req, res) => res.type('application/javascript').sendFile(join(opts.hostDir, 'host.js')));

  app.get(`/api/plugins/${opts.appId}/settings`, (_req, res) => {
    res.json({
      id: pluginJson.id,
      name: pluginJson.name,
      type: 'app',
      info: pluginJson.info,
      includes: pluginJson.includes,
      module: `public/plugins/${opts.appId}/module.js`,
      baseUrl: `public/plugins/${opts.appId}`,
      enabled: state.settings.enabled,
      pinned: state.settings.pinned,
      jsonData: state.settings.jsonData,
      secureJsonFields: Object.fromEntries(Object.keys(state.settings.secureJsonData).map((k) => [k, true])),
    });
  });
  app.post(`/api/plugins/${opts.appId}/settings`, (req: Request, res: Response) => {
    const body = req.body as { enabled?: unknown; pinned?: unknown; jsonData?: unknown; secureJsonData?: unknown };
    if (body.jsonData !== undefined && (typeof body.jsonData !== 'object' || body.jsonData === null)) {
      res.status(400).json({ message: 'jsonData must be an object' });
      return;
    }
    if (!roleIncludes(state.user.role, 'Admin')) {
      res.status(403).json({ message: 'Permission denied' }); // plugin settings are an org admin's
      return;
    }
    if (typeof body.enabled === 'boolean') state.settings.enabled = body.enabled;
    if (typeof body.pinned === 'boolean') state.settings.pinned = body.pinned;
    if (body.jsonData) state.settings.jsonData = body.jsonData as Record<string, unknown>;
    // Grafana encrypts and keeps each given secure key; keys not given stay as they were.
    if (body.secureJsonData && typeof body.secureJsonData === 'object')
      for (const [k, v] of Object.entries(body.secureJsonData)) state.settings.secureJsonData[k] = String(v);
    res.json({ message: 'Plugin settings updated' });
  });

  app.get('/api/annotations', (req, res) => {
    const tags = ([] as string[]).concat((req.query.tags as string | string[] | undefined) ?? []).filter((t) => t !== '');
    const matchAny = req.query.matchAny === 'true';
    const limit = Number(req.query.limit ?? 100);
    // Grafana's store: with both bounds, annotations whose [time, timeEnd] overlaps [from, to] (epoch <= to AND epoch_end >= from).
    const from = Number(req.query.from);
    const to = Number(req.query.to);
    const ranged = Number.isFinite(from) && Number.isFinite(to) && from > 0 && to > 0;
    state.annotationQueries.push({ tags, matchAny, from: ranged ? from : undefined, to: ranged ? to : undefined });
    const found = state.annotations
      .filter((a) => tags.length === 0 || (matchAny ? tags.some((t) => a.tags.includes(t)) : tags.every((t) => a.tags.includes(t))))
      .filter((a) => !ranged || (a.time <= to && a.timeEnd >= from))
      .sort((a, b) => b.time - a.time);
    res.json(found.slice(0, Number.isFinite(limit) && limit > 0 ? limit : 100));
  });
  app.post('/api/annotations', (req: Request, res: Response) => {
    const body = req.body as { time?: unknown; timeEnd?: unknown; tags?: unknown; text?: unknown; dashboardUID?: unknown; panelId?: unknown };
    if (typeof body.text !== 'string' || body.text === '') {
      res.status(400).json({ message: 'Failed to save annotation: text is required' });
      return;
    }
    const now = Date.now();
    const id = state.annotations.length + 1;
    const time = typeof body.time === 'number' ? body.time : now;
    state.annotations.push({
      id,
      time,
      timeEnd: typeof body.timeEnd === 'number' ? body.timeEnd : time,
      tags: Array.isArray(body.tags) ? body.tags.map(String) : [],
      text: body.text,
      dashboardUID: typeof body.dashboardUID === 'string' ? body.dashboardUID : null,
      panelId: typeof body.panelId === 'number' ? body.panelId : 0,
      created: now,
    });
    res.json({ message: 'Annotation added', id });
  });

  app.post('/api/ds/query', async (req: Request, res: Response) => {
    const body = req.body as { queries?: DsQuery[]; from?: string; to?: string };
    const from = Number(body.from ?? Date.now() - 3_600_000);
    const to = Number(body.to ?? Date.now());
    const results: Record<string, unknown> = {};
    for (const [i, query] of (body.queries ?? []).entries()) {
      const refId = query.refId ?? String.fromCharCode(65 + i);
      if (query.datasource?.uid !== opts.datasourceUid) {
        results[refId] = { status: 404, error: `data source ${query.datasource?.uid ?? '(none)'} not found`, frames: [] };
        continue;
      }
      const intervalMs = query.intervalMs ?? 15_000;
      const stepMs = stepFor({ intervalMs, rangeMs: to - from });
      const expr = interpolateIntervals(query.expr ?? '', { intervalMs: stepMs, rangeMs: to - from, scrapeIntervalMs: opts.scrapeIntervalMs });
      const instant = query.instant === true && query.range !== true;
      // A range may end in the future (the forecast band): Prometheus evaluates negative offsets there, so the range is kept as asked.
      const params = instant
        ? new URLSearchParams({ query: expr, time: String(to / 1000) })
        : new URLSearchParams({ query: expr, start: String(Math.floor(from / 1000)), end: String(Math.ceil(to / 1000)), step: String(stepMs / 1000) });
      const r = await fetch(`${opts.prometheusUrl}/api/v1/${instant ? 'query' : 'query_range'}?${params}`);
      const out = (await r.json()) as { status: string; error?: string; data?: { result: PromSeries[] } };
      if (out.status !== 'success') {
        state.queries.push({ expr, series: 0, error: out.error });
        results[refId] = { status: 400, error: out.error ?? 'query failed', frames: [] };
        continue;
      }
      const frames = toFrames({ refId, legend: query.legendFormat, expr, stepMs, instant, result: out.data?.result ?? [] });
      state.queries.push({ expr, series: frames.length });
      results[refId] = { status: 200, frames };
    }
    res.json({ results });
  });

  app.all('/api/datasources/proxy/uid/:uid/*rest', async (req: Request, res: Response) => {
    if (req.params.uid !== opts.datasourceUid) {
      res.status(404).json({ message: 'Data source not found' });
      return;
    }
    const rest = ([] as string[]).concat(req.params.rest as string | string[]).join('/');
    const qs = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const r = await fetch(`${opts.prometheusUrl}/${rest}${qs}`, {
      method: req.method,
      headers: { 'content-type': req.get('content-type') ?? 'application/json' },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : JSON.stringify(req.body),
    });
    res
      .status(r.status)
      .type(r.headers.get('content-type') ?? 'application/json')
      .send(Buffer.from(await r.arrayBuffer()));
  });

  app.all('/api/plugin-proxy/:pluginId/*rest', async (req: Request, res: Response) => {
    const record = (route: string | null, upstream: string | null, headers: Record<string, string>, status: number) =>
      state.proxied.push({ method: req.method, path: req.path, route, upstream, headers, status });
    if (req.params.pluginId !== opts.appId) {
      record(null, null, {}, 404);
      res.status(404).json({ message: 'Plugin not found, no installed plugin with that id' });
      return;
    }
    const proxyPath = '/' + ([] as string[]).concat(req.params.rest as string | string[]).join('/');
    const m = matchRoute(pluginJson.routes ?? [], req.method, proxyPath);
    if (!m) {
      record(null, null, {}, 404);
      res.status(404).json({ message: 'plugin route match not found' });
      return;
    }
    const routeName = `${m.route.method ?? '*'} ${m.route.path}`;
    if (!roleIncludes(state.user.role, m.route.reqRole)) {
      record(routeName, null, {}, 403);
      res.status(403).json({ message: 'plugin proxy route access denied' });
      return;
    }
    const data = { JsonData: state.settings.jsonData, SecureJsonData: state.settings.secureJsonData };
    let target: URL;
    try {
      target = new URL(interpolate(m.route.url, data));
    } catch {
      record(routeName, null, {}, 500);
      res.status(500).json({ message: 'Could not parse url' });
      return;
    }
    const qs = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const upstream = `${target.origin}${joinURLFragments(target.pathname, m.rest)}${qs}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['cookie', 'set-cookie', 'host', 'connection', 'content-length', 'x-grafana-user'].includes(k)) headers[k] = v;
    headers['x-grafana-context'] = JSON.stringify({ login: state.user.login, orgRole: state.user.role });
    if (opts.sendUserHeader) headers['x-grafana-user'] = state.user.login;
    for (const h of m.route.headers ?? []) headers[h.name.toLowerCase()] = interpolate(h.content, data);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    try {
      const r = await fetch(upstream, { method: req.method, headers, body: hasBody ? JSON.stringify(req.body ?? {}) : undefined });
      record(routeName, upstream, headers, r.status);
      res
        .status(r.status)
        .type(r.headers.get('content-type') ?? 'application/json')
        .send(Buffer.from(await r.arrayBuffer()));
    } catch (e) {
      record(routeName, upstream, headers, 502);
      res.status(502).json({ message: `Bad Gateway: ${(e as Error).message}` });
    }
  });

  app.all('/api/*rest', (req, res) => {
    state.unknownCalls.push(`${req.method} ${req.path}`);
    res.status(404).json({ message: 'Not found' });
  });

  const index = readFileSync(join(opts.hostDir, 'index.html'), 'utf8');
  app.get('/*rest', (_req, res) => res.type('html').send(withUser(index, state.user)));

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('stand-in did not bind');
  state.url = `http://127.0.0.1:${addr.port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/** The page with the stand-in's signed-in user in its boot data (build-host.ts writes login "admin", org role Admin, server admin). */
function withUser(index: string, user: { login: string; role: OrgRole }): string {
  return index
    .replace('"login":"admin"', `"login":${JSON.stringify(user.login)}`)
    .replace('"orgRole":"Admin"', `"orgRole":${JSON.stringify(user.role)}`)
    .replace('"isGrafanaAdmin":true', `"isGrafanaAdmin":${user.role === 'Admin'}`);
}
