import { compareText } from '@procsight/contract';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ReadError } from '../errors';
import type { ProcReader } from '../read/reader';
import type { Logger } from '../log/logger';
import type { CollectorTiming, CollectionSnapshot } from './types';
import { Grouper, type GrouperOptions } from '../group/grouper';
import { Tracker, type TrackedProcess, type TrackerOptions } from '../track/tracker';
import type { CollectErrorReason } from '@procsight/contract';
import type { HostSnapshot, MissingField, ProcIdentity, ProcSample } from '../read/types';
import { errorMessage } from '../util/error-message';

export interface CollectorOptions {
  reader: ProcReader;
  nameOf(identity: ProcIdentity): string | null;
  /** How the tracker names processes beyond `nameOf` (children, recheck, pending names). */
  naming?: Omit<TrackerOptions, 'nameOf'>;
  grouper: GrouperOptions;
  /** Processes read between two looks at the clock. */
  batchSize: number;
  /** Longest stretch of reading before yielding to the event loop (ms), so scrapes are served during a cycle. */
  sliceMs?: number;
  /**
   * Every this many cycles each process gets a full read even when it has not
   * run (staggered by pid), so what changes without it running (RSS and swap
   * under reclaim) is never staler than this many intervals. Default 10.
   */
  refreshCycles?: number;
  /** Most distinct cgroups whose PSI is read per cycle (and most memory cgroups whose limit is read). */
  maxCgroupPressure: number;
  logger: Logger;
  now?: () => number;
}

export interface CycleResult {
  snapshot: CollectionSnapshot;
  collectors: CollectorTiming[];
}

/**
 * One collection cycle: list pids → read each (in batches, yielding) → track
 * deltas → group → host context. Never throws for per-process problems: they
 * are counted by reason. Exposition reads only the finished snapshot.
 */
export class Collector {
  private readonly tracker: Tracker;
  private readonly grouper: Grouper;
  private readonly opts: CollectorOptions;
  private readonly now: () => number;
  private prevStart: bigint | null = null;
  private prevHost: HostSnapshot | null = null;
  private readonly netPrev = new Map<number, { rx: number; tx: number }>();
  private readonly warnedMissing = new Set<string>();
  private hostNs: number | null = null;
  private last: CollectionSnapshot | null = null;
  private cycles = 0;

  constructor(opts: CollectorOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.tracker = new Tracker({ ...opts.naming, nameOf: opts.nameOf });
    this.grouper = new Grouper(opts.grouper, this.now());
  }

  async cycle(): Promise<CycleResult> {
    const start = process.hrtime.bigint();
    const seconds = this.prevStart === null ? null : Number(start - this.prevStart) / 1e9;
    this.prevStart = start;
    const errors: Partial<Record<CollectErrorReason, number>> = {};
    const count = (r: CollectErrorReason, n = 1): void => {
      errors[r] = (errors[r] ?? 0) + n;
    };
    const { reader } = this.opts;
    const collectors: CollectorTiming[] = [];

    // --- processes ---
    let pids: number[] = [];
    let procOk = true;
    try {
      if (reader.prepare) await reader.prepare();
      pids = reader.listPids();
    } catch (e) {
      procOk = false;
      count('io');
      this.opts.logger.error({ err: errorMessage(e) }, 'cannot list processes');
    }
    this.tracker.beginCycle(this.now());
    const live: TrackedProcess[] = [];
    const sliceMs = this.opts.sliceMs ?? 1;
    const refreshCycles = Math.max(1, this.opts.refreshCycles ?? 10);
    this.cycles++;
    let sliceStart = performance.now();
    let read = 0;
    for (let i = 0; i < pids.length; i++) {
      if (i > 0 && i % this.opts.batchSize === 0 && performance.now() - sliceStart >= sliceMs) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
      const pid = pids[i];
      try {
        const r = reader.readSample(pid, this.tracker.previousSample(pid), (pid + this.cycles) % refreshCycles === 0 ? FULL_READ : CHEAP_READ);
        countErrors(r.errors, count);
        const t = this.tracker.observe(r.sample, () => this.identity(r.sample, count));
        for (const m of r.missing) this.warnMissingOnce(m, t?.identity.comm);
        if (t) {
          live.push(t);
          read++;
        }
      } catch (e) {
        const reason = e instanceof ReadError ? e.reason : 'io';
        count(reason);
        if (!(e instanceof ReadError)) this.opts.logger.debug({ pid, err: errorMessage(e) }, 'unexpected error reading process');
        // Still running (only the read failed): keep its baseline, or its whole history would count again next cycle.
        if (reason !== 'vanished') this.tracker.keep(pid);
      }
    }
    // Without a pid list nothing was seen: forgetting everyone would count every history again next cycle.
    if (procOk) this.tracker.endCycle();
    const procSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    collectors.push({ collector: 'processes', seconds: procSeconds, success: procOk });

    // --- network namespaces (containers) ---
    const tNet = process.hrtime.bigint();
    const net = this.attributeNetwork(live, count);
    collectors.push({ collector: 'netdev', seconds: Number(process.hrtime.bigint() - tNet) / 1e9, success: true });

    const nowMs = this.now();
    const groups = this.grouper.update({ procs: live, net, nowMs, intervalSeconds: seconds });

    // --- host context ---
    const tHost = process.hrtime.bigint();
    const cgroups = new Set<string>();
    for (const g of groups) for (const c of g.cgroups) if (cgroups.size < this.opts.maxCgroupPressure) cgroups.add(c);
    // The memory cgroups groups live in (their limits make memory_pressure without host pressure), bounded alike.
    const memoryCgroups = new Set<string>();
    for (const g of groups) for (const c of g.controllerCgroups.memory) if (memoryCgroups.size < this.opts.maxCgroupPressure && c !== '/') memoryCgroups.add(c);
    let host: HostSnapshot;
    let hostOk = true;
    try {
      host = reader.readHost({ prev: this.prevHost, seconds, cgroups: [...cgroups], memoryCgroups: [...memoryCgroups] });
      this.prevHost = host;
    } catch (e) {
      hostOk = false;
      count('host');
      this.opts.logger.warn({ err: errorMessage(e) }, 'cannot read host context');
      host = this.prevHost ?? emptyHost();
    }
    collectors.push({ collector: 'host', seconds: Number(process.hrtime.bigint() - tHost) / 1e9, success: hostOk });

    const total = Number(process.hrtime.bigint() - start) / 1e9;
    const snapshot: CollectionSnapshot = {
      timestampMs: nowMs,
      intervalSeconds: seconds ?? 0,
      groups,
      host,
      read: { processesListed: pids.length, processesRead: read, errors },
      collectDurationSeconds: total,
      groupsOverflowed: this.grouper.overflowed,
      trackedPids: this.tracker.size,
    };
    this.last = snapshot;
    return { snapshot, collectors };
  }

  /** The live processes of a group, as last read (API; command lines are redacted by the caller). */
  /** The last finished collection (null before the first). */
  latest(): CollectionSnapshot | null {
    return this.last;
  }

  processesOf(group: string): Array<{ identity: ProcIdentity; sample: ProcSample }> {
    return [...this.tracker.inGroup(group)];
  }

  private identity(sample: ProcSample, count: (r: CollectErrorReason, n?: number) => void): ProcIdentity | null {
    try {
      const r = this.opts.reader.readIdentity(sample.pid);
      countErrors(r.errors, count);
      // The pid was reused between the sample and the identity read: the sample's process is gone.
      if (r.identity.startTicks !== sample.startTicks) {
        count('vanished');
        return null;
      }
      return r.identity;
    } catch (e) {
      count(e instanceof ReadError ? e.reason : 'io');
      return null;
    }
  }

  /**
   * Per-process network bytes are not in procfs. For each non-host network
   * namespace (a container), its interface counters go to the group with the
   * most processes in it (docs/network.md).
   */
  private attributeNetwork(live: readonly TrackedProcess[], count: (r: CollectErrorReason) => void): Map<string, { rx: number; tx: number }> {
    const out = new Map<string, { rx: number; tx: number }>();
    if (this.hostNs === null) this.hostNs = this.opts.reader.hostNetNs();
    if (this.hostNs === 0) return out;
    const byNs = new Map<number, { pid: number; groups: Map<string, number> }>();
    for (const p of live) {
      const ns = p.identity.netNs;
      if (ns === 0 || ns === this.hostNs || p.group === null) continue;
      let e = byNs.get(ns);
      if (!e) {
        e = { pid: p.sample.pid, groups: new Map() };
        byNs.set(ns, e);
      }
      e.groups.set(p.group, (e.groups.get(p.group) ?? 0) + 1);
    }
    for (const [ns, e] of byNs) {
      let cur: { rx: number; tx: number } | null;
      try {
        cur = this.opts.reader.readNetDev(e.pid);
      } catch (err) {
        count(err instanceof ReadError ? err.reason : 'io');
        continue;
      }
      if (!cur) continue; // no per-namespace counters from this reader
      const prev = this.netPrev.get(ns);
      this.netPrev.set(ns, cur);
      if (!prev) continue; // first sight: baseline only (history of the namespace is not the group's)
      const owner = [...e.groups.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0][0];
      const o = out.get(owner) ?? { rx: 0, tx: 0 };
      o.rx += Math.max(0, cur.rx - prev.rx);
      o.tx += Math.max(0, cur.tx - prev.tx);
      out.set(owner, o);
    }
    for (const ns of this.netPrev.keys()) if (!byNs.has(ns)) this.netPrev.delete(ns);
    return out;
  }

  /**
   * Refused fields: one warning per (reason, field) for the life of the
   * exporter. `permission`: the exporter lacks privileges (many processes,
   * so the field alone). `protected`: the exporter is privileged and the
   * kernel still refuses this process's file, so the warning names it.
   */
  private warnMissingOnce(m: MissingField, comm: string | undefined): void {
    const key = `${m.reason}:${m.field}`;
    if (this.warnedMissing.has(key)) return;
    this.warnedMissing.add(key);
    if (m.reason === 'permission') {
      this.opts.logger.warn(
        { field: m.field },
        'some processes\' field is unreadable without privileges (run as root or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH): exporting partial data; counted in procsight_collect_errors_total{reason="permission"}',
      );
    } else {
      this.opts.logger.warn(
        { field: m.field, pid: m.pid, comm: comm ?? '', file: m.file },
        'the kernel refuses this process\'s file although the exporter is privileged (the process is protected by a security policy or holds capabilities the exporter lacks): exporting partial data for it; counted in procsight_collect_errors_total{reason="protected"}',
      );
    }
  }
}

/** Host snapshot used only when the very first host read fails. */
export function emptyHost(): HostSnapshot {
  return {
    pressure: { cpu: null, memory: null, io: null },
    cpuSecondsTotal: { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 },
    procsRunning: 0,
    procsBlocked: 0,
    load1: 0,
    load5: 0,
    load15: 0,
    memoryTotalBytes: 0,
    memoryAvailableBytes: 0,
    swapTotalBytes: 0,
    swapFreeBytes: 0,
    cpus: 0,
    busyByCpu: [],
    disks: [],
    cgroupPressure: {},
    rates: null,
    deviceRates: null,
  };
}

/** The two ways to read a process (shared: one object per process per cycle was a measurable share of the allocations). */
const FULL_READ = Object.freeze({ refresh: true });
const CHEAP_READ = Object.freeze({ refresh: false });

/** Adds a read's error counts (for-in: an idle process's read, with none, allocates no entries array). */
function countErrors(errors: Readonly<Partial<Record<CollectErrorReason, number>>>, count: (r: CollectErrorReason, n?: number) => void): void {
  for (const k in errors) {
    const n = errors[k as CollectErrorReason];
    if (n) count(k as CollectErrorReason, n);
  }
}
