import { workloadAnalyzer, workloadSnapshot } from '../helpers/analyzer-workload';

/**
 * The exporter analyses each collection in time slices, yielding to the
 * event loop in between so scrapes are served: the sliced run must give
 * exactly what the whole run gives (240 ticks of 45 groups, run twice:
 * 8 to 30 s on two shared cores, so it runs with `npm test`, not in the unit
 * loop).
 */
describe('Analyzer.ingestSliced', () => {
  it("gives exactly the whole run's result at every tick", async () => {
    const whole = workloadAnalyzer();
    const sliced = workloadAnalyzer();
    let labelled = 0;
    for (let t = 0; t < 240; t++) {
      const s = workloadSnapshot(t);
      const a = whole.ingest(s);
      const b = await sliced.ingestSliced(s, { sliceMs: 0.05 });
      expect(b).toEqual(a);
      labelled = Math.max(labelled, a.bottlenecks.length);
    }
    // The comparison covered labels and scores, not only empty results.
    expect(labelled).toBeGreaterThan(0);
    expect(whole.current()!.anomalies.length).toBeGreaterThan(45);
  }, 120_000);
});
