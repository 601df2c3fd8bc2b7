/**
 * OpenMetrics 1.0 text rendering of already-collected metric families.
 *
 * Why not prom-client's own OpenMetrics registry: its `Registry#metrics()`
 * renames every counter object in place (`metric.name = name minus _total`)
 * before rendering, and procsight's text registry holds those same objects,
 * so after one OpenMetrics scrape the Prometheus text format lost `_total` on
 * every counter. Here the families arrive as plain data
 * (`Registry#getMetricsAsJSON()`) and nothing is written back.
 */

/** One metric family as `Registry#getMetricsAsJSON()` returns it (read only). */
export interface FamilyData {
  name: string;
  help: string;
  /** prom-client's runtime type string: counter, gauge, histogram, summary. */
  type: string;
  values: ReadonlyArray<{
    value: number;
    labels: Readonly<Record<string, string | number | undefined>>;
    /** Set for histogram/summary samples (`…_bucket`, `…_sum`, `…_count`). */
    metricName?: string;
    /** `labelSet(labels)`, when already made. */
    labelText?: string;
  }>;
}

const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);

/** The line that ends an OpenMetrics exposition. */
export const OPENMETRICS_EOF = '# EOF\n';

/** Renders families as OpenMetrics text, ending with `# EOF`. Pure: never mutates its input. */
export function renderOpenMetrics(families: readonly FamilyData[]): string {
  return `${families.map(renderOpenMetricsFamily).join('')}${OPENMETRICS_EOF}`;
}

/** A family's name in OpenMetrics: a counter's without `_total` (its samples carry it). */
function openMetricsFamilyName(f: FamilyData): string {
  return f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
}

/** A family's HELP and TYPE lines (without the last newline). */
export function openMetricsHeader(f: FamilyData): string {
  const family = openMetricsFamilyName(f);
  return `# HELP ${family} ${escape(f.help)}\n# TYPE ${family} ${OM_TYPES.has(f.type) ? f.type : 'unknown'}`;
}

/** One family's lines (each ending with a newline). */
function renderOpenMetricsFamily(f: FamilyData): string {
  const lines: string[] = [openMetricsHeader(f)];
  const counter = f.type === 'counter';
  const family = openMetricsFamilyName(f);
  for (const v of f.values) {
    const name = v.metricName ?? (counter ? `${family}_total` : family);
    lines.push(`${name}${labelSet(v.labels)} ${formatValue(v.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `{k="v",…}` with OpenMetrics escaping (the same bytes as the text format's), or '' without labels. */
export function labelSet(labels: Readonly<Record<string, string | number | undefined>>): string {
  // Concatenated in one pass (no entries or parts arrays): made for every sample at every rendering.
  let out = '';
  for (const k in labels) {
    const v = labels[k];
    if (v !== undefined) out += `${out === '' ? '{' : ','}${k}="${escape(typeof v === 'string' ? v : String(v))}"`;
  }
  return out === '' ? '' : `${out}}`;
}

const NEEDS_ESCAPE = /[\\\n"]/;

/** OpenMetrics escaping for HELP text and label values: backslash, newline and double quote. */
function escape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
