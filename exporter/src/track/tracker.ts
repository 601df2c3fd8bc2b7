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
  /**
   * Per thread (when the sample has thread detail): its name and what it added
   * since the last cycle, as process-exporter counts it: a thread seen for the
   * first time adds nothing yet.
   */
  threadDelta?: Array<{ name: string; delta: ThreadCounters }>;
}

/** A thread's counters (process-exporter's thread series). */
export interface ThreadCounters {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  readBytes: number;
  writeBytes: number;
  majorFaults: number;
  minorFaults: number;
  voluntaryCtxSwitches: number;
  nonvoluntaryCtxSwitches: number;
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
  /** Until when (ms) the name may still change: pending or rechecked; 0: fixed. */
  renameUntilMs: number;
  /** Held out of every group until its name is known (`pending`). */
  pending: boolean;
}

export interface TrackerOptions {
  /** Maps a new process to its group; called once per (pid, start time), and again while `pending` or rechecked. */
  nameOf(identity: ProcIdentity): string | null;
  /**
   * process-exporter's -children: a process no rule matches joins the group of
   * its parent, when the parent is tracked in one.
   */
  inheritParentGroup?: boolean;
  /**
   * process-exporter's -recheck: a process no rule matched has its identity
   * read and named again every cycle (it may change its name), for at most
   * `maxAgeSeconds` after its start when given (-recheck-with-time-limit).
   */
  recheck?: { maxAgeSeconds?: number };
  /**
   * The name of this identity is not known yet (its pod is not in the
   * Kubernetes cache yet): the process is held out of every group and named
   * again each cycle, for at most `pendingGraceMs`, after which it takes the
   * name it has then.
   */
  pending?(identity: ProcIdentity): boolean;
  pendingGraceMs?: number;
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
  private nowMs = 0;
  private readonly opts: TrackerOptions;

  constructor(opts: TrackerOptions) {
    this.opts = opts;
  }

  /** Starts a cycle read at `nowMs`; call `observe` for every sample, then `endCycle`. */
  beginCycle(nowMs: number): void {
    this.cycle++;
    this.cycleSeconds = nowMs / 1000;
    this.nowMs = nowMs;
  }

  /**
   * Records one sample. `loadIdentity` is called only for a new (pid, start
   * time) and may return null when the process vanished meanwhile.
   */
  observe(sample: ProcSample, loadIdentity: () => ProcIdentity | null): TrackedProcess | null {
    const prev = this.entries.get(sample.pid);
    if (prev && prev.identity.startTicks === sample.startTicks) {
      let delta = diff(prev.sample, sample);
      const threadDelta = threadDiff(prev.sample, sample);
      if (prev.renameUntilMs > 0 && this.rename(prev, loadIdentity)) delta = initialDelta(sample); // its whole history joins the group, as a new process's would
      prev.sample = sample;
      prev.seenCycle = this.cycle;
      return {
        identity: prev.identity,
        group: prev.group,
        sample,
        delta,
        isNew: false,
        fdSlope: this.trackFds(prev.fdTrend, sample),
        ...(threadDelta ? { threadDelta } : {}),
      };
    }
    const identity = loadIdentity();
    if (!identity) return null;
    const fdTrend = new EwTrend(FD_TREND_TAU_SECONDS);
    const entry: Entry = { identity, group: null, sample, seenCycle: this.cycle, fdTrend, renameUntilMs: 0, pending: false };
    this.name(entry, this.nowMs);
    this.entries.set(sample.pid, entry);
    const threadDelta = threadDiff(undefined, sample);
    return {
      identity,
      group: entry.group,
      sample,
      delta: initialDelta(sample),
      isNew: true,
      fdSlope: this.trackFds(fdTrend, sample),
      ...(threadDelta ? { threadDelta } : {}),
    };
  }

  /** Names an entry (first sight: `firstMs` is now), deciding whether its name may still change. */
  private name(e: Entry, firstMs: number): void {
    const o = this.opts;
    e.pending = o.pending?.(e.identity) ?? false;
    if (e.pending) {
      e.group = null;
      e.renameUntilMs = e.renameUntilMs || firstMs + (o.pendingGraceMs ?? 60_000);
      return;
    }
    e.group = o.nameOf(e.identity);
    if (e.group === null && o.inheritParentGroup) e.group = this.parentGroup(e.identity);
    if (e.group !== null) e.renameUntilMs = 0;
    else if (o.recheck) {
      const start = e.identity.startTimeSeconds;
      const limit = o.recheck.maxAgeSeconds;
      e.renameUntilMs = limit === undefined ? Infinity : start === undefined ? firstMs + limit * 1000 : (start + limit) * 1000;
    } else e.renameUntilMs = 0;
  }

  /** Names a process again (pending or rechecked); true when it has just joined a group. */
  private rename(e: Entry, loadIdentity: () => ProcIdentity | null): boolean {
    if (this.nowMs > e.renameUntilMs) {
      // Out of time: a pending process takes the name it has now, once; a rechecked one stays unmatched.
      const wasPending = e.pending;
      e.renameUntilMs = 0;
      if (!wasPending) return false;
      e.pending = false;
      e.group = this.opts.nameOf(e.identity) ?? (this.opts.inheritParentGroup ? this.parentGroup(e.identity) : null);
      return e.group !== null;
    }
    if (!e.pending) {
      // -recheck: the process may have changed its name or command line since.
      const fresh = loadIdentity();
      if (fresh && fresh.startTicks === e.identity.startTicks) e.identity = fresh;
    }
    this.name(e, this.nowMs);
    if (e.pending) return false;
    if (e.group !== null) e.renameUntilMs = 0;
    return e.group !== null;
  }

  /** The group of the tracked parent of this process, if any (process-exporter's -children). */
  private parentGroup(id: ProcIdentity): string | null {
    const parent = this.entries.get(id.ppid);
    return parent && !parent.pending ? parent.group : null;
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
    // forEach: no [pid, entry] array per tracked process per cycle.
    this.entries.forEach((e, pid) => {
      if (e.seenCycle !== this.cycle) {
        this.entries.delete(pid);
        gone++;
      }
    });
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

/**
 * Per-thread deltas by tid, as process-exporter counts them: a thread seen for
 * the first time adds 0 (its counts so far are its process's history), a known
 * one what its counters grew (clamped at 0). Undefined without thread detail.
 */
function threadDiff(prev: ProcSample | undefined, cur: ProcSample): Array<{ name: string; delta: ThreadCounters }> | undefined {
  if (!cur.threadDetail) return undefined;
  const before = new Map((prev?.threadDetail ?? []).map((t) => [t.tid, t]));
  const d = (a: number | null | undefined, b: number | null): number => (a === null || a === undefined || b === null ? 0 : Math.max(0, b - a));
  return cur.threadDetail.map((t) => {
    const p = before.get(t.tid);
    return {
      name: t.name,
      delta: {
        cpuUserSeconds: d(p?.cpuUserSeconds, t.cpuUserSeconds),
        cpuSystemSeconds: d(p?.cpuSystemSeconds, t.cpuSystemSeconds),
        readBytes: d(p?.readBytes, t.readBytes),
        writeBytes: d(p?.writeBytes, t.writeBytes),
        majorFaults: d(p?.majorFaults, t.majorFaults),
        minorFaults: d(p?.minorFaults, t.minorFaults),
        voluntaryCtxSwitches: d(p?.voluntaryCtxSwitches, t.voluntaryCtxSwitches),
        nonvoluntaryCtxSwitches: d(p?.nonvoluntaryCtxSwitches, t.nonvoluntaryCtxSwitches),
      },
    };
  });
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
  if (prev === cur) return NO_DELTA; // the reader gave the last sample again: the process did not run
  return {
    cpuUserSeconds: grew(prev.cpuUserSeconds, cur.cpuUserSeconds),
    cpuSystemSeconds: grew(prev.cpuSystemSeconds, cur.cpuSystemSeconds),
    readBytes: grew(prev.readBytes, cur.readBytes),
    writeBytes: grew(prev.writeBytes, cur.writeBytes),
    voluntaryCtxSwitches: grew(prev.voluntaryCtxSwitches, cur.voluntaryCtxSwitches),
    nonvoluntaryCtxSwitches: grew(prev.nonvoluntaryCtxSwitches, cur.nonvoluntaryCtxSwitches),
    cpuWaitSeconds: grew(prev.cpuWaitSeconds, cur.cpuWaitSeconds),
    timeslices: grew(prev.timeslices, cur.timeslices),
    majorFaults: grew(prev.majorFaults, cur.majorFaults),
    minorFaults: grew(prev.minorFaults, cur.minorFaults),
    blkioDelaySeconds: grew(prev.blkioDelaySeconds, cur.blkioDelaySeconds),
  };
}

/** What a counter grew by, 0 when either reading is unknown or it went down. */
function grew(a: number | null, b: number | null): number {
  return a === null || b === null ? 0 : Math.max(0, b - a);
}

/** Every counter's delta 0: what a process that did not run adds (shared, frozen). */
const NO_DELTA: ProcDelta = Object.freeze(Object.fromEntries(DELTA_KEYS.map((k) => [k, 0])) as Record<keyof ProcDelta, number>);
