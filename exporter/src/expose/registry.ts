import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Registry, openMetricsContentType, prometheusContentType } from 'prom-client';
import { registerFamilies, type ExporterState } from './family';
import { groupFamilies } from './families/group';
import { hostFamilies } from './families/host';
import { analysisFamilies } from './families/analysis';
import { forecastFamilies } from './families/forecast';
import { SelfMetrics } from './self-metrics';
import { renderRegistry, type Rendered } from './render';

const ALL_FAMILIES = [...groupFamilies, ...hostFamilies, ...analysisFamilies, ...forecastFamilies];

/** The two exposition formats served on /metrics, chosen by content negotiation. */
type ExpositionFormat = 'text' | 'openmetrics';

/** Longest stretch of rendering between two yields to the event loop. */
const RENDER_SLICE_MS = 1;

/** The registry and the self-metrics, made before the layers that report to them. */
export function createRegistry(build: { version: string }): { registry: Registry; self: SelfMetrics } {
  const registry = new Registry();
  return { registry, self: new SelfMetrics([registry], build) };
}

/**
 * One registry (no global one) rendered in two formats: Prometheus text 0.0.4
 * and OpenMetrics, from one collect per family (see ./render.ts). There is
 * deliberately no prom-client OpenMetrics registry: its `metrics()` strips
 * `_total` from the shared counter objects in place, which broke the text
 * format after every OpenMetrics scrape (see ./openmetrics.ts).
 *
 * `refresh()` renders after each collection cycle, in slices; scrapes get the
 * last complete rendering and never wait for collection, analysis or rendering
 * (only the very first scrape, if it comes before the first refresh).
 */
export interface Exposition {
  registry: Registry;
  self: SelfMetrics;
  refresh(): Promise<void>;
  body(format: ExpositionFormat): Promise<string>;
  contentType(format: ExpositionFormat): string;
}

export function createExposition(opts: { registry: Registry; self: SelfMetrics; state: ExporterState }): Exposition {
  registerFamilies([opts.registry], ALL_FAMILIES, opts.state);
  let latest: Rendered | null = null;
  let rendering: Promise<Rendered> | null = null;
  const refresh = (): Promise<Rendered> => {
    rendering ??= renderRegistry(opts.registry, { sliceMs: RENDER_SLICE_MS, yieldNow: () => yieldToLoop() })
      .then((r) => (latest = r))
      .finally(() => (rendering = null));
    return rendering;
  };
  return {
    registry: opts.registry,
    self: opts.self,
    refresh: async () => void (await refresh()),
    async body(format) {
      const r = latest ?? (await refresh());
      return format === 'text' ? r.text : r.openmetrics;
    },
    contentType: (format) => (format === 'text' ? prometheusContentType : openMetricsContentType),
  };
}
