import { selectInPlace } from '../../../exporter/src/util/select';

describe('selectInPlace', () => {
  it('gives the k-th smallest of the first n values, as a sort would, ties and all', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rand() * 60);
      const values = Array.from({ length: n + 3 }, () => Math.floor(rand() * 10) - 5);
      const k = Math.floor(rand() * n);
      const sorted = values.slice(0, n).sort((a, b) => a - b);
      const a = Float64Array.from(values);
      expect(selectInPlace(a, n, k)).toBe(sorted[k]);
      // Only the first n were reordered; the rest stay where they were.
      expect(Array.from(a.slice(n))).toEqual(values.slice(n));
    }
  });
});
