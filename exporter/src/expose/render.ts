import type { Metric, Registry } from 'prom-client';
import { renderOpenMetricsFamily, OPENMETRICS_EOF, type FamilyData } from './openmetrics';

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
    const data = (await metric.get()) as unknown as FamilyData;
    text.push(renderTextFamily(data));
    om.push(renderOpenMetricsFamily(data));
    if (performance.now() - sliceStart >= opts.sliceMs) {
      await opts.yieldNow();
      sliceStart = performance.now();
    }
  }
  return { text: `${text.join('\n\n')}\n`, openmetrics: `${om.join('')}${OPENMETRICS_EOF}` };
}

/** One family in Prometheus text format 0.0.4 (prom-client's escaping and number format). */
function renderTextFamily(f: FamilyData): string {
  const name = escapeText(f.name);
  const lines = [`# HELP ${name} ${escapeText(f.help)}`, `# TYPE ${name} ${f.type}`];
  for (const v of f.values) {
    const labels = Object.entries(v.labels)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, val]) => `${k}="${typeof val === 'string' ? escapeText(val).replace(/"/g, '\\"') : val}"`);
    lines.push(`${v.metricName ?? name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${textValue(v.value)}`);
  }
  return lines.join('\n');
}

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function textValue(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}
