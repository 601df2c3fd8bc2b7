import { bottleneckConfigSchema } from '../../../../exporter/src/analyse/bottleneck/config';
import { levelTest, type LevelOptions } from '../../../../exporter/src/analyse/bottleneck/level';
import { evaluateRules, NO_BASELINES } from '../../../../exporter/src/analyse/bottleneck/rules';
import { FeatureStore } from '../../../../exporter/src/analyse/features/store';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../helpers/synthetic';

const config = bottleneckConfigSchema.parse({});
const OPTIONS: LevelOptions = {
  min: config.memory_pressure_major_faults,
  minSeconds: config.memory_pressure_min_seconds,
  evidenceSeconds: config.memory_pressure_evidence_seconds,
  z: config.growth_confidence_z,
  lowerRatio: 0.5,
};

/** A seeded uniform generator (Lehmer): the same noise every run. */
function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** `seconds` of points every `step` seconds of the rate `rate(t)` (t: the end of each interval). */
function series(rate: (t: number) => number, o: { step: number; seconds: number }): { t: number[]; x: number[] } {
  const t: number[] = [];
  const x: number[] = [];
  for (let s = o.step; s <= o.seconds; s += o.step) {
    t.push(1000 + s);
    x.push(rate(s));
  }
  return { t, x };
}

/** The first time (seconds after the first point's interval began) at which the test decides, fed one point at a time. */
function firstAbove(rate: (t: number) => number, o: { step: number; seconds: number }, opts = OPTIONS): number | null {
  const s = series(rate, o);
  for (let n = 1; n <= s.t.length; n++) if (levelTest(s.t.slice(0, n), s.x.slice(0, n), opts)?.above) return n * o.step;
  return null;
}

describe('levelTest: how long a rate must hold follows its strength', () => {
  it('decides on a strong rate (300 faults/s, ± 20 %) after memory_pressure_min_seconds, not before', () => {
    const u = uniform(1);
    const at = firstAbove(() => 300 * (0.8 + 0.4 * u()), { step: 1, seconds: 120 });
    expect(at).toBe(config.memory_pressure_min_seconds);
    // At the default 5-s sampling: three points (15 s), the fewest with a spread of their own.
    expect(firstAbove(() => 300, { step: 5, seconds: 120 })).toBe(15);
  });

  it('needs evidenceSeconds × threshold / rate for weaker rates: 30 s at 21 faults/s, 15 s at 40', () => {
    expect(firstAbove(() => 21, { step: 1, seconds: 120 })).toBe(Math.ceil((30 * 20) / 21));
    expect(firstAbove(() => 40, { step: 1, seconds: 120 })).toBe(15);
    // Below the threshold: never.
    expect(firstAbove(() => 19, { step: 1, seconds: 300 })).toBeNull();
  });

  it('waits for a bursty rate to persist: a mean of 40 faults/s as 400 every tenth second takes minutes', () => {
    const at = firstAbove((t) => (t % 10 === 0 ? 400 : 0), { step: 1, seconds: 300 });
    expect(at).not.toBeNull();
    // The lower bound 40 − 3·s/√n (s about 120) reaches 10 after about 140 points; a steady 40/s takes 15 s.
    expect(at!).toBeGreaterThanOrEqual(120);
  });

  it('never decides on a burst that ended (a process reading its binary at start) or on a quiet series', () => {
    expect(firstAbove((t) => (t <= 3 ? 800 : 1), { step: 1, seconds: 300 })).toBeNull();
    const u = uniform(2);
    expect(firstAbove(() => 3 * u(), { step: 1, seconds: 300 })).toBeNull();
    // A rate that stopped: the newest half of every long stretch is below half the threshold.
    expect(firstAbove((t) => (t <= 60 ? 300 : 0), { step: 1, seconds: 60 })).toBe(10);
    const s = series((t) => (t <= 60 ? 300 : 0), { step: 1, seconds: 200 });
    expect(levelTest(s.t, s.x, OPTIONS)?.above).toBe(false);
  });

  it('reports the stretch that passed with the highest lower bound, and null with too few points', () => {
    const s = series(() => 100, { step: 1, seconds: 40 });
    const v = levelTest(s.t, s.x, OPTIONS)!;
    expect(v).toMatchObject({ above: true, mean: 100, lower: 100, n: 40 });
    expect(v.spanSeconds).toBeCloseTo(40, 6);
    expect(v.requiredSeconds).toBe(config.memory_pressure_min_seconds);
    expect(levelTest([1, 2], [100, 100], OPTIONS)).toBeNull();
  });
});

describe('memory_pressure follows the evidence (real feature store and rules, default configuration)', () => {
  const LIMIT = 224 * 2 ** 20;
  /** The first second at which memory_pressure fires for a reader faulting at `rate(t)` in a cgroup full from `fullFrom`. */
  function secondsToLabel(rate: (t: number) => number, o: { step: number; seconds: number; fullFrom: number }): number | null {
    const store = new FeatureStore({ stepSeconds: o.step });
    for (let t = o.step; t <= o.seconds; t += o.step) {
      const host = hostSnapshot({ cgroupMemory: { '/feed': { usageBytes: t >= o.fullFrom ? LIMIT - 2 ** 20 : LIMIT / 2, limitBytes: LIMIT } } });
      const g = groupSnapshot('reader', { rates: { majorFaultsPerSecond: rate(t) }, controllerCgroups: { memory: ['/feed'] } });
      store.ingestGroup(collectionSnapshot([g], { timestampMs: 1.7e12 + t * 1000, intervalSeconds: o.step, host }), g);
      const c = evaluateRules({ group: g, host, features: store, config, baselines: NO_BASELINES }).find((x) => x.kind === 'memory_pressure');
      if (c) {
        expect(c.evidence[0].text).toMatch(/^[23]\d\d\.\d major page faults\/s \(pages read back from disk\)$/);
        return t;
      }
    }
    return null;
  }

  it('labels hundreds of faults/s in a full memory cgroup memory_pressure_min_seconds after they start', () => {
    const u = uniform(3);
    // Quiet for a minute, then the cgroup fills at 60 s and the reader faults 200–400 times a second.
    const at = secondsToLabel((t) => (t > 60 ? 200 + 200 * u() : u()), { step: 1, seconds: 180, fullFrom: 60 });
    expect(at).toBe(60 + config.memory_pressure_min_seconds);
  });

  it('labels nothing while the cgroup has room, nor a quiet group in a full one', () => {
    expect(secondsToLabel(() => 300, { step: 1, seconds: 180, fullFrom: Infinity })).toBeNull();
    const u = uniform(4);
    expect(secondsToLabel(() => 2 * u(), { step: 1, seconds: 180, fullFrom: 0 })).toBeNull();
  });
});
