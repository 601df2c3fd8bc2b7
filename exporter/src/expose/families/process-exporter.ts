import { PROCESS_EXPORTER_NAMES as PE } from '@procsight/contract';
import type { Family, Labels, Sample } from '../family';
import type { GroupSnapshot, ProcessExporterGroup } from '../../group/types';
import { PE_STATES } from '../../group/types';
import type { ThreadCounters } from '../../track/tracker';

/**
 * process-exporter's series (collector/process_collector.go of
 * ncabatoff/process-exporter): the same names, labels, units and help, from
 * procsight's group sums. Values are procsight's reads, which agree with
 * process-exporter's on the same processes (test/integration/process-exporter)
 * except where docs/process-exporter.md says otherwise.
 */
export interface ProcessExporterFamiliesOptions {
  /** -threads: the namedprocess_namegroup_thread_* series. */
  threads: boolean;
  /** -gather-smaps: memtype="proportionalResident" and "proportionalSwapped". */
  smaps: boolean;
}

type Source = Parameters<Family['samples']>[0];

/** The groups with process-exporter's figures (those the grouper summed with `processExporter`). */
function* groups(s: Source): Iterable<GroupSnapshot & { processExporter: ProcessExporterGroup }> {
  for (const g of s.snapshot()?.groups ?? []) if (g.processExporter) yield g as GroupSnapshot & { processExporter: ProcessExporterGroup };
}

function perGroup(fn: (g: GroupSnapshot & { processExporter: ProcessExporterGroup }) => number, extra: Labels = {}) {
  return function* (s: Source): Iterable<Sample> {
    for (const g of groups(s)) yield [{ groupname: g.name, ...extra }, fn(g)];
  };
}

function perThreadName(pick: (c: ThreadCounters) => number, extra: Labels = {}) {
  return function* (s: Source): Iterable<Sample> {
    for (const g of groups(s)) for (const t of g.processExporter.threads) yield [{ groupname: g.name, threadname: t.name, ...extra }, pick(t.counters)];
  };
}

export function processExporterFamilies(opts: ProcessExporterFamiliesOptions): Family[] {
  const families: Family[] = [
    { name: PE.numProcs, help: 'number of processes in this group', type: 'gauge', labelNames: ['groupname'], samples: perGroup((g) => g.processes) },
    {
      name: PE.cpuSecondsTotal,
      help: 'Cpu user usage in seconds',
      type: 'counter',
      labelNames: ['groupname', 'mode'],
      *samples(s) {
        yield* perGroup((g) => g.counters.cpuUserSeconds, { mode: 'user' })(s);
        yield* perGroup((g) => g.counters.cpuSystemSeconds, { mode: 'system' })(s);
      },
    },
    {
      name: PE.readBytesTotal,
      help: 'number of bytes read by this group',
      type: 'counter',
      labelNames: ['groupname'],
      samples: perGroup((g) => g.counters.readBytes),
    },
    {
      name: PE.writeBytesTotal,
      help: 'number of bytes written by this group',
      type: 'counter',
      labelNames: ['groupname'],
      samples: perGroup((g) => g.counters.writeBytes),
    },
    { name: PE.majorPageFaultsTotal, help: 'Major page faults', type: 'counter', labelNames: ['groupname'], samples: perGroup((g) => g.counters.majorFaults) },
    { name: PE.minorPageFaultsTotal, help: 'Minor page faults', type: 'counter', labelNames: ['groupname'], samples: perGroup((g) => g.counters.minorFaults) },
    {
      name: PE.contextSwitchesTotal,
      help: 'Context switches',
      type: 'counter',
      labelNames: ['groupname', 'ctxswitchtype'],
      *samples(s) {
        yield* perGroup((g) => g.counters.voluntaryCtxSwitches, { ctxswitchtype: 'voluntary' })(s);
        yield* perGroup((g) => g.counters.nonvoluntaryCtxSwitches, { ctxswitchtype: 'nonvoluntary' })(s);
      },
    },
    {
      name: PE.memoryBytes,
      help: 'number of bytes of memory in use',
      type: 'gauge',
      labelNames: ['groupname', 'memtype'],
      *samples(s) {
        yield* perGroup((g) => g.gauges.rssBytes, { memtype: 'resident' })(s);
        yield* perGroup((g) => g.gauges.vmsBytes, { memtype: 'virtual' })(s);
        yield* perGroup((g) => g.gauges.swapBytes, { memtype: 'swapped' })(s);
        if (opts.smaps) {
          yield* perGroup((g) => g.processExporter.pssBytes, { memtype: 'proportionalResident' })(s);
          yield* perGroup((g) => g.processExporter.swapPssBytes, { memtype: 'proportionalSwapped' })(s);
        }
      },
    },
    {
      name: PE.openFiledesc,
      help: 'number of open file descriptors for this group',
      type: 'gauge',
      labelNames: ['groupname'],
      samples: perGroup((g) => g.gauges.openFds),
    },
    {
      name: PE.worstFdRatio,
      help: 'the worst (closest to 1) ratio between open fds and max fds among all procs in this group',
      type: 'gauge',
      labelNames: ['groupname'],
      samples: perGroup((g) => g.gauges.fdLimitRatio),
    },
    {
      name: PE.oldestStartTimeSeconds,
      help: 'start time in seconds since 1970/01/01 of oldest process in group',
      type: 'gauge',
      labelNames: ['groupname'],
      // 0 for a group without processes (process-exporter writes Go's zero time there).
      samples: perGroup((g) => g.processExporter.oldestStartTimeSeconds ?? 0),
    },
    { name: PE.numThreads, help: 'Number of threads', type: 'gauge', labelNames: ['groupname'], samples: perGroup((g) => g.gauges.threads) },
    {
      name: PE.states,
      help: 'Number of processes in states Running, Sleeping, Waiting, Zombie, or Other',
      type: 'gauge',
      labelNames: ['groupname', 'state'],
      *samples(s) {
        for (const st of PE_STATES) yield* perGroup((g) => g.processExporter.states[st], { state: st })(s);
      },
    },
  ];
  if (!opts.threads) return families;
  return [
    ...families,
    {
      name: PE.threadCount,
      help: 'Number of threads in this group with same threadname',
      type: 'gauge',
      labelNames: ['groupname', 'threadname'],
      *samples(s) {
        for (const g of groups(s)) for (const t of g.processExporter.threads) yield [{ groupname: g.name, threadname: t.name }, t.count];
      },
    },
    {
      name: PE.threadCpuSecondsTotal,
      help: 'Cpu user/system usage in seconds',
      type: 'counter',
      labelNames: ['groupname', 'threadname', 'mode'],
      *samples(s) {
        yield* perThreadName((c) => c.cpuUserSeconds, { mode: 'user' })(s);
        yield* perThreadName((c) => c.cpuSystemSeconds, { mode: 'system' })(s);
      },
    },
    {
      name: PE.threadIoBytesTotal,
      help: 'number of bytes read/written by these threads',
      type: 'counter',
      labelNames: ['groupname', 'threadname', 'iomode'],
      *samples(s) {
        yield* perThreadName((c) => c.readBytes, { iomode: 'read' })(s);
        yield* perThreadName((c) => c.writeBytes, { iomode: 'write' })(s);
      },
    },
    {
      name: PE.threadMajorPageFaultsTotal,
      help: 'Major page faults for these threads',
      type: 'counter',
      labelNames: ['groupname', 'threadname'],
      samples: perThreadName((c) => c.majorFaults),
    },
    {
      name: PE.threadMinorPageFaultsTotal,
      help: 'Minor page faults for these threads',
      type: 'counter',
      labelNames: ['groupname', 'threadname'],
      samples: perThreadName((c) => c.minorFaults),
    },
    {
      name: PE.threadContextSwitchesTotal,
      help: 'Context switches for these threads',
      type: 'counter',
      labelNames: ['groupname', 'threadname', 'ctxswitchtype'],
      *samples(s) {
        yield* perThreadName((c) => c.voluntaryCtxSwitches, { ctxswitchtype: 'voluntary' })(s);
        yield* perThreadName((c) => c.nonvoluntaryCtxSwitches, { ctxswitchtype: 'nonvoluntary' })(s);
      },
    },
  ];
}
