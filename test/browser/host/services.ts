/**
 * STAND-INS for the services Grafana's frontend registers in @grafana/runtime
 * before it loads a plugin (Grafana's own implementations live in its app,
 * not in an npm package). Each keeps the contract the plugin and Scenes rely
 * on, and nothing more:
 *
 * - BackendSrv: `fetch` returns an Observable of `FetchResponse` and errors
 *   with `{status, data, config}` like Grafana's; `get`/`post`/… unwrap data.
 * - DataSourceSrv: the data sources of `config.datasources`; template refs
 *   (`${ds}`) resolved through the TemplateSrv like Grafana's.
 * - TemplateSrv: hands scene objects to Scenes' `sceneGraph.interpolate`, as
 *   Grafana's does when `scopedVars.__sceneObject` is set.
 * - runRequest: `ds.query()` turned into PanelData (Loading, then Done/Error).
 * - Prometheus data source: the real `DataSourceWithBackend` (so queries go
 *   to `/api/ds/query` as Grafana's Prometheus data source sends them), with
 *   Prometheus' variable interpolation and `label_values()` variable queries
 *   over the data source proxy.
 * - The built-in "-- Grafana --" data source (plugin id `grafana`, uid
 *   `grafana`), its annotation queries only: like Grafana's own
 *   (public/app/plugins/datasource/grafana/datasource.ts) it turns an
 *   annotation layer's query into GET /api/annotations (from, to, limit,
 *   tags, matchAny) and answers with the annotations as one data frame.
 */
import {
  DataSourceApi,
  LoadingState,
  toDataFrame,
  type AnnotationQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type PanelData,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import {
  config,
  DataSourceWithBackend,
  getBackendSrv,
  getTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
  type FetchError,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';
import { sceneGraph, type SceneObject } from '@grafana/scenes';
import type { DataQuery, DataSourceRef } from '@grafana/schema';
import { catchError, from, lastValueFrom, map, Observable, of, startWith } from 'rxjs';

function urlWithParams(url: string, params?: BackendSrvRequest['params']): string {
  if (!params || typeof params !== 'object') return url;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(item));
  }
  const s = qs.toString();
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url;
}

export class BackendSrvStandIn implements Partial<BackendSrv> {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    const url = urlWithParams(options.url, options.params);
    const method = (options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers as Record<string, string> | undefined) };
    let body: string | undefined;
    if (options.data !== undefined && method !== 'GET') {
      body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
      headers['content-type'] = 'application/json';
    }
    return from(
      (async () => {
        const r = await fetch(url, { method, headers, body });
        const text = await r.text();
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : {};
        } catch {
          // not JSON: Grafana hands the text through as data too
        }
        if (!r.ok) {
          const err: FetchError = { status: r.status, statusText: r.statusText, data, config: options };
          throw err;
        }
        return {
          data: data as T,
          status: r.status,
          statusText: r.statusText,
          ok: r.ok,
          headers: r.headers,
          redirected: r.redirected,
          type: r.type,
          url: r.url,
          config: options,
        };
      })(),
    );
  }
  request<T>(options: BackendSrvRequest): Promise<T> {
    return lastValueFrom(this.fetch<T>(options)).then((r) => r.data);
  }
  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }
  get<T>(url: string, params?: BackendSrvRequest['params']): Promise<T> {
    return this.request<T>({ url, params, method: 'GET' });
  }
  post<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'POST' });
  }
  put<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'PUT' });
  }
  patch<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'PATCH' });
  }
  delete<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'DELETE' });
  }
}

/** What Scenes puts in scopedVars so the host can interpolate with the scene's variables. */
interface SceneScopedVar {
  value: { valueOf(): SceneObject };
}

export class TemplateSrvStandIn implements TemplateSrv {
  replace(target?: string, scopedVars?: ScopedVars, format?: string | ((...args: never[]) => unknown)): string {
    if (!target) return target ?? '';
    const sceneVar = scopedVars?.__sceneObject as SceneScopedVar | undefined;
    if (sceneVar?.value) {
      return sceneGraph.interpolate(sceneVar.value.valueOf(), target, scopedVars, format as string | undefined);
    }
    return target.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (m, name: string) => {
      const v = scopedVars?.[name];
      return v ? String(v.value) : m;
    });
  }
  getVariables() {
    return [];
  }
  containsTemplate(target?: string): boolean {
    return !!target && /\$/.test(target);
  }
  updateTimeRange(_timeRange: TimeRange): void {
    // The scene owns the time range.
  }
}

/** Prometheus data source escaping: a value inside a PromQL string literal, backslash and quote escaped. */
function promRegularEscape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

/** Inside a regex matcher the regex metacharacters get a backslash, itself escaped for the string literal. */
function promRegexEscape(v: string): string {
  return v.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/**
 * Prometheus' interpolation (its `interpolateQueryExpr`): plain escaping for a
 * single-value variable; regex escaping and `(a|b)` for multi-value or
 * include-all variables, which pages use with `=~`.
 */
function promInterpolate(value: string | string[], variable?: { multi?: boolean; includeAll?: boolean }): string {
  if (!variable?.multi && !variable?.includeAll) return typeof value === 'string' ? promRegularEscape(value) : value.map(promRegularEscape).join(',');
  if (typeof value === 'string') return promRegexEscape(value);
  const escaped = value.map(promRegexEscape);
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

interface PromQueryStandIn extends DataQuery {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

class PrometheusStandIn extends DataSourceWithBackend<PromQueryStandIn> {
  constructor(private readonly settings: DataSourceInstanceSettings) {
    super(settings);
  }

  override applyTemplateVariables(query: PromQueryStandIn, scopedVars: ScopedVars): PromQueryStandIn {
    return {
      ...query,
      expr: getTemplateSrv().replace(query.expr, scopedVars, promInterpolate),
      legendFormat: query.legendFormat ? getTemplateSrv().replace(query.legendFormat, scopedVars) : query.legendFormat,
    };
  }

  /** `label_values(selector, label)` and `label_values(label)`, as Prometheus' variable support answers them. */
  override async metricFindQuery(query: unknown, options?: { scopedVars?: ScopedVars; range?: TimeRange }): Promise<MetricFindValue[]> {
    const raw = typeof query === 'string' ? query : String((query as { query?: string }).query ?? '');
    const text = getTemplateSrv().replace(raw, options?.scopedVars, promInterpolate);
    const m = /^\s*label_values\(\s*(?:(.*),\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/.exec(text);
    if (!m) throw new Error(`stand-in Prometheus: unsupported variable query ${text}`);
    const params: Record<string, string> = {};
    if (m[1]) params['match[]'] = m[1];
    if (options?.range) {
      params.start = String(Math.floor(options.range.from.valueOf() / 1000));
      params.end = String(Math.ceil(options.range.to.valueOf() / 1000));
    }
    const r = await getBackendSrv().get<{ status: string; data: string[] }>(
      `/api/datasources/proxy/uid/${this.settings.uid}/api/v1/label/${m[2]}/values`,
      params,
    );
    return r.data.map((text) => ({ text, value: text }));
  }

  override testDatasource() {
    return Promise.resolve({ status: 'success', message: 'stand-in' });
  }
}

/** The built-in data source's annotation query (Grafana's `GrafanaAnnotationQuery`). */
interface GrafanaAnnotationTargetStandIn extends DataQuery {
  type?: 'dashboard' | 'tags';
  limit?: number;
  tags?: string[];
  matchAny?: boolean;
}

/** The built-in data source's query; for annotations, prepareQuery hands query() the annotation itself, marked `queryType: 'annotations'`. */
interface GrafanaQueryStandIn extends GrafanaAnnotationTargetStandIn {
  queryType?: string;
  target?: GrafanaAnnotationTargetStandIn;
}

/**
 * STAND-IN for Grafana's built-in "-- Grafana --" data source, annotations
 * only (its random walk, live and search queries are not needed by the app).
 * The annotation support, query() and the request it sends follow Grafana's
 * GrafanaDatasource: `prepareAnnotation` moves old top-level fields into
 * `target`, `prepareQuery` marks the annotation `queryType: 'annotations'`,
 * and a tags query (type `tags`, at least one tag, template variables
 * expanded) becomes GET /api/annotations with from/to/limit/tags/matchAny;
 * a `dashboard` query needs a dashboard, which an app page is not, so it
 * returns nothing, as Grafana's does without a dashboard uid.
 */
class GrafanaDataSourceStandIn extends DataSourceApi<GrafanaQueryStandIn> {
  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
    this.annotations = {
      prepareAnnotation(json: AnnotationQuery<GrafanaQueryStandIn>): AnnotationQuery<GrafanaQueryStandIn> {
        // Previously these fields lived outside `target` (Grafana migrates them the same way).
        json.target = json.target ?? {
          refId: 'Anno',
          type: json.type === 'tags' ? 'tags' : 'dashboard',
          limit: json.limit ?? 100,
          tags: json.tags ?? [],
          matchAny: json.matchAny ?? false,
        };
        return json;
      },
      prepareQuery(anno: AnnotationQuery<GrafanaQueryStandIn>): GrafanaQueryStandIn {
        return { ...anno, refId: anno.name, queryType: 'annotations', datasource: anno.datasource ?? undefined } as unknown as GrafanaQueryStandIn;
      },
    };
  }

  query(request: DataQueryRequest<GrafanaQueryStandIn>): Observable<DataQueryResponse> {
    const annotation = request.targets.find((t) => t.queryType === 'annotations');
    if (!annotation) return of({ data: [], error: { message: 'stand-in "-- Grafana --" data source: annotation queries only' } });
    return from(this.getAnnotations(request.range, annotation));
  }

  private async getAnnotations(range: TimeRange, annotation: GrafanaQueryStandIn): Promise<DataQueryResponse> {
    const target = annotation.target ?? { refId: 'Anno' };
    if (target.type !== 'tags') return { data: [] };
    if (!Array.isArray(target.tags) || target.tags.length === 0) return { data: [] };
    const delimiter = '__delimiter__';
    const tags: string[] = [];
    for (const t of target.tags) {
      const rendered = getTemplateSrv().replace(t, {}, (value: string | string[]) => (typeof value === 'string' ? value : value.join(delimiter)));
      tags.push(...rendered.split(delimiter));
    }
    const params = { from: range.from.valueOf(), to: range.to.valueOf(), limit: target.limit, tags, matchAny: target.matchAny };
    const annotations = await getBackendSrv().get<unknown[]>('/api/annotations', params);
    return { data: [toDataFrame(annotations)] };
  }

  testDatasource() {
    return Promise.resolve({ status: 'success', message: 'stand-in' });
  }
}

/** Data source plugins the stand-in has, by plugin id (Grafana loads a data source's plugin by `meta.id`). */
const DATA_SOURCE_PLUGINS: Record<string, new (settings: DataSourceInstanceSettings) => DataSourceApi> = {
  prometheus: PrometheusStandIn as unknown as new (settings: DataSourceInstanceSettings) => DataSourceApi,
  grafana: GrafanaDataSourceStandIn as unknown as new (settings: DataSourceInstanceSettings) => DataSourceApi,
};

/** Grafana's built-in data sources, kept out of lists the way its DataSourceSrv does. */
const BUILT_IN = ['grafana', 'mixed', 'dashboard'];

export class DataSourceSrvStandIn implements DataSourceSrv {
  private readonly instances = new Map<string, DataSourceApi>();

  private all(): DataSourceInstanceSettings[] {
    return Object.values(config.datasources);
  }

  private resolve(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): DataSourceInstanceSettings | undefined {
    let key = typeof ref === 'string' ? ref : ref?.uid;
    if (key && key.includes('$')) key = getTemplateSrv().replace(key, scopedVars);
    if (!key || key === 'default') return this.all().find((d) => d.isDefault);
    return this.all().find((d) => d.uid === key || d.name === key);
  }

  getInstanceSettings(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): DataSourceInstanceSettings | undefined {
    return this.resolve(ref, scopedVars);
  }

  /**
   * Grafana's getList, for the filters the app and Scenes use: built-ins left
   * out, sorted by name, then "-- Grafana --" appended unless the list is for
   * one plugin (`pluginId`), alerting or tracing.
   */
  getList(
    filters: { type?: string | string[]; pluginId?: string; metrics?: boolean; annotations?: boolean; alerting?: boolean; tracing?: boolean } = {},
  ): DataSourceInstanceSettings[] {
    const types = ([] as string[]).concat(filters.type ?? []);
    const list = this.all()
      .filter((d) => !BUILT_IN.includes(d.meta.id))
      .filter((d) => types.length === 0 || types.includes(d.type))
      .filter((d) => !filters.pluginId || d.meta.id === filters.pluginId)
      .filter(
        (d) =>
          (!filters.metrics || d.meta.metrics) &&
          (!filters.annotations || d.meta.annotations) &&
          (!filters.alerting || d.meta.alerting) &&
          (!filters.tracing || d.meta.tracing),
      )
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    if (!filters.pluginId && !filters.alerting && !filters.tracing) {
      const grafana = this.all().find((d) => d.meta.id === 'grafana');
      if (grafana) list.push(grafana);
    }
    return list;
  }

  async get(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.resolve(ref, scopedVars);
    if (!settings) throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
    let ds = this.instances.get(settings.uid);
    if (!ds) {
      const Plugin = DATA_SOURCE_PLUGINS[settings.meta.id];
      if (!Plugin) throw new Error(`stand-in: no data source plugin ${settings.meta.id}`);
      ds = new Plugin(settings);
      this.instances.set(settings.uid, ds);
    }
    return ds;
  }

  reload(): Promise<void> {
    return Promise.resolve();
  }

  registerRuntimeDataSource(): void {
    throw new Error('stand-in: runtime data sources are registered by Scenes itself');
  }
}

/** Grafana's runRequest, reduced to what panels see: Loading, then Done (or Error) with the frames. */
export function runRequestStandIn(ds: DataSourceApi, request: DataQueryRequest): Observable<PanelData> {
  const base = { series: [], timeRange: request.range, request };
  const response = ds.query(request);
  const obs = response instanceof Observable ? response : from(response as Promise<DataQueryResponse>);
  return obs.pipe(
    map((r: DataQueryResponse): PanelData => ({
      ...base,
      series: r.data,
      state: r.errors?.length || r.error ? LoadingState.Error : LoadingState.Done,
      errors: r.errors ?? (r.error ? [r.error] : undefined),
    })),
    catchError((e: unknown) =>
      of<PanelData>({ ...base, state: LoadingState.Error, errors: [{ message: e instanceof Error ? e.message : JSON.stringify(e) }] }),
    ),
    startWith<PanelData>({ ...base, state: LoadingState.Loading }),
  );
}
