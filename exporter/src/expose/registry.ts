import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Registry } from './prom-client';
import type { BuildInfo } from '../version';
import { registerFamilies, type ExporterState, type Family } from './family';
import { processExporterFamilies, type ProcessExporterFamiliesOptions } from './families/process-exporter';
import { groupFamilies } from './families/group';
import { hostFamilies } from './families/host';
import { analysisFamilies } from './families/analysis';
import { forecastFamilies } from './families/forecast';
import { SelfMetrics } from './self-metrics';
import { renderRegistry, type Rendered } from './render';
import { contentTypeOf, joinBody, type ExpositionFormat } from './body';

/** Families over the collection (fresh as soon as it is done) and over its analysis (after the analysis). */
const PARTS = { collection: [...groupFamilies, ...hostFamilies], analysis: [...analysisFamilies, ...forecastFamilies] } as const;
type Part = keyof typeof PARTS;

/** Families of each part; process-exporter's series join the collection's when asked for. */
function partsOf(processExporter: ProcessExporterFamiliesOptions | undefined): Record<Part, readonly Family[]> {
  return processExporter ? { ...PARTS, collection: [...PARTS.collection, ...processExporterFamilies(processExporter)] } : PARTS;
}

/** Longest stretch of rendering between two yields to the event loop. */
const RENDER_SLICE_MS = 1;

/**
 * The self-metrics and their registry, made before the layers that report to
 * them. They include the exporter's own process series under the names every
 * exporter-health panel expects (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `process_open_fds`, …), read at each
 * scrape; procsight's per-pid `procsight_process_*` series are another thing.
 */
export function createRegistry(build: Pick<BuildInfo, 'version'> & Partial<BuildInfo>): { registry: Registry; self: SelfMetrics } {
  const registry = new Registry();
  return { registry, self: new SelfMetrics([registry], build) };
}

/**
 * Registries (no global one), each rendered in two formats from one collect
 * per family (./render.ts): the families over the collection, rendered as
 * soon as a collection is done, and those over its analysis and forecasts,
 * rendered once the analysis is done — both in slices, by `refresh(part)`
 * from the collection loop's stages; and the exporter's own metrics (`self`:
 * a few small families of event counters), rendered at each scrape so a
 * counted failure shows at once. A scrape never waits for collection,
 * analysis or the families' rendering (only the very first one, if it comes
 * before the first refresh).
 *
 * There is deliberately no prom-client OpenMetrics registry: its `metrics()`
 * strips `_total` from the shared counter objects in place, which broke the
 * text format after every OpenMetrics scrape (see ./openmetrics.ts).
 */
export interface Exposition {
  /** Every registry in exposition order (docs/metrics.md lists them in this order). */
  registries: readonly Registry[];
  self: SelfMetrics;
  /** Renders one part's families again from the current state (all parts when none is named). */
  refresh(part?: Part): Promise<void>;
  body(format: ExpositionFormat): Promise<string>;
  contentType(format: ExpositionFormat): string;
  /** The parts' latest renderings in exposition order (rendered now when a part has none yet). */
  parts(): Promise<Rendered[]>;
  /** The self-metrics, rendered now. */
  renderSelf(): Promise<Rendered>;
  /** Called with a part's index, the number of parts and the part's new rendering each time one is done (the HTTP front keeps a copy). */
  onRendered(listener: (index: number, count: number, rendered: Rendered) => void): void;
}

export function createExposition(opts: {
  registry: Registry;
  self: SelfMetrics;
  state: ExporterState;
  processExporter?: ProcessExporterFamiliesOptions;
}): Exposition {
  const families = partsOf(opts.processExporter);
  if (opts.processExporter) opts.self.registerProcessExporterErrors();
  const parts = (Object.keys(families) as Part[]).map((name) => {
    const registry = new Registry();
    registerFamilies([registry], families[name], opts.state);
    return { name, registry, latest: null as Rendered | null, rendering: null as Promise<Rendered> | null };
  });
  const listeners: Array<(index: number, count: number, rendered: Rendered) => void> = [];
  const refresh = (part: (typeof parts)[number]): Promise<Rendered> => {
    part.rendering ??= renderRegistry(part.registry, { sliceMs: RENDER_SLICE_MS, yieldNow: () => yieldToLoop() })
      .then((r) => {
        part.latest = r;
        for (const l of listeners) l(parts.indexOf(part), parts.length, r);
        return r;
      })
      .finally(() => (part.rendering = null));
    return part.rendering;
  };
  const now = { sliceMs: Infinity, yieldNow: () => Promise.resolve() };
  const latest = (): Promise<Rendered[]> => Promise.all(parts.map((p) => p.latest ?? refresh(p)));
  const renderSelf = (): Promise<Rendered> => renderRegistry(opts.registry, now);
  return {
    registries: [...parts.map((p) => p.registry), opts.registry],
    self: opts.self,
    refresh: async (name) => void (await Promise.all(parts.filter((p) => name === undefined || p.name === name).map(refresh))),
    async body(format) {
      const rendered = await latest();
      return joinBody(rendered, await renderSelf(), format);
    },
    parts: latest,
    renderSelf,
    onRendered: (l) => void listeners.push(l),
    contentType: contentTypeOf,
  };
}
