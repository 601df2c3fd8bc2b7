import { Analyzer } from '../../exporter/src/analyse/analyzer';
import { anomalyConfigSchema } from '../../exporter/src/analyse/anomaly/config';
import { contentionConfigSchema } from '../../exporter/src/analyse/contention/config';
import { bottleneckConfigSchema } from '../../exporter/src/analyse/bottleneck/config';
import type { AnalysisResult, AnomalyScore } from '../../exporter/src/analyse/types';
import type { GroupSnapshot } from '../../exporter/src/group/types';
import { Tracker } from '../../exporter/src/track/tracker';
import { Grouper } from '../../exporter/src/group/grouper';
import { ANOMALY_THRESHOLD } from '@procsight/contract';
import { collectionSnapshot, groupSnapshot, hostSnapshot, identity, sample } from '../helpers/synthetic';
import { rng } from '../helpers/random';

/**
 * What a user sees from the anomaly scores, through the real analyzer (the
 * exporter's analysis of each collection) on synthetic groups at the
 * exporter's steps: a step and a slow ramp scored high within minutes, a
 * daily cycle of several days not (with its pattern, band and "usually"),
 * a restart, a counter reset, missing samples and a change of the
 * collection interval without false alarms, a new group learning with a
 * clear state. Days of 15 s collections: tens of seconds, so it runs with
 * `npm test`, not the unit loop.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A Monday, 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);

const analyzer = (): Analyzer =>
  new Analyzer({
    anomaly: anomalyConfigSchema.parse({}),
    bottlenecks: bottleneckConfigSchema.parse({}),
    contention: contentionConfigSchema.parse({}),
    collectIntervalSeconds: 15,
  });
const host = hostSnapshot({ cpus: 4 });
const entry = (r: AnalysisResult, group: string, signal: AnomalyScore['signal']): AnomalyScore | undefined =>
  r.anomalies.find((a) => a.group === group && a.signal === signal);
/** Signals (and the combined score) of a result at or above the threshold. */
const flagged = (r: AnalysisResult): string[] =>
  r.anomalies.filter((a) => a.signal !== 'novelty' && (a.score ?? 0) >= ANOMALY_THRESHOLD).map((a) => `${a.group}/${a.signal}`);

/** A steady service: CPU around `cpu` cores with noise, 200 MB, 8 threads, 40 fds, a few hundred switches a second. */
function service(r: () => number, cpu: number, name = 'web'): GroupSnapshot {
  return groupSnapshot(name, {
    rates: { cpuCores: Math.max(0, cpu + 0.03 * (r() - 0.5)), voluntaryCtxSwitchesPerSecond: 300 + 20 * r(), readBytesPerSecond: 1e4 * r() },
    gauges: { rssBytes: 2e8 + 1e6 * r(), threads: 8, openFds: 40 },
    firstSeenMs: T0,
  });
}

describe("anomaly scores through the analyzer, at the exporter's steps", () => {
  it('scores a step in CPU high within minutes, and a slow ramp within half an hour, after quiet hours without a flag', () => {
    for (const shape of ['step', 'ramp'] as const) {
      const a = analyzer();
      const r = rng(1);
      const change = T0 + 8 * HOUR;
      let first = NaN;
      let last = NaN;
      for (let t = T0; t < change + HOUR; t += 15_000) {
        const extra = t < change ? 0 : shape === 'step' ? 1.2 : (0.6 * (t - change)) / HOUR;
        const res = a.ingest(collectionSnapshot([service(r, 0.3 + extra)], { timestampMs: t, intervalSeconds: 15, host }));
        if (t < change) expect({ shape, t: (t - T0) / MIN, flagged: flagged(res) }).toEqual({ shape, t: (t - T0) / MIN, flagged: [] });
        else if (Number.isNaN(first) && (entry(res, 'web', 'cpu')?.score ?? 0) >= ANOMALY_THRESHOLD) {
          first = t - change;
          expect(entry(res, 'web', 'combined')!.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
        }
        if (t >= change && (entry(res, 'web', 'combined')?.score ?? 0) < ANOMALY_THRESHOLD) last = t;
      }
      // The combined score then holds for the rest of the hour: ProcsightAnomalousGroup's 30 minutes.
      expect(last - change).toBeLessThan(first + 5 * MIN);
      expect({ shape, minutes: first / MIN }).toEqual({ shape, minutes: expect.any(Number) });
      expect(first).toBeLessThanOrEqual(shape === 'step' ? 5 * MIN : 30 * MIN);
    }
  }, 120_000);

  it('does not flag the daily peak a group has shown for days: its pattern names the peak hours, its band holds it, its evidence says "usually" at this hour; the same load at another hour is flagged', () => {
    const a = analyzer();
    const r = rng(2);
    // Business hours: 1.8 cores from 09:00 to 11:00 UTC every day, 0.3 otherwise.
    const usual = (t: number) => ((t % DAY) / HOUR >= 9 && (t % DAY) / HOUR < 11 ? 1.8 : 0.3);
    let res: AnalysisResult | null = null;
    let peakMax = 0;
    const day5 = T0 + 4 * DAY;
    for (let t = T0; t < day5 + 10 * HOUR + 30 * MIN; t += 15_000) {
      res = a.ingest(collectionSnapshot([service(r, usual(t))], { timestampMs: t, intervalSeconds: 15, host }));
      if (t >= day5 + 9 * HOUR && t < day5 + 10 * HOUR + 30 * MIN) peakMax = Math.max(peakMax, entry(res, 'web', 'combined')!.score ?? 0);
    }
    expect(peakMax).toBeLessThan(ANOMALY_THRESHOLD);
    const pattern = res!.patterns.find((p) => p.group === 'web')!;
    expect(pattern.daily).toBeGreaterThan(0.8);
    expect(pattern.peakHoursUtc).toEqual([9, 10]);
    const band = res!.bands.find((b) => b.group === 'web' && b.signal === 'cpu')!;
    expect(band.lower).toBeLessThan(1.8);
    expect(band.upper).toBeGreaterThan(1.8);
    expect(entry(res!, 'web', 'cpu')!.baseline).toBeCloseTo(1.8, 1);
    const atPeak = res!.bottlenecks.find((b) => b.group === 'web' && b.kind === 'cpu_saturation');
    expect(atPeak?.evidence[0].text).toMatch(/uses 1\.\d\d cores, usually 1\.[78]\d/);

    // The same 1.8 cores at 15:00: unusual at that hour.
    let first = NaN;
    let unusual: AnalysisResult | null = null;
    for (let t = day5 + 15 * HOUR; t < day5 + 15 * HOUR + 20 * MIN; t += 15_000) {
      unusual = a.ingest(collectionSnapshot([service(r, 1.8)], { timestampMs: t, intervalSeconds: 15, host }));
      if (Number.isNaN(first) && (entry(unusual, 'web', 'cpu')!.score ?? 0) >= ANOMALY_THRESHOLD) first = t - (day5 + 15 * HOUR);
    }
    expect(first).toBeLessThanOrEqual(10 * MIN);
    expect(unusual!.bands.find((b) => b.group === 'web' && b.signal === 'cpu')!.upper).toBeLessThan(1.5);
    const surge = unusual!.bottlenecks.find((b) => b.group === 'web' && b.kind === 'cpu_saturation')!;
    expect(surge.evidence[0].text).toMatch(/usually 0\.[2-4]\d/);
    // The anomaly raises the label's confidence; the usual peak did not.
    expect(surge.confidence).toBeGreaterThan(atPeak!.confidence);
  }, 180_000);

  it('takes a restart of the group (through the tracker and grouper: new processes, counters from 0, a start-up burst) and a counter that goes back without a false alarm', () => {
    const a = analyzer();
    const tracker = new Tracker({ nameOf: () => 'db' });
    const grouper = new Grouper(
      { maxGroups: 10, declared: [], pidSeriesGroups: new Set(), pidSeriesMax: 0, emptyGroupTtlMs: 600_000, maxCgroupsPerGroup: 4 },
      T0,
    );
    const r = rng(3);
    const restartAt = T0 + 3 * HOUR;
    let cpuSeconds = 0;
    let switches = 0;
    let states: string[] = [];
    let prev = NaN;
    for (let t = T0; t < restartAt + 3 * HOUR; t += 15_000) {
      const after = t >= restartAt;
      const pid = after ? 200 : 100;
      if (t === restartAt) {
        cpuSeconds = 0; // the new process's counters start from 0
        switches = 0;
      }
      const sinceStart = after ? t - restartAt : t - T0;
      const cores = after && sinceStart < 2 * MIN ? 1.5 : 0.3 + 0.03 * (r() - 0.5);
      cpuSeconds += cores * 15;
      switches += 4500;
      if (!after && t === T0 + 2 * HOUR) switches -= 200_000; // a thread exited: its switches leave the per-thread sum
      const rss = after ? Math.min(2e8, 5e7 + (1.5e8 * sinceStart) / (5 * MIN)) : 2e8 + 1e6 * r();
      tracker.beginCycle(t);
      const p = tracker.observe(
        sample(pid, { startTicks: pid * 10, cpuUserSeconds: cpuSeconds, voluntaryCtxSwitches: switches, rssBytes: rss, threads: 8 }),
        () => identity(pid, 'postgres', { startTicks: pid * 10 }),
      );
      tracker.endCycle();
      const groups = grouper.update({ procs: p ? [p] : [], nowMs: t, intervalSeconds: Number.isNaN(prev) ? null : (t - prev) / 1000 });
      prev = t;
      const res = a.ingest(collectionSnapshot(groups, { timestampMs: t, intervalSeconds: 15, host }));
      expect({ minute: (t - T0) / MIN, flagged: flagged(res) }).toEqual({ minute: (t - T0) / MIN, flagged: [] });
      if (t >= restartAt && t < restartAt + 20 * MIN) states.push(entry(res, 'db', 'cpu')!.state);
    }
    states = [...new Set(states)];
    expect(states).toEqual(['settling', 'scoring']);
  }, 120_000);

  it('takes missing samples, gaps and changes of the collection interval (15 s, 60 s, 5 s, 1 s) without a false alarm', () => {
    const a = analyzer();
    const r = rng(4);
    const steps: Array<[number, number]> = [
      [15_000, 3 * HOUR],
      [60_000, 2 * HOUR],
      [5_000, HOUR],
      [1_000, 30 * MIN],
      [15_000, HOUR],
    ];
    let t = T0;
    let prev = T0;
    let fed = 0;
    for (const [step, span] of steps) {
      for (const end = t + span; t < end; t += step) {
        if (r() < 0.3) continue; // 30 % of the collections lost
        if (t > T0 + 4 * HOUR && t < T0 + 4 * HOUR + 20 * MIN) continue; // a 20-minute gap
        const res = a.ingest(collectionSnapshot([service(r, 0.3)], { timestampMs: t, intervalSeconds: (t - prev) / 1000, host }));
        prev = t;
        fed++;
        expect({ minute: (t - T0) / MIN, flagged: flagged(res) }).toEqual({ minute: (t - T0) / MIN, flagged: [] });
      }
    }
    expect(fed).toBeGreaterThan(2000);
    expect(entry(a.current()!, 'web', 'cpu')!.state).toBe('scoring');
  }, 120_000);

  it('shows a new group as learning for its first minutes, then scores it', () => {
    const a = analyzer();
    const r = rng(5);
    const seen: Array<{ minute: number; state: string; score: number | null }> = [];
    for (let t = T0; t < T0 + 20 * MIN; t += 15_000) {
      const res = a.ingest(collectionSnapshot([service(r, 0.3)], { timestampMs: t, intervalSeconds: 15, host }));
      const cpu = entry(res, 'web', 'cpu')!;
      seen.push({ minute: (t - T0) / MIN, state: cpu.state, score: cpu.score });
    }
    const firstScore = seen.find((s) => s.state === 'scoring')!;
    expect(firstScore.minute).toBeGreaterThanOrEqual(11);
    expect(firstScore.minute).toBeLessThanOrEqual(14);
    expect(seen.filter((s) => s.minute < 11).every((s) => s.state === 'learning' && s.score === null)).toBe(true);
  });
});
