import { combineScores, noveltyScore } from '../../../../exporter/src/analyse/anomaly/combined';

describe('combineScores', () => {
  it('is the most unusual signal less log10(m)/10 for m signals, with the strong signals as contributors', () => {
    const c = combineScores(
      [
        { signal: 'cpu', score: 0.9 },
        { signal: 'memory', score: 0.35 },
        { signal: 'fds', score: 0.05 },
      ],
      0.6,
    )!;
    expect(c.score).toBeCloseTo(0.9 - Math.log10(3) / 10);
    expect(c.contributors).toEqual([
      { signal: 'cpu', share: 0.9 / 1.25 },
      { signal: 'memory', share: 0.35 / 1.25 },
    ]);
  });

  it('stays at or above 0, and needs one scored signal', () => {
    expect(
      combineScores(
        [
          { signal: 'cpu', score: 0.03 },
          { signal: 'fds', score: 0.03 },
          { signal: 'memory', score: 0.02 },
        ],
        0.6,
      )!.score,
    ).toBe(0);
    expect(combineScores([], 0.6)).toBeNull();
  });
});

describe('noveltyScore', () => {
  it('is the threshold at the resource threshold and 1 at twice it', () => {
    expect(noveltyScore(1, 0.6)).toBeCloseTo(0.6);
    expect(noveltyScore(2, 0.6)).toBe(1);
    expect(noveltyScore(0.5, 0.6)).toBeCloseTo(0.3);
    expect(noveltyScore(5, 0.6)).toBe(1);
    expect(noveltyScore(0, 0.6)).toBe(0);
  });
});
