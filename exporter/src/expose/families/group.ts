import * as N from '@procsight/contract';
import type { Family, Labels, Sample } from '../family';
import { labelSet } from '../openmetrics';
import type { GroupSnapshot, MissableField } from '../../group/types';
import { PROC_STATES } from '@procsight/contract';

/**
 * Each group's labels and their rendered label set, per variant (`mode="user"`, …), kept from one
 * rendering to the next: most of the exposition's series are per group, and building their label
 * sets again at every cycle was a tenth of the exporter's allocations. A variant's entries are
 * dropped when it holds more than twice the groups of the last rendering (names that went away).
 */
const LABEL_SETS = new Map<string, Map<string, readonly [Labels, string]>>();

function labelSetsOf(extra: Readonly<Labels>): Map<string, readonly [Labels, string]> {
  const variant = JSON.stringify(extra);
  let sets = LABEL_SETS.get(variant);
  if (!sets) LABEL_SETS.set(variant, (sets = new Map()));
  return sets;
}

/** The group's labels and their label set, made once while the group lives. */
function labelsOf(sets: Map<string, readonly [Labels, string]>, group: string, extra: Readonly<Labels>): readonly [Labels, string] {
  let made = sets.get(group);
  if (!made) {
    const labels = Object.freeze({ group, ...extra });
    made = [labels, labelSet(labels)];
    sets.set(group, made);
  }
  return made;
}

/** One sample per group from a value function; none for a group whose processes never provided `needs`. */
function perGroup(fn: (g: GroupSnapshot) => number | null, extra: Readonly<Labels> = {}, needs?: MissableField) {
  const sets = labelSetsOf(extra);
  return function* (groups: readonly GroupSnapshot[]): Iterable<Sample> {
    if (sets.size > 2 * groups.length + 16) sets.clear();
    for (const g of groups) {
      if (needs !== undefined && g.unavailable?.includes(needs)) continue;
      const v = fn(g);
      if (v === null) continue;
      const [labels, rendered] = labelsOf(sets, g.name, extra);
      yield [labels, v, rendered];
    }
  };
}

/** Variants with label sets kept, and how many each holds (for tests: the cache stays bounded). */
export function keptLabelSets(): number[] {
  return [...LABEL_SETS.values()].map((m) => m.size);
}

function groupsOf(s: { snapshot(): { groups: GroupSnapshot[] } | null }): readonly GroupSnapshot[] {
  return s.snapshot()?.groups ?? [];
}

export const groupFamilies: readonly Family[] = [
  {
    name: N.GROUP_PROCESSES,
    help: 'Number of live processes in the group (0 for a declared group that is not running).',
    type: 'gauge',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.processes)(groupsOf(s)),
  },
  {
    name: N.GROUP_DECLARED,
    help: 'Value 1 for groups declared in config (they exist at 0 processes before they start, so "not running" can alert).',
    type: 'gauge',
    labelNames: ['group'],
    *samples(s) {
      for (const g of groupsOf(s)) if (g.declared) yield [{ group: g.name }, 1];
    },
  },
  {
    name: N.GROUP_CPU_SECONDS_TOTAL,
    help: "CPU time consumed by the group's processes, all threads, by mode.",
    type: 'counter',
    labelNames: ['group', 'mode'],
    *samples(s) {
      yield* perGroup((g) => g.counters.cpuUserSeconds, { mode: 'user' })(groupsOf(s));
      yield* perGroup((g) => g.counters.cpuSystemSeconds, { mode: 'system' })(groupsOf(s));
    },
  },
  {
    name: N.GROUP_MEMORY_BYTES,
    help: "Memory of the group's processes by type: resident (VmRSS), virtual (VmSize), swap (VmSwap).",
    type: 'gauge',
    labelNames: ['group', 'type'],
    *samples(s) {
      yield* perGroup((g) => g.gauges.rssBytes, { type: 'resident' })(groupsOf(s));
      yield* perGroup((g) => g.gauges.vmsBytes, { type: 'virtual' })(groupsOf(s));
      yield* perGroup((g) => g.gauges.swapBytes, { type: 'swap' }, 'swapBytes')(groupsOf(s));
    },
  },
  {
    name: N.GROUP_IO_BYTES_TOTAL,
    help: "Bytes the group's processes caused to be read from / written to storage (/proc/<pid>/io read_bytes, write_bytes).",
    type: 'counter',
    labelNames: ['group', 'direction'],
    *samples(s) {
      yield* perGroup((g) => g.counters.readBytes, { direction: 'read' }, 'readBytes')(groupsOf(s));
      yield* perGroup((g) => g.counters.writeBytes, { direction: 'write' }, 'writeBytes')(groupsOf(s));
    },
  },
  {
    name: N.GROUP_THREADS,
    help: "Number of threads in the group's processes.",
    type: 'gauge',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.gauges.threads)(groupsOf(s)),
  },
  {
    name: N.GROUP_OPEN_FDS,
    help: "Open file descriptors of the group's processes.",
    type: 'gauge',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.gauges.openFds, {}, 'openFds')(groupsOf(s)),
  },
  {
    name: N.GROUP_FD_LIMIT_RATIO,
    help: "Highest ratio of open fds to the soft open-files limit among the group's processes.",
    type: 'gauge',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.gauges.fdLimitRatio, {}, 'openFds')(groupsOf(s)),
  },
  {
    name: N.GROUP_CONTEXT_SWITCHES_TOTAL,
    help: "Context switches of all threads of the group's processes, by type.",
    type: 'counter',
    labelNames: ['group', 'type'],
    *samples(s) {
      yield* perGroup((g) => g.counters.voluntaryCtxSwitches, { type: 'voluntary' }, 'voluntaryCtxSwitches')(groupsOf(s));
      yield* perGroup((g) => g.counters.nonvoluntaryCtxSwitches, { type: 'nonvoluntary' }, 'nonvoluntaryCtxSwitches')(groupsOf(s));
    },
  },
  {
    name: N.GROUP_CPU_WAIT_SECONDS_TOTAL,
    help: "Time the group's threads spent runnable but waiting for a CPU (schedstat run-queue wait).",
    type: 'counter',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.counters.cpuWaitSeconds, {}, 'cpuWaitSeconds')(groupsOf(s)),
  },
  {
    name: N.GROUP_MAJOR_PAGE_FAULTS_TOTAL,
    help: "Major page faults (faults that needed a disk read) of the group's processes.",
    type: 'counter',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.counters.majorFaults)(groupsOf(s)),
  },
  {
    name: N.GROUP_MINOR_PAGE_FAULTS_TOTAL,
    help: "Minor page faults of the group's processes.",
    type: 'counter',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.counters.minorFaults)(groupsOf(s)),
  },
  {
    name: N.GROUP_BLKIO_DELAY_SECONDS_TOTAL,
    help: "Time the group's processes waited for block I/O (delayacct_blkio_ticks of each process's main thread: the kernel reports no other thread's in stat; 0 when delay accounting is off).",
    type: 'counter',
    labelNames: ['group'],
    samples: (s) => perGroup((g) => g.counters.blkioDelaySeconds)(groupsOf(s)),
  },
  {
    name: N.GROUP_STATES,
    help: "Number of the group's processes in each scheduler state.",
    type: 'gauge',
    labelNames: ['group', 'state'],
    *samples(s) {
      for (const g of groupsOf(s)) for (const st of PROC_STATES) yield [{ group: g.name, state: st }, g.states[st]];
    },
  },
  {
    name: N.GROUP_NETWORK_BYTES_TOTAL,
    help: 'Network bytes of the non-host network namespace (container) the group lives in; host-namespace processes have none (see docs/network.md).',
    type: 'counter',
    labelNames: ['group', 'direction'],
    *samples(s) {
      for (const g of groupsOf(s)) {
        if (g.counters.netReceiveBytes === 0 && g.counters.netTransmitBytes === 0) continue;
        yield [{ group: g.name, direction: 'receive' }, g.counters.netReceiveBytes];
        yield [{ group: g.name, direction: 'transmit' }, g.counters.netTransmitBytes];
      }
    },
  },
  {
    name: N.PROCESS_CPU_SECONDS_TOTAL,
    help: 'CPU time of one process, only for groups configured with pid_series (capped by limits.pid_series_max).',
    type: 'counter',
    labelNames: ['group', 'pid'],
    *samples(s) {
      for (const g of groupsOf(s)) for (const p of g.pids ?? []) yield [{ group: g.name, pid: String(p.pid) }, p.cpuSecondsTotal];
    },
  },
  {
    name: N.PROCESS_RESIDENT_MEMORY_BYTES,
    help: 'Resident memory of one process, only for groups configured with pid_series.',
    type: 'gauge',
    labelNames: ['group', 'pid'],
    *samples(s) {
      for (const g of groupsOf(s)) for (const p of g.pids ?? []) yield [{ group: g.name, pid: String(p.pid) }, p.rssBytes];
    },
  },
  {
    name: N.PROCESS_OPEN_FDS,
    help: 'Open file descriptors of one process, only for groups configured with pid_series.',
    type: 'gauge',
    labelNames: ['group', 'pid'],
    *samples(s) {
      for (const g of groupsOf(s)) for (const p of g.pids ?? []) yield [{ group: g.name, pid: String(p.pid) }, p.openFds];
    },
  },
  {
    name: N.GROUP_KUBERNETES_INFO,
    help: "Value 1 for each pod container the group's processes run in (--kubernetes.enabled; at most kubernetes.max_containers_per_group per group): join it on group to label any group series with namespace, pod and container. container is empty for a pod's processes outside its listed containers (the sandbox).",
    type: 'gauge',
    labelNames: ['group', 'namespace', 'pod', 'container'],
    *samples(s) {
      const pods = s.pods?.() ?? null;
      if (!pods) return;
      for (const g of groupsOf(s)) {
        const seen = new Set<string>();
        for (const { podUid, containerId } of g.pods ?? []) {
          const ref = pods.lookup(podUid, containerId);
          if (!ref) continue;
          const key = `${ref.namespace}/${ref.pod}/${ref.container}`;
          if (seen.has(key)) continue;
          seen.add(key);
          yield [{ group: g.name, namespace: ref.namespace, pod: ref.pod, container: ref.container }, 1];
        }
      }
    },
  },
];
