import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Registry, openMetricsContentType, prometheusContentType } from 'prom-client';
import { registerFamilies, type ExporterState } from './family';
import { groupFamilies } from './families/group';
import { hostFamilies } from './families/host';
import { analysisFamilies } from './families/analysis';
import { forecastFamilies } from './families/forecast';
import { OPENMETRICS_EOF } from './openmetrics';
import { SelfMetrics } from './self-metrics';
import { renderRegistry, type Rendered } from './render';

const ALL_FAMILIES = [...groupFamilies, ...hostFamilies, ...analysisFamilies, ...forecastFamilies];

/** The two exposition formats served on /metrics, chosen by content negotiation. */
type ExpositionFormat = 'text' | 'openmetrics';

/** Longest stretch of rendering between two yields to the event loop. */
const RENDER_SLICE_MS = 1;

/** The self-metrics and their registry, made before the layers that report to them. */
export function createRegistry(build: { version: string }): { registry: Registry; self: SelfMetrics } {
  const registry = new Registry();
  return { registry, self: new SelfMetrics([registry], build) };
}

/**
 * Two registries (no global one), each rendered in two formats from one
 * collect per family (./render.ts): the families over the latest results,
 * rendered by `refresh()` after each collection cycle in slices, and the
 * exporter's own metrics (`self`: a few small families of event counters),
 * rendered at each scrape so a counted failure shows at once. A scrape never
 * waits for collection, analysis or the families' rendering (only the very
 * first one, if it comes before the first refresh).
 *
 * There is deliberately no prom-client OpenMetrics registry: its `metrics()`
 * strips `_total` from the shared counter objects in place, which broke the
 * text format after every OpenMetrics scrape (see ./openmetrics.ts).
 */
export interface Exposition {
  /** Every registry, families first (docs/metrics.md lists them in this order). */
  registries: readonly Registry[];
  self: SelfMetrics;
  refresh(): Promise<void>;
  body(format: ExpositionFormat): Promise<string>;
  contentType(format: ExpositionFormat): string;
}

export function createExposition(opts: { registry: Registry; self: SelfMetrics; state: ExporterState }): Exposition {
  const families = new Registry();
  registerFamilies([families], ALL_FAMILIES, opts.state);
  let latest: Rendered | null = null;
  let rendering: Promise<Rendered> | null = null;
  const refresh = (): Promise<Rendered> => {
    rendering ??= renderRegistry(families, { sliceMs: RENDER_SLICE_MS, yieldNow: () => yieldToLoop() })
      .then((r) => (latest = r))
      .finally(() => (rendering = null));
    return rendering;
  };
  const now = { sliceMs: Infinity, yieldNow: () => Promise.resolve() };
  return {
    registries: [families, opts.registry],
    self: opts.self,
    refresh: async () => void (await refresh()),
    async body(format) {
      const rendered = latest ?? (await refresh());
      const self = await renderRegistry(opts.registry, now);
      return format === 'text' ? `${rendered.text}\n${self.text}` : `${rendered.openmetrics.slice(0, -OPENMETRICS_EOF.length)}${self.openmetrics}`;
    },
    contentType: (format) => (format === 'text' ? prometheusContentType : openMetricsContentType),
  };
}
