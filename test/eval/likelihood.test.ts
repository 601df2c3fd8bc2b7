import { AnomalyLikelihood, DEFAULT_LIKELIHOOD, erfc, normalTail, type LikelihoodOptions } from '../../eval/nab/likelihood';

const opts: LikelihoodOptions = { ...DEFAULT_LIKELIHOOD, history: 500, learning: 100, refit: 50 };

/** Deterministic noise in [0, 1). */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

describe('anomaly likelihood', () => {
  it('has an accurate normal tail far out (where 1 − erf loses precision)', () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(normalTail(0)).toBeCloseTo(0.5, 6);
    expect(normalTail(1.6448536)).toBeCloseTo(0.05, 5);
    expect(normalTail(-1.6448536)).toBeCloseTo(0.95, 5);
    // P(Z > 4.264891) = 1e-5, P(Z > 6.361341) = 1e-10: relative error below 1e-6.
    expect(Math.abs(normalTail(4.264891) / 1e-5 - 1)).toBeLessThan(1e-5);
    expect(Math.abs(normalTail(6.361341) / 1e-10 - 1)).toBeLessThan(1e-5);
  });

  it('gives no score while learning, low scores on ordinary noise and a high one when the raw score stays up', () => {
    const l = new AnomalyLikelihood(opts);
    const noise = rng(3);
    const out: Array<number | null> = [];
    for (let i = 0; i < 400; i++) out.push(l.push(0.2 * noise()));
    expect(out.slice(0, 100).every((x) => x === null)).toBe(true);
    const quiet = out.slice(100) as number[];
    expect(Math.max(...quiet)).toBeLessThan(0.5);
    expect(Math.min(...quiet)).toBeGreaterThanOrEqual(0);
    let peak = 0;
    for (let i = 0; i < 10; i++) peak = Math.max(peak, l.push(0.95)!);
    expect(peak).toBeGreaterThanOrEqual(0.5);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it('needs a larger excursion on a series whose raw score is noisy all the time', () => {
    const score = (spread: number): number => {
      const l = new AnomalyLikelihood(opts);
      const noise = rng(7);
      for (let i = 0; i < 400; i++) l.push(0.1 + spread * noise());
      let peak = 0;
      for (let i = 0; i < 5; i++) peak = Math.max(peak, l.push(0.7)!);
      return peak;
    };
    expect(score(0.05)).toBeGreaterThan(score(0.6));
  });

  it('reports one alert per excursion and at most one per refractory period', () => {
    const run = (refractory: number): number => {
      // The fit is frozen after learning so that the first excursion does not widen it for the second.
      const l = new AnomalyLikelihood({ ...opts, refit: 1e6, refractory });
      const noise = rng(5);
      let alerts = 0;
      for (let i = 0; i < 300; i++) l.push(0.1 * noise());
      // Two excursions of 30 points, 50 points apart.
      for (let i = 0; i < 140; i++) {
        const raw = i < 30 || (i >= 80 && i < 110) ? 1 : 0.1 * noise();
        if (l.push(raw)! >= opts.alertLevel) alerts++;
      }
      return alerts;
    };
    expect(run(1)).toBe(2);
    expect(run(100)).toBe(1);
  });

  it('scores 1 for a value outside the range seen so far when the range rule is on', () => {
    const withRule = new AnomalyLikelihood({ ...opts, rangeTolerance: 0.05 });
    const without = new AnomalyLikelihood(opts);
    const noise = rng(9);
    for (let i = 0; i < 200; i++) {
      const v = 10 + noise();
      withRule.push(0.1, v);
      without.push(0.1, v);
    }
    expect(withRule.push(0.1, 10.5)).toBeLessThan(0.5); // inside the range
    expect(withRule.push(0.1, 12)).toBe(1); // more than 5 % of the range above the maximum
    expect(without.push(0.1, 12)).toBeLessThan(0.5);
  });
});
