import type { Metric, Registry } from 'prom-client';
import { formatValue, labelSet, openMetricsHeader, OPENMETRICS_EOF, type FamilyData } from './openmetrics';
import { familyDataOf } from './family';

/** Both exposition formats of one registry, rendered from one collect. */
export interface Rendered {
  text: string;
  openmetrics: string;
}

export interface RenderOptions {
  /** Longest stretch of rendering before yielding to the event loop, in ms. */
  sliceMs: number;
  /** Lets the event loop run (scrapes are served meanwhile). */
  yieldNow(): Promise<void>;
}

/**
 * Renders every metric of the registry in both formats, one family at a time,
 * yielding whenever a slice has run `sliceMs`: a scrape that arrives
 * meanwhile waits for one family, not for the whole rendering. Each family is
 * collected once (`metric.get()`) for both formats. The text format is
 * byte-for-byte what prom-client's `Registry#metrics()` writes.
 */
export async function renderRegistry(registry: Registry, opts: RenderOptions): Promise<Rendered> {
  const text: string[] = [];
  const om: string[] = [];
  let sliceStart = performance.now();
  for (const metric of registry.getMetricsAsArray() as unknown as Array<Metric<string>>) {
    const data = familyDataOf(metric) ?? ((await metric.get()) as unknown as FamilyData);
    const family = renderFamily(data);
    text.push(family.text);
    om.push(family.openmetrics);
    if (performance.now() - sliceStart >= opts.sliceMs) {
      await opts.yieldNow();
      sliceStart = performance.now();
    }
  }
  return { text: `${text.join('\n\n')}\n`, openmetrics: `${om.join('')}${OPENMETRICS_EOF}` };
}

/**
 * One family in Prometheus text format 0.0.4 (prom-client's escaping and
 * number format) and in OpenMetrics. A sample line is the same in both but
 * for NaN (`Nan` in prom-client's text), so each is built once and shared.
 */
function renderFamily(f: FamilyData): Rendered {
  const name = escapeText(f.name);
  let text = `# HELP ${name} ${escapeText(f.help)}\n# TYPE ${name} ${f.type}`;
  let openmetrics = openMetricsHeader(f);
  // OpenMetrics names a counter's samples `<family>_total`: the text format's names only when the counter's has `_total`.
  const omName = f.type === 'counter' && !f.name.endsWith('_total') ? `${f.name}_total` : null;
  for (const v of f.values) {
    const labels = v.labelText ?? labelSet(v.labels);
    const line = `${v.metricName ?? name}${labels} `;
    // One number-to-text conversion for both formats: they differ only in how NaN is spelled.
    const value = formatValue(v.value);
    text += `\n${line}${Number.isNaN(v.value) ? 'Nan' : value}`;
    openmetrics += omName === null || v.metricName !== undefined ? `\n${line}${value}` : `\n${omName}${labels} ${value}`;
  }
  return { text, openmetrics: `${openmetrics}\n` };
}

function escapeText(s: string): string {
  if (!/[\\\n]/.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
