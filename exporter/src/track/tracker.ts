import type { ProcIdentity, ProcSample } from '../read/types';
import { EwTrend } from './ew-trend';

/** Counter deltas of one process over one cycle (never negative). */
export interface ProcDelta {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  readBytes: number;
  writeBytes: number;
  voluntaryCtxSwitches: number;
  nonvoluntaryCtxSwitches: number;
  cpuWaitSeconds: number;
  timeslices: number;
  majorFaults: number;
  minorFaults: number;
  blkioDelaySeconds: number;
}

export const DELTA_KEYS: readonly (keyof ProcDelta)[] = [
  'cpuUserSeconds',
  'cpuSystemSeconds',
  'readBytes',
  'writeBytes',
  'voluntaryCtxSwitches',
  'nonvoluntaryCtxSwitches',
  'cpuWaitSeconds',
  'timeslices',
  'majorFaults',
  'minorFaults',
  'blkioDelaySeconds',
];

/** One live process after a cycle: who it is, its latest sample and what it added since the last cycle. */
export interface TrackedProcess {
  identity: ProcIdentity;
  /** Group name from the namer; null = matched by no rule (not exported). */
  group: string | null;
  sample: ProcSample;
  delta: ProcDelta;
  /** True in the cycle the (pid, start time) was first seen. */
  isNew: boolean;
  /**
   * This process's open-fd trend (fds per second, exponentially weighted over
   * the last ~5 minutes); null until 3 readings span a minute, or when fds
   * cannot be read.
   */
  fdSlope: number | null;
}

/** Time constant of the per-process fd trend: as the group's 5-minute window. */
const FD_TREND_TAU_SECONDS = 300;
const FD_TREND_READY = { minPoints: 3, minSpanSeconds: 60 };

interface Entry {
  identity: ProcIdentity;
  group: string | null;
  sample: ProcSample;
  seenCycle: number;
  fdTrend: EwTrend;
}

export interface TrackerOptions {
  /** Maps a new process to its group; called once per (pid, start time). */
  nameOf(identity: ProcIdentity): string | null;
}

/**
 * Follows each process by (pid, start time) so a reused pid is a new process,
 * and turns its cumulative counters into per-cycle deltas.
 *
 * A process seen for the first time contributes its whole cumulative values:
 * at the first cycle that is the history of processes already running (as
 * process-exporter does), later it is the short life of a new process.
 * Counters that go down (per-thread sums lose exited threads) yield 0, never
 * a negative delta, so group totals stay monotonic.
 */
export class Tracker {
  private readonly entries = new Map<number, Entry>();
  private cycle = 0;
  private cycleSeconds = 0;
  private readonly opts: TrackerOptions;

  constructor(opts: TrackerOptions) {
    this.opts = opts;
  }

  /** Starts a cycle read at `nowMs`; call `observe` for every sample, then `endCycle`. */
  beginCycle(nowMs: number): void {
    this.cycle++;
    this.cycleSeconds = nowMs / 1000;
  }

  /**
   * Records one sample. `loadIdentity` is called only for a new (pid, start
   * time) and may return null when the process vanished meanwhile.
   */
  observe(sample: ProcSample, loadIdentity: () => ProcIdentity | null): TrackedProcess | null {
    const prev = this.entries.get(sample.pid);
    if (prev && prev.identity.startTicks === sample.startTicks) {
      const delta = diff(prev.sample, sample);
      prev.sample = sample;
      prev.seenCycle = this.cycle;
      return { identity: prev.identity, group: prev.group, sample, delta, isNew: false, fdSlope: this.trackFds(prev.fdTrend, sample) };
    }
    const identity = loadIdentity();
    if (!identity) return null;
    const group = this.opts.nameOf(identity);
    const fdTrend = new EwTrend(FD_TREND_TAU_SECONDS);
    this.entries.set(sample.pid, { identity, group, sample, seenCycle: this.cycle, fdTrend });
    return { identity, group, sample, delta: initialDelta(sample), isNew: true, fdSlope: this.trackFds(fdTrend, sample) };
  }

  private trackFds(trend: EwTrend, sample: ProcSample): number | null {
    if (sample.openFds === null) return null;
    trend.push(this.cycleSeconds, sample.openFds);
    return trend.slope(FD_TREND_READY);
  }

  /**
   * Keeps a tracked pid through a cycle whose read of it failed for a reason
   * other than its exit (EMFILE, EIO, a parse error): forgetting it would make
   * the next successful read count its whole history again.
   */
  keep(pid: number): void {
    const e = this.entries.get(pid);
    if (e) e.seenCycle = this.cycle;
  }

  /** Forgets processes not seen in this cycle; returns how many exited. */
  endCycle(): number {
    let gone = 0;
    for (const [pid, e] of this.entries) {
      if (e.seenCycle !== this.cycle) {
        this.entries.delete(pid);
        gone++;
      }
    }
    return gone;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Last sample of a tracked pid (lets the reader skip files of idle processes). */
  previousSample(pid: number): ProcSample | undefined {
    return this.entries.get(pid)?.sample;
  }

  /** Tracked processes of one group (API). */
  *inGroup(group: string): Iterable<{ identity: ProcIdentity; sample: ProcSample }> {
    for (const e of this.entries.values()) if (e.group === group) yield { identity: e.identity, sample: e.sample };
  }

  /** Identity of a tracked pid (API, per-pid detail). */
  identityOf(pid: number): ProcIdentity | undefined {
    return this.entries.get(pid)?.identity;
  }
}

function nz(v: number | null): number {
  return v ?? 0;
}

function initialDelta(s: ProcSample): ProcDelta {
  return {
    cpuUserSeconds: s.cpuUserSeconds,
    cpuSystemSeconds: s.cpuSystemSeconds,
    readBytes: nz(s.readBytes),
    writeBytes: nz(s.writeBytes),
    voluntaryCtxSwitches: nz(s.voluntaryCtxSwitches),
    nonvoluntaryCtxSwitches: nz(s.nonvoluntaryCtxSwitches),
    cpuWaitSeconds: nz(s.cpuWaitSeconds),
    timeslices: nz(s.timeslices),
    majorFaults: s.majorFaults,
    minorFaults: s.minorFaults,
    blkioDelaySeconds: s.blkioDelaySeconds,
  };
}

/** cur − prev per counter, clamped at 0; a field unreadable on either side adds 0. */
function diff(prev: ProcSample, cur: ProcSample): ProcDelta {
  const d = (a: number | null, b: number | null): number => (a === null || b === null ? 0 : Math.max(0, b - a));
  return {
    cpuUserSeconds: d(prev.cpuUserSeconds, cur.cpuUserSeconds),
    cpuSystemSeconds: d(prev.cpuSystemSeconds, cur.cpuSystemSeconds),
    readBytes: d(prev.readBytes, cur.readBytes),
    writeBytes: d(prev.writeBytes, cur.writeBytes),
    voluntaryCtxSwitches: d(prev.voluntaryCtxSwitches, cur.voluntaryCtxSwitches),
    nonvoluntaryCtxSwitches: d(prev.nonvoluntaryCtxSwitches, cur.nonvoluntaryCtxSwitches),
    cpuWaitSeconds: d(prev.cpuWaitSeconds, cur.cpuWaitSeconds),
    timeslices: d(prev.timeslices, cur.timeslices),
    majorFaults: d(prev.majorFaults, cur.majorFaults),
    minorFaults: d(prev.minorFaults, cur.minorFaults),
    blkioDelaySeconds: d(prev.blkioDelaySeconds, cur.blkioDelaySeconds),
  };
}
