import { bottleneckConfigSchema } from '../../../../exporter/src/analyse/bottleneck/config';
import { type Projections, evaluateRules, LIMIT_ONLY_EVIDENCE, NO_BASELINES, type Baselines } from '../../../../exporter/src/analyse/bottleneck/rules';
import type { FeatureSource, WindowName, WindowStats } from '../../../../exporter/src/analyse/features/types';
import type { GroupSnapshot } from '../../../../exporter/src/group/types';
import type { HostSnapshot } from '../../../../exporter/src/read/types';
import type { Signal } from '@procsight/contract';
import { groupSnapshot, hostSnapshot as host } from '../../../helpers/synthetic';

const config = bottleneckConfigSchema.parse({});

type Points = { t: Float64Array; x: Float64Array };

/** n points of x0 + rate·t (+ a deterministic wobble of ± noise), every `step` seconds. */
function line(o: { rate: number; seconds: number; step: number; x0?: number; noise?: number }): Points {
  const n = Math.floor(o.seconds / o.step) + 1;
  const t = Float64Array.from({ length: n }, (_, i) => 1000 + i * o.step);
  const x = Float64Array.from({ length: n }, (_, i) => (o.x0 ?? 1e8) + o.rate * i * o.step + (o.noise ?? 0) * Math.sin(i * 2.3));
  return { t, x };
}

/**
 * Synthetic features: the same stats for every window unless given per window. The points the
 * growth tests read are `series` when given, else a straight line at the stats' slope (the 5m
 * window's for the fine ring, the 1h window's for the coarse one).
 */
function features(
  group: string,
  by: Partial<Record<Signal, Partial<WindowStats> | Partial<Record<WindowName, Partial<WindowStats>>>>>,
  series: Partial<Record<Signal, { fine?: Points; coarse?: Points }>> = {},
): FeatureSource {
  const base: WindowStats = { n: 60, spanSeconds: 900, mean: 0, std: 0, ewma: 0, slope: 0, r2: 0, p95: 0, min: 0, max: 0, last: 0, growth: 0 };
  const stats = (g: string, signal: Signal, window: WindowName): WindowStats | null => {
    if (g !== group) return null;
    const v = by[signal];
    if (!v) return { ...base };
    const perWindow = (v as Record<string, Partial<WindowStats>>)[window];
    const isPerWindow = ['1m', '5m', '15m', '1h'].some((w) => w in v);
    return { ...base, ...(isPerWindow ? (perWindow ?? {}) : (v as Partial<WindowStats>)) };
  };
  return {
    groups: () => [group],
    stats,
    points(g, signal, resolution) {
      const given = series[signal]?.[resolution];
      if (given) return given;
      const s = stats(g, signal, resolution === 'fine' ? '5m' : '1h');
      return s
        ? line({ rate: s.slope, seconds: resolution === 'fine' ? 300 : 3600, step: resolution === 'fine' ? 5 : 15 })
        : { t: new Float64Array(0), x: new Float64Array(0) };
    },
  };
}

/** Major faults at a steady `rate` for the last minute: the 1-minute stats and the fine points memory_pressure's test reads. */
function faulting(group: string, rate: number): FeatureSource {
  const fine = line({ rate: 0, seconds: 60, step: 1, x0: rate });
  return features(group, { page_faults: { mean: rate, max: rate, last: rate } }, { page_faults: { fine } });
}

const kinds = (g: GroupSnapshot, f: FeatureSource, h = host()) =>
  evaluateRules({ group: g, host: h, features: f, config, baselines: NO_BASELINES }).map((c) => c.kind);

describe('bottleneck rules', () => {
  it('label nothing on a quiet group', () => {
    const g = groupSnapshot('quiet', { gauges: { threads: 8, rssBytes: 2e8 }, rates: { cpuCores: 0.05, voluntaryCtxSwitchesPerSecond: 30 } });
    expect(kinds(g, features('quiet', { cpu: { mean: 0.05 }, context_switches: { mean: 30 }, memory: { mean: 2e8, last: 2e8 } }))).toEqual([]);
  });

  it('cpu_saturation: a steadily pegged core, not when the host waits on I/O', () => {
    const g = groupSnapshot('hot', { gauges: { threads: 1 }, rates: { cpuCores: 0.98 } });
    const f = features('hot', { cpu: { mean: 0.98, std: 0.02, min: 0.95 } });
    const c = evaluateRules({ group: g, host: host(), features: f, config, baselines: NO_BASELINES }).find((x) => x.kind === 'cpu_saturation');
    expect(c?.severity).toBeGreaterThan(0.9);
    expect(c?.evidence[0].text).toMatch(/0\.98 cores/);
    expect(kinds(g, f, host({}, { iowaitRatio: 0.5 }))).not.toContain('cpu_saturation');
    // 20 workers at 0.045 cores each on 16 CPUs: a steady 0.9 cores in all, no core pegged.
    const pool = groupSnapshot('nginx', { processes: 20, gauges: { threads: 20 }, rates: { cpuCores: 0.9 } });
    const spread = evaluateRules({
      group: pool,
      host: host({ cpus: 16 }),
      features: features('nginx', { cpu: { mean: 0.9, std: 0.02, min: 0.88 } }),
      config,
      baselines: NO_BASELINES,
    }).find((x) => x.kind === 'cpu_saturation');
    expect(spread?.severity ?? 0).toBeLessThan(config.bands.cpu_saturation.on);
  });

  it('cpu_starvation: long queueing per timeslice on a contended host, not wake-up churn', () => {
    const g = groupSnapshot('batch', { rates: { cpuCores: 0.3, cpuWaitRatio: 0.5, timeslicesPerSecond: 100 } });
    const f = features('batch', { cpu: { mean: 0.3 }, cpu_wait: { mean: 0.5 } });
    expect(kinds(g, f, host({}, { pressureCpuSomeRatio: 0.4 }))).toContain('cpu_starvation');
    expect(kinds(g, f, host({}, { pressureCpuSomeRatio: 0.01 }))).not.toContain('cpu_starvation');
    const churn = groupSnapshot('batch', { rates: { cpuCores: 0.3, cpuWaitRatio: 0.5, timeslicesPerSecond: 5000 } });
    expect(kinds(churn, f, host({}, { pressureCpuSomeRatio: 0.4 }))).not.toContain('cpu_starvation');
  });

  it('memory_leak: steady growth labelled once the evidence suffices, not a plateau, a step or noise', () => {
    const g = groupSnapshot('leaky', { gauges: { rssBytes: 5e8 } });
    const none = { t: new Float64Array(0), x: new Float64Array(0) };
    const leakOf = (series: { fine?: Points; coarse?: Points }) =>
      evaluateRules({
        group: g,
        host: host(),
        features: features('leaky', { memory: { slope: 50_000, last: 5e8 } }, { memory: { coarse: none, ...series } }),
        config,
        baselines: NO_BASELINES,
      }).find((x) => x.kind === 'memory_leak');
    // 3 MB/min, steady (page-sized wobble), for 5 minutes at 5 s: labelled, the lower bound in the evidence.
    const c = leakOf({ fine: line({ rate: 50_000, seconds: 300, step: 5, noise: 4096 }) });
    expect(c).toBeDefined();
    expect(c!.evidence[0].value).toBeCloseTo(50_000, -3);
    expect(c!.evidence[0].text).toMatch(/^RSS grows 2\.9 MiB\/min \(at least 2\.\d MiB\/min, R² 1\.00\) over 5\.0 min/);
    // The same rate for 100 s only: start-up growth lasts that long, so not yet.
    expect(leakOf({ fine: line({ rate: 50_000, seconds: 100, step: 5 }) })).toBeUndefined();
    // A plateau: it grew, then stopped.
    const grewThenFlat = line({ rate: 50_000, seconds: 300, step: 5 });
    grewThenFlat.x.forEach((x, i) => (grewThenFlat.x[i] = Math.min(x, 1e8 + 50_000 * 150)));
    expect(leakOf({ fine: grewThenFlat })).toBeUndefined();
    // A step (a cache loaded at once): flat, a jump, flat.
    const step = line({ rate: 0, seconds: 300, step: 5 });
    step.x.forEach((x, i) => (step.x[i] = i < 30 ? x : x + 50e6));
    expect(leakOf({ fine: step })).toBeUndefined();
    // The same slope buried in noise of ± 30 MB: not in 5 minutes.
    expect(leakOf({ fine: line({ rate: 50_000, seconds: 300, step: 5, noise: 30e6 }) })).toBeUndefined();
  });

  it('memory_leak: no available memory left is exhaustion now (severity 1); unknown host memory gives no projection', () => {
    const g = groupSnapshot('leaky', { gauges: { rssBytes: 5e8 } });
    const f = features('leaky', { memory: { slope: 50_000, last: 5e8 } });
    const leakOn = (h: HostSnapshot) =>
      evaluateRules({ group: g, host: h, features: f, config, baselines: NO_BASELINES }).find((x) => x.kind === 'memory_leak');
    const none = leakOn(host({ memoryAvailableBytes: 0 }));
    expect(none?.severity).toBe(1);
    expect(none?.evidence.find((e) => e.feature === 'time_to_host_memory_exhaustion_seconds')?.value).toBe(0);
    const unknown = leakOn(host({ memoryTotalBytes: 0, memoryAvailableBytes: 0 }));
    expect(unknown?.severity).toBe(0.5);
    // No evidence whose value would serialise as null (Infinity in JSON).
    expect(unknown?.evidence.map((e) => e.feature)).toEqual(['rss_slope_bytes_per_second']);
  });

  it('io_bound: heavy I/O while the host waits on storage', () => {
    const g = groupSnapshot('wal', { rates: { writeBytesPerSecond: 50e6 } });
    const f = features('wal', { io_write: { mean: 50e6 }, io_read: { mean: 0 } });
    expect(kinds(g, f, host({}, { iowaitRatio: 0.3 }))).toContain('io_bound');
    expect(kinds(g, f, host({}, { iowaitRatio: 0.01 }))).not.toContain('io_bound');
  });

  it('io_bound: a small writer counts only while it waits on storage itself (the contention analysis counts it as waiting)', () => {
    const g = groupSnapshot('journal', { rates: { writeBytesPerSecond: 0.5e6 } });
    const f = features('journal', { io_write: { mean: 0.5e6 }, io_read: { mean: 0 } });
    const busy = host({}, { iowaitRatio: 0.6 });
    const rule = (storageWait: number | null, h = busy) =>
      evaluateRules({ group: g, host: h, features: f, config, baselines: NO_BASELINES, storageWait }).find((c) => c.kind === 'io_bound');
    // The host waits, the group writes 0.5 MB/s and does not wait itself: under the throughput floor, no label.
    expect(rule(null)).toBeUndefined();
    // It waits on storage 40 % of its time: I/O bound at that traffic, its own wait in the evidence.
    const c = rule(0.4);
    expect(c?.severity).toBeGreaterThanOrEqual(config.bands.io_bound.on);
    const quiet = host({}, { iowaitRatio: 0.02 });
    expect(rule(0.4, quiet)?.evidence[1]).toMatchObject({ feature: 'io_wait_ratio', value: 0.4, baseline: null });
    expect(rule(0.4, quiet)?.evidence[1].text).toMatch(/its own wait on storage .* 40%/);
    // Waiting without any disk traffic is not block I/O (a D state for another reason).
    const idle = features('journal', { io_write: { mean: 0 }, io_read: { mean: 0 } });
    expect(evaluateRules({ group: g, host: busy, features: idle, config, baselines: NO_BASELINES, storageWait: 0.4 }).map((c) => c.kind)).not.toContain(
      'io_bound',
    );
  });

  it('lock_contention: many voluntary switches per CPU-second across many threads', () => {
    const g = groupSnapshot('locky', {
      gauges: { threads: 32 },
      rates: { cpuCores: 0.1, voluntaryCtxSwitchesPerSecond: 20000, nonvoluntaryCtxSwitchesPerSecond: 500 },
    });
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

  it("fd_exhaustion in a group of many processes: each process's own trend decides, not the group's growth against the worst process's headroom", () => {
    // 40 workers, each at 30 % of 1024 fds, each gaining 0.0125 fd/s: the group grows 0.5 fd/s (R² 0.99).
    const spread = groupSnapshot('web', {
      processes: 40,
      gauges: { fdLimitRatio: 0.3, fdLimitMin: 1024, openFds: 12_288, fdTimeToLimitSeconds: (0.7 * 1024) / 0.0125 },
    });
    expect(kinds(spread, features('web', { fds: { slope: 0.5, r2: 0.99, n: 60 } }))).not.toContain('fd_exhaustion');
    // One of them leaks 0.5 fd/s: its own limit is 24 min away.
    const leaker = groupSnapshot('web', {
      processes: 40,
      gauges: { fdLimitRatio: 0.3, fdLimitMin: 1024, openFds: 12_288, fdTimeToLimitSeconds: (0.7 * 1024) / 0.5 },
    });
    const fd = evaluateRules({
      group: leaker,
      host: host(),
      features: features('web', { fds: { slope: 0.5, r2: 0.99, n: 60 } }),
      config,
      baselines: NO_BASELINES,
    }).find((x) => x.kind === 'fd_exhaustion');
    expect(fd?.evidence.find((e) => e.feature === 'fd_time_to_limit_seconds')?.value).toBeCloseTo(1433.6, 1);
  });

  it("fd_exhaustion of one process quotes the forecaster's time to the limit when it serves one, else its own projection", () => {
    const g = groupSnapshot('fds', { gauges: { fdLimitRatio: 0.2, fdLimitMin: 1024, openFds: 200 } });
    const f = features('fds', { fds: { slope: 5, r2: 0.99, n: 60 } });
    const ttl = (projections?: Projections) =>
      evaluateRules({ group: g, host: host(), features: f, config, baselines: NO_BASELINES, ...(projections ? { projections } : {}) })
        .find((x) => x.kind === 'fd_exhaustion')
        ?.evidence.find((e) => e.feature === 'fd_time_to_limit_seconds')?.value;
    const asked: string[] = [];
    expect(ttl({ exhaustionSeconds: (group, resource) => (asked.push(`${group}/${resource}`), 150) })).toBe(150);
    expect(asked).toEqual(['fds/fds']);
    const own = ttl({ exhaustionSeconds: () => null });
    expect(own).toBeGreaterThan(0);
    expect(own).toBe(ttl());
  });

  it('thread_explosion: fast steady growth of the thread count', () => {
    const g = groupSnapshot('threads', { gauges: { threads: 400 } });
    expect(kinds(g, features('threads', { threads: { min: 20, slope: 2, r2: 0.95, n: 60 } }))).toContain('thread_explosion');
    expect(kinds(g, features('threads', { threads: { min: 390, slope: 0.01, r2: 0.9, n: 60 } }))).not.toContain('thread_explosion');
  });

  it('memory_pressure and network_saturation', () => {
    const g = groupSnapshot('db', {
      gauges: { swapBytes: 1e8 },
      rates: { majorFaultsPerSecond: 200, netReceiveBytesPerSecond: 9e7, netTransmitBytesPerSecond: 5e7 },
    });
    const f = faulting('db', 200);
    expect(kinds(g, f, host({}, { pressureMemorySomeRatio: 0.3 }))).toEqual(expect.arrayContaining(['memory_pressure', 'network_saturation']));
    expect(kinds(g, f, host({}, { pressureMemorySomeRatio: 0 }))).not.toContain('memory_pressure');
    // Low available memory decides without PSI: the evidence shows it (PSI alone sat below its threshold).
    const low = evaluateRules({
      group: g,
      host: host({ memoryAvailableBytes: 0.5e9 }, { pressureMemorySomeRatio: 0.01 }),
      features: f,
      config,
      baselines: NO_BASELINES,
    }).find((c) => c.kind === 'memory_pressure');
    expect(low?.evidence.find((e) => e.feature === 'host_memory_available_ratio')).toMatchObject({ value: 0.5e9 / 16e9, threshold: 0.1 });
  });

  it('memory_pressure: a group faulting in a memory cgroup charged up to its limit, while the host has memory to spare', () => {
    const g = groupSnapshot('cache', { rates: { majorFaultsPerSecond: 300 }, controllerCgroups: { memory: ['/shop'] } });
    const f = faulting('cache', 300);
    const at = (usageBytes: number) => host({ cgroupMemory: { '/shop': { usageBytes, limitBytes: 256 * 2 ** 20 } } }, { pressureMemorySomeRatio: 0 });
    const full = evaluateRules({ group: g, host: at(255 * 2 ** 20), features: f, config, baselines: NO_BASELINES }).find((c) => c.kind === 'memory_pressure');
    expect(full?.severity).toBeGreaterThanOrEqual(config.bands.memory_pressure.on);
    const e = full?.evidence.find((x) => x.feature === 'cgroup_memory_usage_ratio');
    expect(e).toMatchObject({ value: 255 / 256, threshold: config.memory_pressure_cgroup_usage_ratio, baseline: null });
    expect(e?.text).toBe('its memory cgroup /shop holds 255 MiB of its 256 MiB limit (100%)');
    // Room left in the cgroup: its faults are its own reading, not pressure.
    expect(kinds(g, f, at(150 * 2 ** 20))).not.toContain('memory_pressure');
    // A full cgroup the group does not live in says nothing about it.
    const elsewhere = groupSnapshot('cache', { rates: { majorFaultsPerSecond: 300 }, controllerCgroups: { memory: ['/other'] } });
    expect(kinds(elsewhere, f, at(255 * 2 ** 20))).not.toContain('memory_pressure');
    // Few faults: nothing to label whatever the cgroup.
    expect(kinds(g, faulting('cache', 2), at(255 * 2 ** 20))).not.toContain('memory_pressure');
    // Many, but for less than memory_pressure_min_seconds: not yet.
    const brief = features('cache', { page_faults: { mean: 300, max: 300 } }, { page_faults: { fine: line({ rate: 0, seconds: 5, step: 1, x0: 300 }) } });
    expect(kinds(g, brief, at(255 * 2 ** 20))).not.toContain('memory_pressure');
    // The evidence quotes the mean of the stretch the sequential test judged.
    expect(full?.evidence[0]).toMatchObject({ value: 300, text: '300.0 major page faults/s (pages read back from disk)' });
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

describe('evidence baselines', () => {
  /** Learned normals as the anomaly engine gives them after warm-up. */
  const learned: Baselines = {
    group: (_g, signal) =>
      ({ cpu: 0.4, memory: 3e8, io_read: 1e5, io_write: 2e5, threads: 20, fds: 100, context_switches: 300, cpu_wait: 0.02, page_faults: 0.5 })[signal],
    rate: (_g, signal) => (signal === 'memory' ? 0 : signal === 'threads' ? 0.001 : 0),
    host: (f) =>
      ({
        cpu_busy_ratio: 0.3,
        iowait_ratio: 0.02,
        pressure_cpu_some_ratio: 0.01,
        pressure_memory_some_ratio: 0.005,
        pressure_io_some_ratio: 0.01,
        procs_running: 2,
      })[f],
  };
  const leak = { slope: 50_000, last: 5e8, min: 4.5e8 };
  /** One firing scenario per rule (as in the tests above). */
  const scenarios: Array<[string, GroupSnapshot, FeatureSource, HostSnapshot]> = [
    ['cpu_saturation', groupSnapshot('g', { gauges: { threads: 1 }, rates: { cpuCores: 3.2 } }), features('g', { cpu: { mean: 3.2, std: 0.02 } }), host()],
    [
      'cpu_starvation',
      groupSnapshot('g', { rates: { cpuCores: 0.3, cpuWaitRatio: 0.5, timeslicesPerSecond: 100 } }),
      features('g', { cpu: { mean: 0.3 }, cpu_wait: { mean: 0.5 } }),
      host({}, { pressureCpuSomeRatio: 0.4 }),
    ],
    ['memory_leak', groupSnapshot('g', { gauges: { rssBytes: 5e8 } }), features('g', { memory: leak }), host()],
    ['memory_pressure', groupSnapshot('g', { rates: { majorFaultsPerSecond: 200 } }), faulting('g', 200), host({}, { pressureMemorySomeRatio: 0.3 })],
    [
      'io_bound',
      groupSnapshot('g', { rates: { writeBytesPerSecond: 50e6 } }),
      features('g', { io_write: { mean: 50e6 }, io_read: { mean: 0 } }),
      host({}, { iowaitRatio: 0.3 }),
    ],
    [
      'lock_contention',
      groupSnapshot('g', { gauges: { threads: 32 }, rates: { cpuCores: 0.1, voluntaryCtxSwitchesPerSecond: 20000, nonvoluntaryCtxSwitchesPerSecond: 500 } }),
      features('g', { cpu: { mean: 0.1 }, context_switches: { mean: 20500 } }),
      host(),
    ],
    [
      'fd_exhaustion',
      groupSnapshot('g', { gauges: { fdLimitRatio: 0.9, fdLimitMin: 1024, openFds: 920 } }),
      features('g', { fds: { slope: 5, r2: 0.99, n: 60 } }),
      host(),
    ],
    [
      'thread_explosion',
      groupSnapshot('g', { gauges: { threads: 400 } }),
      features('g', { threads: { min: 20, slope: 2, r2: 0.95, n: 60, spanSeconds: 300 } }),
      host(),
    ],
    ['network_saturation', groupSnapshot('g', { rates: { netReceiveBytesPerSecond: 9e7, netTransmitBytesPerSecond: 5e7 } }), features('g', {}), host()],
  ];

  it.each(scenarios)('%s: every evidence item carries a finite learned baseline after warm-up, or is limit-only', (kind, g, f, h) => {
    const c = evaluateRules({ group: g, host: h, features: f, config, baselines: learned }).find((x) => x.kind === kind);
    expect(c).toBeDefined();
    for (const e of c!.evidence) {
      if (LIMIT_ONLY_EVIDENCE.has(e.feature)) {
        expect(e.baseline).toBeNull();
        continue;
      }
      expect(Number.isFinite(e.baseline)).toBe(true);
      expect(e.text).toMatch(/usually/);
    }
  });

  it.each(scenarios)('%s: no baseline and no "usually" during warm-up', (kind, g, f, h) => {
    const c = evaluateRules({ group: g, host: h, features: f, config, baselines: NO_BASELINES }).find((x) => x.kind === kind);
    expect(c).toBeDefined();
    for (const e of c!.evidence) {
      expect(e.baseline).toBeNull();
      expect(e.text).not.toMatch(/usually/);
    }
  });

  it('compares like with like: the baseline is in the unit of the value', () => {
    const [, g, f, h] = scenarios[0];
    const cpu = evaluateRules({ group: g, host: h, features: f, config, baselines: learned }).find((x) => x.kind === 'cpu_saturation')!;
    expect(cpu.evidence[0]).toMatchObject({ feature: 'cpu_cores_1m', value: 3.2, baseline: 0.4 });
    expect(cpu.evidence[0].text).toMatch(/uses 3\.20 cores, usually 0\.40 \(1-min mean/);
    expect(cpu.evidence[1]).toMatchObject({ feature: 'host_cpu_busy_ratio', baseline: 0.3 });
    const [, lg, lf, lh] = scenarios[2];
    const leakEv = evaluateRules({ group: lg, host: lh, features: lf, config, baselines: learned }).find((x) => x.kind === 'memory_leak')!.evidence[0];
    expect(leakEv).toMatchObject({ unit: 'bytes/s', value: 50_000, baseline: 0 }); // usual RSS change per second, not a size
    expect(leakEv.text).toMatch(/usually 0\.0 B\/min; now 477 MiB, usually 286 MiB/);
    const [, tg, tf, th] = scenarios[7];
    const threads = evaluateRules({ group: tg, host: th, features: tf, config, baselines: learned }).find((x) => x.kind === 'thread_explosion')!.evidence[0];
    expect(threads.baseline).toBeCloseTo((0.001 * 300) / 20); // usual growth over the same 5 minutes
    expect(threads.text).toMatch(/usually about 20 threads/);
    // Without PSI, the host item counts runnable tasks: value, baseline and threshold (the CPUs) all in tasks.
    const [, sg, sf] = scenarios[1];
    const noPsi = evaluateRules({ group: sg, host: host({ procsRunning: 6 }, { pressureCpuSomeRatio: null }), features: sf, config, baselines: learned }).find(
      (x) => x.kind === 'cpu_starvation',
    )!;
    expect(noPsi.evidence[1]).toMatchObject({ unit: 'tasks', value: 6, baseline: 2, threshold: 4 });
  });

  it('io_bound: the wait measure from the group (block-I/O delay) has no learned normal, documented as null', () => {
    const g = groupSnapshot('g', { rates: { writeBytesPerSecond: 50e6, blkioDelayRatio: 0.6 } });
    const c = evaluateRules({
      group: g,
      host: host(),
      features: features('g', { io_write: { mean: 50e6 }, io_read: { mean: 0 } }),
      config,
      baselines: learned,
    }).find((x) => x.kind === 'io_bound')!;
    expect(c.evidence[0].baseline).toBeCloseTo(3e5);
    expect(c.evidence[1]).toMatchObject({ feature: 'io_wait_ratio', value: 0.6, baseline: null });
  });
});
