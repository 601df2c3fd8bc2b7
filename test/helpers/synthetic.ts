import type { ProcIdentity, ProcSample } from '../../exporter/src/types';

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
    ...over,
  };
}
