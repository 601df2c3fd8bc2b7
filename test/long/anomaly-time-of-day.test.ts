import { AnomalyEngine } from '../../exporter/src/analyse/anomaly/engine';
import { anomalyConfigSchema } from '../../exporter/src/analyse/anomaly/config';
import type { CollectionSnapshot } from '../../exporter/src/pipeline/types';
import { emptyHost } from '../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../helpers/synthetic';

/**
 * A day and a half of 15 s points through the anomaly engine (about 20 s on
 * two shared cores): too long for the unit loop, so it runs with `npm test`.
 */
describe('time-of-day profile at the exporter step (15 s points)', () => {
  const H = 3_600_000;
  const MIN = 60_000;
  const DAY = 24 * H;
  const config = anomalyConfigSchema.parse({});
  const snap = (t: number, cpu: number): CollectionSnapshot => ({
    timestampMs: t,
    intervalSeconds: config.step_seconds,
    groups: [groupSnapshot('web', { rates: { cpuCores: cpu } })],
    host: { ...emptyHost(), memoryTotalBytes: 8e9 },
    read: { processesListed: 1, processesRead: 1, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: 1,
  });
  // A daily sine (1 ± 0.5 core) with noise, plus a batch job adding 1 core every day 09:00–10:00.
  let seed = 7;
  const noise = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.06;
  const usual = (t: number) => {
    const hour = (t % DAY) / H;
    return 1 + 0.5 * Math.sin((2 * Math.PI * hour) / 24) + (hour >= 9 && hour < 10 ? 1 : 0) + noise();
  };
  // Today (day 1), an unusual +1 core from 14:20 to 15:05: 45 minutes, across an hour boundary.
  const shiftStart = DAY + 14 * H + 20 * MIN;
  const shiftEnd = DAY + 15 * H + 5 * MIN;

  it('keeps a sustained unusual shift high for its whole length, and a shift that is usual at that hour low', () => {
    expect(config.step_seconds).toBe(15);
    const seasonal = new AnomalyEngine(config);
    const flat = new AnomalyEngine({ ...config, seasonal_after_points: 0 });
    const shift: number[] = [];
    const batch: number[] = [];
    const batchFlat: number[] = [];
    // History from 08:00 on day 0: a full day (5760 points, the documented 24 h) before the batch on day 1.
    for (let t = 8 * H; t < shiftEnd + 5 * MIN; t += config.step_seconds * 1000) {
      const cpu = usual(t) + (t >= shiftStart && t < shiftEnd ? 1 : 0);
      seasonal.ingest(snap(t, cpu));
      if (t >= DAY + 6 * H && t < DAY + 10 * H) flat.ingest(snap(t, cpu)); // the control only needs a rolling baseline
      // From the second point on (the first is averaged with the point before, recent_points = 2).
      if (t >= shiftStart + 30_000 && t < shiftEnd) shift.push(seasonal.score('web', 'cpu')!);
      if (t >= DAY + 9 * H + 30_000 && t < DAY + 10 * H) {
        batch.push(seasonal.score('web', 'cpu')!);
        batchFlat.push(flat.score('web', 'cpu')!);
      }
    }
    expect(shift).toHaveLength(45 * 4 - 2);
    // Above the threshold that bottleneck evidence uses, for all 45 minutes (the old
    // per-hour buffer of 96 points fell to 0.05–0.10 from minute 15).
    expect(Math.min(...shift)).toBeGreaterThanOrEqual(config.threshold);
    // The same +1 core at 09:00 is what happens every day: not anomalous…
    expect(Math.max(...batch)).toBeLessThan(0.5);
    // …while without the profile its start is (the control).
    expect(Math.max(...batchFlat.slice(0, 20))).toBeGreaterThanOrEqual(config.threshold);
  }, 120_000);
});
