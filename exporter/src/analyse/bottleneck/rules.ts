import { type BottleneckKind, type Evidence, type Signal, EVIDENCE_SENTENCES as S, fmtBytes } from '@procsight/contract';
import type { GroupSnapshot } from '../../group/types';
import type { HostSnapshot } from '../../read/types';
import type { FeatureSource } from '../features/types';
import type { BottleneckConfig } from './config';
import { KERNEL_GROUP } from '../../group/namer';
import type { HostFeature } from '../anomaly/host';
import { growthTest, type GrowthOptions, type GrowthVerdict } from './growth';
import { levelTest } from './level';

/** What one rule concludes for one group this tick (before hysteresis). */
export interface Candidate {
  kind: BottleneckKind;
  severity: number;
  /** Confidence before the anomaly boost. */
  confidence: number;
  evidence: Evidence[];
  /** Signal whose anomaly score may raise the confidence (null: none). */
  related: Signal | null;
}

/**
 * Learned normals the evidence shows as its baseline, read from the anomaly
 * engine (no history of its own): null during warm-up or without the data.
 */
export interface Baselines {
  /** The group's usual value of a signal (median of its anomaly baseline). */
  group(group: string, signal: Signal): number | null;
  /** The group's usual change of a signal per second (median first difference of that baseline). */
  rate(group: string, signal: Signal): number | null;
  /** The host's usual value of a host-wide feature. */
  host(feature: HostFeature): number | null;
}

/** No learned normals (every baseline null). */
export const NO_BASELINES: Baselines = { group: () => null, rate: () => null, host: () => null };

/**
 * Evidence features compared with a limit only, whose baseline is null on
 * purpose: a projection to a limit (its normal is "never": no growth), a
 * share of a configured capacity of which the engine learns no history, or
 * the share of a wait another group explains (`culprit_share`, added by the
 * engine from the contention analysis).
 */
export const LIMIT_ONLY_EVIDENCE: ReadonlySet<string> = new Set([
  'time_to_host_memory_exhaustion_seconds',
  'fd_time_to_limit_seconds',
  'container_network_bytes_per_second',
  'host_memory_available_ratio',
  'cgroup_memory_usage_ratio',
  'culprit_share',
]);

/**
 * Times to a limit as the forecaster serves them (`procsight_forecast_exhaustion_seconds{bound="mean"}`):
 * the bottleneck evidence quotes the same number, so the label and the forecast never disagree.
 * `fds` is a one-process group's open-files limit; `memory` the host's available memory.
 */
export interface Projections {
  exhaustionSeconds(group: string, resource: 'fds' | 'memory'): number | null;
}

/** No forecaster (forecasts off, tests): each rule projects from its own trend. */
const NO_PROJECTIONS: Projections = { exhaustionSeconds: () => null };

export interface RuleInput {
  group: GroupSnapshot;
  host: HostSnapshot;
  features: FeatureSource;
  config: BottleneckConfig;
  baselines: Baselines;
  /** Default: NO_PROJECTIONS. */
  projections?: Projections;
  /**
   * The group's smoothed share of time waiting on storage when the contention analysis counts it as waiting
   * (its `io` victims, kept down to contention.io_wait_exit) or still names a culprit of that wait, else null.
   * Default: none.
   */
  storageWait?: number | null;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

function ev(feature: string, value: number, threshold: number, unit: string, text: string, baseline: number | null): Evidence {
  return { feature, value, baseline: baseline !== null && Number.isFinite(baseline) ? baseline : null, threshold, unit, text };
}

/** a / b of two learned normals (null when either is unknown or b is 0). */
function ratioOf(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

const sumOf = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? a + b : null);

type Rule = (i: Required<RuleInput>) => Candidate | null;

const cpuSaturation: Rule = ({ group, host, features, config, baselines }) => {
  const c = features.stats(group.name, 'cpu', '1m');
  if (!c || c.n < 3 || c.mean < config.cpu_saturation_cores) return null;
  const iowait = host.rates?.iowaitRatio ?? 0;
  if (iowait > config.cpu_saturation_iowait_max) return null;
  const capacity = Math.max(1, Math.min(host.cpus || 1, group.gauges.threads));
  const util = c.mean / capacity;
  // A core held busy steadily for the window is a single-threaded hot path, even on a big host;
  // only within one process: many processes summing to a steady core (20 workers at 0.05) peg nothing.
  const pegged = c.std <= 0.15 && group.processes <= 1 ? 0.6 + 0.4 * util : 0;
  const severity = clamp01(Math.max(util, pegged));
  const busy = host.rates?.cpuBusyRatio ?? 0;
  const usualCores = baselines.group(group.name, 'cpu');
  const usualBusy = baselines.host('cpu_busy_ratio');
  return {
    kind: 'cpu_saturation',
    severity,
    confidence: clamp01(0.5 + 0.3 * Math.max(0, 1 - c.std / Math.max(c.mean, 1e-9)) + 0.2 * busy),
    related: 'cpu',
    evidence: [
      ev(
        'cpu_cores_1m',
        c.mean,
        config.cpu_saturation_cores,
        'cores',
        S.cpu_cores_1m({ cores: c.mean, window: '1-min', std: c.std, capacity, usual: usualCores }),
        usualCores,
      ),
      ev('host_cpu_busy_ratio', busy, 0, 'ratio', S.host_cpu_busy_ratio({ busy, iowait, usual: usualBusy }), usualBusy),
    ],
  };
};

const cpuStarvation: Rule = ({ group, host, features, config, baselines }) => {
  const w = features.stats(group.name, 'cpu_wait', '1m');
  const c = features.stats(group.name, 'cpu', '1m');
  if (!w || !c || w.n < 3 || w.mean < config.cpu_starvation_wait_min) return null;
  const share = w.mean / (w.mean + c.mean);
  if (share < config.cpu_starvation_wait_ratio) return null;
  // The host must be short of CPU: CPU pressure where the kernel has PSI, else a run queue longer than the CPUs.
  // Queueing, not wake-up churn: each time a thread ran it first waited a real scheduling delay.
  const slices = group.rates?.timeslicesPerSecond ?? 0;
  const waitPerSlice = slices > 0 ? (group.rates?.cpuWaitRatio ?? 0) / slices : Infinity;
  if (waitPerSlice < config.cpu_starvation_wait_per_slice_seconds) return null;
  const psi = host.rates?.pressureCpuSomeRatio ?? null;
  const contended = psi !== null ? psi >= config.cpu_starvation_host_pressure : host.procsRunning > host.cpus;
  if (!contended) return null;
  const severity = clamp01(0.5 + (0.5 * (share - config.cpu_starvation_wait_ratio)) / (1 - config.cpu_starvation_wait_ratio));
  // The usual share from the usual wait and CPU (0 for a group that usually neither waits nor runs).
  const usualWait = baselines.group(group.name, 'cpu_wait');
  const usualRun = sumOf(usualWait, baselines.group(group.name, 'cpu'));
  const usualShare = usualRun === null ? null : usualRun > 0 ? (usualWait ?? 0) / usualRun : 0;
  const usualHost = baselines.host(psi !== null ? 'pressure_cpu_some_ratio' : 'procs_running');
  return {
    kind: 'cpu_starvation',
    severity,
    confidence: clamp01(0.5 + (psi !== null ? Math.min(0.4, psi) : 0) + (host.procsRunning > host.cpus ? 0.1 : 0)),
    related: 'cpu_wait',
    evidence: [
      ev(
        'cpu_wait_share_1m',
        share,
        config.cpu_starvation_wait_ratio,
        'ratio',
        S.cpu_wait_share_1m({ share, waitSeconds: w.mean, cores: c.mean, usual: usualShare }),
        usualShare,
      ),
      ev(
        'host_cpu_pressure_ratio',
        psi ?? host.procsRunning,
        psi !== null ? config.cpu_starvation_host_pressure : host.cpus, // without PSI the test is "more runnable tasks than CPUs"
        psi !== null ? 'ratio' : 'tasks',
        S.host_cpu_pressure_ratio({ runnable: host.procsRunning, cpus: host.cpus, pressure: psi, usual: usualHost }),
        usualHost,
      ),
    ],
  };
};

/** Parts of the growth test that are the same for every signal. */
const GROWTH_SHAPE = { lowerRatio: 0.5, halfRatio: 0.5, minR2: 0.8 } as const;

/**
 * The growth test on a group's signal: over the points at the sampling
 * interval (the last 5 minutes) first, then, when those do not show it, over
 * the 15-second buckets (the last hour), for growth slow enough to need
 * longer. The buckets judge only stretches of at least twice what the fine
 * points hold: a few bucket means hide how much the series wanders within them.
 */
function growing(features: FeatureSource, group: string, signal: Signal, o: GrowthOptions): GrowthVerdict | null {
  const fine = features.points(group, signal, 'fine');
  const coarse = features.points(group, signal, 'coarse');
  // What the series did before the fine points, to compare their growth with its usual wandering.
  const start = fine.t.length > 0 ? fine.t[0] : Infinity;
  let before = 0;
  while (before < coarse.t.length && coarse.t[before] < start) before++;
  const v = growthTest(fine.t, fine.x, o, { t: coarse.t.subarray(0, before), x: coarse.x.subarray(0, before) });
  if (v?.growing) return v;
  const fineSpan = fine.t.length > 1 ? fine.t[fine.t.length - 1] - fine.t[0] : 0;
  const w = growthTest(coarse.t, coarse.x, { ...o, minSeconds: Math.max(o.minSeconds, 2 * fineSpan) });
  return w?.growing ? w : (v ?? w);
}

const memoryLeak: Rule = ({ group, host, features, config, baselines, projections }) => {
  const minRate = config.memory_leak_min_bytes_per_second;
  // A cheap look first: the sequential test only runs where RSS has recently risen.
  const recent = Math.max(features.stats(group.name, 'memory', '1m')?.slope ?? 0, features.stats(group.name, 'memory', '5m')?.slope ?? 0);
  if (recent < 0.3 * minRate) return null;
  const v = growing(features, group.name, 'memory', {
    minRate,
    minSeconds: config.memory_leak_min_seconds,
    evidenceSeconds: config.memory_leak_evidence_seconds,
    z: config.growth_confidence_z,
    ...GROWTH_SHAPE,
  });
  if (!v?.growing) return null;
  const now = features.stats(group.name, 'memory', '1m')?.last ?? group.gauges.rssBytes;
  // Host memory unknown (no total: the host read failed): no projection. Known and 0 available: exhausted now.
  const avail = host.memoryTotalBytes > 0 ? host.memoryAvailableBytes : null;
  const tte = avail === null ? Infinity : (projections.exhaustionSeconds(group.name, 'memory') ?? avail / v.rate);
  const severity = clamp01(0.5 + 0.5 * Math.max(0, (86_400 - tte) / 86_400));
  const usualSlope = baselines.rate(group.name, 'memory');
  const usualRss = baselines.group(group.name, 'memory');
  return {
    kind: 'memory_leak',
    severity,
    confidence: clamp01(v.r2),
    related: 'memory',
    evidence: [
      ev(
        'rss_slope_bytes_per_second',
        v.rate,
        minRate,
        'bytes/s',
        S.rss_slope_bytes_per_second({
          bytesPerSecond: v.rate,
          fit: `at least ${fmtBytes(v.lower * 60)}/min, R² ${v.r2.toFixed(2)}`,
          spanSeconds: v.spanSeconds,
          now,
          usual: usualSlope,
          usualNow: usualRss,
        }),
        usualSlope,
      ),
      // A projection to a limit (host available memory): no baseline (see LIMIT_ONLY_EVIDENCE).
      ...(avail === null
        ? []
        : [
            ev(
              'time_to_host_memory_exhaustion_seconds',
              tte,
              86_400,
              'seconds',
              S.time_to_host_memory_exhaustion_seconds({ seconds: tte, available: avail }),
              null,
            ),
          ]),
    ],
  };
};

/** Host available memory below this share of the total counts as low (memory_pressure without PSI). */
const LOW_MEMORY_RATIO = 0.1;

/** The fullest of the group's memory cgroups that have a limit, or null (none, or the reader has no cgroup figures). */
function fullestCgroup(group: GroupSnapshot, host: HostSnapshot): { cgroup: string; usage: number; limit: number; ratio: number } | null {
  let best: { cgroup: string; usage: number; limit: number; ratio: number } | null = null;
  for (const cg of group.controllerCgroups.memory) {
    const m = host.cgroupMemory?.[cg];
    const ratio = m ? m.usageBytes / m.limitBytes : -1;
    if (m && (!best || ratio > best.ratio)) best = { cgroup: cg, usage: m.usageBytes, limit: m.limitBytes, ratio };
  }
  return best;
}

const memoryPressure: Rule = ({ group, host, features, config, baselines }) => {
  const psi = host.rates?.pressureMemorySomeRatio ?? null;
  // A cheap look first: the sequential test only runs where the last minute reached the threshold rate.
  const f = features.stats(group.name, 'page_faults', '1m');
  if (!f || f.max < config.memory_pressure_major_faults) return null;
  const lowMemory = host.memoryTotalBytes > 0 && host.memoryAvailableBytes / host.memoryTotalBytes < LOW_MEMORY_RATIO;
  // A group whose memory cgroup is charged up to its limit is short of memory while the host has plenty:
  // the kernel reclaims within the cgroup, and the pages it reclaims are what the group faults back in.
  const cg = fullestCgroup(group, host);
  const full = cg !== null && cg.ratio >= config.memory_pressure_cgroup_usage_ratio ? cg : null;
  const cgroupFull = full !== null;
  if ((psi === null || psi < config.memory_pressure_psi) && !lowMemory && !cgroupFull) return null;
  // How long the faults must have lasted follows their rate and noise (./level.ts), instead of a fixed hold.
  const points = features.points(group.name, 'page_faults', 'fine');
  const v = levelTest(points.t, points.x, {
    min: config.memory_pressure_major_faults,
    minSeconds: config.memory_pressure_min_seconds,
    evidenceSeconds: config.memory_pressure_evidence_seconds,
    z: config.growth_confidence_z,
    lowerRatio: GROWTH_SHAPE.lowerRatio,
  });
  if (!v?.above) return null;
  const severity = clamp01(0.5 + (psi ?? 0) + (lowMemory || cgroupFull ? 0.2 : 0));
  const usualFaults = baselines.group(group.name, 'page_faults');
  // Without PSI the value is a placeholder 0: nothing to compare, so no baseline either.
  const usualPsi = psi === null ? null : baselines.host('pressure_memory_some_ratio');
  return {
    kind: 'memory_pressure',
    severity,
    confidence: clamp01(0.6 + (group.gauges.swapBytes > 0 || cgroupFull ? 0.2 : 0)),
    related: 'page_faults',
    evidence: [
      ev(
        // The mean over the stretch the test judged (10 s to 5 min), not always a minute's.
        'major_faults_per_second_1m',
        v.mean,
        config.memory_pressure_major_faults,
        'faults/s',
        S.major_faults_per_second_1m({ perSecond: v.mean, usual: usualFaults }),
        usualFaults,
      ),
      ev(
        'host_memory_pressure_some_ratio',
        psi ?? 0,
        config.memory_pressure_psi,
        'ratio',
        S.host_memory_pressure_some_ratio({ pressure: psi, available: host.memoryAvailableBytes, groupSwap: group.gauges.swapBytes, usual: usualPsi }),
        usualPsi,
      ),
      // When low memory or a full cgroup decided (PSI alone may sit below its threshold), the evidence says so.
      ...(lowMemory
        ? [
            ev(
              'host_memory_available_ratio',
              host.memoryAvailableBytes / host.memoryTotalBytes,
              LOW_MEMORY_RATIO,
              'ratio',
              S.host_memory_available_ratio({ available: host.memoryAvailableBytes, total: host.memoryTotalBytes }),
              null,
            ),
          ]
        : []),
      ...(full
        ? [
            ev(
              'cgroup_memory_usage_ratio',
              full.ratio,
              config.memory_pressure_cgroup_usage_ratio,
              'ratio',
              S.cgroup_memory_usage_ratio({ cgroup: full.cgroup, usage: full.usage, limit: full.limit }),
              null,
            ),
          ]
        : []),
    ],
  };
};

const ioBound: Rule = ({ group, host, features, config, baselines, storageWait }) => {
  const r = features.stats(group.name, 'io_read', '1m');
  const w = features.stats(group.name, 'io_write', '1m');
  if (!r || !w || r.n < 3) return null;
  const io = r.mean + w.mean;
  // A group that itself spends a good part of its time waiting on storage (the contention analysis counts it as
  // waiting: a small fsync-heavy service beside a bulk writer) is I/O bound whatever its own traffic; others
  // need the traffic, or the host's wait would label every group that writes a log line.
  const own = storageWait;
  if (own === null ? io < config.io_bound_bytes_per_second : io <= 0) return null;
  const dShare = group.processes > 0 ? group.states.disk_sleep / group.processes : 0;
  // [what, value, its learned normal]. The group's block-I/O delay and D-state share are not
  // anomaly signals: the engine keeps no history of them, so they have no baseline (null).
  const waits: Array<[string, number, number | null]> = [
    ['host iowait', host.rates?.iowaitRatio ?? 0, baselines.host('iowait_ratio')],
    ['host I/O pressure', host.rates?.pressureIoSomeRatio ?? 0, baselines.host('pressure_io_some_ratio')],
    ['block-I/O delay of the group', group.rates?.blkioDelayRatio ?? 0, null],
    ['share of its processes in D state', dShare, null],
    ...(own !== null ? [['its own wait on storage (D state or block-I/O delay, smoothed)', own, null] as [string, number, null]] : []),
  ];
  const [waitWhat, wait, usualWait] = waits.reduce((a, b) => (b[1] > a[1] ? b : a));
  const usualIo = sumOf(baselines.group(group.name, 'io_read'), baselines.group(group.name, 'io_write'));
  if (wait < config.io_bound_wait_ratio) return null;
  const severity = clamp01(
    0.5 + (0.5 * (wait - config.io_bound_wait_ratio)) / (1 - config.io_bound_wait_ratio) + (io >= 10 * config.io_bound_bytes_per_second ? 0.1 : 0),
  );
  return {
    kind: 'io_bound',
    severity,
    confidence: clamp01(
      0.5 + 0.1 * waits.filter(([, v]) => v >= config.io_bound_wait_ratio).length + 0.1 * Math.min(1, io / (10 * config.io_bound_bytes_per_second)),
    ),
    related: w.mean >= r.mean ? 'io_write' : 'io_read',
    evidence: [
      ev(
        'io_bytes_per_second_1m',
        io,
        config.io_bound_bytes_per_second,
        'bytes/s',
        S.io_bytes_per_second_1m({ total: io, read: r.mean, write: w.mean, usual: usualIo }),
        usualIo,
      ),
      ev('io_wait_ratio', wait, config.io_bound_wait_ratio, 'ratio', S.io_wait_ratio({ what: waitWhat, ratio: wait, usual: usualWait }), usualWait),
    ],
  };
};

const lockContention: Rule = ({ group, features, config, baselines }) => {
  const s = features.stats(group.name, 'context_switches', '1m');
  const c = features.stats(group.name, 'cpu', '1m');
  if (!s || !c || s.n < 3 || group.gauges.threads < config.lock_contention_min_threads) return null;
  // Waiting on storage also switches voluntarily; kernel threads are not an application's locks.
  const io = (group.rates?.readBytesPerSecond ?? 0) + (group.rates?.writeBytesPerSecond ?? 0);
  if (io >= config.io_bound_bytes_per_second || group.name === KERNEL_GROUP) return null;
  const vol = group.rates?.voluntaryCtxSwitchesPerSecond ?? 0;
  const perCpu = s.mean / Math.max(c.mean, 0.01);
  if (s.mean < config.lock_contention_switches_per_second || perCpu < config.lock_contention_switches_per_cpu_second) return null;
  if (vol < 0.5 * (group.rates ? vol + group.rates.nonvoluntaryCtxSwitchesPerSecond : 0)) return null; // mostly preemption, not waiting
  const severity = clamp01(
    0.5 + 0.25 * Math.log10(s.mean / config.lock_contention_switches_per_second) + 0.1 * Math.log10(perCpu / config.lock_contention_switches_per_cpu_second),
  );
  const usualSwitches = baselines.group(group.name, 'context_switches');
  const usualCpu = baselines.group(group.name, 'cpu');
  const usualPerCpu = usualCpu === null ? null : ratioOf(usualSwitches, Math.max(usualCpu, 0.01)); // the same floor as perCpu
  return {
    kind: 'lock_contention',
    severity,
    confidence: clamp01(0.5 + 0.1 * Math.log2(group.gauges.threads / config.lock_contention_min_threads + 1)),
    related: 'context_switches',
    evidence: [
      ev(
        'context_switches_per_second_1m',
        s.mean,
        config.lock_contention_switches_per_second,
        'switches/s',
        S.context_switches_per_second_1m({ perSecond: s.mean, threads: group.gauges.threads, usual: usualSwitches }),
        usualSwitches,
      ),
      ev(
        'switches_per_cpu_second',
        perCpu,
        config.lock_contention_switches_per_cpu_second,
        'switches/cpu-s',
        S.switches_per_cpu_second({ perCpuSecond: perCpu, cores: c.mean, usual: usualPerCpu }),
        usualPerCpu,
      ),
    ],
  };
};

const fdExhaustion: Rule = ({ group, features, config, baselines, projections }) => {
  const ratio = group.gauges.fdLimitRatio;
  const limit = group.gauges.fdLimitMin;
  const f = features.stats(group.name, 'fds', '5m');
  let tte = Infinity;
  let rate = 0;
  // fds that only follow a growing thread count (each thread's eventfds) are thread_explosion's symptom.
  const t = features.stats(group.name, 'threads', '5m');
  const followsThreads = t !== null && t.slope > 0 && t.r2 >= 0.6 && f !== null && f.slope <= 10 * t.slope;
  const perProcess = group.processes > 1;
  if (f && limit && f.slope > 0 && !followsThreads) {
    const v = growthTest(...pointsOf(features, group.name, 'fds'), {
      minRate: 0,
      minSeconds: config.fd_exhaustion_min_seconds,
      evidenceSeconds: 0,
      z: config.growth_confidence_z,
      ...GROWTH_SHAPE,
    });
    if (v?.growing) {
      rate = v.rate;
      // One process: the group's growth is its own; the time to the limit is the forecaster's when it serves one (the same
      // number as procsight_forecast_exhaustion_seconds), else this growth's lower bound projected (it firms up with the evidence).
      // Several: the group's growth may be spread over all of them (40 workers each opening a few fds), so each process's own trend decides.
      tte = perProcess
        ? (group.gauges.fdTimeToLimitSeconds ?? Infinity)
        : (projections.exhaustionSeconds(group.name, 'fds') ?? ((1 - ratio) * limit) / v.lower);
    }
  }
  const byRatio = ratio >= config.fd_exhaustion_ratio ? ratio : 0;
  const byTrend = tte <= config.fd_exhaustion_horizon_seconds ? 0.5 + 0.5 * (1 - tte / config.fd_exhaustion_horizon_seconds) : 0;
  const severity = clamp01(Math.max(byRatio, byTrend));
  if (severity === 0) return null;
  // The ratio is the worst process's; its usual value is estimated by scaling it with the group's usual open fds.
  const usualFds = baselines.group(group.name, 'fds');
  const open = group.gauges.openFds;
  const usualRatio = usualFds !== null && open > 0 ? (ratio * usualFds) / open : null;
  return {
    kind: 'fd_exhaustion',
    severity,
    confidence: clamp01(byRatio > 0 ? 0.9 : (f?.r2 ?? 0.5)),
    related: 'fds',
    evidence: [
      ev(
        'fd_limit_ratio',
        ratio,
        config.fd_exhaustion_ratio,
        'ratio',
        S.fd_limit_ratio({ ratio, limit: limit ?? null, open, usualRatio, usualOpen: usualFds }),
        usualRatio,
      ),
      // A projection to a limit (the open-files limit): no baseline (see LIMIT_ONLY_EVIDENCE).
      ...(Number.isFinite(tte)
        ? [
            ev(
              'fd_time_to_limit_seconds',
              tte,
              config.fd_exhaustion_horizon_seconds,
              'seconds',
              S.fd_time_to_limit_seconds({ perSecond: rate, seconds: tte, perProcess }),
              null,
            ),
          ]
        : []),
    ],
  };
};

/** A signal's points at the sampling interval, as the growth test takes them. */
function pointsOf(features: FeatureSource, group: string, signal: Signal): [Float64Array, Float64Array] {
  const p = features.points(group, signal, 'fine');
  return [p.t, p.x];
}

const threadExplosion: Rule = ({ group, features, config, baselines }) => {
  const t = features.stats(group.name, 'threads', '5m');
  if (!t || group.gauges.threads < config.thread_explosion_min_threads) return null;
  const base = Math.max(1, t.min);
  const growth = (group.gauges.threads - base) / base;
  if (growth < config.thread_explosion_growth || t.slope <= 0) return null;
  const v = growthTest(...pointsOf(features, group.name, 'threads'), {
    minRate: 0,
    minSeconds: config.thread_explosion_min_seconds,
    evidenceSeconds: 0,
    z: config.growth_confidence_z,
    ...GROWTH_SHAPE,
  });
  if (!v?.growing) return null;
  const severity = clamp01(0.5 + 0.25 * Math.log2(growth / config.thread_explosion_growth + 1) - 0.25 + 0.25 * v.r2);
  // Usual growth over the same span: the usual change per second × span, relative to the usual count.
  const usualThreads = baselines.group(group.name, 'threads');
  const usualRate = baselines.rate(group.name, 'threads');
  const usualGrowth = usualThreads !== null && usualRate !== null ? (usualRate * t.spanSeconds) / Math.max(1, usualThreads) : null;
  return {
    kind: 'thread_explosion',
    severity: Math.max(severity, 0.5),
    confidence: clamp01(v.r2),
    related: 'threads',
    evidence: [
      ev(
        'thread_growth_5m',
        growth,
        config.thread_explosion_growth,
        'ratio',
        S.thread_growth_5m({
          from: base,
          to: group.gauges.threads,
          growth,
          spanSeconds: t.spanSeconds,
          perMinute: v.rate * 60,
          usual: usualGrowth,
          usualThreads,
        }),
        usualGrowth,
      ),
    ],
  };
};

const networkSaturation: Rule = ({ group, config }) => {
  const r = group.rates;
  if (!r) return null;
  const bytes = r.netReceiveBytesPerSecond + r.netTransmitBytesPerSecond;
  if (bytes < 0.5 * config.network_saturation_bytes_per_second) return null;
  const util = bytes / config.network_saturation_bytes_per_second;
  return {
    kind: 'network_saturation',
    severity: clamp01(util),
    confidence: 0.6,
    related: null,
    evidence: [
      // A share of the configured link speed; network bytes are not an anomaly signal, so no learned normal (see LIMIT_ONLY_EVIDENCE).
      ev(
        'container_network_bytes_per_second',
        bytes,
        config.network_saturation_bytes_per_second,
        'bytes/s',
        S.container_network_bytes_per_second({ bytesPerSecond: bytes, linkShare: util }),
        null,
      ),
    ],
  };
};

const RULES: readonly Rule[] = [
  cpuSaturation,
  cpuStarvation,
  memoryLeak,
  memoryPressure,
  ioBound,
  lockContention,
  fdExhaustion,
  threadExplosion,
  networkSaturation,
];

/** Every rule for one group; candidates with severity > 0. */
export function evaluateRules(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  const full = { ...input, projections: input.projections ?? NO_PROJECTIONS, storageWait: input.storageWait ?? null };
  for (const rule of RULES) {
    const c = rule(full);
    if (c && c.severity > 0) out.push(c);
  }
  return out;
}
