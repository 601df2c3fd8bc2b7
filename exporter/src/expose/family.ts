import type { Registry, PrometheusContentType, OpenMetricsContentType } from 'prom-client';
import { Counter, Gauge } from './prom-client';

export type AnyRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;
import type { AnalysisResult } from '../analyse/types';
import type { CollectionSnapshot } from '../pipeline/types';
import type { Forecast } from '../analyse/forecast/types';
import type { HostInfo } from '../read/types';
import type { PodLookup } from '../group/namer';
import { labelSet, type FamilyData } from './openmetrics';

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
/** Labels and value; a family that keeps its label sets between renderings adds each one as rendered (`labelSet(labels)`). */
export type Sample = readonly [Labels, number] | readonly [Labels, number, string];

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

/** The families' own data by their prom-client metric objects: what renderRegistry renders. */
const DIRECT = new WeakMap<object, () => FamilyData>();

/**
 * The family's samples as a collect of its metric object would give them (the
 * same filters, duplicates merged as prom-client merges them: a gauge's last
 * value, a counter's sum), without prom-client's per-sample label hashing,
 * which sorted the label names of every sample at every rendering. Each
 * sample carries its rendered label set.
 */
export function familyDataOf(metric: object): FamilyData | null {
  return DIRECT.get(metric)?.() ?? null;
}

function collectFamily(f: Family, state: ExporterState): FamilyData {
  const values: Array<{ value: number; labels: Labels; labelText: string }> = [];
  const at = new Map<string, number>();
  for (const [labels, value, rendered] of f.samples(state)) {
    if (!Number.isFinite(value) || (f.type === 'counter' && value < 0)) continue;
    const labelText = rendered ?? labelSet(labels);
    const i = at.get(labelText);
    if (i === undefined) {
      at.set(labelText, values.length);
      values.push({ value, labels, labelText });
    } else {
      values[i].value = f.type === 'counter' ? values[i].value + value : value;
    }
  }
  return { name: f.name, help: f.help, type: f.type, values };
}

/** Registers families on every given registry (one metric object shared by all of them). */
export function registerFamilies(registries: AnyRegistry[], families: readonly Family[], state: ExporterState): void {
  for (const f of families) {
    DIRECT.set(registerFamily(registries, f, state), () => collectFamily(f, state));
  }
}

function registerFamily(registries: AnyRegistry[], f: Family, state: ExporterState): object {
  if (f.type === 'gauge') {
    return new Gauge({
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
    return new Counter({
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
