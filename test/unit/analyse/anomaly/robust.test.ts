import { calibrate, RobustScorer } from '../../../../exporter/src/analyse/anomaly/robust';

const opts = { baseline: 100, recent: 1, warmup: 30, seasonalAfter: 0, minScale: 0.01, relativeMinScale: 0 };

describe('robust univariate score', () => {
  it('is calibrated: |z| = 5 maps to 0.9 for every signal, monotonic, in [0, 1)', () => {
    expect(calibrate(5)).toBeCloseTo(0.9, 3);
    expect(calibrate(-5)).toBeCloseTo(0.9, 3);
    expect(calibrate(0)).toBeCloseTo(0, 6);
    expect(calibrate(2)).toBeLessThan(calibrate(3));
    expect(calibrate(50)).toBeLessThanOrEqual(1);
  });

  it('gives no score during warm-up, a low score on noise and a high one on a level shift', () => {
    const s = new RobustScorer(opts);
    let seed = 11;
    const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.2;
    const scores: Array<number | null> = [];
    for (let i = 0; i < 120; i++) scores.push(s.push(1 + noise(), i * 15000));
    expect(scores.slice(0, 29).every((x) => x === null)).toBe(true);
    const normal = scores.slice(40).map((z) => calibrate(z!));
    expect(Math.max(...normal)).toBeLessThan(0.9);
    const shift = s.push(3, 121 * 15000);
    expect(calibrate(shift!)).toBeGreaterThan(0.99);
  });

  it('does not divide by zero on a flat series', () => {
    const s = new RobustScorer(opts);
    let z: number | null = null;
    for (let i = 0; i < 60; i++) z = s.push(5, i);
    expect(z).toBe(0);
    const jump = s.push(5.005, 61);
    expect(Number.isFinite(jump!)).toBe(true);
  });

  it('with a range floor, a one-step blip on a flat stretch of a series seen spanning 0–100 is not news, a burst still is; the range survives a checkpoint', () => {
    const ranged = { ...opts, minScale: 0, relativeMinScale: 0.01, rangeMinScale: 0.01 };
    const plain = { ...ranged, rangeMinScale: 0 };
    const feed = (s: RobustScorer): void => {
      for (let i = 0; i < 20; i++) s.push(i % 10 === 0 ? 100 : 0.1, i); // earlier bursts: the range is 0.1–100
      for (let i = 20; i < 120; i++) s.push(0.1, i); // then a flat stretch longer than the window
    };
    const a = new RobustScorer(ranged);
    const b = new RobustScorer(plain);
    feed(a);
    feed(b);
    const restored = RobustScorer.fromJSON(ranged, JSON.parse(JSON.stringify(a.toJSON())));
    expect(calibrate(b.push(0.2, 120)!)).toBeGreaterThan(0.99); // without the floor: σ = 0.001, z = 100
    expect(calibrate(a.push(0.2, 120)!)).toBeLessThan(0.2); // σ ≥ 1 % of 99.9
    expect(calibrate(restored.push(0.2, 120)!)).toBeLessThan(0.2);
    expect(calibrate(a.push(40, 121)!)).toBeGreaterThan(0.99);
  });

  it('uses the time-of-day profile once enough history exists', () => {
    const seasonal = new RobustScorer({ ...opts, baseline: 40, seasonalAfter: 24 * 8 });
    const flat = new RobustScorer({ ...opts, baseline: 40, seasonalAfter: 0 });
    // Four days, 8 points an hour: a nightly batch doubles the value at 02:00.
    const batchSeasonal: number[] = [];
    const batchFlat: number[] = [];
    for (let i = 0; i < 4 * 24 * 8; i++) {
      const t = i * 450_000;
      const v = new Date(t).getUTCHours() === 2 ? 2 : 1;
      const zs = seasonal.push(v, t);
      const zf = flat.push(v, t);
      if (new Date(t).getUTCHours() === 2 && i > 3 * 24 * 8) {
        batchSeasonal.push(calibrate(zs!));
        batchFlat.push(calibrate(zf!));
      }
    }
    expect(batchSeasonal).toHaveLength(8);
    // The batch is usual at 02:00 on past days: low for the whole hour…
    expect(Math.max(...batchSeasonal)).toBeLessThan(0.5);
    // …while the rolling baseline alone (the last 5 hours, all at 1) flags its start.
    expect(batchFlat[0]).toBeGreaterThan(0.99);
  });

  it('keeps the time-of-day profile and the open hour across a checkpoint, and migrates a state without a profile', () => {
    const o = { ...opts, baseline: 40, seasonalAfter: 24 * 8, seasonalDays: 3 };
    const a = new RobustScorer(o);
    const series = (i: number) => 1 + (new Date(i * 450_000).getUTCHours() === 2 ? 1 : 0) + ((i * 7919) % 13) / 100;
    // Two and a half days, so the checkpoint falls inside an open hour.
    const cut = Math.floor(2.5 * 24 * 8) + 3;
    for (let i = 0; i < cut; i++) a.push(series(i), i * 450_000);
    const saved = JSON.parse(JSON.stringify(a.toJSON()));
    expect(saved.profile.length).toBeLessThanOrEqual(24 * 3);
    const b = RobustScorer.fromJSON(o, saved);
    // A state written before the profile existed (no `slot`, no `profile`) keeps its window only.
    const old = RobustScorer.fromJSON(o, { buf: saved.buf, head: saved.head, size: saved.size, seen: saved.seen });
    let differs = 0;
    for (let i = cut; i < 4 * 24 * 8; i++) {
      const za = a.push(series(i), i * 450_000);
      expect(b.push(series(i), i * 450_000)).toBe(za);
      const zo = old.push(series(i), i * 450_000);
      expect(zo).not.toBeNull(); // no new warm-up
      if (zo !== za) differs++;
    }
    expect(differs).toBeGreaterThan(0); // the migrated one had to rebuild its profile
  });

  it('bounds its memory: one window, one hour sample and a few numbers per hour and past day', () => {
    const o = { baseline: 240, recent: 2, warmup: 40, seasonalAfter: 5760, minScale: 0.01, relativeMinScale: 0 };
    expect(RobustScorer.bytes(o)).toBe(242 * 8 + 256 * 8 + 24 * 7 * 20);
    expect(RobustScorer.bytes({ ...o, seasonalAfter: 0 })).toBe(242 * 8);
    const s = new RobustScorer({ ...o, seasonalDays: 2 });
    // A month of 5-minute points: the profile holds at most 24 hours × 2 days.
    for (let i = 0; i < 30 * 288; i++) s.push(i % 288, i * 300_000);
    expect(s.toJSON().profile!.length).toBe(48);
  });
});
