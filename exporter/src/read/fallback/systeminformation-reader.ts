import os from 'node:os';
import { ReadError } from '../../errors';
import type { ProcReader } from '../reader';
import type { HostSnapshot, ProcIdentity, ProcSample } from '../types';
import type { ProcState } from '@procsight/contract';
import { deviceRates, hostRates } from '../host';

/** Fields the fallback cannot provide (logged once at start, listed in docs/platforms.md). */
export const FALLBACK_MISSING_FIELDS = [
  'io',
  'fds',
  'fd_limit',
  'context_switches',
  'cpu_wait',
  'page_faults',
  'swap',
  'threads',
  'pressure',
  'cgroups',
  'network',
];

/**
 * Non-Linux fallback (macOS, Windows, BSD): processes and host facts from
 * systeminformation, which spawns `ps`/WMI and caches. What it lacks stays
 * null (docs/platforms.md): per-process disk I/O, open fds and their limit,
 * context switches, run-queue wait, page faults, swap, PSI, cgroups, network
 * namespaces. CPU seconds are derived from its CPU percentages over time.
 */
export function createSysteminformationReader(): ProcReader {
  let procs = new Map<number, { sample: ProcSample; identity: ProcIdentity }>();
  let host: { memTotal: number; memAvailable: number; swapTotal: number; swapFree: number } = { memTotal: 0, memAvailable: 0, swapTotal: 0, swapFree: 0 };
  const cpuSeconds = new Map<number, { user: number; system: number; at: number }>();

  const STATE: Record<string, ProcState> = {
    running: 'running',
    sleeping: 'sleeping',
    blocked: 'disk_sleep',
    zombie: 'zombie',
    stopped: 'stopped',
    idle: 'idle',
  };

  async function refresh(): Promise<void> {
    const si = await loadSysteminformation();
    const [list, mem] = await Promise.all([si.processes(), si.mem()]);
    const now = Date.now();
    const next = new Map<number, { sample: ProcSample; identity: ProcIdentity }>();
    for (const p of list.list) {
      const started = Date.parse(p.started) || 0;
      const prev = cpuSeconds.get(p.pid);
      const dt = prev ? (now - prev.at) / 1000 : 0;
      const user = (prev?.user ?? 0) + (dt * (p.cpuu ?? 0)) / 100;
      const system = (prev?.system ?? 0) + (dt * (p.cpus ?? 0)) / 100;
      cpuSeconds.set(p.pid, { user, system, at: now });
      next.set(p.pid, {
        sample: {
          pid: p.pid,
          startTicks: started,
          state: STATE[p.state] ?? 'other',
          cpuUserSeconds: user,
          cpuSystemSeconds: system,
          minorFaults: 0,
          majorFaults: 0,
          threads: 1,
          blkioDelaySeconds: 0,
          rssBytes: (p.memRss ?? 0) * 1024,
          vmsBytes: (p.memVsz ?? 0) * 1024,
          swapBytes: null,
          readBytes: null,
          writeBytes: null,
          voluntaryCtxSwitches: null,
          nonvoluntaryCtxSwitches: null,
          cpuWaitSeconds: null,
          timeslices: null,
          openFds: null,
          processor: null,
          cpusAllowed: null,
        },
        identity: {
          pid: p.pid,
          startTicks: started,
          ppid: p.parentPid,
          comm: p.name.slice(0, 15),
          exe: p.path ? `${p.path}/${p.command}` : p.command,
          cmdline: `${p.command} ${p.params}`.trim(),
          argv: [p.command, ...p.params.split(' ').filter(Boolean)],
          cgroup: '',
          containerId: '',
          systemdUnit: '',
          controllerCgroups: { cpu: '', cpuset: '', memory: '', io: '' },
          uid: -1,
          username: p.user,
          netNs: 0,
          fdLimit: null,
          kernelThread: false,
        },
      });
    }
    for (const pid of cpuSeconds.keys()) if (!next.has(pid)) cpuSeconds.delete(pid);
    procs = next;
    host = { memTotal: mem.total, memAvailable: mem.available, swapTotal: mem.swaptotal, swapFree: mem.swapfree };
  }

  let prevHost: HostSnapshot | null = null;
  const vanished = (pid: number) => new ReadError('vanished', `process ${pid} gone`);
  return {
    prepare: refresh,
    listPids: () => [...procs.keys()],
    readSample(pid) {
      const p = procs.get(pid);
      if (!p) throw vanished(pid);
      return { sample: p.sample, errors: {}, missing: [] };
    },
    readIdentity(pid) {
      const p = procs.get(pid);
      if (!p) throw vanished(pid);
      return { identity: p.identity, errors: {} };
    },
    readHost(input) {
      const cpus = os.cpus();
      const t = cpus.reduce(
        (a, c) => ({
          user: a.user + c.times.user,
          nice: a.nice + c.times.nice,
          sys: a.sys + c.times.sys,
          idle: a.idle + c.times.idle,
          irq: a.irq + c.times.irq,
        }),
        { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 },
      );
      const [l1, l5, l15] = os.loadavg();
      const cur: HostSnapshot = {
        pressure: { cpu: null, memory: null, io: null },
        cpuSecondsTotal: {
          user: t.user / 1000,
          nice: t.nice / 1000,
          system: t.sys / 1000,
          idle: t.idle / 1000,
          iowait: 0,
          irq: t.irq / 1000,
          softirq: 0,
          steal: 0,
        },
        procsRunning: [...procs.values()].filter((p) => p.sample.state === 'running').length,
        procsBlocked: 0,
        load1: l1,
        load5: l5,
        load15: l15,
        memoryTotalBytes: host.memTotal || os.totalmem(),
        memoryAvailableBytes: host.memAvailable || os.freemem(),
        swapTotalBytes: host.swapTotal,
        swapFreeBytes: host.swapFree,
        cpus: cpus.length,
        busyByCpu: cpus.map((c) => (c.times.user + c.times.nice + c.times.sys + c.times.irq) / 1000),
        disks: [],
        cgroupPressure: {},
        rates: null,
        deviceRates: null,
      };
      cur.rates = prevHost && input.seconds ? hostRates(prevHost, cur, input.seconds) : null;
      cur.deviceRates = prevHost && input.seconds ? deviceRates(prevHost, cur, input.seconds) : null;
      prevHost = cur;
      return cur;
    },
    readNetDev: () => null,
    hostNetNs: () => 0,
  };
}

/** Loaded on first use, so that Linux, which never uses this reader, does not hold the library (several MB of memory). */
async function loadSysteminformation(): Promise<typeof import('systeminformation')> {
  return import('systeminformation');
}
