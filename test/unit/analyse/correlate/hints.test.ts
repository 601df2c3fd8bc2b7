import { correlationHints } from '../../../../exporter/src/analyse/correlate/hints';
import { FeatureStore } from '../../../../exporter/src/analyse/features/store';
import { HostSeries } from '../../../../exporter/src/analyse/correlate/host-series';
import type { Bottleneck } from '../../../../exporter/src/analyse/types';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../helpers/synthetic';

function normal(seed: number): () => number {
  let s = seed;
  const u = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const bottleneck = (group: string, kind: Bottleneck['kind'], severity = 0.7): Bottleneck => ({
  group,
  kind,
  severity,
  confidence: 0.8,
  sinceMs: 0,
  evidence: [],
  suggestions: [],
  culprits: [],
});

/**
 * An hour at 5 s through the real feature store: backup writes in bursts, db's writes follow them
 * (its flushes wait behind the same disk) and, less closely, the host's iowait; cron does its own thing.
 */
function hour() {
  const store = new FeatureStore({ stepSeconds: 5 });
  const host = new HostSeries();
  const burst = normal(1);
  const own = normal(2);
  const cron = normal(3);
  const disk = normal(4);
  let load = 0;
  for (let t = 0; t <= 3600; t += 5) {
    load = Math.max(0, 0.8 * load + burst());
    const h = hostSnapshot({}, { iowaitRatio: Math.max(0, 0.05 + 0.05 * load + 0.01 * disk()) });
    const groups = [
      groupSnapshot('backup', { rates: { writeBytesPerSecond: 20e6 * load } }),
      groupSnapshot('db', { rates: { writeBytesPerSecond: 2e6 + 1e6 * load + 2e5 * own() } }),
      groupSnapshot('cron', { rates: { writeBytesPerSecond: 1e6 + 5e5 * cron() } }),
    ];
    const snap = collectionSnapshot(groups, { timestampMs: t * 1000, intervalSeconds: 5, host: h });
    for (const g of groups) store.ingestGroup(snap, g);
    host.add(h, t * 1000);
  }
  return { features: store, host: host.series(), nowSeconds: 3600 };
}

describe('correlationHints', () => {
  const sources = hour();

  it("lists the series that moved with the bottleneck's signal, strongest first, with lag and strength; not an unrelated group", () => {
    const r = correlationHints({ group: 'db', limit: 10 }, { ...sources, bottlenecks: [bottleneck('db', 'io_bound')] });
    expect(r).toMatchObject({ group: 'db', signal: 'io_write', bottleneck: 'io_bound' });
    const top = r.hints[0];
    expect([top.group, top.signal]).toEqual(['backup', 'io_write']);
    expect(top.strength).toBeGreaterThan(0.8);
    expect(top.lagSeconds).toBe(0);
    expect(r.hints.some((h) => h.source === 'host' && h.signal === 'iowait_ratio' && h.strength > 0.8)).toBe(true);
    expect(r.hints.some((h) => h.group === 'cron')).toBe(false);
    expect([...r.hints].sort((a, b) => Math.abs(b.strength) - Math.abs(a.strength))).toEqual(r.hints);
    expect(correlationHints({ group: 'db', limit: 1 }, { ...sources, bottlenecks: [bottleneck('db', 'io_bound')] }).hints).toHaveLength(1);
  });

  it('compares the signal asked for; with neither a signal nor a bottleneck that has one, nothing', () => {
    const asked = correlationHints({ group: 'cron', signal: 'io_write', limit: 10 }, { ...sources, bottlenecks: [] });
    expect(asked).toMatchObject({ signal: 'io_write', bottleneck: null });
    expect(asked.hints.some((h) => h.group === 'backup')).toBe(false);
    expect(correlationHints({ group: 'db', limit: 10 }, { ...sources, bottlenecks: [] })).toEqual({ group: 'db', signal: null, bottleneck: null, hints: [] });
    expect(correlationHints({ group: 'db', limit: 10 }, { ...sources, bottlenecks: [bottleneck('db', 'network_saturation')] })).toMatchObject({
      signal: null,
      bottleneck: 'network_saturation',
      hints: [],
    });
  });
});
