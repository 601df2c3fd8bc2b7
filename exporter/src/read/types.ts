/**
 * What the read layer produces: one process's identity and raw sample, and
 * the host's context. Units are base units (seconds, bytes, counts); counters
 * are cumulative as the kernel reports them. Fields that could not be read
 * are null: partial data, never a guess.
 */
import type { ProcState } from '@procsight/contract';
import type { ControllerCgroups } from './parse/cgroup';
import type { DiskCounters } from './parse/diskstats';

export type { ControllerCgroups };

/**
 * Identity of a process, read once when a new (pid, startTime) is seen.
 * `cmdline` is kept in memory for matching only: it is never exported as a
 * label (it may hold secrets) and is redacted wherever the API shows it.
 */
export interface ProcIdentity {
  pid: number;
  /** Start time in clock ticks since boot (field 22 of stat): with pid, the process key. */
  startTicks: number;
  ppid: number;
  comm: string;
  /** Full path of the executable (readlink exe); '' when unreadable (kernel threads, other users). */
  exe: string;
  /** argv joined by single spaces; '' for kernel threads or when unreadable. */
  cmdline: string;
  /** argv as read (NUL-separated in procfs). */
  argv: string[];
  /** cgroup v2 path (the `0::` line), '' when none. */
  cgroup: string;
  /** Container id (64-hex docker/containerd/cri-o id found in the cgroup path), '' when none. */
  containerId: string;
  /** systemd unit (e.g. `nginx.service`) found in the cgroup path, '' when none. */
  systemdUnit: string;
  /**
   * Its cgroup per resource controller (v1 or v2): what it shares a CPU quota, a cpuset, a
   * memory limit or an I/O weight with. Read once with the identity: a process moved to
   * another cgroup later keeps the first (cgroups rarely change in a process's life).
   */
  controllerCgroups: ControllerCgroups;
  /** Kubernetes pod UID found in the cgroup path (absent or '' when none; read/parse/cgroup.ts). */
  podUid?: string;
  uid: number;
  username: string;
  /** Network namespace inode (readlink ns/net), 0 when unreadable. */
  netNs: number;
  /** Soft open-files limit from /proc/<pid>/limits; null when unreadable or unlimited. */
  fdLimit: number | null;
  kernelThread: boolean;
  /** Unix seconds the process started (boot time + start ticks); absent where the reader cannot tell. */
  startTimeSeconds?: number;
}

/**
 * One sample of one process: raw cumulative values as the kernel reports them.
 * Fields that could not be read (permissions, missing kernel feature) are null:
 * partial data, never a guess.
 */
export interface ProcSample {
  pid: number;
  startTicks: number;
  state: ProcState;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  minorFaults: number;
  majorFaults: number;
  threads: number;
  /** delayacct_blkio_ticks in seconds (time waiting for block I/O). */
  blkioDelaySeconds: number;
  rssBytes: number | null;
  vmsBytes: number | null;
  swapBytes: number | null;
  readBytes: number | null;
  writeBytes: number | null;
  /** Summed over all threads (task/*), see docs/architecture.md. */
  voluntaryCtxSwitches: number | null;
  nonvoluntaryCtxSwitches: number | null;
  /** schedstat run-queue wait, summed over all threads. */
  cpuWaitSeconds: number | null;
  /** schedstat timeslices (times scheduled), summed over all threads: tells whether anything ran. */
  timeslices: number | null;
  openFds: number | null;
  /**
   * CPU the main thread last ran on (stat field 39), as of the last full read; null when unknown.
   * A sample of where the process runs, not a record: a busy process's readings over a minute
   * show where its CPU time went.
   */
  processor: number | null;
  /**
   * CPUs the main thread may run on (`Cpus_allowed_list`: its affinity within its cpuset,
   * as of the last full read), shared between processes with the same list; null when unknown.
   */
  cpusAllowed: readonly number[] | null;
  /**
   * Only when the reader is asked for process-exporter's detail (./detail.ts):
   * proportional set size and proportional swap (smaps_rollup), and, for a
   * process with more than one thread, each thread (up to the thread cap).
   */
  pssBytes?: number | null;
  swapPssBytes?: number | null;
  threadDetail?: ThreadSample[] | null;
}

/** One thread of a multi-threaded process (task/<tid>/stat, and io and status when its counters are asked for). */
export interface ThreadSample {
  tid: number;
  /** The thread's comm (thread name). */
  name: string;
  state: ProcState;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  minorFaults: number;
  majorFaults: number;
  /** null: unreadable, or only the states were asked for. */
  readBytes: number | null;
  writeBytes: number | null;
  voluntaryCtxSwitches: number | null;
  nonvoluntaryCtxSwitches: number | null;
}

/** A field a process's sample lacks because reading it was refused (for a one-time warning). */
export interface MissingField {
  pid: number;
  /** The file's name in the process directory, e.g. `io` or `fd`. */
  field: string;
  /** Its full path, e.g. `/proc/1/io`. */
  file: string;
  reason: 'permission' | 'protected';
}

/** Pressure stall information: cumulative stall seconds. */
export interface Pressure {
  someSeconds: number;
  /** null for cpu on kernels that do not report `full` for cpu. */
  fullSeconds: number | null;
}

/** A memory cgroup's charge and limit (v1 usage_in_bytes / limit_in_bytes, v2 memory.current / memory.max). */
export interface CgroupMemory {
  usageBytes: number;
  limitBytes: number;
}

export interface HostSnapshot {
  /** null where the kernel has no PSI (CONFIG_PSI off): a "no data" case, not an error. */
  pressure: { cpu: Pressure | null; memory: Pressure | null; io: Pressure | null };
  cpuSecondsTotal: {
    user: number;
    nice: number;
    system: number;
    idle: number;
    iowait: number;
    irq: number;
    softirq: number;
    steal: number;
  };
  procsRunning: number;
  procsBlocked: number;
  load1: number;
  load5: number;
  load15: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  cpus: number;
  /** Cumulative busy seconds of each CPU (every mode but idle and iowait), indexed by CPU number. */
  busyByCpu: number[];
  /** Cumulative counters of the host's whole disks (/proc/diskstats without partitions, stacked and virtual devices); empty when unreadable. */
  disks: DiskCounters[];
  /** Per cgroup v2 path: that cgroup's PSI (only cgroups that a group's processes live in). */
  cgroupPressure: Record<string, { cpu: Pressure | null; memory: Pressure | null; io: Pressure | null }>;
  /**
   * Per memory cgroup path (a process's memory line of /proc/<pid>/cgroup, v1 or v2): its usage and limit,
   * for cgroups that a group's processes live in and that have a limit; absent where the reader has none.
   */
  cgroupMemory?: Record<string, CgroupMemory>;
  /** Derived rates over the last interval (null on first sample). */
  rates: {
    cpuBusyRatio: number;
    iowaitRatio: number;
    pressureCpuSomeRatio: number | null;
    pressureMemorySomeRatio: number | null;
    pressureMemoryFullRatio: number | null;
    pressureIoSomeRatio: number | null;
    pressureIoFullRatio: number | null;
  } | null;
  /** Per CPU and per disk over the last interval (null on first sample). */
  deviceRates: {
    /** Busy share of each CPU (0–1), indexed by CPU number. */
    busyByCpu: number[];
    /** Each whole disk's traffic and busy share. */
    disks: DiskRate[];
  } | null;
}

/** One whole disk's traffic over an interval. */
interface DiskRate {
  name: string;
  readBytesPerSecond: number;
  writeBytesPerSecond: number;
  /** Share of the interval the device had I/O in flight (0–1). */
  busyRatio: number;
}

export interface HostInfo {
  cpuModel: string;
  cores: number;
  memoryTotalBytes: number;
  os: string;
  kernel: string;
  hostname: string;
}
