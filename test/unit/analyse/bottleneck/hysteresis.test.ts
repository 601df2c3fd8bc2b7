import { Hysteresis } from '../../../../exporter/src/analyse/bottleneck/hysteresis';

describe('hysteresis', () => {
  const band = { on: 0.5, off: 0.3, forMs: 10_000, clearMs: 10_000 };
  it('turns on after holding above on, stays on between off and on, turns off after holding below off', () => {
    const h = new Hysteresis();
    expect(h.update('k', 0.6, 0, band).active).toBe(false);
    expect(h.update('k', 0.6, 5_000, band).active).toBe(false);
    const on = h.update('k', 0.6, 10_000, band);
    expect(on).toEqual({ active: true, sinceMs: 0 });
    expect(h.update('k', 0.4, 20_000, band).active).toBe(true);
    expect(h.update('k', 0.1, 30_000, band).active).toBe(true);
    expect(h.update('k', 0.1, 39_000, band).active).toBe(true);
    expect(h.update('k', 0.1, 40_000, band).active).toBe(false);
  });
  it('does not flap on a severity dancing around one threshold', () => {
    const h = new Hysteresis();
    let changes = 0;
    let prev = false;
    for (let t = 0; t < 300; t++) {
      const a = h.update('k', t % 2 ? 0.55 : 0.45, t * 1000, band).active;
      if (a !== prev) changes++;
      prev = a;
    }
    expect(changes).toBe(0);
  });
});
