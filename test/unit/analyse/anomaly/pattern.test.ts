import { WorkloadPattern } from '../../../../exporter/src/analyse/anomaly/pattern';
import { CheckpointError } from '../../../../exporter/src/errors';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC

let seed = 11;
const noise = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.1;

/** `days` of one sample a minute of `load(t)` (cores). */
function run(days: number, load: (t: number) => number, floor = 0.02): WorkloadPattern {
  const p = new WorkloadPattern(floor);
  for (let t = T0; t < T0 + days * 24 * H; t += 60_000) p.add(t, load(t));
  return p;
}
const hourOf = (t: number): number => Math.floor(t / H) % 24;
const weekend = (t: number): boolean => Math.floor((t - T0) / (24 * H)) % 7 >= 5;

describe('WorkloadPattern', () => {
  it('says nothing before two days cover the day', () => {
    expect(run(1.5, () => 1).current).toEqual({ daily: null, weekly: null, peakHoursUtc: [] });
  });

  it('finds a strong daily cycle and its peak hours, and no weekly cycle before two weeks', () => {
    const office = (t: number) => (hourOf(t) >= 9 && hourOf(t) < 12 ? 2 : 0.3) + noise();
    const p = run(3, office).current;
    expect(p.daily).toBeGreaterThan(0.9);
    expect(p.peakHoursUtc).toEqual([9, 10, 11]);
    expect(p.weekly).toBeNull();
  });

  it('scores a load without a cycle near 0, and a cycle below the noise floor as none', () => {
    expect(run(4, () => 0.5 + noise()).current.daily).toBeLessThan(0.05);
    expect(run(4, () => 0.5 + noise()).current.peakHoursUtc).toEqual([]);
    expect(run(4, (t) => 0.001 * (hourOf(t) >= 9 && hourOf(t) < 12 ? 2 : 1)).current.daily).toBe(0);
  });

  it('tells a week whose weekends are quiet (weekly cycle) from the same day every day (none)', () => {
    const weekdays = (t: number) => (weekend(t) ? 0.2 : hourOf(t) >= 9 && hourOf(t) < 17 ? 2 : 0.3) + noise();
    const everyDay = (t: number) => (hourOf(t) >= 9 && hourOf(t) < 17 ? 2 : 0.3) + noise();
    expect(run(15, weekdays).current.weekly).toBeGreaterThan(0.6);
    expect(run(15, everyDay).current.weekly).toBeLessThan(0.05);
  });

  it('round-trips through a checkpoint and refuses a malformed one', () => {
    const p = run(3, (t) => (hourOf(t) === 14 ? 1 : 0.2) + noise());
    const back = WorkloadPattern.fromJSON(JSON.parse(JSON.stringify(p.toJSON())), 0.02);
    expect(back.current).toEqual(p.current);
    expect(() => WorkloadPattern.fromJSON({ ...p.toJSON(), means: [1] }, 0.02)).toThrow(CheckpointError);
  });
});
