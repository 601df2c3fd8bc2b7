import type { BottleneckKind, Evidence, GroupSnapshot, HostSnapshot, Signal } from '../../types';
import type { FeatureSource } from '../features/types';
import type { BottleneckConfig } from './config';
import { KERNEL_GROUP } from '../../group/namer';

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

export interface RuleInput {
  group: GroupSnapshot;
  host: HostSnapshot;
  features: FeatureSource;
  config: BottleneckConfig;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Human-readable value with its unit. */
export function fmt(value: number, unit: string): string {
  if (unit === 'bytes' || unit === 'bytes/s') {
    const abs = Math.abs(value);
    const [v, u] = abs >= 1 << 30 ? [value / (1 << 30), 'GiB'] : abs >= 1 << 20 ? [value / (1 << 20), 'MiB'] : abs >= 1024 ? [value / 1024, 'KiB'] : [value, 'B'];
    return `${v.toFixed(v >= 100 ? 0 : 1)} ${u}${unit === 'bytes/s' ? '/s' : ''}`;
  }
  if (unit === 'ratio') return `${(value * 100).toFixed(0)}%`;
  if (unit === 'seconds') return value >= 3600 ? `${(value / 3600).toFixed(1)} h` : value >= 60 ? `${(value / 60).toFixed(1)} min` : `${value.toFixed(0)} s`;
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
}

function ev(feature: string, value: number, threshold: number, unit: string, text: string, baseline: number | null = null): Evidence {
  return { feature, value, baseline, threshold, unit, text };
}

type Rule = (i: RuleInput) => Candidate | null;

const cpuSaturation: Rule = ({ group, host, features, config }) => {
  const c = features.stats(group.name, 'cpu', '1m');
  if (!c || c.n < 3 || c.mean < config.cpu_saturation_cores) return null;
  const iowait = host.rates?.iowaitRatio ?? 0;
  if (iowait > config.cpu_saturation_iowait_max) return null;
  const capacity = Math.max(1, Math.min(host.cpus || 1, group.gauges.threads));
  const util = c.mean / capacity;
  // A core held busy steadily for the window is a single-threaded hot path, even on a big host.
  const pegged = c.std <= 0.15 ? 0.6 + 0.4 * util : 0;
  const severity = clamp01(Math.max(util, pegged));
  const busy = host.rates?.cpuBusyRatio ?? 0;
  return {
    kind: 'cpu_saturation',
    severity,
    confidence: clamp01(0.5 + 0.3 * Math.max(0, 1 - c.std / Math.max(c.mean, 1e-9)) + 0.2 * busy),
    related: 'cpu',
    evidence: [
      ev('cpu_cores_1m', c.mean, config.cpu_saturation_cores, 'cores', `uses ${c.mean.toFixed(2)} cores (1-min mean, σ ${c.std.toFixed(2)}) of ${capacity} it can use`),
      ev('host_cpu_busy_ratio', busy, 0, 'ratio', `host CPU ${fmt(busy, 'ratio')} busy, iowait ${fmt(iowait, 'ratio')}`),
    ],
  };
};

const cpuStarvation: Rule = ({ group, host, features, config }) => {
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
  return {
    kind: 'cpu_starvation',
    severity,
    confidence: clamp01(0.5 + (psi !== null ? Math.min(0.4, psi) : 0) + (host.procsRunning > host.cpus ? 0.1 : 0)),
    related: 'cpu_wait',
    evidence: [
      ev('cpu_wait_share_1m', share, config.cpu_starvation_wait_ratio, 'ratio', `threads waited for a CPU ${fmt(share, 'ratio')} of the time they wanted one (${w.mean.toFixed(2)} s/s waiting, ${c.mean.toFixed(2)} cores running)`),
      ev('host_cpu_pressure_ratio', psi ?? host.procsRunning, config.cpu_starvation_host_pressure, psi !== null ? 'ratio' : 'tasks', `${host.procsRunning} runnable tasks on ${host.cpus} CPUs${psi !== null ? `, CPU pressure ${fmt(psi, 'ratio')}` : ''}`),
    ],
  };
};

const memoryLeak: Rule = ({ group, host, features, config }) => {
  const s = features.stats(group.name, 'memory', config.memory_leak_window);
  if (!s || s.spanSeconds < config.memory_leak_min_span_seconds) return null;
  if (s.slope < config.memory_leak_min_bytes_per_second || s.r2 < config.memory_leak_min_r2) return null;
  // Not plateauing: the recent (1-minute) trend must still be climbing at a good part of the long one.
  const recent = features.stats(group.name, 'memory', '5m');
  if (recent && recent.n >= 5 && recent.slope < 0.3 * s.slope) return null;
  const avail = host.memoryAvailableBytes || Infinity;
  const tte = avail / s.slope;
  const severity = clamp01(0.5 + 0.5 * Math.max(0, (86_400 - tte) / 86_400));
  return {
    kind: 'memory_leak',
    severity,
    confidence: clamp01(s.r2),
    related: 'memory',
    evidence: [
      ev('rss_slope_bytes_per_second', s.slope, config.memory_leak_min_bytes_per_second, 'bytes/s', `RSS grows ${fmt(s.slope * 60, 'bytes')}/min (R² ${s.r2.toFixed(2)}) over ${fmt(s.spanSeconds, 'seconds')}, now ${fmt(s.last, 'bytes')}`, s.min),
      ev('time_to_host_memory_exhaustion_seconds', tte, 86_400, 'seconds', `at this rate host available memory (${fmt(avail, 'bytes')}) is gone in ${fmt(tte, 'seconds')}`),
    ],
  };
};

const memoryPressure: Rule = ({ group, host, features, config }) => {
  const psi = host.rates?.pressureMemorySomeRatio ?? null;
  const f = features.stats(group.name, 'page_faults', '1m');
  if (!f || f.mean < config.memory_pressure_major_faults) return null;
  const lowMemory = host.memoryTotalBytes > 0 && host.memoryAvailableBytes / host.memoryTotalBytes < 0.1;
  if ((psi === null || psi < config.memory_pressure_psi) && !lowMemory) return null;
  const severity = clamp01(0.5 + (psi ?? 0) + (lowMemory ? 0.2 : 0));
  return {
    kind: 'memory_pressure',
    severity,
    confidence: clamp01(0.6 + (group.gauges.swapBytes > 0 ? 0.2 : 0)),
    related: 'page_faults',
    evidence: [
      ev('major_faults_per_second_1m', f.mean, config.memory_pressure_major_faults, 'faults/s', `${f.mean.toFixed(1)} major page faults/s (pages read back from disk)`),
      ev('host_memory_pressure_some_ratio', psi ?? 0, config.memory_pressure_psi, 'ratio', `host memory pressure ${psi === null ? 'unknown (no PSI)' : fmt(psi, 'ratio')}, ${fmt(host.memoryAvailableBytes, 'bytes')} available, swap used by the group ${fmt(group.gauges.swapBytes, 'bytes')}`),
    ],
  };
};

const ioBound: Rule = ({ group, host, features, config }) => {
  const r = features.stats(group.name, 'io_read', '1m');
  const w = features.stats(group.name, 'io_write', '1m');
  if (!r || !w || r.n < 3) return null;
  const io = r.mean + w.mean;
  if (io < config.io_bound_bytes_per_second) return null;
  const dShare = group.processes > 0 ? group.states.disk_sleep / group.processes : 0;
  const waits: Array<[string, number]> = [
    ['host iowait', host.rates?.iowaitRatio ?? 0],
    ['host I/O pressure', host.rates?.pressureIoSomeRatio ?? 0],
    ['block-I/O delay of the group', group.rates?.blkioDelayRatio ?? 0],
    ['share of its processes in D state', dShare],
  ];
  const [waitWhat, wait] = waits.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (wait < config.io_bound_wait_ratio) return null;
  const severity = clamp01(0.5 + (0.5 * (wait - config.io_bound_wait_ratio)) / (1 - config.io_bound_wait_ratio) + (io >= 10 * config.io_bound_bytes_per_second ? 0.1 : 0));
  return {
    kind: 'io_bound',
    severity,
    confidence: clamp01(0.5 + 0.1 * waits.filter(([, v]) => v >= config.io_bound_wait_ratio).length + 0.1 * Math.min(1, io / (10 * config.io_bound_bytes_per_second))),
    related: w.mean >= r.mean ? 'io_write' : 'io_read',
    evidence: [
      ev('io_bytes_per_second_1m', io, config.io_bound_bytes_per_second, 'bytes/s', `disk I/O ${fmt(io, 'bytes/s')} (read ${fmt(r.mean, 'bytes/s')}, write ${fmt(w.mean, 'bytes/s')})`),
      ev('io_wait_ratio', wait, config.io_bound_wait_ratio, 'ratio', `${waitWhat} ${fmt(wait, 'ratio')}`),
    ],
  };
};

const lockContention: Rule = ({ group, features, config }) => {
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
  const severity = clamp01(0.5 + 0.25 * Math.log10(s.mean / config.lock_contention_switches_per_second) + 0.1 * Math.log10(perCpu / config.lock_contention_switches_per_cpu_second));
  return {
    kind: 'lock_contention',
    severity,
    confidence: clamp01(0.5 + 0.1 * Math.log2(group.gauges.threads / config.lock_contention_min_threads + 1)),
    related: 'context_switches',
    evidence: [
      ev('context_switches_per_second_1m', s.mean, config.lock_contention_switches_per_second, 'switches/s', `${Math.round(s.mean)} context switches/s across ${group.gauges.threads} threads`),
      ev('switches_per_cpu_second', perCpu, config.lock_contention_switches_per_cpu_second, 'switches/cpu-s', `${Math.round(perCpu)} switches per CPU-second used (${c.mean.toFixed(2)} cores): threads mostly wait and wake`),
    ],
  };
};

const fdExhaustion: Rule = ({ group, features, config }) => {
  const ratio = group.gauges.fdLimitRatio;
  const limit = group.gauges.fdLimitMin;
  const f = features.stats(group.name, 'fds', '5m');
  let tte = Infinity;
  // fds that only follow a growing thread count (each thread's eventfds) are thread_explosion's symptom.
  const t = features.stats(group.name, 'threads', '5m');
  const followsThreads = t !== null && t.slope > 0 && t.r2 >= 0.6 && f !== null && f.slope <= 10 * t.slope;
  if (f && limit && f.n >= 5 && f.slope > 0 && f.r2 >= 0.8 && !followsThreads) tte = ((1 - ratio) * limit) / f.slope;
  const byRatio = ratio >= config.fd_exhaustion_ratio ? ratio : 0;
  const byTrend = tte <= config.fd_exhaustion_horizon_seconds ? 0.5 + 0.5 * (1 - tte / config.fd_exhaustion_horizon_seconds) : 0;
  const severity = clamp01(Math.max(byRatio, byTrend));
  if (severity === 0) return null;
  return {
    kind: 'fd_exhaustion',
    severity,
    confidence: clamp01(byRatio > 0 ? 0.9 : (f?.r2 ?? 0.5)),
    related: 'fds',
    evidence: [
      ev('fd_limit_ratio', ratio, config.fd_exhaustion_ratio, 'ratio', `worst process holds ${fmt(ratio, 'ratio')} of its open-files limit (${limit ?? 'unknown'})`),
      ...(Number.isFinite(tte)
        ? [ev('fd_time_to_limit_seconds', tte, config.fd_exhaustion_horizon_seconds, 'seconds', `fds grow ${(f?.slope ?? 0).toFixed(1)}/s: the limit is reached in ${fmt(tte, 'seconds')}`)]
        : []),
    ],
  };
};

const threadExplosion: Rule = ({ group, features, config }) => {
  const t = features.stats(group.name, 'threads', '5m');
  if (!t || t.n < 5 || group.gauges.threads < config.thread_explosion_min_threads) return null;
  const base = Math.max(1, t.min);
  const growth = (group.gauges.threads - base) / base;
  if (growth < config.thread_explosion_growth || t.slope <= 0 || t.r2 < 0.6) return null;
  const severity = clamp01(0.5 + 0.25 * Math.log2(growth / config.thread_explosion_growth + 1) - 0.25 + 0.25 * t.r2);
  return {
    kind: 'thread_explosion',
    severity: Math.max(severity, 0.5),
    confidence: clamp01(t.r2),
    related: 'threads',
    evidence: [
      ev('thread_growth_5m', growth, config.thread_explosion_growth, 'ratio', `threads grew from ${base} to ${group.gauges.threads} (${fmt(growth, 'ratio')}) in ${fmt(t.spanSeconds, 'seconds')}, ${(t.slope * 60).toFixed(0)} per minute`, base),
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
      ev('container_network_bytes_per_second', bytes, config.network_saturation_bytes_per_second, 'bytes/s', `its network namespace moves ${fmt(bytes, 'bytes/s')} (${fmt(util, 'ratio')} of the configured link speed)`),
    ],
  };
};

export const RULES: readonly Rule[] = [cpuSaturation, cpuStarvation, memoryLeak, memoryPressure, ioBound, lockContention, fdExhaustion, threadExplosion, networkSaturation];

/** Every rule for one group; candidates with severity > 0. */
export function evaluateRules(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of RULES) {
    const c = rule(input);
    if (c && c.severity > 0) out.push(c);
  }
  return out;
}
