import { SlidingStats } from '../../../../exporter/src/analyse/features/sliding';

describe('SlidingStats', () => {
  it('matches a from-scratch computation over the last n points, including slope and R²', () => {
    const n = 50;
    const st = new SlidingStats(n, 2 / (n + 1));
    const pts: Array<[number, number]> = [];
    let seed = 3;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const p: [number, number] = [1_700_000_000 + i, 5e9 + 1e6 * i + 1e7 * rand()];
      if (pts.length === n) st.remove(...pts.shift()!);
      pts.push(p);
      st.add(...p);
      if (st.needsRebuild()) st.rebuild(pts);
    }
    const mean = pts.reduce((s, p) => s + p[1], 0) / n;
    const tm = pts.reduce((s, p) => s + p[0], 0) / n;
    const sxx = pts.reduce((s, p) => s + (p[1] - mean) ** 2, 0);
    const stt = pts.reduce((s, p) => s + (p[0] - tm) ** 2, 0);
    const sxt = pts.reduce((s, p) => s + (p[0] - tm) * (p[1] - mean), 0);
    expect(st.meanX).toBeCloseTo(mean, -1);
    expect(Math.sqrt(st.variance)).toBeCloseTo(Math.sqrt(sxx / (n - 1)), -1);
    expect(st.slope).toBeCloseTo(sxt / stt, 0);
    expect(st.r2).toBeCloseTo((sxt * sxt) / (stt * sxx), 4);
  });

  it('reports R² 0 and slope 0 for a flat series', () => {
    const st = new SlidingStats(10, 0.2);
    for (let i = 0; i < 10; i++) st.add(i, 42);
    expect(st.slope).toBe(0);
    expect(st.r2).toBe(0);
    expect(st.variance).toBe(0);
  });
});
