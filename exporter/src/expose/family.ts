import { Counter, Gauge, type Registry, type PrometheusContentType, type OpenMetricsContentType } from 'prom-client';

export type AnyRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;
import type { AnalysisResult } from '../analyse/types';
import type { CollectionSnapshot } from '../pipeline/types';
import type { Forecast } from '../analyse/forecast/types';
import type { HostInfo } from '../read/types';
import type { PodLookup } from '../group/namer';

/** What the exposition reads at scrape time: always the latest results, never a fresh collection. */
export interface ExporterState {
  snapshot(): CollectionSnapshot | null;
  analysis(): AnalysisResult | null;
  forecasts(): readonly Forecast[];
  hostInfo(): HostInfo | null;
  /** The pods of this node (--kubernetes.enabled), for procsight_group_kubernetes_info; absent or null otherwise. */
  pods?(): PodLookup | null;
}

export type Labels = Record<string, string>;
export type Sample = readonly [Labels, number];

/**
 * One metric family whose values are derived from the state at collect time.
 * Counters here are totals kept by the grouper (monotonic), exported as is.
 */
export interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labelNames: readonly string[];
  samples(state: ExporterState): Iterable<Sample>;
}

/** Registers families on every given registry (one metric object shared by all of them). */
export function registerFamilies(registries: AnyRegistry[], families: readonly Family[], state: ExporterState): void {
  for (const f of families) {
    if (f.type === 'gauge') {
      new Gauge({
        name: f.name,
        help: f.help,
        labelNames: [...f.labelNames],
        registers: registries,
        collect() {
          this.reset();
          for (const [labels, value] of f.samples(state)) if (Number.isFinite(value)) this.set(labels, value);
        },
      });
    } else {
      new Counter({
        name: f.name,
        help: f.help,
        labelNames: [...f.labelNames],
        registers: registries,
        collect() {
          this.reset();
          for (const [labels, value] of f.samples(state)) if (Number.isFinite(value) && value >= 0) this.inc(labels, value);
        },
      });
    }
  }
}
