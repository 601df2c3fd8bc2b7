import { readdirSync, readlinkSync } from 'node:fs';
import { ReadError } from '../errors';
import type { CollectErrorReason, ProcIdentity, ProcSample } from '../types';
import { readSmallFile, type ProcFs } from './procfs';
import { parseCgroup } from './parse/cgroup';
import { parseIo } from './parse/io';
import { parseOpenFilesLimit } from './parse/limits';
import { parseSchedstat } from './parse/schedstat';
import { PF_KTHREAD, parseStat } from './parse/stat';
import { parseCtxSwitches, parseStatus } from './parse/status';

/** USER_HZ: clock ticks per second in /proc (100 on every Linux architecture in use). */
export const CLOCK_TICKS = 100;

/** Maps a failed read to an error tier. */
export function classify(e: unknown): CollectErrorReason {
  if (e instanceof ReadError) return e.reason;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'vanished';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  return 'io';
}

/** All numeric entries of the procfs root. */
export function listPids(fs: ProcFs): number[] {
  const out: number[] = [];
  for (const name of readdirSync(fs.root)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const n = Number(name);
      if (Number.isInteger(n)) out.push(n);
    }
  }
  return out;
}

export interface SampleResult {
  sample: ProcSample;
  errors: Partial<Record<CollectErrorReason, number>>;
  /** Fields that could not be read (for a one-time warning). */
  missing: string[];
}

/**
 * Reads one process: stat, status, io, schedstat and the fd count. Threads'
 * context switches and run-queue wait are summed over task/* for
 * multi-threaded processes (up to `threadTaskCap` threads).
 * Throws ReadError('vanished') when the process is gone; other files that
 * fail give a null field and a counted error.
 */
export function readProcessSample(fs: ProcFs, pid: number, opts: { threadTaskCap: number }): SampleResult {
  let statText: string;
  try {
    statText = fs.read(pid, 'stat');
  } catch (e) {
    const r = classify(e);
    throw new ReadError(r === 'vanished' ? 'vanished' : r, `stat of ${pid}`, { cause: e });
  }
  const st = parseStat(statText); // a parse error drops the sample (counted by the caller)
  const errors: Partial<Record<CollectErrorReason, number>> = {};
  const missing: string[] = [];
  const fail = (field: string, e: unknown): null => {
    const r = classify(e);
    errors[r] = (errors[r] ?? 0) + 1;
    if (r === 'permission') missing.push(field);
    return null;
  };

  let status: ReturnType<typeof parseStatus> | null = null;
  try {
    status = parseStatus(fs.read(pid, 'status'));
  } catch (e) {
    fail('status', e);
  }
  let io: ReturnType<typeof parseIo> | null = null;
  if (st.state !== 'zombie') {
    try {
      io = parseIo(fs.read(pid, 'io'));
    } catch (e) {
      fail('io', e);
    }
  }
  let vol = status?.voluntaryCtxSwitches ?? null;
  let nonvol = status?.nonvoluntaryCtxSwitches ?? null;
  let waitNs: number | null = null;
  if (st.threads > 1) {
    const t = sumTasks(fs, pid, opts.threadTaskCap);
    if (t) {
      vol = t.voluntary;
      nonvol = t.nonvoluntary;
      waitNs = t.waitNs;
    }
  } else {
    try {
      waitNs = parseSchedstat(fs.read(pid, 'schedstat')).waitNs;
    } catch (e) {
      // No schedstat (kernel without CONFIG_SCHEDSTATS) is "no data", not a failure.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') fail('schedstat', e);
    }
  }
  let openFds: number | null = null;
  // Kernel threads hold no file descriptors; zombies have released theirs.
  if ((st.flags & PF_KTHREAD) !== 0) openFds = 0;
  else if (st.state !== 'zombie') {
    try {
      openFds = readdirSync(fs.path(pid, 'fd')).length;
    } catch (e) {
      fail('fd', e);
    }
  }
  return {
    sample: {
      pid,
      startTicks: st.startTicks,
      state: st.state,
      cpuUserSeconds: st.utimeTicks / CLOCK_TICKS,
      cpuSystemSeconds: st.stimeTicks / CLOCK_TICKS,
      minorFaults: st.minorFaults,
      majorFaults: st.majorFaults,
      threads: st.threads,
      blkioDelaySeconds: st.blkioTicks / CLOCK_TICKS,
      rssBytes: status ? (status.rssBytes ?? 0) : null,
      vmsBytes: status ? (status.vmsBytes ?? 0) : null,
      swapBytes: status ? (status.swapBytes ?? 0) : null,
      readBytes: io ? io.readBytes : null,
      writeBytes: io ? io.writeBytes : null,
      voluntaryCtxSwitches: vol,
      nonvoluntaryCtxSwitches: nonvol,
      cpuWaitSeconds: waitNs === null ? null : waitNs / 1e9,
      openFds,
    },
    errors,
    missing,
  };
}

/** Sums context switches and run-queue wait over the process's threads. null when task/ is unreadable. */
function sumTasks(fs: ProcFs, pid: number, cap: number): { voluntary: number; nonvoluntary: number; waitNs: number } | null {
  let tids: string[];
  try {
    tids = readdirSync(fs.path(pid, 'task'));
  } catch {
    return null; // gone or unreadable: the caller falls back to the main thread's figures
  }
  let voluntary = 0;
  let nonvoluntary = 0;
  let waitNs = 0;
  const n = Math.min(tids.length, cap);
  for (let i = 0; i < n; i++) {
    try {
      const c = parseCtxSwitches(fs.read(pid, 'task', tids[i], 'status'));
      voluntary += c.voluntary;
      nonvoluntary += c.nonvoluntary;
      waitNs += parseSchedstat(fs.read(pid, 'task', tids[i], 'schedstat')).waitNs;
    } catch {
      continue; // a thread that exited mid-read: its figures leave the sum (see docs/architecture.md)
    }
  }
  return { voluntary, nonvoluntary, waitNs };
}

function readOrEmpty(path: string): string {
  try {
    return readSmallFile(path);
  } catch (e) {
    if (classify(e) === 'vanished' && !path.endsWith('cmdline')) throw new ReadError('vanished', path, { cause: e });
    return '';
  }
}

function linkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // kernel threads have no exe; other users' links need privileges
  }
}

/**
 * Reads what does not change during a process's life, once per new
 * (pid, start time): comm, exe, cmdline, cgroup, user, net namespace, fd limit.
 */
export function readProcessIdentity(fs: ProcFs, pid: number, opts: { usernames: ReadonlyMap<number, string> }): ProcIdentity {
  const st = parseStat(readOrEmpty(fs.path(pid, 'stat')) || '');
  const statusText = readOrEmpty(fs.path(pid, 'status'));
  const uid = statusText ? parseStatus(statusText).uid : -1;
  const argv = readOrEmpty(fs.path(pid, 'cmdline')).split('\0');
  while (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
  const cg = parseCgroup(readOrEmpty(fs.path(pid, 'cgroup')));
  const ns = /^net:\[(\d+)\]$/.exec(linkOrEmpty(fs.path(pid, 'ns', 'net')));
  let fdLimit: number | null = null;
  try {
    fdLimit = parseOpenFilesLimit(fs.read(pid, 'limits'));
  } catch {
    fdLimit = null; // unreadable or unlimited: the fd ratio is then unknown (0)
  }
  const exe = linkOrEmpty(fs.path(pid, 'exe')).replace(/ \(deleted\)$/, '');
  return {
    pid,
    startTicks: st.startTicks,
    ppid: st.ppid,
    comm: st.comm,
    exe,
    cmdline: argv.join(' '),
    argv,
    cgroup: cg.path,
    containerId: cg.containerId,
    systemdUnit: cg.systemdUnit,
    uid,
    username: uid >= 0 ? (opts.usernames.get(uid) ?? String(uid)) : '',
    netNs: ns ? Number(ns[1]) : 0,
    fdLimit,
    kernelThread: (st.flags & PF_KTHREAD) !== 0,
  };
}
