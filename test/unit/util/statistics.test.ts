import * as ss from 'simple-statistics';
import { mean, median, medianAbsoluteDeviation, standardDeviation } from '../../../exporter/src/util/statistics';

/** Seeded series of several shapes: sizes 1–400, ties, huge and tiny magnitudes, negative values. */
function series(count: number): number[][] {
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: number[][] = [];
  for (let k = 0; k < count; k++) {
    const n = 1 + Math.floor(rand() * 400);
    const scale = 10 ** Math.floor(rand() * 24 - 6);
    const kind = k % 4;
    out.push(
      Array.from({ length: n }, (_, i) => {
        if (kind === 0) return (rand() - 0.3) * scale;
        if (kind === 1) return Math.round(rand() * 5); // many ties
        if (kind === 2) return 1e15 + rand() * 1000; // large, close together: the compensated sum matters
        return i * scale + (rand() < 0.05 ? 1e6 * scale : 0); // a trend with spikes
      }),
    );
  }
  return out;
}

describe('summary statistics computed as simple-statistics computes them (bit for bit)', () => {
  const all = series(400);
  it('mean and population standard deviation', () => {
    for (const xs of all) {
      expect(mean(xs)).toBe(ss.mean(xs));
      expect(standardDeviation(xs)).toBe(ss.standardDeviation(xs));
    }
  });
  it('median and median absolute deviation, from arrays and typed arrays', () => {
    for (const xs of all) {
      expect(median(xs)).toBe(ss.median(xs));
      expect(median(Float64Array.from(xs))).toBe(ss.median(xs));
      expect(medianAbsoluteDeviation(xs)).toBe(ss.medianAbsoluteDeviation(xs));
    }
  });
  it('NaN for no values, 0 spread for one', () => {
    expect(mean([])).toBeNaN();
    expect(median([])).toBeNaN();
    expect(standardDeviation([7])).toBe(0);
    expect(median([7])).toBe(7);
  });
});
