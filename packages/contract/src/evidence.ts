/**
 * The evidence sentences, written once: the exporter's bottleneck rules
 * (with everything they know) and the Grafana app (with what Prometheus
 * holds) call the same builder per feature. A fact a caller does not have is
 * left out of the sentence, never shown as 0.
 */

/** Units of evidence values (the `unit` label of procsight_bottleneck_evidence). */
export type EvidenceUnit = 'bytes' | 'bytes/s' | 'ratio' | 'seconds' | string;

/** 1.5 KiB, 3.0 MiB/s …: binary prefixes, one decimal below 100. */
export function fmtBytes(value: number): string {
  const abs = Math.abs(value);
  const [v, u] = abs >= 1 << 30 ? [value / (1 << 30), 'GiB'] : abs >= 1 << 20 ? [value / (1 << 20), 'MiB'] : abs >= 1024 ? [value / 1024, 'KiB'] : [value, 'B'];
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${u}`;
}

/** 42% */
export function fmtRatio(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}

/** 45 s, 12.5 min, 3.2 h, 5.7 d */
export function fmtDuration(seconds: number): string {
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} d`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${seconds.toFixed(0)} s`;
}

/** A value with its unit, as the evidence shows it. */
export function fmtValue(value: number, unit: EvidenceUnit): string {
  if (unit === 'bytes') return fmtBytes(value);
  if (unit === 'bytes/s') return `${fmtBytes(value)}/s`;
  if (unit === 'ratio') return fmtRatio(value);
  if (unit === 'seconds') return fmtDuration(value);
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
}

/** ", usually <baseline>" once a normal is learned; nothing before. */
function usually(baseline: number | null | undefined, format: (v: number) => string): string {
  return baseline !== null && baseline !== undefined && Number.isFinite(baseline) ? `, usually ${format(baseline)}` : '';
}

const known = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);

/** CPU 0, CPUs 0-3,8: a sorted list of CPU numbers as the kernel writes CPU lists. */
export function fmtCpus(cpus: readonly number[]): string {
  if (cpus.length === 0) return 'no CPU';
  const parts: string[] = [];
  for (let i = 0; i < cpus.length; i++) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j] + 1) j++;
    parts.push(j > i ? `${cpus[i]}-${cpus[j]}` : String(cpus[i]));
    i = j;
  }
  return `${cpus.length === 1 ? 'CPU' : 'CPUs'} ${parts.join(',')}`;
}

/** One builder per evidence feature. Optional facts add their clause when known. */
export const EVIDENCE_SENTENCES = {
  cpu_cores_1m: (f: { cores: number; window: string; usual?: number | null; std?: number; capacity?: number }): string =>
    `uses ${f.cores.toFixed(2)} cores${usually(f.usual, (v) => v.toFixed(2))} (${f.window} mean${known(f.std) ? `, σ ${f.std.toFixed(2)}` : ''})${known(f.capacity) ? ` of ${f.capacity} it can use` : ''}`,

  host_cpu_busy_ratio: (f: { busy: number; iowait: number; usual?: number | null }): string =>
    `host CPU ${fmtRatio(f.busy)} busy${usually(f.usual, fmtRatio)}, iowait ${fmtRatio(f.iowait)}`,

  cpu_wait_share_1m: (f: { share: number; waitSeconds: number; cores: number; usual?: number | null }): string =>
    `threads waited for a CPU ${fmtRatio(f.share)} of the time they wanted one${usually(f.usual, fmtRatio)} (${f.waitSeconds.toFixed(2)} s/s waiting, ${f.cores.toFixed(2)} cores running)`,

  /** The host's run queue, with CPU pressure where the kernel has PSI. */
  host_cpu_pressure_ratio: (f: { runnable: number; cpus: number; pressure?: number | null; usual?: number | null }): string =>
    known(f.pressure)
      ? `${f.runnable} runnable tasks on ${f.cpus} CPUs, CPU pressure ${fmtRatio(f.pressure)}${usually(f.usual, fmtRatio)}`
      : `${f.runnable} runnable tasks on ${f.cpus} CPUs${usually(f.usual, (v) => v.toFixed(1))}`,

  /** `fit`: how the slope was measured ("R² 0.98", "10-min linear fit"). */
  rss_slope_bytes_per_second: (f: {
    bytesPerSecond: number;
    fit: string;
    spanSeconds?: number;
    now: number;
    usual?: number | null;
    usualNow?: number | null;
  }): string =>
    `${f.bytesPerSecond > 0 ? `RSS grows ${fmtBytes(f.bytesPerSecond * 60)}/min` : 'RSS is not growing'} (${f.fit})${known(f.spanSeconds) ? ` over ${fmtDuration(f.spanSeconds)}` : ''}${usually(
      f.usual,
      (v) => `${fmtBytes(v * 60)}/min`,
    )}; now ${fmtBytes(f.now)}${usually(f.usualNow, fmtBytes)}`,

  time_to_host_memory_exhaustion_seconds: (f: { seconds: number; available: number }): string =>
    `at this rate host available memory (${fmtBytes(f.available)}) is gone in ${fmtDuration(f.seconds)}`,

  major_faults_per_second_1m: (f: { perSecond: number; usual?: number | null }): string =>
    `${f.perSecond.toFixed(1)} major page faults/s${usually(f.usual, (v) => v.toFixed(1))} (pages read back from disk)`,

  host_memory_pressure_some_ratio: (f: { pressure: number | null; available?: number | null; groupSwap?: number; usual?: number | null }): string =>
    [
      `host memory pressure ${f.pressure === null ? 'unknown (no PSI)' : `${fmtRatio(f.pressure)}${usually(f.usual, fmtRatio)}`}`,
      ...(known(f.available) ? [`${fmtBytes(f.available)} available`] : []),
      ...(known(f.groupSwap) ? [`swap used by the group ${fmtBytes(f.groupSwap)}`] : []),
    ].join(', '),

  host_memory_available_ratio: (f: { available: number; total: number }): string => `${fmtBytes(f.available)} of ${fmtBytes(f.total)} host memory available`,

  /** The group's fullest memory cgroup: it is short of memory at its limit even when the host is not. */
  cgroup_memory_usage_ratio: (f: { usage: number; limit: number; cgroup?: string | null }): string =>
    `its memory cgroup${f.cgroup ? ` ${f.cgroup}` : ''} holds ${fmtBytes(f.usage)} of its ${fmtBytes(f.limit)} limit (${fmtRatio(f.usage / f.limit)})`,

  io_bytes_per_second_1m: (f: { total: number; read: number | null; write: number | null; usual?: number | null }): string =>
    `disk I/O ${fmtBytes(f.total)}/s${usually(f.usual, (v) => `${fmtBytes(v)}/s`)} (read ${f.read === null ? 'n/a' : `${fmtBytes(f.read)}/s`}, write ${f.write === null ? 'n/a' : `${fmtBytes(f.write)}/s`})`,

  /** `what`: which wait it is (the group's block-I/O delay, or the host's iowait when the group has none). */
  io_wait_ratio: (f: { what: string; ratio: number; usual?: number | null }): string => `${f.what} ${fmtRatio(f.ratio)}${usually(f.usual, fmtRatio)}`,

  context_switches_per_second_1m: (f: { perSecond: number; threads?: number | null; usual?: number | null }): string =>
    `${Math.round(f.perSecond)} context switches/s${usually(f.usual, (v) => String(Math.round(v)))}${known(f.threads) ? ` across ${f.threads} threads` : ''}`,

  switches_per_cpu_second: (f: { perCpuSecond: number; cores: number; usual?: number | null }): string =>
    `${Math.round(f.perCpuSecond)} switches per CPU-second used${usually(f.usual, (v) => String(Math.round(v)))} (${f.cores.toFixed(2)} cores): threads mostly wait and wake`,

  fd_limit_ratio: (f: { ratio: number; limit?: number | null; open?: number; usualRatio?: number | null; usualOpen?: number | null }): string =>
    `worst process holds ${fmtRatio(f.ratio)} of its open-files limit${f.limit !== undefined ? ` (${f.limit ?? 'unknown'})` : ''}${usually(f.usualRatio, fmtRatio)}${
      known(f.open) ? `; the group has ${f.open} fds open${usually(f.usualOpen, (v) => String(Math.round(v)))}` : ''
    }`,

  /** `perProcess`: the time is the fastest-filling process's at its own trend (groups of several processes). */
  fd_time_to_limit_seconds: (f: { perSecond: number; seconds?: number; fit?: string; perProcess?: boolean }): string => {
    if (!known(f.seconds))
      return f.perSecond > 0 ? `open fds grow ${f.perSecond.toFixed(1)}/s (${f.fit ?? 'linear fit'})` : `open fds are not growing (${f.fit ?? 'linear fit'})`;
    return f.perProcess
      ? `the group's fds grow ${f.perSecond.toFixed(1)}/s; at its own trend the fastest-filling process reaches its limit in ${fmtDuration(f.seconds)}`
      : `fds grow ${f.perSecond.toFixed(1)}/s: the limit is reached in ${fmtDuration(f.seconds)}`;
  },

  thread_growth_5m: (f: {
    from: number;
    to: number;
    growth: number;
    spanSeconds: number;
    perMinute?: number;
    usual?: number | null;
    usualThreads?: number | null;
  }): string =>
    `threads grew from ${f.from} to ${f.to} (${fmtRatio(f.growth)}) in ${fmtDuration(f.spanSeconds)}${known(f.perMinute) ? `, ${f.perMinute.toFixed(0)} per minute` : ''}${usually(f.usual, fmtRatio)}${
      known(f.usualThreads) ? ` (usually about ${Math.round(f.usualThreads)} threads)` : ''
    }`,

  /**
   * Who causes a wait (cpu_starvation, io_bound, memory_pressure): the sentence of each named
   * culprit (CULPRIT_SENTENCES), or, when none is named, why.
   */
  culprit_share: (f: { culprits: readonly string[]; reason?: string | null }): string =>
    f.culprits.length > 0 ? f.culprits.join('; ') : `no neighbour explains the wait${f.reason ? `: ${f.reason}` : ''}`,

  container_network_bytes_per_second: (f: { bytesPerSecond: number; linkShare?: number }): string =>
    `its network namespace moves ${fmtBytes(f.bytesPerSecond)}/s${known(f.linkShare) ? ` (${fmtRatio(f.linkShare)} of the configured link speed)` : ''}`,
} as const;

export type EvidenceFeature = keyof typeof EVIDENCE_SENTENCES;

/** One sentence per culprit, by the resource waited for (procsight_contention{resource}): the victim's wait and what the culprit does. */
export const CULPRIT_SENTENCES = {
  /** A culprit of run-queue wait: it runs on the CPUs where the victim waits. */
  cpu: (f: { waitShare: number; cpus: readonly number[]; culprit: string; cores: number; share: number }): string =>
    `waits ${fmtRatio(f.waitShare)} of its runnable time for ${fmtCpus(f.cpus)}, where ${f.culprit} uses ${f.cores.toFixed(2)} cores (${fmtRatio(f.share)} of the wait)`,

  /** A culprit of storage wait: its share of the disk traffic while the victim waits on storage. */
  io: (f: { waitShare: number; disk?: string | null; diskBusy?: number | null; culprit: string; bytesPerSecond: number; share: number }): string =>
    `spends ${fmtRatio(f.waitShare)} of its time waiting on storage${f.disk ? ` (${f.disk} ${known(f.diskBusy) ? `${fmtRatio(f.diskBusy)} busy` : 'busy'})` : ''}, where ${f.culprit} moves ${fmtBytes(f.bytesPerSecond)}/s (${fmtRatio(f.share)} of the disk traffic)`,

  /** A culprit of major faults: it grew while the victim's pages were reclaimed. */
  memory: (f: { faultsPerSecond: number; culprit: string; grewBytes: number; windowSeconds: number; cgroup?: string | null; share: number }): string =>
    `takes ${f.faultsPerSecond.toFixed(1)} major page faults/s while ${f.culprit} grew ${fmtBytes(f.grewBytes)} in ${fmtDuration(f.windowSeconds)}${f.cgroup ? ` in the same memory cgroup (${f.cgroup})` : ''} (${fmtRatio(f.share)} of the growth)`,
} as const;
