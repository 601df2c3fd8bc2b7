/**
 * Part of the Grafana server STAND-IN used by the browser test (no Grafana
 * server can run on this machine). Turns Prometheus HTTP API results into the
 * data-frame JSON that Grafana's `/api/ds/query` returns for its Prometheus
 * data source (dataplane "timeseries-multi" / "numeric-multi" frames: one
 * frame per series, a Time field and a Value field carrying the labels and
 * the legend as `displayNameFromDS`). Pure functions, unit-tested.
 */

export interface PromSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

interface FieldJSON {
  name: string;
  type: 'time' | 'number';
  typeInfo: { frame: string };
  labels?: Record<string, string>;
  config: { interval?: number; displayNameFromDS?: string };
}

export interface FrameJSON {
  schema: { name?: string; refId: string; meta: { type: string; typeVersion: [number, number]; executedQueryString: string }; fields: FieldJSON[] };
  /** JSON has no NaN or ±Inf: Grafana sends null and lists the indexes of each special value in `entities`. */
  data: { values: [number[], Array<number | null>]; entities?: [null, { NaN?: number[]; Inf?: number[]; NegInf?: number[] }] };
}

/** Grafana's legend format: `{{label}}` replaced by the series' label value (missing labels become empty). */
export function formatLegend(legend: string | undefined, labels: Record<string, string>): string | undefined {
  if (!legend || legend === '__auto') return undefined;
  return legend.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, name: string) => labels[name] ?? '');
}

/** Prometheus sample values are strings, `NaN`, `+Inf` and `-Inf` included: values as JSON numbers (null) plus Grafana's entities. */
function encodeValues(raw: string[]): { values: Array<number | null>; entities?: { NaN?: number[]; Inf?: number[]; NegInf?: number[] } } {
  const entities: { NaN?: number[]; Inf?: number[]; NegInf?: number[] } = {};
  const values = raw.map((v, i) => {
    const special = v === 'NaN' ? 'NaN' : v === '+Inf' ? 'Inf' : v === '-Inf' ? 'NegInf' : undefined;
    if (special) {
      (entities[special] ??= []).push(i);
      return null;
    }
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  });
  return Object.keys(entities).length > 0 ? { values, entities } : { values };
}

/** One frame per series of a Prometheus matrix (range query) or vector (instant query). */
export function toFrames(opts: { refId: string; legend?: string; expr: string; stepMs: number; instant: boolean; result: PromSeries[] }): FrameJSON[] {
  return opts.result.map((s) => {
    const { __name__: name, ...labels } = s.metric;
    const points: Array<[number, string]> = opts.instant ? (s.value ? [s.value] : []) : (s.values ?? []);
    const display = formatLegend(opts.legend, s.metric);
    return {
      schema: {
        name,
        refId: opts.refId,
        meta: {
          type: opts.instant ? 'numeric-multi' : 'timeseries-multi',
          typeVersion: [0, 1],
          executedQueryString: `Expr: ${opts.expr}\nStep: ${opts.stepMs / 1000}s`,
        },
        fields: [
          { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: opts.stepMs } },
          {
            name: 'Value',
            type: 'number',
            typeInfo: { frame: 'float64' },
            labels: name ? { __name__: name, ...labels } : labels,
            config: display === undefined ? {} : { displayNameFromDS: display },
          },
        ],
      },
      data: (() => {
        const { values, entities } = encodeValues(points.map(([, v]) => v));
        const times = points.map(([t]) => Math.round(t * 1000));
        return entities
          ? { values: [times, values] as [number[], Array<number | null>], entities: [null, entities] as [null, typeof entities] }
          : { values: [times, values] as [number[], Array<number | null>] };
      })(),
    };
  });
}

/**
 * What Grafana's Prometheus backend does before it sends a query: the
 * interval variables it owns (`$__interval`, `$__rate_interval`, `$__range`
 * and their `_ms`/`_s` forms) replaced from the request.
 */
export function interpolateIntervals(expr: string, opts: { intervalMs: number; rangeMs: number; scrapeIntervalMs: number }): string {
  const sec = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`;
  const rate = Math.max(opts.intervalMs + opts.scrapeIntervalMs, 4 * opts.scrapeIntervalMs);
  return expr
    .replace(/\$__rate_interval_ms\b/g, String(rate))
    .replace(/\$__rate_interval\b/g, sec(rate))
    .replace(/\$__interval_ms\b/g, String(opts.intervalMs))
    .replace(/\$__interval\b/g, sec(opts.intervalMs))
    .replace(/\$__range_ms\b/g, String(opts.rangeMs))
    .replace(/\$__range_s\b/g, String(Math.round(opts.rangeMs / 1000)))
    .replace(/\$__range\b/g, sec(opts.rangeMs));
}

/** Grafana's step for a range query: the request interval, at least 1 s, and at most 11,000 points over the range. */
export function stepFor(opts: { intervalMs: number; rangeMs: number }): number {
  return Math.max(1000, opts.intervalMs, Math.ceil(opts.rangeMs / 11_000 / 1000) * 1000);
}
