import { bottleneckConfigSchema } from '../../../../exporter/src/analyse/bottleneck/config';
import { growthTest, type GrowthOptions } from '../../../../exporter/src/analyse/bottleneck/growth';
import { evaluateRules, NO_BASELINES } from '../../../../exporter/src/analyse/bottleneck/rules';
import { FeatureStore } from '../../../../exporter/src/analyse/features/store';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../helpers/synthetic';

const config = bottleneckConfigSchema.parse({});
const MB = 1e6;

/** A seeded normal generator (Box–Muller on a Lehmer generator): the same noise every run. */
function normal(seed: number): () => number {
  let s = seed;
  const u = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * Feeds a group's RSS, sampled every `step` seconds, through the real feature store and the real
 * rules at the default configuration; returns the first second at which memory_leak fires, or null.
 */
function secondsToLabel(rss: (t: number) => number, o: { step: number; seconds: number }): number | null {
  const store = new FeatureStore({ stepSeconds: o.step });
  const host = hostSnapshot({ memoryTotalBytes: 24e9, memoryAvailableBytes: 20e9 });
  for (let t = 0; t <= o.seconds; t += o.step) {
    const g = groupSnapshot('svc', { gauges: { rssBytes: rss(t) } });
    store.ingestGroup(collectionSnapshot([g], { timestampMs: 1.7e12 + t * 1000, intervalSeconds: o.step, host }), g);
    if (evaluateRules({ group: g, host, features: store, config, baselines: NO_BASELINES }).some((c) => c.kind === 'memory_leak')) return t;
  }
  return null;
}

/** A runtime's heap, 80 MB, with garbage collection's sawtooth (± 2 MB every 20 s) and page-level jitter. */
function heap(seed: number): (t: number) => number {
  const n = normal(seed);
  return (t) => 80 * MB + 2 * MB * ((t % 20) / 20) + 50e3 * n();
}

describe('time to label a memory leak follows the evidence (real feature store and rules, default configuration)', () => {
  it('labels a steady leak of 10 MB/min within 3 minutes', () => {
    const base = heap(1);
    const at = secondsToLabel((t) => base(t) + (10 * MB * t) / 60, { step: 5, seconds: 600 });
    expect(at).not.toBeNull();
    expect(at!).toBeLessThanOrEqual(180);
    // Not before its growth has lasted memory_leak_min_seconds: start-up growth lasts less.
    expect(at!).toBeGreaterThanOrEqual(config.memory_leak_min_seconds);
  });

  it('labels a steady leak of 0.5 MB/min within 15 minutes', () => {
    const base = heap(2);
    const at = secondsToLabel((t) => base(t) + (0.5 * MB * t) / 60, { step: 5, seconds: 1800 });
    expect(at).not.toBeNull();
    expect(at!).toBeLessThanOrEqual(900);
  });

  it('labels a noisy leak only once it has persisted: 2 MB/min under ± 15 MB of cache churn', () => {
    const churn = normal(3);
    let cache = 0;
    // A cache that fills and empties in bursts: a random walk held within ± 15 MB.
    const rss = (t: number): number => {
      cache = Math.max(-15 * MB, Math.min(15 * MB, cache + 3 * MB * churn()));
      return 200 * MB + cache + (2 * MB * t) / 60;
    };
    const at = secondsToLabel(rss, { step: 5, seconds: 3600 });
    expect(at).not.toBeNull();
    // A steady leak of the same rate is labelled after memory_leak_min_seconds (150 s); this one at least twice as late.
    expect(at!).toBeGreaterThan(2 * config.memory_leak_min_seconds);
  });

  it('labels no quiet group in an hour, nor a runtime that grows for its first 90 s and settles', () => {
    expect(secondsToLabel(heap(4), { step: 5, seconds: 3600 })).toBeNull();
    const base = heap(5);
    // 6 MB/min for 90 s, slowing down (a JIT and its caches warming up), then flat.
    const warm = (t: number): number => base(t) + 9 * MB * (1 - Math.exp(-t / 45));
    expect(secondsToLabel(warm, { step: 5, seconds: 1800 })).toBeNull();
    // A cache that fills and empties at random, with no drift: each 5 s it keeps 90 % of what it held and changes by ± 1 MB
    // (about ± 2.3 MB around its size). Larger excursions that climb steadily for minutes (30 MB in 3 minutes) are what a
    // 10 MB/min leak looks like at first: such a group is labelled, and the label clears 10 minutes after it stops (docs).
    for (const seed of [7, 8, 9]) {
      const churn = normal(seed);
      let cache = 0;
      expect(secondsToLabel((t) => base(t) + (cache = 0.9 * cache + MB * churn()), { step: 5, seconds: 3600 })).toBeNull();
    }
    // A cache loaded at once after 5 minutes: a step, not a leak.
    expect(secondsToLabel((t) => base(t) + (t > 300 ? 150 * MB : 0), { step: 5, seconds: 1800 })).toBeNull();
  });

  it('needs a shorter span the faster the leak, never less than memory_leak_min_seconds', () => {
    const base = heap(6);
    const fast = secondsToLabel((t) => base(t) + (100 * MB * t) / 60, { step: 5, seconds: 600 })!;
    const medium = secondsToLabel((t) => base(t) + (1 * MB * t) / 60, { step: 5, seconds: 1800 })!;
    expect(fast).toBeLessThan(medium);
    expect(fast).toBeGreaterThanOrEqual(config.memory_leak_min_seconds);
  });
});

describe('growthTest', () => {
  const o: GrowthOptions = { minRate: 1, minSeconds: 30, evidenceSeconds: 300, z: 3, lowerRatio: 0.5, halfRatio: 0.5, minR2: 0.8 };
  const series = (n: number, f: (t: number) => number) => ({
    t: Float64Array.from({ length: n }, (_, i) => i * 5),
    x: Float64Array.from({ length: n }, (_, i) => f(i * 5)),
  });

  it('reports the stretch with the strongest evidence of growth, with its rate, lower bound and the span it needed', () => {
    // Flat for 5 minutes, then 4 units/s: only the recent stretch grows.
    const s = series(121, (t) => (t < 300 ? 0 : 4 * (t - 300)));
    const v = growthTest(s.t, s.x, o)!;
    expect(v.growing).toBe(true);
    expect(v.rate).toBeCloseTo(4, 5);
    expect(v.lower).toBeCloseTo(4, 5);
    expect(v.requiredSeconds).toBe(75); // 300 × 1 / 4
    expect(v.spanSeconds).toBeLessThanOrEqual(300);
  });

  it('needs six points and positive growth', () => {
    expect(growthTest(Float64Array.of(0, 5, 10), Float64Array.of(0, 5, 10), o)).toBeNull();
    const down = series(60, (t) => -t);
    expect(growthTest(down.t, down.x, o)!.growing).toBe(false);
  });
});
