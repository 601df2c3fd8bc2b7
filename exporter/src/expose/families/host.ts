import * as N from '@procsight/contract';
import type { Family, Sample } from '../family';
import type { HostSnapshot, Pressure } from '../../read/types';

function* pressureSamples(p: HostSnapshot['pressure'], extra: Record<string, string> = {}): Iterable<Sample> {
  const entries: Array<[string, Pressure | null]> = [
    ['cpu', p.cpu],
    ['memory', p.memory],
    ['io', p.io],
  ];
  for (const [resource, v] of entries) {
    if (!v) continue;
    yield [{ ...extra, resource, type: 'some' }, v.someSeconds];
    if (v.fullSeconds !== null) yield [{ ...extra, resource, type: 'full' }, v.fullSeconds];
  }
}

export const hostFamilies: readonly Family[] = [
  {
    name: N.HOST_PRESSURE_STALLED_SECONDS_TOTAL,
    help: 'Pressure stall information of the host (/proc/pressure): time some (or all) non-idle tasks stalled on the resource. Absent when the kernel has no PSI.',
    type: 'counter',
    labelNames: ['resource', 'type'],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (h) yield* pressureSamples(h.pressure);
    },
  },
  {
    name: N.CGROUP_PRESSURE_STALLED_SECONDS_TOTAL,
    help: "Pressure stall information of each cgroup v2 that a group's processes live in (systemd units, containers).",
    type: 'counter',
    labelNames: ['cgroup', 'resource', 'type'],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (!h) return;
      for (const [cgroup, p] of Object.entries(h.cgroupPressure)) yield* pressureSamples(p, { cgroup });
    },
  },
  {
    name: N.HOST_CPU_SECONDS_TOTAL,
    help: 'Host CPU time by mode, summed over CPUs (/proc/stat).',
    type: 'counter',
    labelNames: ['mode'],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (!h) return;
      for (const [mode, v] of Object.entries(h.cpuSecondsTotal)) yield [{ mode }, v];
    },
  },
  {
    name: N.HOST_PROCS_RUNNING,
    help: 'Runnable tasks on the host (run queue, /proc/stat procs_running).',
    type: 'gauge',
    labelNames: [],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (h) yield [{}, h.procsRunning];
    },
  },
  {
    name: N.HOST_PROCS_BLOCKED,
    help: 'Tasks blocked on I/O on the host (/proc/stat procs_blocked).',
    type: 'gauge',
    labelNames: [],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (h) yield [{}, h.procsBlocked];
    },
  },
  {
    name: N.HOST_LOAD,
    help: 'Host load average by window.',
    type: 'gauge',
    labelNames: ['window'],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (!h) return;
      yield [{ window: '1m' }, h.load1];
      yield [{ window: '5m' }, h.load5];
      yield [{ window: '15m' }, h.load15];
    },
  },
  {
    name: N.HOST_MEMORY_BYTES,
    help: 'Host memory by type (/proc/meminfo): total, available, swap_total, swap_free.',
    type: 'gauge',
    labelNames: ['type'],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (!h) return;
      yield [{ type: 'total' }, h.memoryTotalBytes];
      yield [{ type: 'available' }, h.memoryAvailableBytes];
      yield [{ type: 'swap_total' }, h.swapTotalBytes];
      yield [{ type: 'swap_free' }, h.swapFreeBytes];
    },
  },
  {
    name: N.HOST_CPUS,
    help: 'Number of CPUs of the host.',
    type: 'gauge',
    labelNames: [],
    *samples(s) {
      const h = s.snapshot()?.host;
      if (h) yield [{}, h.cpus];
    },
  },
  {
    name: N.HOST_INFO,
    help: 'Host facts (value 1): CPU model, cores, total memory, OS, kernel, hostname.',
    type: 'gauge',
    labelNames: ['cpu_model', 'cores', 'memory_bytes', 'os', 'kernel', 'hostname'],
    *samples(s) {
      const i = s.hostInfo();
      if (!i) return;
      yield [{ cpu_model: i.cpuModel, cores: String(i.cores), memory_bytes: String(i.memoryTotalBytes), os: i.os, kernel: i.kernel, hostname: i.hostname }, 1];
    },
  },
];
