import { Registry, openMetricsContentType, prometheusContentType } from 'prom-client';
import { registerFamilies, type ExporterState } from './family';
import { groupFamilies } from './families/group';
import { hostFamilies } from './families/host';
import { analysisFamilies } from './families/analysis';
import { forecastFamilies } from './families/forecast';
import { SelfMetrics } from './self-metrics';
import { renderOpenMetrics } from './openmetrics';

export const ALL_FAMILIES = [...groupFamilies, ...hostFamilies, ...analysisFamilies, ...forecastFamilies];

/** The two exposition formats served on /metrics, chosen by content negotiation. */
export type ExpositionFormat = 'text' | 'openmetrics';

/**
 * One registry (no global one) rendered in two formats: Prometheus text 0.0.4
 * by prom-client, OpenMetrics by `renderOpenMetrics` from the same collect.
 * There is deliberately no prom-client OpenMetrics registry: its `metrics()`
 * strips `_total` from the shared counter objects in place, which broke the
 * text format after every OpenMetrics scrape (see ./openmetrics.ts).
 */
export interface Exposition {
  text: Registry;
  self: SelfMetrics;
  render(format: ExpositionFormat): Promise<string>;
  contentType(format: ExpositionFormat): string;
}

export function createExposition(state: ExporterState, build: { version: string }): Exposition {
  const text = new Registry();
  registerFamilies([text], ALL_FAMILIES, state);
  const self = new SelfMetrics([text], build);
  return {
    text,
    self,
    async render(format) {
      if (format === 'text') return text.metrics();
      const families = await text.getMetricsAsJSON();
      return renderOpenMetrics(families.map((f) => ({ name: f.name, help: f.help, type: String(f.type), values: f.values })));
    },
    contentType: (format) => (format === 'text' ? prometheusContentType : openMetricsContentType),
  };
}
