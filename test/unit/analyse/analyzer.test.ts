import { Analyzer } from '../../../exporter/src/analyse/analyzer';
import { anomalyConfigSchema } from '../../../exporter/src/analyse/anomaly/config';
import { bottleneckConfigSchema } from '../../../exporter/src/analyse/bottleneck/config';
import { emptyHost } from '../../../exporter/src/pipeline/collector';
import type { CollectionSnapshot } from '../../../exporter/src/pipeline/types';
import { collectionSnapshot, groupSnapshot } from '../../helpers/synthetic';

/**
 * The exporter analyses each collection in time slices, yielding to the
 * event loop in between so scrapes are served: the sliced run must give
 * exactly what the whole run gives, and must actually let the loop run.
 */
describe('Analyzer.ingestSliced', () => {
  const analyzer = () => new Analyzer({ anomaly: anomalyConfigSchema.parse({ warmup_points: 10 }), bottlenecks: bottleneckConfigSchema.parse({}) });
  const host = { ...emptyHost(), cpus: 2, memoryTotalBytes: 8e9, memoryAvailableBytes: 4e9 };
  // 45 groups: a CPU hog, a leak, and quiet ones with a little noise (deterministic).
  const snap = (t: number): CollectionSnapshot =>
    collectionSnapshot(
      Array.from({ length: 45 }, (_, i) =>
        groupSnapshot(`g${i}`, {
          gauges: { rssBytes: 1e8 + (i === 1 ? 4e6 * t : 1e5 * Math.sin(t + i)), threads: 4, openFds: 20 },
          rates: { cpuCores: i === 0 ? 0.99 : 0.01 + 0.005 * Math.cos(t * i) },
        }),
      ),
      { timestampMs: Date.UTC(2026, 10, 24) + t * 5000, intervalSeconds: 5, host: { ...host, memoryAvailableBytes: 4e9 - 4e6 * t } },
    );

  it('gives exactly the whole run\'s result at every tick', async () => {
    const whole = analyzer();
    const sliced = analyzer();
    let labelled = 0;
    for (let t = 0; t < 240; t++) {
      const s = snap(t);
      const a = whole.ingest(s);
      const b = await sliced.ingestSliced(s, { sliceMs: 0.05 });
      expect(b).toEqual(a);
      labelled = Math.max(labelled, a.bottlenecks.length);
    }
    // The comparison covered labels and scores, not only empty results.
    expect(labelled).toBeGreaterThan(0);
    expect(whole.current()!.anomalies.length).toBeGreaterThan(45);
  });

  it('lets the event loop run between slices, and serves the previous result until done', async () => {
    const a = analyzer();
    const first = a.ingest(snap(0));
    let turns = 0;
    let seenDuring: unknown = null;
    let running = true;
    const spin = (): void => {
      if (!running) return;
      turns++;
      seenDuring ??= a.current();
      setImmediate(spin);
    };
    setImmediate(spin);
    const next = await a.ingestSliced(snap(1), { sliceMs: 0 });
    running = false;
    // 45 groups, a yield after each, three sliced stages: at least 3 × 44 turns of the loop.
    expect(turns).toBeGreaterThanOrEqual(132);
    expect(seenDuring).toBe(first);
    expect(a.current()).toBe(next);
  });
});
