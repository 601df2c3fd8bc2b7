import { bottleneckConfigSchema } from '../../exporter/src/analyse/bottleneck/config';
import { evaluateRules } from '../../exporter/src/analyse/bottleneck/rules';
import { Hysteresis } from '../../exporter/src/analyse/bottleneck/hysteresis';
import type { FeatureSource, WindowName, WindowStats } from '../../exporter/src/analyse/features/types';
import type { GroupSnapshot, HostSnapshot, Signal } from '../../exporter/src/types';
import { emptyHost } from '../../exporter/src/pipeline/collector';
import { groupSnapshot } from '../helpers/synthetic';

const config = bottleneckConfigSchema.parse({});

/** Synthetic features: the same stats for every window unless given per window. */
function features(group: string, by: Partial<Record<Signal, Partial<WindowStats> | Partial<Record<WindowName, Partial<WindowStats>>>>>): FeatureSource {
  const base: WindowStats = { n: 60, spanSeconds: 900, mean: 0, std: 0, ewma: 0, slope: 0, r2: 0, p95: 0, min: 0, max: 0, last: 0, growth: 0 };
  return {
    groups: () => [group],
    stats(g, signal, window) {
      if (g !== group) return null;
      const v = by[signal];
      if (!v) return { ...base };
      const perWindow = (v as Record<string, Partial<WindowStats>>)[window];
      const isPerWindow = ['1m', '5m', '15m', '1h'].some((w) => w in v);
      return { ...base, ...(isPerWindow ? (perWindow ?? {}) : (v as Partial<WindowStats>)) };
    },
  };
}

const host = (over: Partial<HostSnapshot> = {}, rates: Partial<NonNullable<HostSnapshot['rates']>> = {}): HostSnapshot => ({
  ...emptyHost(),
  cpus: 4,
  memoryTotalBytes: 16e9,
  memoryAvailableBytes: 8e9,
  procsRunning: 1,
  ...over,
  rates: { cpuBusyRatio: 0.3, iowaitRatio: 0, pressureCpuSomeRatio: 0, pressureMemorySomeRatio: 0, pressureMemoryFullRatio: 0, pressureIoSomeRatio: 0, pressureIoFullRatio: 0, ...rates },
});

const kinds = (g: GroupSnapshot, f: FeatureSource, h = host()) => evaluateRules({ group: g, host: h, features: f, config }).map((c) => c.kind);

describe('bottleneck rules', () => {
  it('label nothing on a quiet group', () => {
    const g = groupSnapshot('quiet', { gauges: { threads: 8, rssBytes: 2e8 }, rates: { cpuCores: 0.05, voluntaryCtxSwitchesPerSecond: 30 } });
    expect(kinds(g, features('quiet', { cpu: { mean: 0.05 }, context_switches: { mean: 30 }, memory: { mean: 2e8, last: 2e8 } }))).toEqual([]);
  });

  it('cpu_saturation: a steadily pegged core, not when the host waits on I/O', () => {
    const g = groupSnapshot('hot', { gauges: { threads: 1 }, rates: { cpuCores: 0.98 } });
    const f = features('hot', { cpu: { mean: 0.98, std: 0.02, min: 0.95 } });
    const c = evaluateRules({ group: g, host: host(), features: f, config }).find((x) => x.kind === 'cpu_saturation');
    expect(c?.severity).toBeGreaterThan(0.9);
    expect(c?.evidence[0].text).toMatch(/0\.98 cores/);
    expect(kinds(g, f, host({}, { iowaitRatio: 0.5 }))).not.toContain('cpu_saturation');
  });

  it('cpu_starvation: long queueing per timeslice on a contended host, not wake-up churn', () => {
    const g = groupSnapshot('batch', { rates: { cpuCores: 0.3, cpuWaitRatio: 0.5, timeslicesPerSecond: 100 } });
    const f = features('batch', { cpu: { mean: 0.3 }, cpu_wait: { mean: 0.5 } });
    expect(kinds(g, f, host({}, { pressureCpuSomeRatio: 0.4 }))).toContain('cpu_starvation');
    expect(kinds(g, f, host({}, { pressureCpuSomeRatio: 0.01 }))).not.toContain('cpu_starvation');
    const churn = groupSnapshot('batch', { rates: { cpuCores: 0.3, cpuWaitRatio: 0.5, timeslicesPerSecond: 5000 } });
    expect(kinds(churn, f, host({}, { pressureCpuSomeRatio: 0.4 }))).not.toContain('cpu_starvation');
  });

  it('memory_leak: steady growth with high R² over ≥ 10 min, not a plateau or a short burst', () => {
    const g = groupSnapshot('leaky', { gauges: { rssBytes: 5e8 } });
    const leak = { '15m': { slope: 50_000, r2: 0.98, spanSeconds: 900, last: 5e8, min: 4.5e8 }, '5m': { slope: 48_000, n: 60 } };
    const c = evaluateRules({ group: g, host: host(), features: features('leaky', { memory: leak }), config }).find((x) => x.kind === 'memory_leak');
    expect(c).toBeDefined();
    expect(c!.evidence[0].text).toMatch(/MiB\/min \(R² 0\.98\)/);
    expect(kinds(g, features('leaky', { memory: { ...leak, '5m': { slope: 1000, n: 60 } } }))).not.toContain('memory_leak'); // plateau
    expect(kinds(g, features('leaky', { memory: { ...leak, '15m': { ...leak['15m'], spanSeconds: 300 } } }))).not.toContain('memory_leak');
    expect(kinds(g, features('leaky', { memory: { ...leak, '15m': { ...leak['15m'], r2: 0.5 } } }))).not.toContain('memory_leak');
  });

  it('io_bound: heavy I/O while the host waits on storage', () => {
    const g = groupSnapshot('wal', { rates: { writeBytesPerSecond: 50e6 } });
    const f = features('wal', { io_write: { mean: 50e6 }, io_read: { mean: 0 } });
    expect(kinds(g, f, host({}, { iowaitRatio: 0.3 }))).toContain('io_bound');
    expect(kinds(g, f, host({}, { iowaitRatio: 0.01 }))).not.toContain('io_bound');
  });

  it('lock_contention: many voluntary switches per CPU-second across many threads', () => {
    const g = groupSnapshot('locky', { gauges: { threads: 32 }, rates: { cpuCores: 0.1, voluntaryCtxSwitchesPerSecond: 20000, nonvoluntaryCtxSwitchesPerSecond: 500 } });
    expect(kinds(g, features('locky', { cpu: { mean: 0.1 }, context_switches: { mean: 20500 } }))).toContain('lock_contention');
    const busy = groupSnapshot('locky', { gauges: { threads: 32 }, rates: { cpuCores: 3, voluntaryCtxSwitchesPerSecond: 20000 } });
    expect(kinds(busy, features('locky', { cpu: { mean: 3 }, context_switches: { mean: 20000 } }))).not.toContain('lock_contention');
    const io = groupSnapshot('locky', { gauges: { threads: 32 }, rates: { cpuCores: 0.1, voluntaryCtxSwitchesPerSecond: 20000, writeBytesPerSecond: 5e7 } });
    expect(kinds(io, features('locky', { cpu: { mean: 0.1 }, context_switches: { mean: 20000 } }))).not.toContain('lock_contention');
  });

  it('fd_exhaustion: near the limit, or a trend that reaches it within the horizon', () => {
    const near = groupSnapshot('fds', { gauges: { fdLimitRatio: 0.9, fdLimitMin: 1024, openFds: 920 } });
    expect(kinds(near, features('fds', {}))).toContain('fd_exhaustion');
    const trend = groupSnapshot('fds', { gauges: { fdLimitRatio: 0.2, fdLimitMin: 1024, openFds: 200 } });
    expect(kinds(trend, features('fds', { fds: { slope: 5, r2: 0.99, n: 60 } }))).toContain('fd_exhaustion');
    expect(kinds(trend, features('fds', { fds: { slope: 0.01, r2: 0.99, n: 60 } }))).not.toContain('fd_exhaustion');
  });

  it('thread_explosion: fast steady growth of the thread count', () => {
    const g = groupSnapshot('threads', { gauges: { threads: 400 } });
    expect(kinds(g, features('threads', { threads: { min: 20, slope: 2, r2: 0.95, n: 60 } }))).toContain('thread_explosion');
    expect(kinds(g, features('threads', { threads: { min: 390, slope: 0.01, r2: 0.9, n: 60 } }))).not.toContain('thread_explosion');
  });

  it('memory_pressure and network_saturation', () => {
    const g = groupSnapshot('db', { gauges: { swapBytes: 1e8 }, rates: { majorFaultsPerSecond: 200, netReceiveBytesPerSecond: 9e7, netTransmitBytesPerSecond: 5e7 } });
    const f = features('db', { page_faults: { mean: 200 } });
    expect(kinds(g, f, host({}, { pressureMemorySomeRatio: 0.3 }))).toEqual(expect.arrayContaining(['memory_pressure', 'network_saturation']));
    expect(kinds(g, f, host({}, { pressureMemorySomeRatio: 0 }))).not.toContain('memory_pressure');
  });
});

describe('hysteresis', () => {
  const band = { on: 0.5, off: 0.3, forMs: 10_000 };
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

describe('thread explosion versus fd exhaustion', () => {
  it('does not call fds that grow with the threads an fd leak', () => {
    const g = groupSnapshot('jobs', { gauges: { threads: 400, fdLimitRatio: 0.05, fdLimitMin: 20000, openFds: 1000 } });
    const k = kinds(g, features('jobs', { threads: { min: 20, slope: 2, r2: 0.95, n: 60 }, fds: { slope: 8, r2: 0.99, n: 60 } }));
    expect(k).toContain('thread_explosion');
    expect(k).not.toContain('fd_exhaustion');
  });
});
