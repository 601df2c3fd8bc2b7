import { DetectorClock } from '../../../../exporter/src/analyse/anomaly/clock';

describe('DetectorClock', () => {
  it('follows the wall clock, goes on by the interval when it steps back, and never repeats a time', () => {
    const c = new DetectorClock();
    expect(c.tick(1_000_000, 5000)).toBe(1_000_000);
    expect(c.tick(1_005_000, 5000)).toBe(1_005_000);
    // Stepped back an hour: the clock goes on 5 s later and keeps the offset.
    expect(c.tick(1_010_000 - 3_600_000, 5000)).toBe(1_010_000);
    expect(c.tick(1_015_000 - 3_600_000, 5000)).toBe(1_015_000);
    // Forward: a gap.
    expect(c.tick(1_015_000 - 3_600_000 + 600_000, 5000)).toBe(1_615_000);
  });

  it('resumes after a checkpoint at no earlier time than it gave', () => {
    const c = new DetectorClock();
    c.resume(2_000_000);
    expect(c.tick(1_000_000, 1000)).toBe(2_001_000);
    const d = new DetectorClock();
    d.resume(2_000_000);
    expect(d.tick(3_000_000, 1000)).toBe(3_000_000);
  });
});
