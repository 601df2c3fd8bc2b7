import { groupFamilies, keptLabelSets } from '../../../../exporter/src/expose/families/group';
import { labelSet } from '../../../../exporter/src/expose/openmetrics';
import type { ExporterState, Sample } from '../../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import { emptyHost } from '../../../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../../../helpers/synthetic';

function stateOf(names: readonly string[]): ExporterState {
  const snapshot: CollectionSnapshot = {
    timestampMs: Date.UTC(2026, 0, 1),
    intervalSeconds: 1,
    groups: names.map((n) => groupSnapshot(n, { gauges: { rssBytes: 100, vmsBytes: 200, threads: 1, openFds: 3 } })),
    host: emptyHost(),
    read: { processesListed: names.length, processesRead: names.length, errors: {} },
    collectDurationSeconds: 0.01,
    groupsOverflowed: 0,
    trackedPids: names.length,
  };
  return { snapshot: () => snapshot, analysis: () => null, forecasts: () => [], hostInfo: () => null };
}

function samplesOf(state: ExporterState): Sample[] {
  return groupFamilies.flatMap((f) => [...f.samples(state)]);
}

describe('the per-group families', () => {
  it('give each sample its label set as labelSet renders it, escaping included', () => {
    const samples = samplesOf(stateOf(['web', 'we"ird\\name\nx']));
    const kept = samples.filter((s) => s.length === 3);
    expect(kept.length).toBeGreaterThan(20);
    for (const s of kept) expect(s[2]).toBe(labelSet(s[0]));
    expect(kept.map((s) => s[2])).toContain('{group="we\\"ird\\\\name\\nx",mode="user"}');
  });

  it('keep the labels of a group from one rendering to the next', () => {
    const state = stateOf(['api', 'db']);
    const first = samplesOf(state).filter((s) => s.length === 3);
    const second = samplesOf(state).filter((s) => s.length === 3);
    expect(second.length).toBe(first.length);
    second.forEach((s, i) => expect(s[0]).toBe(first[i][0]));
  });

  it('keep no more than about twice the groups of a rendering, however many names came and went', () => {
    for (let cycle = 0; cycle < 30; cycle++) samplesOf(stateOf(Array.from({ length: 20 }, (_, i) => `g${cycle}-${i}`)));
    const sizes = keptLabelSets();
    expect(sizes.length).toBeGreaterThan(5);
    for (const n of sizes) expect(n).toBeLessThanOrEqual(2 * 20 + 16 + 20);
  });
});
