import { Analyzer } from '../../exporter/src/analyse/analyzer';
import { anomalyConfigSchema } from '../../exporter/src/analyse/anomaly/config';
import { contentionConfigSchema } from '../../exporter/src/analyse/contention/config';
import { bottleneckConfigSchema } from '../../exporter/src/analyse/bottleneck/config';
import { emptyHost } from '../../exporter/src/pipeline/collector';
import type { CollectionSnapshot } from '../../exporter/src/pipeline/types';
import { collectionSnapshot, groupSnapshot } from './synthetic';

/** An analyzer with 10 cells of anomaly learning and the default bottleneck rules. */
export const workloadAnalyzer = (): Analyzer =>
  new Analyzer({
    anomaly: anomalyConfigSchema.parse({ detector: { min_baseline_cells: 10 } }),
    bottlenecks: bottleneckConfigSchema.parse({}),
    contention: contentionConfigSchema.parse({}),
  });

const host = { ...emptyHost(), cpus: 2, memoryTotalBytes: 8e9, memoryAvailableBytes: 4e9 };

/** Tick t (5 s apart) of 45 groups: a CPU hog, a leak, and quiet ones with a little noise (deterministic). */
export const workloadSnapshot = (t: number): CollectionSnapshot =>
  collectionSnapshot(
    Array.from({ length: 45 }, (_, i) =>
      groupSnapshot(`g${i}`, {
        gauges: { rssBytes: 1e8 + (i === 1 ? 4e6 * t : 1e5 * Math.sin(t + i)), threads: 4, openFds: 20 },
        rates: { cpuCores: i === 0 ? 0.99 : 0.01 + 0.005 * Math.cos(t * i) },
      }),
    ),
    { timestampMs: Date.UTC(2026, 10, 24) + t * 5000, intervalSeconds: 5, host: { ...host, memoryAvailableBytes: 4e9 - 4e6 * t } },
  );
