import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data?: { resultType: string; result: T[] };
  error?: string;
}

/** The Prometheus data source the app uses: the configured one, else Grafana's default Prometheus. */
export function resolveDatasourceUid(configured?: string): string | null {
  const srv = getDataSourceSrv();
  if (configured && srv.getInstanceSettings(configured)) {
    return configured;
  }
  // Grafana's getList appends its built-in "-- Grafana --" data source (type `datasource`) to every list not filtered by pluginId.
  const list = srv.getList({ type: 'prometheus' }).filter((d) => d.type === 'prometheus');
  const def = list.find((d) => d.isDefault) ?? list[0];
  return def ? def.uid : null;
}

async function call<T>(uid: string, path: string, params: Record<string, string>): Promise<T[]> {
  const res = await lastValueFrom(
    getBackendSrv().fetch<PromResponse<T>>({
      url: `/api/datasources/proxy/uid/${encodeURIComponent(uid)}/api/v1/${path}`,
      method: 'GET',
      params,
      showErrorAlert: false,
    })
  );
  if (res.data.status !== 'success' || !res.data.data) {
    throw new Error(res.data.error ?? 'Prometheus query failed');
  }
  return res.data.data.result;
}

/** Instant query through Grafana's data source proxy. */
export async function instant(uid: string, query: string, time?: number): Promise<Sample[]> {
  const r = await call<{ metric: Record<string, string>; value: [number, string] }>(uid, 'query', {
    query,
    ...(time ? { time: String(time) } : {}),
  });
  return r.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));
}

/** Range query through Grafana's data source proxy. */
export async function range(
  uid: string,
  query: string,
  startS: number,
  endS: number,
  stepS: number
): Promise<RangeSeries[]> {
  const r = await call<{ metric: Record<string, string>; values: Array<[number, string]> }>(uid, 'query_range', {
    query,
    start: String(startS),
    end: String(endS),
    step: String(stepS),
  });
  return r.map((x) => ({ metric: x.metric, values: x.values.map(([t, v]) => [t, Number(v)] as [number, number]) }));
}

/**
 * A readable message for what a query rejects with: an Error, or the
 * FetchError object Grafana's backend service throws (`{status, statusText,
 * data}`, where Prometheus' proxied answer carries `data.error` and Grafana's
 * own APIs `data.message`).
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    return e.message;
  }
  if (typeof e === 'object' && e !== null) {
    const f = e as { status?: unknown; statusText?: unknown; message?: unknown; data?: unknown };
    const d = typeof f.data === 'object' && f.data !== null ? (f.data as { error?: unknown; message?: unknown }) : {};
    const detail = [d.error, d.message, f.message, f.statusText, typeof f.data === 'string' ? f.data : undefined].find(
      (x): x is string => typeof x === 'string' && x !== ''
    );
    const status = typeof f.status === 'number' ? `HTTP ${f.status}` : undefined;
    const text = [status, detail].filter(Boolean).join(': ');
    return text || JSON.stringify(e);
  }
  return String(e);
}
