import { Registry } from 'prom-client';
import { registerFamilies, type ExporterState } from '../../../../exporter/src/expose/family';
import { evidenceFamilies, MAX_EVIDENCE_PER_BOTTLENECK } from '../../../../exporter/src/expose/families/evidence';
import type { AnalysisResult, Bottleneck } from '../../../../exporter/src/analyse/types';
import type { Evidence } from '@procsight/contract';

const ev = (feature: string, value: number, threshold: number, baseline: number | null, unit = 'ratio'): Evidence => ({
  feature,
  value,
  threshold,
  baseline,
  unit,
  text: `${feature} is ${value}`,
});

const bottleneck = (group: string, kind: Bottleneck['kind'], evidence: Evidence[]): Bottleneck => ({
  group,
  kind,
  severity: 0.8,
  confidence: 0.9,
  sinceMs: 0,
  evidence,
  suggestions: [],
  culprits: [],
});

async function render(bottlenecks: Bottleneck[] | null): Promise<string> {
  const registry = new Registry();
  // Only the field these families read; the rest of the result is not theirs.
  const analysis =
    bottlenecks === null ? null : ({ timestampMs: 0, anomalies: [], bottlenecks, profiles: { clusters: [], points: [] } } as unknown as AnalysisResult);
  const state: ExporterState = { snapshot: () => null, analysis: () => analysis, forecasts: () => [], hostInfo: () => null };
  registerFamilies([registry], evidenceFamilies, state);
  return registry.metrics();
}

const samples = (text: string, name: string): string[] => text.split('\n').filter((l) => l.startsWith(`${name}{`));

describe('bottleneck evidence series', () => {
  it('exports value, threshold and learned baseline of every evidence feature of an active bottleneck, labelled with its unit', async () => {
    const text = await render([
      bottleneck('api', 'memory_leak', [
        ev('rss_slope_bytes_per_second', 1048576, 262144, 0, 'bytes/s'),
        ev('time_to_host_memory_exhaustion_seconds', 7200, 86400, null, 'seconds'),
      ]),
    ]);
    expect(samples(text, 'procsight_bottleneck_evidence')).toEqual([
      'procsight_bottleneck_evidence{group="api",kind="memory_leak",feature="rss_slope_bytes_per_second",unit="bytes/s"} 1048576',
      'procsight_bottleneck_evidence{group="api",kind="memory_leak",feature="time_to_host_memory_exhaustion_seconds",unit="seconds"} 7200',
    ]);
    expect(samples(text, 'procsight_bottleneck_evidence_threshold')).toEqual([
      'procsight_bottleneck_evidence_threshold{group="api",kind="memory_leak",feature="rss_slope_bytes_per_second",unit="bytes/s"} 262144',
      'procsight_bottleneck_evidence_threshold{group="api",kind="memory_leak",feature="time_to_host_memory_exhaustion_seconds",unit="seconds"} 86400',
    ]);
    // A null baseline (warm-up, limit-only feature) is an absent series, not 0.
    expect(samples(text, 'procsight_bottleneck_evidence_baseline')).toEqual([
      'procsight_bottleneck_evidence_baseline{group="api",kind="memory_leak",feature="rss_slope_bytes_per_second",unit="bytes/s"} 0',
    ]);
  });

  it('exports nothing without active bottlenecks or before the first analysis', async () => {
    for (const b of [null, []]) {
      const text = await render(b);
      expect(text).toContain('# TYPE procsight_bottleneck_evidence gauge');
      expect(samples(text, 'procsight_bottleneck_evidence')).toEqual([]);
      expect(samples(text, 'procsight_bottleneck_evidence_threshold')).toEqual([]);
      expect(samples(text, 'procsight_bottleneck_evidence_baseline')).toEqual([]);
    }
  });

  it(`keeps at most ${MAX_EVIDENCE_PER_BOTTLENECK} features per group and kind (the rule's first ones) and one series per feature`, async () => {
    const many = Array.from({ length: MAX_EVIDENCE_PER_BOTTLENECK + 4 }, (_, i) => ev(`f${i}`, i, 1, null));
    const text = await render([
      bottleneck('api', 'io_bound', [ev('f0', 9, 1, null), ...many]),
      bottleneck('api', 'cpu_saturation', many.slice(0, 2)),
      bottleneck('db', 'io_bound', many),
    ]);
    const got = samples(text, 'procsight_bottleneck_evidence');
    const of = (group: string, kind: string) => got.filter((l) => l.includes(`group="${group}",kind="${kind}"`)).map((l) => /feature="(\w+)"/.exec(l)?.[1]);
    expect(of('api', 'io_bound')).toEqual(['f0', 'f1', 'f2', 'f3']);
    expect(got).toContain('procsight_bottleneck_evidence{group="api",kind="io_bound",feature="f0",unit="ratio"} 9');
    expect(of('api', 'cpu_saturation')).toEqual(['f0', 'f1']);
    expect(of('db', 'io_bound')).toHaveLength(MAX_EVIDENCE_PER_BOTTLENECK);
    expect(got).toHaveLength(2 * MAX_EVIDENCE_PER_BOTTLENECK + 2);
  });

  it('drops a feature whose value is not finite (an infinite time to exhaustion), threshold and all', async () => {
    const text = await render([bottleneck('api', 'memory_leak', [ev('time_to_host_memory_exhaustion_seconds', Infinity, 86400, null, 'seconds')])]);
    expect(samples(text, 'procsight_bottleneck_evidence')).toEqual([]);
    expect(samples(text, 'procsight_bottleneck_evidence_threshold')).toEqual([]);
  });
});
