import { AnomalyEngine, type AnomalyEngineState, type AnomalyOutput } from '../../../../exporter/src/analyse/anomaly/engine';
import { CheckpointError } from '../../../../exporter/src/errors';
import { anomalyConfigSchema } from '../../../../exporter/src/analyse/anomaly/config';
import { StreamDetector } from '../../../../exporter/src/analyse/anomaly/stream';
import type { CollectionSnapshot } from '../../../../exporter/src/pipeline/types';
import type { GroupSnapshot } from '../../../../exporter/src/group/types';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../helpers/synthetic';
import { ANOMALY_THRESHOLD } from '@procsight/contract';

const config = anomalyConfigSchema.parse({});
const T0 = Date.UTC(2026, 0, 5, 8);
const STEP = 15_000;
const MIN = 60_000;
const snap = (t: number, groups: GroupSnapshot[], host = hostSnapshot()): CollectionSnapshot =>
  collectionSnapshot(groups, { timestampMs: t, intervalSeconds: STEP / 1000, host });
const find = (out: AnomalyOutput, group: string, signal: string) => out.scores.find((a) => a.group === group && a.signal === signal);

let seed = 5;
const noise = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.02;
const web = (cpu: number, over: { newProcesses?: number; processes?: number } = {}): GroupSnapshot => ({
  ...groupSnapshot('web', {
    rates: { cpuCores: cpu, voluntaryCtxSwitchesPerSecond: 200 },
    gauges: { rssBytes: 2e8, threads: 8, openFds: 40 },
    processes: over.processes ?? 2,
  }),
  newProcesses: over.newProcesses ?? 0,
});

/** `minutes` of a quiet web group at 15 s from `from`; returns the last output and the next time. */
function quiet(e: AnomalyEngine, from: number, minutes: number): { out: AnomalyOutput; t: number } {
  let out: AnomalyOutput = { scores: [], bands: [], patterns: [] };
  let t = from;
  for (; t < from + minutes * MIN; t += STEP) out = e.ingest(snap(t, [web(0.2 + noise())]));
  return { out, t };
}

describe('AnomalyEngine', () => {
  it('learns for its first minutes with a clear state, then scores every signal, a combined score and a band', () => {
    const e = new AnomalyEngine(config);
    let { out, t } = quiet(e, T0, 10);
    expect(find(out, 'web', 'cpu')).toEqual({ group: 'web', signal: 'cpu', score: null, state: 'learning' });
    expect(find(out, 'web', 'combined')).toMatchObject({ score: null, state: 'learning' });
    expect(out.bands).toEqual([]);
    ({ out, t } = quiet(e, t, 5));
    const cpu = find(out, 'web', 'cpu')!;
    expect(cpu.state).toBe('scoring');
    expect(cpu.score).toBeLessThan(ANOMALY_THRESHOLD);
    expect(cpu.baseline).toBeCloseTo(0.2, 1);
    expect(out.scores.filter((a) => a.group === 'web' && a.state === 'scoring')).toHaveLength(10); // 9 signals and combined
    const band = out.bands.find((b) => b.signal === 'cpu')!;
    expect(band.lower).toBeLessThan(0.2);
    expect(band.upper).toBeGreaterThan(0.2);
    expect(out.bands.map((b) => b.signal).sort()).toEqual(['context_switches', 'cpu', 'fds', 'io_read', 'io_write', 'memory']);
  });

  it('scores a step in CPU high within minutes of a few hours of history, with the combined score and CPU as its contributor', () => {
    const e = new AnomalyEngine(config);
    // Two hours or more: a young series' likelihood has too little history of its own noise to flag a step at once.
    let { t } = quiet(e, T0, 180);
    let out: AnomalyOutput = { scores: [], bands: [], patterns: [] };
    const start = t;
    let alertAt = NaN;
    for (; t < start + 10 * MIN; t += STEP) {
      out = e.ingest(snap(t, [web(1.5 + noise())]));
      if (Number.isNaN(alertAt) && (find(out, 'web', 'cpu')?.score ?? 0) >= ANOMALY_THRESHOLD) alertAt = t;
    }
    expect(alertAt - start).toBeLessThanOrEqual(6 * MIN);
    const combined = find(out, 'web', 'combined')!;
    expect(combined.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
    expect(combined.contributors![0].signal).toBe('cpu');
    expect(find(out, 'web', 'cpu')!.z).toBeGreaterThan(10);
  });

  it("clamps CPU to the host's cores (a rate over a jittery interval reads a little above)", () => {
    const e = new AnomalyEngine(config);
    const host = hostSnapshot({ cpus: 2 });
    let out: AnomalyOutput = { scores: [], bands: [], patterns: [] };
    for (let t = T0; t < T0 + 20 * MIN; t += STEP) out = e.ingest(snap(t, [web(2 + (t % 30_000 === 0 ? 0.3 : 0))], host));
    expect(find(out, 'web', 'cpu')!.baseline).toBe(2);
    expect(out.bands.find((b) => b.signal === 'cpu')!.upper).toBeLessThanOrEqual(2);
  });

  it("scores novelty for a heavy group first seen after the first minutes, on the threshold's scale", () => {
    const e = new AnomalyEngine(config);
    const { t } = quiet(e, T0, 15);
    const heavy = (cores: number) => groupSnapshot('xmrig', { rates: { cpuCores: cores }, firstSeenMs: t });
    expect(find(e.ingest(snap(t, [web(0.2), heavy(1)])), 'xmrig', 'novelty')?.score).toBe(1); // twice 0.5 cores
    expect(find(e.ingest(snap(t + STEP, [web(0.2), heavy(0.5)])), 'xmrig', 'novelty')?.score).toBeCloseTo(ANOMALY_THRESHOLD);
    expect(find(e.ingest(snap(t + 2 * STEP, [web(0.2), heavy(0.5)])), 'web', 'novelty')).toBeUndefined();
  });

  it('settles after a restart of the group (every process new) without scoring its start-up, but not for a churn of short jobs', () => {
    const e = new AnomalyEngine(config);
    let { t } = quiet(e, T0, 30);
    // The restart: new processes, a CPU burst and memory refilling for a few minutes.
    let out = e.ingest(snap(t, [web(1.8, { newProcesses: 2 })]));
    expect(find(out, 'web', 'cpu')).toMatchObject({ state: 'settling', score: null });
    expect(find(out, 'web', 'combined')).toMatchObject({ state: 'settling', score: null });
    let maxCombined = 0;
    for (t += STEP; t < T0 + 60 * MIN; t += STEP) {
      out = e.ingest(snap(t, [web(t < T0 + 35 * MIN ? 1.8 : 0.2 + noise())]));
      maxCombined = Math.max(maxCombined, find(out, 'web', 'combined')?.score ?? 0);
    }
    expect(find(out, 'web', 'cpu')!.state).toBe('scoring');
    expect(maxCombined).toBeLessThan(ANOMALY_THRESHOLD);
    // A group whose processes are all new at every collection (short jobs) is not restarting.
    const churn = new AnomalyEngine(config);
    for (let u = T0; u < T0 + 30 * MIN; u += STEP) out = churn.ingest(snap(u, [web(0.2 + noise(), { newProcesses: 2 })]));
    expect(find(out, 'web', 'cpu')!.state).toBe('scoring');
  });

  it('keeps scoring when the wall clock steps back an hour', () => {
    const e = new AnomalyEngine(config);
    const { t } = quiet(e, T0, 180);
    let out: AnomalyOutput = { scores: [], bands: [], patterns: [] };
    for (let u = t - 60 * MIN; u < t - 50 * MIN; u += STEP) out = e.ingest(snap(u, [web(1.5 + noise())]));
    expect(find(out, 'web', 'cpu')!.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD); // the step after the jump is still seen
  });

  it('restores what it learned without learning again; refuses the old checkpoint version and a corrupt detector', () => {
    const e = new AnomalyEngine(config);
    const { t } = quiet(e, T0, 20);
    const saved = JSON.parse(JSON.stringify(e.toJSON())) as AnomalyEngineState;
    const r = new AnomalyEngine(config);
    r.fromJSON(saved, t);
    const a = e.ingest(snap(t, [web(0.2)]));
    const b = r.ingest(snap(t, [web(0.2)]));
    expect(find(b, 'web', 'cpu')!.state).toBe('scoring');
    expect(find(b, 'web', 'cpu')!.score).toBeCloseTo(find(a, 'web', 'cpu')!.score!, 6);
    expect(find(b, 'web', 'novelty')).toBeUndefined();
    expect(() => new AnomalyEngine(config).fromJSON({ ...saved, version: 2 } as unknown as AnomalyEngineState, t)).toThrow(/version 2, expected 3/);
    const corrupt = JSON.parse(JSON.stringify(saved)) as AnomalyEngineState;
    (corrupt.groups.web.detectors[0] as { version: number }).version = 99;
    expect(() => new AnomalyEngine(config).fromJSON(corrupt, t)).toThrow(CheckpointError);
  });

  it('does not call a busy group unfamiliar after a restart of the exporter (the checkpoint knows it)', () => {
    const e = new AnomalyEngine(config);
    for (let t = T0; t < T0 + 20 * MIN; t += STEP) e.ingest(snap(t, [groupSnapshot('db', { rates: { cpuCores: 1.9 }, firstSeenMs: T0 })]));
    const r = new AnomalyEngine(config);
    const restart = T0 + 60 * MIN;
    r.fromJSON(JSON.parse(JSON.stringify(e.toJSON())) as AnomalyEngineState, restart);
    const out = r.ingest(
      snap(restart, [
        groupSnapshot('db', { rates: { cpuCores: 1.9 }, firstSeenMs: restart }),
        groupSnapshot('xmrig', { rates: { cpuCores: 1.9 }, firstSeenMs: restart }),
      ]),
    );
    expect(find(out, 'db', 'novelty')).toBeUndefined();
    expect(find(out, 'xmrig', 'novelty')?.score).toBe(1);
  });

  it('holds a bounded state per group, and a checkpoint of about 130 KB per group once its baselines are full (a day)', () => {
    expect(AnomalyEngine.bytesPerGroup(config)).toBe(9 * StreamDetector.bytes() + 28 * 24 * 8 + 32);
    expect(AnomalyEngine.bytesPerGroup(config)).toBeLessThan(270 * 1024);
    const e = new AnomalyEngine(config);
    let s = 9;
    const gauss = (): number => {
      const u = (s = (s * 48271) % 2147483647) / 2147483647;
      const v = (s = (s * 48271) % 2147483647) / 2147483647;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    for (let t = T0; t < T0 + 1440 * MIN; t += MIN) {
      const g = groupSnapshot('noisy', {
        rates: {
          cpuCores: 0.4 + 0.05 * gauss(),
          readBytesPerSecond: 2e5 + 5e4 * gauss(),
          writeBytesPerSecond: 5e5 + 1e5 * gauss(),
          voluntaryCtxSwitchesPerSecond: 800 + 50 * gauss(),
          cpuWaitRatio: 0.01 + 0.002 * gauss(),
          majorFaultsPerSecond: Math.abs(gauss()),
        },
        gauges: { rssBytes: 3e8 + 1e6 * gauss(), threads: 12 + Math.round(gauss()), openFds: 80 + Math.round(3 * gauss()) },
      });
      e.ingest(collectionSnapshot([g], { timestampMs: t, intervalSeconds: 60, host: hostSnapshot() }));
    }
    const bytes = JSON.stringify(e.toJSON().groups.noisy).length;
    expect(bytes).toBeGreaterThan(90_000);
    expect(bytes).toBeLessThan(140_000);
  });
});

describe('learned baselines read by the bottleneck evidence', () => {
  const host = (busy: number) =>
    hostSnapshot({ procsRunning: 3 }, { cpuBusyRatio: busy, pressureCpuSomeRatio: null, pressureMemorySomeRatio: null, pressureIoSomeRatio: null });
  const svc = (i: number) =>
    collectionSnapshot([groupSnapshot('svc', { gauges: { rssBytes: 1e8 + i * 1000, threads: 8 }, rates: { cpuCores: 0.5 } })], {
      timestampMs: T0 + i * 5000,
      intervalSeconds: 5,
      host: host(0.25),
    });

  it('are null while learning, then the usual value, the usual change per second and the host usual; survive a checkpoint', () => {
    const e = new AnomalyEngine(config);
    let i = 0;
    for (; i < 60; i++) e.ingest(svc(i)); // 5 minutes: learning
    expect(e.baseline('svc', 'cpu')).toBeNull();
    expect(e.usualRate('svc', 'memory')).toBeNull();
    expect(e.hostBaseline('cpu_busy_ratio')).toBeNull();
    for (; i < 240; i++) e.ingest(svc(i)); // 20 minutes
    expect(e.baseline('svc', 'cpu')).toBeCloseTo(0.5);
    expect(e.baseline('svc', 'threads')).toBe(8);
    expect(e.usualRate('svc', 'memory')).toBeCloseTo(200, 0); // 1000 bytes per 5 s sample
    expect(e.usualRate('svc', 'cpu')).toBe(0);
    expect(e.hostBaseline('cpu_busy_ratio')).toBeCloseTo(0.25);
    expect(e.hostBaseline('procs_running')).toBe(3);
    expect(e.hostBaseline('pressure_cpu_some_ratio')).toBeNull(); // no PSI on this host
    expect(e.baseline('unknown', 'cpu')).toBeNull();

    const restored = new AnomalyEngine(config);
    restored.fromJSON(JSON.parse(JSON.stringify(e.toJSON())) as AnomalyEngineState, T0 + i * 5000);
    expect(restored.hostBaseline('cpu_busy_ratio')).toBeCloseTo(0.25);
    expect(restored.baseline('svc', 'cpu')).toBeCloseTo(0.5);
    const { host: _host, ...older } = e.toJSON(); // no host baselines in the checkpoint: they learn anew
    const fresh = new AnomalyEngine(config);
    fresh.fromJSON(older, T0 + i * 5000);
    expect(fresh.hostBaseline('cpu_busy_ratio')).toBeNull();
    expect(fresh.baseline('svc', 'cpu')).toBeCloseTo(0.5);
  });
});
