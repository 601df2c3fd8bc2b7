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
  }>;
}

const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);

/** The line that ends an OpenMetrics exposition. */
export const OPENMETRICS_EOF = '# EOF\n';

/** Renders families as OpenMetrics text, ending with `# EOF`. Pure: never mutates its input. */
export function renderOpenMetrics(families: readonly FamilyData[]): string {
  return `${families.map(renderOpenMetricsFamily).join('')}${OPENMETRICS_EOF}`;
}

/** One family's lines (each ending with a newline). */
export function renderOpenMetricsFamily(f: FamilyData): string {
  const lines: string[] = [];
  const counter = f.type === 'counter';
  // OpenMetrics names the counter family without _total; its samples carry it.
  const family = counter ? f.name.replace(/_total$/, '') : f.name;
  lines.push(`# HELP ${family} ${escape(f.help)}`);
  lines.push(`# TYPE ${family} ${OM_TYPES.has(f.type) ? f.type : 'unknown'}`);
  for (const v of f.values) {
    const name = v.metricName ?? (counter ? `${family}_total` : family);
    lines.push(`${name}${labelSet(v.labels)} ${formatValue(v.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function labelSet(labels: Readonly<Record<string, string | number | undefined>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) parts.push(`${k}="${escape(String(v))}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** OpenMetrics escaping for HELP text and label values: backslash, newline and double quote. */
function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
