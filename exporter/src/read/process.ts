import { readdirSync, readlinkSync } from 'node:fs';
import { ReadError } from '../errors';
import type { CollectErrorReason } from '@procsight/contract';
import type { MissingField, ProcIdentity, ProcSample } from './types';
import type { ProcFs } from './procfs';
import { parseCgroup } from './parse/cgroup';
import { parseIo } from './parse/io';
import { parseOpenFilesLimit } from './parse/limits';
import { parseSchedstat, schedstatTimeslices } from './parse/schedstat';
import { PF_KTHREAD, parseStat } from './parse/stat';
import { parseCtxSwitches, parseStatus } from './parse/status';
import { readSmaps, readThreads, type DetailOptions } from './detail';
import { errnoCode } from '../util/error-message';

/** USER_HZ: clock ticks per second in /proc (100 on every Linux architecture in use). */
export const CLOCK_TICKS = 100;

/**
 * Maps a failed read to an error tier. A refusal (EACCES, EPERM) is
 * `permission` when the reader lacks privileges, `protected` when it has them
 * (`privileged`: see canInspectAllProcesses) and the kernel still refuses
 * because of the target process (its ptrace access check: a security module,
 * capabilities the reader does not hold, e.g. a sandbox's init agent).
 */
export function classify(e: unknown, opts: { privileged: boolean } = { privileged: false }): CollectErrorReason {
  if (e instanceof ReadError) return e.reason;
  const code = errnoCode(e);
  if (code === 'ENOENT' || code === 'ESRCH') return 'vanished';
  if (code === 'EACCES' || code === 'EPERM') return opts.privileged ? 'protected' : 'permission';
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

/** What went wrong while reading a process's optional files (counted by the collector). */
type ErrorCounts = Partial<Record<CollectErrorReason, number>>;

function countError(errors: ErrorCounts, reason: CollectErrorReason): void {
  errors[reason] = (errors[reason] ?? 0) + 1;
}

/** A process's stat, parsed; throws ReadError with the failure's reason (`vanished` when the process is gone). */
/** `held`: through a descriptor kept open (a file read at every cycle: ProcFs.readHeld). */
function readStat(fs: ProcFs, pid: number, privileged: boolean, held = false): ReturnType<typeof parseStat> {
  let text: string;
  try {
    text = held ? fs.readHeld(pid, 'stat') : fs.read(pid, 'stat');
  } catch (e) {
    throw new ReadError(classify(e, { privileged }), `stat of ${pid}`, { cause: e });
  }
  return parseStat(text);
}

export interface SampleResult {
  sample: ProcSample;
  errors: Readonly<ErrorCounts>;
  /** Fields whose read was refused (for a one-time warning). */
  missing: readonly MissingField[];
}

/**
 * Reads one process: stat, status, io, schedstat and the fd count. Threads'
 * context switches and run-queue wait are summed over task/* for
 * multi-threaded processes (up to `threadTaskCap` threads).
 *
 * With `previous` (the last sample of the same process), a process that has
 * not run since costs one read, and its last sample is carried over: a
 * process that did not run cannot have used CPU, done I/O, opened fds, faulted
 * or switched. Single-threaded: `schedstat`, whose count of times scheduled
 * did not move. Multi-threaded: `stat`, whose CPU time (all threads), faults
 * and thread count did not move; a thread that ran less than a clock tick
 * without faulting shows up at the next full read, its counters being
 * cumulative. Fields that change without the process running (RSS and swap
 * under reclaim) are kept fresh by the full reads `refresh` asks for.
 *
 * Throws ReadError('vanished') when the process is gone; other files that
 * fail give a null field and a counted error. `privileged` (the exporter can
 * inspect every process: canInspectAllProcesses) makes a refused file count
 * as `protected` instead of `permission`.
 */
export function readProcessSample(fs: ProcFs, pid: number, opts: SampleOptions): SampleResult {
  const privileged = opts.privileged ?? false;
  const before = opts.refresh ? undefined : opts.previous;
  // The idle check's file (schedstat of a one-thread process, stat of the others) is read at every cycle: held open.
  let schedstat: ReturnType<typeof parseSchedstat> | null = null;
  if (before && before.threads === 1 && before.timeslices !== null) {
    const text = readSchedstatOrNull(fs, pid, privileged);
    if (text !== null) {
      if (schedstatTimeslices(text) === before.timeslices) return unchanged(before);
      schedstat = parseSchedstatOrNull(text);
    }
  }
  const st = readStat(fs, pid, privileged, opts.previous !== undefined && opts.previous.threads > 1); // a parse error drops the sample (counted by the caller)
  if (
    before &&
    st.threads > 1 &&
    before.startTicks === st.startTicks &&
    before.threads === st.threads &&
    before.cpuUserSeconds === st.utimeTicks / CLOCK_TICKS &&
    before.cpuSystemSeconds === st.stimeTicks / CLOCK_TICKS &&
    before.minorFaults === st.minorFaults &&
    before.majorFaults === st.majorFaults
  ) {
    return unchanged(before);
  }
  return readChangedSample(fs, pid, opts, st, schedstat);
}

interface SampleOptions {
  threadTaskCap: number;
  previous?: ProcSample;
  privileged?: boolean;
  refresh?: boolean;
  detail?: DetailOptions;
}

/**
 * The rest of a process that ran since its last sample (or has none): apart
 * from the idle checks above, which run for every process at every cycle and
 * so allocate nothing but the file's text.
 */
function readChangedSample(
  fs: ProcFs,
  pid: number,
  opts: SampleOptions,
  st: ReturnType<typeof parseStat>,
  schedstat: ReturnType<typeof parseSchedstat> | null,
): SampleResult {
  const how = { privileged: opts.privileged ?? false };
  const errors: ErrorCounts = {};
  const missing: MissingField[] = [];
  const fail = (field: string, e: unknown): null => {
    const r = classify(e, how);
    countError(errors, r);
    if (r === 'permission' || r === 'protected') missing.push({ pid, field, file: fs.path(pid, field), reason: r });
    return null;
  };
  const prev = opts.previous && opts.previous.startTicks === st.startTicks ? opts.previous : undefined;
  const kernel = (st.flags & PF_KTHREAD) !== 0;

  let status: ReturnType<typeof parseStatus> | null = null;
  try {
    status = parseStatus(fs.read(pid, 'status'));
  } catch (e) {
    fail('status', e);
  }
  const sample: ProcSample = {
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
    readBytes: null,
    writeBytes: null,
    voluntaryCtxSwitches: status?.voluntaryCtxSwitches ?? null,
    nonvoluntaryCtxSwitches: status?.nonvoluntaryCtxSwitches ?? null,
    cpuWaitSeconds: null,
    timeslices: null,
    openFds: kernel ? 0 : null, // kernel threads hold no file descriptors
    processor: st.processor,
    // Affinity rarely changes: a status that failed keeps the last one known.
    cpusAllowed: status ? status.cpusAllowed : (prev?.cpusAllowed ?? null),
  };
  const carryOver = (): SampleResult => {
    sample.readBytes = prev?.readBytes ?? null;
    sample.writeBytes = prev?.writeBytes ?? null;
    sample.cpuWaitSeconds = prev?.cpuWaitSeconds ?? null;
    sample.openFds = prev?.openFds ?? sample.openFds;
    if (opts.detail?.smaps) {
      sample.pssBytes = prev?.pssBytes ?? null;
      sample.swapPssBytes = prev?.swapPssBytes ?? null;
    }
    if (opts.detail?.threads && st.threads > 1) sample.threadDetail = prev?.threadDetail ?? null;
    return { sample, errors, missing };
  };

  if (st.threads > 1) {
    const tasks = taskSchedstats(fs, pid, opts.threadTaskCap, fail);
    if (tasks) {
      // A thread file that failed for another reason than the thread's exit leaves
      // the sum incomplete: unknown this cycle (adds 0), not a dip whose rebound
      // would count the thread's whole history again.
      sample.cpuWaitSeconds = tasks.complete ? tasks.waitNs / 1e9 : null;
      sample.timeslices = tasks.complete ? tasks.timeslices : null;
      const idle =
        prev !== undefined &&
        tasks.complete &&
        prev.timeslices === tasks.timeslices &&
        prev.threads === st.threads &&
        // stat covers every thread, also those past the cap
        prev.cpuUserSeconds === sample.cpuUserSeconds &&
        prev.cpuSystemSeconds === sample.cpuSystemSeconds;
      if (idle) {
        sample.voluntaryCtxSwitches = prev.voluntaryCtxSwitches;
        sample.nonvoluntaryCtxSwitches = prev.nonvoluntaryCtxSwitches;
        return carryOver();
      }
      const sw = taskSwitches(fs, pid, tasks.tids, fail);
      sample.voluntaryCtxSwitches = sw.complete ? sw.voluntary : null;
      sample.nonvoluntaryCtxSwitches = sw.complete ? sw.nonvoluntary : null;
      if (opts.detail?.threads) sample.threadDetail = readThreads(fs, pid, tasks.tids, { counters: opts.detail.threadCounters, fail });
    } else {
      // The main thread's figures are another quantity than the threads' sum: unknown this cycle.
      sample.voluntaryCtxSwitches = null;
      sample.nonvoluntaryCtxSwitches = null;
    }
  } else {
    const idle =
      prev !== undefined &&
      prev.cpuUserSeconds === sample.cpuUserSeconds &&
      prev.cpuSystemSeconds === sample.cpuSystemSeconds &&
      prev.voluntaryCtxSwitches === sample.voluntaryCtxSwitches &&
      prev.nonvoluntaryCtxSwitches === sample.nonvoluntaryCtxSwitches &&
      sample.voluntaryCtxSwitches !== null;
    if (idle) {
      sample.timeslices = prev.timeslices;
      return carryOver();
    }
    try {
      const ss = schedstat ?? parseSchedstat(fs.read(pid, 'schedstat'));
      sample.cpuWaitSeconds = ss.waitNs / 1e9;
      sample.timeslices = ss.timeslices;
    } catch (e) {
      // No schedstat (kernel without CONFIG_SCHEDSTATS) is "no data", not a failure.
      if (errnoCode(e) !== 'ENOENT') fail('schedstat', e);
    }
  }
  if (st.state !== 'zombie') {
    try {
      const io = parseIo(fs.read(pid, 'io'));
      sample.readBytes = io.readBytes;
      sample.writeBytes = io.writeBytes;
    } catch (e) {
      fail('io', e);
    }
    // Zombies have released their fds; kernel threads have none.
    if (!kernel) {
      try {
        sample.openFds = fs.countFds(pid);
      } catch (e) {
        fail('fd', e);
      }
    }
  }
  if (opts.detail?.smaps) Object.assign(sample, kernel || st.state === 'zombie' ? { pssBytes: 0, swapPssBytes: 0 } : readSmaps(fs, pid, fail));
  return { sample, errors, missing };
}

/**
 * The last sample again: the process has not run since. The sample itself
 * (samples are not changed once read) and shared empty lists: an idle
 * process's read allocates nothing more.
 */
function unchanged(previous: ProcSample): SampleResult {
  return { sample: previous, errors: NO_ERRORS, missing: NO_MISSING };
}

const NO_ERRORS: Readonly<ErrorCounts> = Object.freeze({});
const NO_MISSING: readonly MissingField[] = Object.freeze([]);

/**
 * The text of a single-threaded process's schedstat (the cheap look), or null
 * when it cannot be read (the full read then counts why). A process that is
 * gone throws ReadError('vanished') as the stat read would.
 */
function readSchedstatOrNull(fs: ProcFs, pid: number, privileged: boolean): string | null {
  try {
    return fs.readHeld(pid, 'schedstat');
  } catch (e) {
    const reason = classify(e, { privileged });
    if (reason === 'vanished') throw new ReadError(reason, `schedstat of ${pid}`, { cause: e });
    return null;
  }
}

/** A schedstat text parsed, or null when malformed (the full read then reads it again and counts why). */
function parseSchedstatOrNull(text: string): ReturnType<typeof parseSchedstat> | null {
  try {
    return parseSchedstat(text);
  } catch (e) {
    if (e instanceof ReadError) return null;
    throw e;
  }
}

/** Records a failed read of a thread file (counted like the process's own files). */
type FailFn = (field: string, e: unknown) => null;

/**
 * Run-queue wait and timeslices summed over the threads (up to `cap`); null
 * when task/ is unreadable. `complete` as in `eachThreadFile`.
 */
function taskSchedstats(fs: ProcFs, pid: number, cap: number, fail: FailFn): { tids: string[]; waitNs: number; timeslices: number; complete: boolean } | null {
  let tids: string[];
  try {
    tids = readdirSync(fs.path(pid, 'task'));
  } catch (e) {
    if (classify(e) !== 'vanished') fail('task', e);
    return null; // gone or unreadable: the caller reports the sums as unknown
  }
  if (tids.length > cap) tids = tids.slice(0, cap);
  let waitNs = 0;
  let timeslices = 0;
  const complete = eachThreadFile(fs, pid, tids, 'schedstat', fail, (text) => {
    const s = parseSchedstat(text);
    waitNs += s.waitNs;
    timeslices += s.timeslices;
  });
  return { tids, waitNs, timeslices, complete };
}

/** Context switches summed over the given threads; `complete` as in `eachThreadFile`. */
function taskSwitches(fs: ProcFs, pid: number, tids: readonly string[], fail: FailFn): { voluntary: number; nonvoluntary: number; complete: boolean } {
  let voluntary = 0;
  let nonvoluntary = 0;
  const complete = eachThreadFile(fs, pid, tids, 'status', fail, (text) => {
    const c = parseCtxSwitches(text);
    voluntary += c.voluntary;
    nonvoluntary += c.nonvoluntary;
  });
  return { voluntary, nonvoluntary, complete };
}

/**
 * Hands each thread's `file` to `add` (which parses before it sums). Returns
 * false when a thread's file failed for another reason than the thread's exit
 * (counted by `fail`): the sum is then incomplete. A thread that exited
 * mid-read leaves the sum for good (see docs/architecture.md).
 */
function eachThreadFile(fs: ProcFs, pid: number, tids: readonly string[], file: 'schedstat' | 'status', fail: FailFn, add: (text: string) => void): boolean {
  let complete = true;
  for (const tid of tids) {
    try {
      add(fs.read(pid, 'task', tid, file));
    } catch (e) {
      if (classify(e) !== 'vanished') {
        complete = false;
        fail('task', e);
      }
    }
  }
  return complete;
}

/**
 * procfs files are read as latin1 (cheap, byte for byte); names and command
 * lines are UTF-8 on every current system, so they are decoded again (bytes
 * that are not UTF-8, or a character cut by comm's 15-byte limit, become U+FFFD).
 */
export function utf8(latin1: string): string {
  // Pure ASCII (the usual case) needs no copy.
  // eslint-disable-next-line no-control-regex -- the whole Latin-1 range above ASCII is the test
  return /[^\x00-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

/**
 * A file of the identity, or '' when it cannot be read (counted). A vanished
 * process throws, except for cmdline (empty for zombies and kernel threads).
 */
function readOrEmpty(fs: ProcFs, pid: number, file: string, ctx: { errors: ErrorCounts; privileged: boolean }): string {
  try {
    return fs.read(pid, file);
  } catch (e) {
    const reason = classify(e, ctx);
    if (reason === 'vanished' && file !== 'cmdline') throw new ReadError('vanished', fs.path(pid, file), { cause: e });
    if (reason !== 'vanished') countError(ctx.errors, reason);
    return '';
  }
}

/** A symlink of the identity (exe, ns/net), or '' when it cannot be read; `absentOk`: ENOENT is expected (kernel threads have no exe). */
function linkOrEmpty(path: string, ctx: { errors: ErrorCounts; privileged: boolean; absentOk: boolean }): string {
  try {
    return readlinkSync(path);
  } catch (e) {
    const reason = classify(e, ctx);
    if (!(reason === 'vanished' && ctx.absentOk)) countError(ctx.errors, reason);
    return '';
  }
}

/** `parse(text)`; null when `text` is empty (unreadable: counted by readOrEmpty) or unparsable (counted as `parse`). */
function parseCounted<T>(text: string, parse: (text: string) => T, errors: ErrorCounts): T | null {
  if (!text) return null;
  try {
    return parse(text);
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    countError(errors, 'parse');
    return null;
  }
}

export interface IdentityResult {
  identity: ProcIdentity;
  /** Optional parts that could not be read (the identity has them empty or null). */
  errors: ErrorCounts;
}

/**
 * Reads what does not change during a process's life, once per new
 * (pid, start time): comm, exe, cmdline, cgroup, user, net namespace, fd limit.
 * Throws ReadError('vanished') when the process is gone.
 */
export function readProcessIdentity(
  fs: ProcFs,
  pid: number,
  opts: { usernames: ReadonlyMap<number, string>; privileged?: boolean; bootTimeSeconds?: number },
): IdentityResult {
  const errors: ErrorCounts = {};
  const ctx = { errors, privileged: opts.privileged ?? false };
  const st = readStat(fs, pid, ctx.privileged); // failures counted by the collector
  const kernelThread = (st.flags & PF_KTHREAD) !== 0;
  const uid = parseCounted(readOrEmpty(fs, pid, 'status', ctx), (t) => parseStatus(t).uid, errors) ?? -1;
  const argv = utf8(readOrEmpty(fs, pid, 'cmdline', ctx)).split('\0');
  while (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
  const cg = parseCgroup(readOrEmpty(fs, pid, 'cgroup', ctx));
  const ns = /^net:\[(\d+)\]$/.exec(linkOrEmpty(fs.path(pid, 'ns', 'net'), { ...ctx, absentOk: false }));
  // Unreadable or unlimited: the fd ratio is then unknown (0).
  const fdLimit = parseCounted(readOrEmpty(fs, pid, 'limits', ctx), parseOpenFilesLimit, errors);
  const exe = linkOrEmpty(fs.path(pid, 'exe'), { ...ctx, absentOk: kernelThread }).replace(/ \(deleted\)$/, '');
  return {
    identity: {
      pid,
      startTicks: st.startTicks,
      ppid: st.ppid,
      comm: utf8(st.comm),
      exe,
      cmdline: argv.join(' '),
      argv,
      cgroup: cg.path,
      containerId: cg.containerId,
      systemdUnit: cg.systemdUnit,
      controllerCgroups: cg.controllers,
      ...(cg.podUid ? { podUid: cg.podUid } : {}),
      uid,
      username: uid >= 0 ? (opts.usernames.get(uid) ?? String(uid)) : '',
      netNs: ns ? Number(ns[1]) : 0,
      fdLimit,
      kernelThread,
      ...(opts.bootTimeSeconds !== undefined ? { startTimeSeconds: opts.bootTimeSeconds + st.startTicks / CLOCK_TICKS } : {}),
    },
    errors,
  };
}
