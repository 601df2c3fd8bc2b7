import { EwTrend } from '../../../exporter/src/track/ew-trend';

describe('EwTrend', () => {
  it('is exact on a line even after months of uptime (times kept relative to the newest point)', () => {
    const tr = new EwTrend(300);
    for (let k = 0; k < 2_000_000; k++) tr.push(1.7e9 + k * 5, 1e6 + 0.25 * k * 5);
    expect(tr.slope({ minPoints: 3, minSpanSeconds: 60 })).toBeCloseTo(0.25, 6);
  });

  it('forgets a stopped leak: 30 min after it stopped, the limit is no longer within the default 1 h horizon', () => {
    const tr = new EwTrend(300);
    let x = 100;
    for (let k = 0; k < 120; k++) tr.push(k * 5, (x += 5)); // 10 min at 1 fd/s: 700 open
    for (let k = 120; k < 480; k++) tr.push(k * 5, x); // then 30 min flat
    const slope = tr.slope({ minPoints: 3, minSpanSeconds: 60 }) ?? NaN;
    expect((1024 - x) / slope).toBeGreaterThan(3600);
  });
});
