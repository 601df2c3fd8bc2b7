import { correlate, resample, type CorrelationOptions } from '../../../../exporter/src/analyse/correlate/correlate';

/** A seeded normal generator (Box–Muller on a Lehmer generator). */
function normal(seed: number): () => number {
  let s = seed;
  const u = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const o: CorrelationOptions = { stepSeconds: 15, endSeconds: 3600, points: 240, maxLagSteps: 8, minPairs: 30, minStrength: 0.3 };
const grid = Array.from({ length: 240 }, (_, i) => 15 + i * 15);
const series = (f: (t: number, i: number) => number) => ({ t: grid, x: grid.map(f) });

describe('resample', () => {
  it('interpolates between points, and leaves NaN outside them and across long gaps', () => {
    const s = { t: [10, 20, 100], x: [0, 10, 20] };
    const out = resample(s, { stepSeconds: 5, endSeconds: 30, points: 6, maxGap: 15 });
    // Grid 5, 10, …, 30: before the first point, 10 and 15 interpolated, 20, then the gap 20 → 100 is too long.
    expect(Array.from(out)).toEqual([NaN, 0, 5, 10, NaN, NaN]);
  });
});

describe('correlate', () => {
  it('finds a series that follows the target a minute later, with its lag and strength', () => {
    const n = normal(1);
    const bursts = Array.from({ length: 260 }, () => n());
    // The target's changes are bursts; the other's are the same bursts 4 steps (60 s) later, plus some noise.
    let a = 0;
    let b = 0;
    const noise = normal(2);
    const target = series((_, i) => (a += bursts[i + 8]));
    const other = series((_, i) => (b += bursts[i + 4] + 0.3 * noise()));
    const c = correlate(target, other, o)!;
    expect(c).not.toBeNull();
    expect(c.lagSeconds).toBe(-60); // the other moves after the target
    expect(c.r).toBeGreaterThan(0.9);
    expect(c.pairs).toBeGreaterThan(200);
    // Opposite moves correlate negatively.
    const mirror = series((_, i) => -other.x[i]);
    expect(correlate(target, mirror, o)!.r).toBeLessThan(-0.9);
  });

  it('reports nothing for independent series, two unrelated trends, a constant or too few points', () => {
    const n1 = normal(3);
    const n2 = normal(4);
    expect(
      correlate(
        series(() => n1()),
        series(() => n2()),
        o,
      ),
    ).toBeNull();
    // Two leaks growing side by side, with independent noise: their levels correlate, their changes do not.
    const t1 = series((t) => 5 * t + 40 * n1());
    const t2 = series((t) => 2 * t + 40 * n2());
    expect(correlate(t1, t2, o)).toBeNull();
    expect(
      correlate(
        t1,
        series(() => 7),
        o,
      ),
    ).toBeNull();
    const short = { t: grid.slice(-10), x: grid.slice(-10).map((t) => t) };
    expect(correlate(short, short, o)).toBeNull();
  });
});
