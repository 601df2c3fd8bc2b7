import { join } from 'node:path';
import { ReadError } from '../errors';
import type { HostSnapshot, Pressure } from './types';
import { readSmallFile, type ProcFs } from './procfs';
import { parseLoadavg, parseMeminfo, parseProcStat } from './parse/host';
import { parseDiskstats } from './parse/diskstats';
import { parsePressure } from './parse/pressure';
import { CLOCK_TICKS, classify } from './process';
import { memoryLayout, readCgroupMemory, type MemoryLayout } from './cgroup-memory';
import { errnoCode } from '../util/error-message';

type PressureSet = HostSnapshot['pressure'];

/** One PSI file; null when the kernel has no PSI (a "no data" case, not an error). */
function readPressureFile(path: string): Pressure | null {
  let text: string;
  try {
    text = readSmallFile(path);
  } catch (e) {
    const code = errnoCode(e);
    // ENOENT: no PSI in this kernel; EOPNOTSUPP: PSI compiled in but disabled (psi=0).
    if (code === 'ENOENT' || code === 'EOPNOTSUPP' || code === 'ENOTSUP') return null;
    throw new ReadError(classify(e), path, { cause: e });
  }
  return parsePressure(text);
}

function pressureSet(dirPath: (resource: string) => string): PressureSet {
  return { cpu: readPressureFile(dirPath('cpu')), memory: readPressureFile(dirPath('memory')), io: readPressureFile(dirPath('io')) };
}

/**
 * Host context: PSI, /proc/stat, /proc/meminfo, load, and PSI of the given
 * cgroup v2 paths under `cgroupRoot`, usage and limit of the given memory
 * cgroups. Rates are computed from `prev`.
 */
export function readHost(
  fs: ProcFs,
  input: {
    prev: HostSnapshot | null;
    seconds: number | null;
    cgroups: readonly string[];
    cgroupRoot: string;
    memoryCgroups?: readonly string[];
    /** Where the memory cgroups are (default: found under cgroupRoot now; the Linux reader finds it once). */
    memoryLayout?: MemoryLayout;
  },
): HostSnapshot {
  const stat = parseProcStat(fs.read('stat'), { clockTicks: CLOCK_TICKS });
  const mem = parseMeminfo(fs.read('meminfo'));
  const load = parseLoadavg(fs.read('loadavg'));
  const pressure = pressureSet((r) => fs.path('pressure', r));
  const disks = readDisks(fs);
  const cgroupPressure: HostSnapshot['cgroupPressure'] = {};
  for (const cg of input.cgroups) {
    // A cgroup that is gone (ENOENT) reads as "no data" and is skipped.
    const p = pressureSet((r) => join(input.cgroupRoot, cg, `${r}.pressure`));
    if (p.cpu || p.memory || p.io) cgroupPressure[cg] = p;
  }
  const cgroupMemory: NonNullable<HostSnapshot['cgroupMemory']> = {};
  if (input.memoryCgroups?.length) {
    const layout = input.memoryLayout ?? memoryLayout(input.cgroupRoot);
    for (const cg of input.memoryCgroups) {
      const m = readCgroupMemory(layout, cg);
      if (m) cgroupMemory[cg] = m;
    }
  }
  const host: HostSnapshot = {
    pressure,
    cpuSecondsTotal: stat.cpuSecondsTotal,
    procsRunning: stat.procsRunning,
    procsBlocked: stat.procsBlocked,
    load1: load.load1,
    load5: load.load5,
    load15: load.load15,
    memoryTotalBytes: mem.totalBytes,
    memoryAvailableBytes: mem.availableBytes,
    swapTotalBytes: mem.swapTotalBytes,
    swapFreeBytes: mem.swapFreeBytes,
    cpus: stat.cpus,
    busyByCpu: stat.busyByCpu,
    disks,
    cgroupPressure,
    cgroupMemory,
    rates: null,
    deviceRates: null,
  };
  host.rates = input.prev && input.seconds ? hostRates(input.prev, host, input.seconds) : null;
  host.deviceRates = input.prev && input.seconds ? deviceRates(input.prev, host, input.seconds) : null;
  return host;
}

/** Ratios over the interval between two host snapshots. */
export function hostRates(prev: HostSnapshot, cur: HostSnapshot, seconds: number): NonNullable<HostSnapshot['rates']> {
  const sum = (c: HostSnapshot['cpuSecondsTotal']): number => Object.values(c).reduce((a, b) => a + b, 0);
  const total = Math.max(1e-9, sum(cur.cpuSecondsTotal) - sum(prev.cpuSecondsTotal));
  const idle = cur.cpuSecondsTotal.idle - prev.cpuSecondsTotal.idle;
  const iowait = cur.cpuSecondsTotal.iowait - prev.cpuSecondsTotal.iowait;
  const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a === null || a === undefined || b === null || b === undefined ? null : Math.max(0, (b - a) / seconds);
  return {
    cpuBusyRatio: clamp01(1 - (idle + iowait) / total),
    iowaitRatio: clamp01(iowait / total),
    pressureCpuSomeRatio: ratio(prev.pressure.cpu?.someSeconds, cur.pressure.cpu?.someSeconds),
    pressureMemorySomeRatio: ratio(prev.pressure.memory?.someSeconds, cur.pressure.memory?.someSeconds),
    pressureMemoryFullRatio: ratio(prev.pressure.memory?.fullSeconds, cur.pressure.memory?.fullSeconds),
    pressureIoSomeRatio: ratio(prev.pressure.io?.someSeconds, cur.pressure.io?.someSeconds),
    pressureIoFullRatio: ratio(prev.pressure.io?.fullSeconds, cur.pressure.io?.fullSeconds),
  };
}

/** Per-CPU busy shares and per-disk traffic over the interval between two host snapshots. */
export function deviceRates(prev: HostSnapshot, cur: HostSnapshot, seconds: number): NonNullable<HostSnapshot['deviceRates']> {
  return {
    busyByCpu: cur.busyByCpu.map((b, i) => clamp01((b - (prev.busyByCpu[i] ?? b)) / seconds)),
    disks: cur.disks.flatMap((d) => {
      const p = prev.disks.find((x) => x.name === d.name);
      if (!p) return [];
      return [
        {
          name: d.name,
          readBytesPerSecond: Math.max(0, d.readBytes - p.readBytes) / seconds,
          writeBytesPerSecond: Math.max(0, d.writeBytes - p.writeBytes) / seconds,
          busyRatio: clamp01((d.busySeconds - p.busySeconds) / seconds),
        },
      ];
    }),
  };
}

/** The host's whole disks; none where /proc/diskstats is absent (a "no data" case: containers without it, fixtures). */
function readDisks(fs: ProcFs): HostSnapshot['disks'] {
  let text: string;
  try {
    text = fs.read('diskstats');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw new ReadError(classify(e), fs.path('diskstats'), { cause: e });
  }
  return parseDiskstats(text);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
