import { OVERFLOW_GROUP, type ProcState, PROC_STATES } from '@procsight/contract';
import { type GroupCounters, type GroupGauges, type GroupRates, type GroupSnapshot, type MissableField, type PidDetail, MISSABLE_FIELDS } from './types';
import { type ProcDelta, type TrackedProcess, DELTA_KEYS } from '../track/tracker';
import type { ControllerCgroups } from '../read/types';
import { addOnCpu, placementOf } from './placement';
import { ProcessExporterGrouping } from './process-exporter';

const CONTROLLERS = ['cpu', 'cpuset', 'memory', 'io'] as const satisfies ReadonlyArray<keyof ControllerCgroups>;

export interface GrouperOptions {
  /** Most groups exported; processes of further groups are summed into `other`. */
  maxGroups: number;
  /** Groups that exist at 0 from start (declared in config). */
  declared: readonly string[];
  /** Groups whose processes get per-pid detail, and the cap on pids overall. */
  pidSeriesGroups: ReadonlySet<string>;
  pidSeriesMax: number;
  /** An undeclared group with no process for this long is forgotten (its series disappear). */
  emptyGroupTtlMs: number;
  /** Distinct cgroup paths remembered per group. */
  maxCgroupsPerGroup: number;
  /** Distinct (pod, container) pairs remembered per group (default 8). */
  maxPodsPerGroup?: number;
  /** Also sum process-exporter's figures (states as it counts them, PSS, oldest start, threads by name). */
  processExporter?: boolean;
}

interface GroupState {
  name: string;
  counters: GroupCounters;
  firstSeenMs: number;
  lastActiveMs: number;
  declared: boolean;
  overflow: boolean;
  /** Has ever had a process, and which missable fields any of them provided (sticky: counters never vanish). */
  hadProcess?: boolean;
  provided?: Set<MissableField>;
}

interface CycleAccumulator {
  processes: number;
  newProcesses: number;
  gauges: GroupGauges;
  delta: ProcDelta & { netReceiveBytes: number; netTransmitBytes: number };
  states: Record<ProcState, number>;
  cgroups: Set<string>;
  controllerCgroups: Record<keyof ControllerCgroups, Set<string>>;
  /** CPU-seconds and wait-seconds of this cycle per CPU; allowed CPUs of its processes. */
  cpuByCpu: number[];
  waitByCpu: number[];
  /** Distinct affinity lists (shared arrays: see read/parse/cpulist), united at the end. */
  masks: Set<readonly number[]>;
  /** Time of multi-threaded processes, per affinity list, to spread over it (group/placement.ts). */
  spread: Map<readonly number[], { cpu: number; wait: number }>;
  /** `<pod uid>/<container id>` of processes in pods. */
  pods: Set<string>;
  pids: PidDetail[];
  provided: Set<MissableField>;
}

const zeroCounters = (): GroupCounters => ({
  cpuUserSeconds: 0,
  cpuSystemSeconds: 0,
  readBytes: 0,
  writeBytes: 0,
  voluntaryCtxSwitches: 0,
  nonvoluntaryCtxSwitches: 0,
  cpuWaitSeconds: 0,
  timeslices: 0,
  majorFaults: 0,
  minorFaults: 0,
  blkioDelaySeconds: 0,
  netReceiveBytes: 0,
  netTransmitBytes: 0,
});

function newAccumulator(): CycleAccumulator {
  const states = {} as Record<ProcState, number>;
  for (const s of PROC_STATES) states[s] = 0;
  return {
    processes: 0,
    newProcesses: 0,
    gauges: { rssBytes: 0, vmsBytes: 0, swapBytes: 0, threads: 0, openFds: 0, fdLimitRatio: 0, fdLimitMin: null, fdTimeToLimitSeconds: null },
    delta: { ...zeroCounters() },
    states,
    cgroups: new Set(),
    controllerCgroups: { cpu: new Set(), cpuset: new Set(), memory: new Set(), io: new Set() },
    cpuByCpu: [],
    waitByCpu: [],
    masks: new Set(),
    spread: new Map(),
    pods: new Set(),
    pids: [],
    provided: new Set(),
  };
}

/**
 * Sums tracked processes into groups. Group counters only ever grow: a group
 * keeps what its exited processes accumulated. Cardinality is bounded by
 * `maxGroups`; groups beyond it are folded into `other` and counted.
 */
export class Grouper {
  private readonly groups = new Map<string, GroupState>();
  private readonly opts: GrouperOptions;
  private lastOverflowed = 0;
  private readonly pe: ProcessExporterGrouping | null;

  constructor(opts: GrouperOptions, nowMs: number) {
    this.opts = opts;
    this.pe = opts.processExporter ? new ProcessExporterGrouping() : null;
    for (const name of opts.declared) {
      this.groups.set(name, { name, counters: zeroCounters(), firstSeenMs: nowMs, lastActiveMs: nowMs, declared: true, overflow: false });
    }
  }

  /** Distinct group names that were folded into `other` in the last cycle. */
  get overflowed(): number {
    return this.lastOverflowed;
  }

  /**
   * One cycle: `procs` are this cycle's live processes with their deltas;
   * `net` is per-group network bytes attributed this cycle (containers);
   * `intervalSeconds` is the measured time since the previous cycle (null on the first).
   */
  update(input: {
    procs: Iterable<TrackedProcess>;
    net?: ReadonlyMap<string, { rx: number; tx: number }>;
    nowMs: number;
    intervalSeconds: number | null;
  }): GroupSnapshot[] {
    const acc = new Map<string, CycleAccumulator>();
    const overflowNames = new Set<string>();
    let pidBudget = this.opts.pidSeriesMax;
    this.pe?.begin();

    for (const p of input.procs) {
      if (p.group === null) continue;
      const name = this.slotFor(p.group, input.nowMs, overflowNames);
      let a = acc.get(name);
      if (!a) {
        a = newAccumulator();
        acc.set(name, a);
      }
      addProcess(a, p);
      this.pe?.add(name, p);
      if (pidBudget > 0 && this.opts.pidSeriesGroups.has(p.group)) {
        pidBudget--;
        a.pids.push({
          pid: p.sample.pid,
          cpuSecondsTotal: p.sample.cpuUserSeconds + p.sample.cpuSystemSeconds,
          rssBytes: p.sample.rssBytes ?? 0,
          openFds: p.sample.openFds ?? 0,
          threads: p.sample.threads,
        });
      }
      if (a.cgroups.size < this.opts.maxCgroupsPerGroup && p.identity.cgroup) a.cgroups.add(p.identity.cgroup);
      for (const c of CONTROLLERS) {
        const path = p.identity.controllerCgroups[c];
        if (path && a.controllerCgroups[c].size < this.opts.maxCgroupsPerGroup) a.controllerCgroups[c].add(path);
      }
      if (p.identity.podUid && a.pods.size < (this.opts.maxPodsPerGroup ?? 8)) a.pods.add(`${p.identity.podUid}/${p.identity.containerId}`);
    }
    if (input.net) {
      for (const [group, bytes] of input.net) {
        const a = acc.get(this.groups.has(group) ? group : OVERFLOW_GROUP);
        if (a) {
          a.delta.netReceiveBytes += bytes.rx;
          a.delta.netTransmitBytes += bytes.tx;
        }
      }
    }
    this.lastOverflowed = overflowNames.size;

    const out: GroupSnapshot[] = [];
    for (const [name, g] of this.groups) {
      const a = acc.get(name) ?? newAccumulator();
      for (const k of DELTA_KEYS) g.counters[k] += a.delta[k];
      g.counters.netReceiveBytes += a.delta.netReceiveBytes;
      g.counters.netTransmitBytes += a.delta.netTransmitBytes;
      if (a.processes > 0) {
        g.lastActiveMs = input.nowMs;
        g.hadProcess = true;
        g.provided ??= new Set();
        for (const f of a.provided) g.provided.add(f);
      } else if (!g.declared && input.nowMs - g.lastActiveMs > this.opts.emptyGroupTtlMs) {
        this.groups.delete(name);
        this.pe?.forget(name);
        continue;
      }
      out.push({
        name,
        processes: a.processes,
        newProcesses: a.newProcesses,
        counters: { ...g.counters },
        gauges: a.gauges,
        rates: input.intervalSeconds && input.intervalSeconds > 0 ? ratesOf(a.delta, input.intervalSeconds) : null,
        states: a.states,
        cgroups: [...a.cgroups],
        controllerCgroups: {
          cpu: [...a.controllerCgroups.cpu],
          cpuset: [...a.controllerCgroups.cpuset],
          memory: [...a.controllerCgroups.memory],
          io: [...a.controllerCgroups.io],
        },
        placement: input.intervalSeconds && input.intervalSeconds > 0 ? placementRates(a, input.intervalSeconds) : null,
        firstSeenMs: g.firstSeenMs,
        declared: g.declared,
        overflow: g.overflow,
        ...(a.pids.length > 0 ? { pids: a.pids } : {}),
        ...(a.pods.size > 0 ? { pods: [...a.pods].map((k) => ({ podUid: k.slice(0, k.indexOf('/')), containerId: k.slice(k.indexOf('/') + 1) })) } : {}),
        ...(g.hadProcess ? { unavailable: MISSABLE_FIELDS.filter((f) => !g.provided?.has(f)) } : {}),
        ...(this.pe ? { processExporter: this.pe.finish(name) } : {}),
      });
    }
    return out;
  }

  /** The group a process is summed into: its own, or `other` once the cap is reached. */
  private slotFor(name: string, nowMs: number, overflowNames: Set<string>): string {
    if (this.groups.has(name)) return name;
    // `other` itself takes a slot, so reserve one for it.
    if (this.groups.size < this.opts.maxGroups - 1) {
      this.groups.set(name, { name, counters: zeroCounters(), firstSeenMs: nowMs, lastActiveMs: nowMs, declared: false, overflow: false });
      return name;
    }
    overflowNames.add(name);
    if (!this.groups.has(OVERFLOW_GROUP)) {
      this.groups.set(OVERFLOW_GROUP, {
        name: OVERFLOW_GROUP,
        counters: zeroCounters(),
        firstSeenMs: nowMs,
        lastActiveMs: nowMs,
        declared: false,
        overflow: true,
      });
    }
    return OVERFLOW_GROUP;
  }
}

function addProcess(a: CycleAccumulator, p: TrackedProcess): void {
  const s = p.sample;
  a.processes++;
  if (p.isNew) a.newProcesses++;
  a.gauges.rssBytes += s.rssBytes ?? 0;
  a.gauges.vmsBytes += s.vmsBytes ?? 0;
  a.gauges.swapBytes += s.swapBytes ?? 0;
  a.gauges.threads += s.threads;
  a.gauges.openFds += s.openFds ?? 0;
  const limit = p.identity.fdLimit;
  if (limit !== null && limit > 0) {
    if (s.openFds !== null) a.gauges.fdLimitRatio = Math.max(a.gauges.fdLimitRatio, s.openFds / limit);
    a.gauges.fdLimitMin = a.gauges.fdLimitMin === null ? limit : Math.min(a.gauges.fdLimitMin, limit);
    if (s.openFds !== null && p.fdSlope !== null && p.fdSlope > 0) {
      const tte = Math.max(0, limit - s.openFds) / p.fdSlope;
      a.gauges.fdTimeToLimitSeconds = a.gauges.fdTimeToLimitSeconds === null ? tte : Math.min(a.gauges.fdTimeToLimitSeconds, tte);
    }
  }
  for (const f of MISSABLE_FIELDS) if (s[f] !== null) a.provided.add(f);
  a.states[s.state]++;
  for (const k of DELTA_KEYS) a.delta[k] += p.delta[k];
  const cpu = p.delta.cpuUserSeconds + p.delta.cpuSystemSeconds;
  const wait = p.delta.cpuWaitSeconds;
  const where = placementOf(s);
  if (where && 'cpu' in where) {
    if (cpu > 0) addOnCpu(a.cpuByCpu, where.cpu, cpu);
    if (wait > 0) addOnCpu(a.waitByCpu, where.cpu, wait);
  } else if (where && (cpu > 0 || wait > 0)) {
    const e = a.spread.get(where.spread) ?? { cpu: 0, wait: 0 };
    e.cpu += cpu;
    e.wait += wait;
    a.spread.set(where.spread, e);
  }
  if (s.cpusAllowed) a.masks.add(s.cpusAllowed);
}

function placementRates(a: CycleAccumulator, secs: number): NonNullable<GroupSnapshot['placement']> {
  const cpus = new Set<number>();
  for (const m of a.masks) for (const c of m) cpus.add(c);
  return {
    coresByCpu: a.cpuByCpu.map((x) => x / secs),
    waitByCpu: a.waitByCpu.map((x) => x / secs),
    spread: [...a.spread].map(([over, e]) => ({ cpus: over, cores: e.cpu / secs, wait: e.wait / secs })),
    cpus: [...cpus].sort((x, y) => x - y),
  };
}

function ratesOf(d: CycleAccumulator['delta'], secs: number): GroupRates {
  return {
    cpuCores: (d.cpuUserSeconds + d.cpuSystemSeconds) / secs,
    cpuUserCores: d.cpuUserSeconds / secs,
    cpuSystemCores: d.cpuSystemSeconds / secs,
    readBytesPerSecond: d.readBytes / secs,
    writeBytesPerSecond: d.writeBytes / secs,
    voluntaryCtxSwitchesPerSecond: d.voluntaryCtxSwitches / secs,
    nonvoluntaryCtxSwitchesPerSecond: d.nonvoluntaryCtxSwitches / secs,
    cpuWaitRatio: d.cpuWaitSeconds / secs,
    timeslicesPerSecond: d.timeslices / secs,
    majorFaultsPerSecond: d.majorFaults / secs,
    minorFaultsPerSecond: d.minorFaults / secs,
    blkioDelayRatio: d.blkioDelaySeconds / secs,
    netReceiveBytesPerSecond: d.netReceiveBytes / secs,
    netTransmitBytesPerSecond: d.netTransmitBytes / secs,
  };
}
