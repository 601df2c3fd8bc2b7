import type { AnalysisResult } from '../../exporter/src/analyse/types';
import type { CollectionSnapshot } from '../../exporter/src/pipeline/types';
import { type Culprit, type Evidence, rankSuggestions, CATALOG } from '@procsight/contract';
import type { GroupCounters, GroupGauges, GroupRates, GroupSnapshot } from '../../exporter/src/group/types';
import type { HostSnapshot, ProcIdentity, ProcSample } from '../../exporter/src/read/types';
import { emptyHost } from '../../exporter/src/pipeline/collector';

/** A process identity for synthetic tests. */
export function identity(pid: number, comm: string, over: Partial<ProcIdentity> = {}): ProcIdentity {
  return {
    pid,
    startTicks: 1000 + pid,
    ppid: 1,
    comm,
    exe: `/usr/bin/${comm}`,
    cmdline: comm,
    argv: [comm],
    cgroup: '',
    containerId: '',
    systemdUnit: '',
    controllerCgroups: { cpu: '/', cpuset: '/', memory: '/', io: '/' },
    uid: 1000,
    username: 'user',
    netNs: 0,
    fdLimit: 1024,
    kernelThread: false,
    ...over,
  };
}

/** A process sample for synthetic tests: zeros unless given. */
export function sample(pid: number, over: Partial<ProcSample> = {}): ProcSample {
  return {
    pid,
    startTicks: 1000 + pid,
    state: 'sleeping',
    cpuUserSeconds: 0,
    cpuSystemSeconds: 0,
    minorFaults: 0,
    majorFaults: 0,
    threads: 1,
    blkioDelaySeconds: 0,
    rssBytes: 0,
    vmsBytes: 0,
    swapBytes: 0,
    readBytes: 0,
    writeBytes: 0,
    voluntaryCtxSwitches: 0,
    nonvoluntaryCtxSwitches: 0,
    cpuWaitSeconds: 0,
    timeslices: 0,
    openFds: 0,
    processor: null,
    cpusAllowed: null,
    ...over,
  };
}

/** A group snapshot with zeros unless given (rates present). */
export function groupSnapshot(
  name: string,
  over: {
    counters?: Partial<GroupCounters>;
    gauges?: Partial<GroupGauges>;
    rates?: Partial<GroupRates> | null;
    processes?: number;
    states?: Partial<GroupSnapshot['states']>;
    firstSeenMs?: number;
    controllerCgroups?: Partial<GroupSnapshot['controllerCgroups']>;
    placement?: GroupSnapshot['placement'];
  } = {},
): GroupSnapshot {
  const counters: GroupCounters = {
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
    ...over.counters,
  };
  const rates: GroupRates = {
    cpuCores: 0,
    cpuUserCores: 0,
    cpuSystemCores: 0,
    readBytesPerSecond: 0,
    writeBytesPerSecond: 0,
    voluntaryCtxSwitchesPerSecond: 0,
    nonvoluntaryCtxSwitchesPerSecond: 0,
    cpuWaitRatio: 0,
    timeslicesPerSecond: 0,
    majorFaultsPerSecond: 0,
    minorFaultsPerSecond: 0,
    blkioDelayRatio: 0,
    netReceiveBytesPerSecond: 0,
    netTransmitBytesPerSecond: 0,
    ...over.rates,
  };
  return {
    name,
    processes: over.processes ?? 1,
    counters,
    gauges: { rssBytes: 0, vmsBytes: 0, swapBytes: 0, threads: 1, openFds: 0, fdLimitRatio: 0, fdLimitMin: 1024, fdTimeToLimitSeconds: null, ...over.gauges },
    rates: over.rates === null ? null : rates,
    states: { running: 0, sleeping: over.processes ?? 1, disk_sleep: 0, zombie: 0, stopped: 0, idle: 0, other: 0, ...over.states },
    cgroups: [],
    controllerCgroups: { cpu: [], cpuset: [], memory: [], io: [], ...over.controllerCgroups },
    placement: over.placement ?? null,
    firstSeenMs: over.firstSeenMs ?? 0,
    declared: false,
    overflow: false,
  };
}

/** A collection snapshot of the given groups (every process read, no errors). */
export function collectionSnapshot(
  groups: GroupSnapshot[],
  opts: { timestampMs: number; intervalSeconds: number; host: CollectionSnapshot['host'] },
): CollectionSnapshot {
  return {
    timestampMs: opts.timestampMs,
    intervalSeconds: opts.intervalSeconds,
    host: opts.host,
    read: { processesListed: groups.length, processesRead: groups.length, errors: {} },
    collectDurationSeconds: 0,
    groupsOverflowed: 0,
    trackedPids: groups.length,
    groups,
  };
}

/** A 4-CPU host with 16 GB, half available, one runnable task and 30 % busy, no pressure; rates and fields as given. */
export function hostSnapshot(over: Partial<HostSnapshot> = {}, rates: Partial<NonNullable<HostSnapshot['rates']>> = {}): HostSnapshot {
  return {
    ...emptyHost(),
    cpus: 4,
    memoryTotalBytes: 16e9,
    memoryAvailableBytes: 8e9,
    procsRunning: 1,
    ...over,
    rates: {
      cpuBusyRatio: 0.3,
      iowaitRatio: 0,
      pressureCpuSomeRatio: 0,
      pressureMemorySomeRatio: 0,
      pressureMemoryFullRatio: 0,
      pressureIoSomeRatio: 0,
      pressureIoFullRatio: 0,
      ...rates,
    },
  };
}

/** Evidence of a memory leak, as the memory_leak rule writes it. */
const LEAK_EVIDENCE: Evidence[] = [
  { feature: 'rss_slope_bytes_per_second', value: 52428, baseline: 1e8, threshold: 8192, unit: 'bytes/s', text: 'RSS grows 3.0 MiB/min' },
];

/** A culprit of db's storage wait, as the contention analysis names it. */
const BACKUP: Culprit = {
  group: 'backup',
  resource: 'io',
  share: 0.82,
  evidence: 'spends 70% of its time waiting on storage (vda 98% busy), where backup moves 80.0 MiB/s (82% of the disk traffic)',
};
const BLAME_EVIDENCE: Evidence = { feature: 'culprit_share', value: 0.82, baseline: null, threshold: 0.25, unit: 'ratio', text: BACKUP.evidence };

/**
 * An analysis result for the API routes: three anomaly series (api/memory 0.97 with its learned normal,
 * z and band, db/cpu 0.2, db/memory still learning), two bottlenecks (api memory_leak 0.8 with
 * LEAK_EVIDENCE, db io_bound 0.6 whose storage wait backup explains) with the catalog's ranked
 * suggestions, the contention found (db's culprit, api's wait without one), a one-cluster profile
 * and db's workload pattern.
 */
export function analysisResult(): AnalysisResult {
  return {
    timestampMs: Date.UTC(2026, 10, 23),
    anomalies: [
      { group: 'api', signal: 'memory', score: 0.97, state: 'scoring', baseline: 1.2e8, z: 9.1 },
      { group: 'db', signal: 'cpu', score: 0.2, state: 'scoring', baseline: 0.31, z: 0.4 },
      { group: 'db', signal: 'memory', score: null, state: 'learning' },
    ],
    bands: [{ group: 'api', signal: 'memory', lower: 1.1e8, upper: 1.3e8 }],
    patterns: [{ group: 'db', daily: 0.82, weekly: null, peakHoursUtc: [9, 10, 11] }],
    bottlenecks: [
      {
        group: 'db',
        kind: 'io_bound',
        severity: 0.6,
        confidence: 0.7,
        sinceMs: Date.UTC(2026, 10, 23),
        evidence: [BLAME_EVIDENCE],
        suggestions: rankSuggestions({ group: 'db', kind: 'io_bound', severity: 0.6, evidence: [BLAME_EVIDENCE], culprits: [BACKUP] }, CATALOG),
        culprits: [BACKUP],
      },
      {
        group: 'api',
        kind: 'memory_leak',
        severity: 0.8,
        confidence: 0.95,
        sinceMs: Date.UTC(2026, 10, 22),
        evidence: LEAK_EVIDENCE,
        suggestions: rankSuggestions({ group: 'api', kind: 'memory_leak', severity: 0.8, evidence: LEAK_EVIDENCE }, CATALOG),
        culprits: [],
      },
    ],
    contention: [
      { group: 'db', resource: 'io', wait: 0.7, culprits: [BACKUP], note: null },
      { group: 'api', resource: 'cpu', wait: 0.3, culprits: [], note: "no neighbour explains the wait: the largest share, db's, is 12%" },
    ],
    suggestionSeries: [], // read by the exposition only, not by the API routes
    profiles: {
      clusters: [{ id: 0, centroid: { cpu: 1 }, size: 2 }],
      points: [{ group: 'api', cluster: 0, x: 1, y: 2, usualCluster: 0, leftUsualCluster: false }],
    },
  };
}
