import { crossValidate, type Candidate } from '../../eval/anomaly/crossval';
import { normalised, scoreSeries } from '../../eval/anomaly/score';
import { PROFILES } from '../../eval/nab/scorer';
import type { Series } from '../../eval/anomaly/data';

/** Leave-one-category-out: a candidate is never chosen on the category it is scored on. */
const STEP = 300_000;
function series(category: string): Series {
  const timestamps = Array.from({ length: 400 }, (_, i) => i * STEP);
  return { key: `${category}/x.csv`, category, timestamps, values: timestamps.map(() => 0), windows: [[300 * STEP, 320 * STEP]] };
}
/** Per-row outputs that detect the window of the listed categories at its first row. */
function detecting(corpus: Series[], which: string[]): Candidate['files'] {
  return corpus.map((s) =>
    scoreSeries(
      s,
      s.timestamps.map((_, i) => (which.includes(s.category) && i === 300 ? 1 : 0)),
      0.5,
    ),
  );
}

describe('crossValidate', () => {
  const corpus = [series('a'), series('b')];

  it('scores each category with the candidate chosen on the others, and sums the held-out results', () => {
    const candidates: Candidate[] = [
      { name: 'finds a', threshold: 0.5, files: detecting(corpus, ['a']) },
      { name: 'finds b', threshold: 0.5, files: detecting(corpus, ['b']) },
    ];
    const r = crossValidate(candidates, PROFILES.standard);
    // Chosen without a: the candidate that finds b, which misses a (and the other way round).
    expect(r.outOfSample.chosen.get('a')).toBe('finds b');
    expect(r.outOfSample.chosen.get('b')).toBe('finds a');
    expect(r.outOfSample.tallies.get('all')!.found).toBe(0);
    expect(normalised(r.outOfSample.tallies.get('all')!)).toBeCloseTo(0, 6);
    // In sample, one candidate for both (the first declared wins the tie): one window of two.
    expect(r.inSample.candidate).toBe('finds a');
    expect(normalised(r.inSample.tallies.get('all')!)).toBeCloseTo(50, 6);
  });

  it('agrees with the in-sample figure when one candidate is best everywhere', () => {
    const candidates: Candidate[] = [
      { name: 'finds both', threshold: 0.5, files: detecting(corpus, ['a', 'b']) },
      { name: 'finds a', threshold: 0.5, files: detecting(corpus, ['a']) },
    ];
    const r = crossValidate(candidates, PROFILES.standard);
    expect([...r.outOfSample.chosen.values()]).toEqual(['finds both', 'finds both']);
    expect(normalised(r.outOfSample.tallies.get('all')!)).toBeCloseTo(100, 6);
    expect(normalised(r.inSample.tallies.get('all')!)).toBeCloseTo(100, 6);
  });
});
