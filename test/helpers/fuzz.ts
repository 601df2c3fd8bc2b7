import { ReadError } from '../../exporter/src/errors';

/**
 * Feeds `count` seeded mutations of a good input (cut short, a number made
 * huge, random bytes, one character changed) to a parser: each must parse or
 * throw a ReadError, and at least one must still parse. The seed makes the
 * cases the same every run; the parser tests pass the generator state each
 * parser's cases started from when they all ran in one file, so the split
 * kept the cases.
 */
export function expectOnlyReadErrors(parse: (text: string) => unknown, good: string, opts: { seed: number; count?: number }): void {
  let seed = opts.seed;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const mutate = (s: string): string => {
    const r = rand();
    if (r < 0.25) return s.slice(0, Math.floor(rand() * s.length));
    if (r < 0.5) return s.replace(/\d+/, '9'.repeat(1 + Math.floor(rand() * 40)));
    if (r < 0.75) return Array.from({ length: Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
    const i = Math.floor(rand() * s.length);
    return s.slice(0, i) + String.fromCharCode(Math.floor(rand() * 128)) + s.slice(i + 1);
  };

  let parsed = 0;
  for (let i = 0; i < (opts.count ?? 2000); i++) {
    const text = mutate(good);
    try {
      const v = parse(text);
      expect(v).toBeDefined();
      parsed++;
    } catch (e) {
      expect(e).toBeInstanceOf(ReadError);
    }
  }
  expect(parsed).toBeGreaterThan(0);
}
