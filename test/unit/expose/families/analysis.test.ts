import { Analyzer } from '../../../../exporter/src/analyse/analyzer';
import { anomalyConfigSchema } from '../../../../exporter/src/analyse/anomaly/config';
import { contentionConfigSchema } from '../../../../exporter/src/analyse/contention/config';
import { bottleneckConfigSchema } from '../../../../exporter/src/analyse/bottleneck/config';
import { ANOMALY_SCORE, BAND, GROUP_SEASONALITY, SUGGESTION } from '@procsight/contract';
import { analysisFamilies } from '../../../../exporter/src/expose/families/analysis';
import type { ExporterState } from '../../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { analysisResult, groupSnapshot } from '../../../helpers/synthetic';

describe('procsight_suggestion is capped per group, across kinds', () => {
  const config = bottleneckConfigSchema.parse({});
  const snap = (t: number): CollectionSnapshot => ({
    timestampMs: t,
    intervalSeconds: 5,
    groups: [
      // A pegged core, major faults under host memory pressure, and a busy network: three labels at once.
      groupSnapshot('db', {
        gauges: { threads: 1, swapBytes: 1e8 },
        rates: { cpuCores: 0.98, majorFaultsPerSecond: 200, netReceiveBytesPerSecond: 9e7, netTransmitBytesPerSecond: 5e7 },
      }),
      groupSnapshot('web', { gauges: { threads: 1 }, rates: { cpuCores: 0.97 } }),
    ],
    host: {
      ...emptyHost(),
      cpus: 4,
      memoryTotalBytes: 16e9,
      memoryAvailableBytes: 8e9,
      procsRunning: 2,
      rates: {
        cpuBusyRatio: 0.5,
        iowaitRatio: 0,
        pressureCpuSomeRatio: 0,
        pressureMemorySomeRatio: 0.3,
        pressureMemoryFullRatio: 0,
        pressureIoSomeRatio: 0,
        pressureIoFullRatio: 0,
      },
    },
    read: { processesListed: 2, processesRead: 2, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: 2,
  });

  it("exports at most max_suggestions_per_group series for a group with several active bottlenecks: each bottleneck's best action first", () => {
    expect(config.max_suggestions_per_group).toBe(3);
    const analyzer = new Analyzer({ anomaly: anomalyConfigSchema.parse({}), bottlenecks: config, contention: contentionConfigSchema.parse({}) });
    const t0 = Date.UTC(2026, 0, 5, 10);
    for (let t = t0; t <= t0 + 120_000; t += 5000) analyzer.ingest(snap(t));
    const result = analyzer.current()!;
    const db = result.bottlenecks.filter((b) => b.group === 'db');
    expect(db.map((b) => b.kind).sort()).toEqual(['cpu_saturation', 'memory_pressure', 'network_saturation']);

    const state: ExporterState = { snapshot: () => null, analysis: () => result, forecasts: () => [], hostInfo: () => null };
    const family = analysisFamilies.find((f) => f.name === SUGGESTION)!;
    const samples = [...family.samples(state)];
    const dbSeries = samples.filter(([l]) => l.group === 'db');
    expect(dbSeries).toHaveLength(3);
    // Three active bottlenecks and a cap of three: each bottleneck's own best action, so every alert can name one.
    expect(db.flatMap((b) => b.suggestions).length).toBeGreaterThan(3);
    expect(dbSeries.map(([l]) => `${l.kind}/${l.action}`).sort()).toEqual(db.map((b) => `${b.kind}/${b.suggestions[0].action}`).sort());
    // Another group is capped on its own.
    expect(samples.filter(([l]) => l.group === 'web')).toHaveLength(3);
    // The API still lists each bottleneck's own suggestions (at most the cap each).
    for (const b of db) expect(b.suggestions.length).toBeLessThanOrEqual(3);
  });
});

describe('anomaly scores, bands and workload patterns', () => {
  const state: ExporterState = { snapshot: () => null, analysis: () => analysisResult(), forecasts: () => [], hostInfo: () => null };
  const samples = (name: string) => [...analysisFamilies.find((f) => f.name === name)!.samples(state)];

  it('exports the scores of series being scored only (a learning series is absent)', () => {
    expect(samples(ANOMALY_SCORE)).toEqual([
      [{ group: 'api', signal: 'memory' }, 0.97],
      [{ group: 'db', signal: 'cpu' }, 0.2],
    ]);
  });

  it('exports each band as a lower and an upper series, and the daily strength (weekly only once known)', () => {
    expect(samples(BAND)).toEqual([
      [{ group: 'api', signal: 'memory', bound: 'lower' }, 1.1e8],
      [{ group: 'api', signal: 'memory', bound: 'upper' }, 1.3e8],
    ]);
    expect(samples(GROUP_SEASONALITY)).toEqual([[{ group: 'db', period: 'daily' }, 0.82]]);
  });
});
