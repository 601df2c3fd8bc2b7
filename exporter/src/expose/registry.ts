import { Registry, openMetricsContentType, type OpenMetricsContentType } from 'prom-client';
import { registerFamilies, type ExporterState } from './family';
import { groupFamilies } from './families/group';
import { hostFamilies } from './families/host';
import { analysisFamilies } from './families/analysis';
import { forecastFamilies } from './families/forecast';
import { SelfMetrics } from './self-metrics';

export const ALL_FAMILIES = [...groupFamilies, ...hostFamilies, ...analysisFamilies, ...forecastFamilies];

/**
 * Two registries over the same metric objects: Prometheus text 0.0.4 and
 * OpenMetrics, chosen by content negotiation. No global registry.
 */
export interface Exposition {
  text: Registry;
  openMetrics: Registry<OpenMetricsContentType>;
  self: SelfMetrics;
}

export function createExposition(state: ExporterState, build: { version: string }): Exposition {
  const text = new Registry();
  const openMetrics = new Registry<OpenMetricsContentType>();
  openMetrics.setContentType(openMetricsContentType);
  const regs = [text, openMetrics];
  registerFamilies(regs, ALL_FAMILIES, state);
  const self = new SelfMetrics(regs, build);
  return { text, openMetrics, self };
}
