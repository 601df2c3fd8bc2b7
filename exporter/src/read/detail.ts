import { keyValueLines, kbValue } from './parse/fields';
import { parseIo } from './parse/io';
import { parseStat } from './parse/stat';
import { parseCtxSwitches } from './parse/status';
import type { ProcFs } from './procfs';
import type { ThreadSample } from './types';
import { errnoCode } from '../util/error-message';

/**
 * What process-exporter reads beyond procsight's own sample, read only when
 * its series are exported (--compat.process-exporter or its flags):
 * smaps_rollup for proportional memory (-gather-smaps), and each thread of a
 * multi-threaded process: its stat for its name, state, CPU and faults, and
 * for the thread series (-threads) its io and status.
 */
export interface DetailOptions {
  /** Read smaps_rollup (Pss, SwapPss). Walks the process's mappings under its mmap lock: not free on big processes. */
  smaps: boolean;
  /** Read each thread's stat (states, and names for thread series). */
  threads: boolean;
  /** Also each thread's io and status (the thread series' counters). */
  threadCounters: boolean;
}

const CLOCK_TICKS = 100;

/** Pss and SwapPss of /proc/<pid>/smaps_rollup; 0 for a process without mappings (kernel threads: empty file). */
export function parseSmapsRollup(text: string): { pssBytes: number; swapPssBytes: number } {
  const kv = keyValueLines(text);
  return { pssBytes: kbValue(kv.get('Pss'), 'smaps_rollup', 'Pss') ?? 0, swapPssBytes: kbValue(kv.get('SwapPss'), 'smaps_rollup', 'SwapPss') ?? 0 };
}

/** Records a failed read (the reader counts it like the process's own files). */
type FailFn = (field: string, e: unknown) => null;

/** A thread that exited between the listing and the read is no failure. */
const gone = (e: unknown): boolean => ['ENOENT', 'ESRCH'].includes(errnoCode(e) ?? '');

/** Each listed thread, in tid order; threads that exited meanwhile are left out. */
export function readThreads(fs: ProcFs, pid: number, tids: readonly string[], opts: { counters: boolean; fail: FailFn }): ThreadSample[] {
  const out: ThreadSample[] = [];
  for (const tid of tids) {
    let t: ThreadSample;
    try {
      const st = parseStat(fs.read(pid, 'task', tid, 'stat'));
      t = {
        tid: Number(tid),
        name: st.comm,
        state: st.state,
        cpuUserSeconds: st.utimeTicks / CLOCK_TICKS,
        cpuSystemSeconds: st.stimeTicks / CLOCK_TICKS,
        minorFaults: st.minorFaults,
        majorFaults: st.majorFaults,
        readBytes: null,
        writeBytes: null,
        voluntaryCtxSwitches: null,
        nonvoluntaryCtxSwitches: null,
      };
    } catch (e) {
      if (!gone(e)) opts.fail('task', e);
      continue;
    }
    if (opts.counters) {
      try {
        const io = parseIo(fs.read(pid, 'task', tid, 'io'));
        t.readBytes = io.readBytes;
        t.writeBytes = io.writeBytes;
      } catch (e) {
        if (!gone(e)) opts.fail('io', e);
      }
      try {
        const sw = parseCtxSwitches(fs.read(pid, 'task', tid, 'status'));
        t.voluntaryCtxSwitches = sw.voluntary;
        t.nonvoluntaryCtxSwitches = sw.nonvoluntary;
      } catch (e) {
        if (!gone(e)) opts.fail('task', e);
      }
    }
    out.push(t);
  }
  return out;
}

/** smaps_rollup of a process, or nulls when it cannot be read (counted by `fail`; absent on kernels before 4.14). */
export function readSmaps(fs: ProcFs, pid: number, fail: FailFn): { pssBytes: number | null; swapPssBytes: number | null } {
  try {
    return parseSmapsRollup(fs.read(pid, 'smaps_rollup'));
  } catch (e) {
    if (!gone(e)) fail('smaps_rollup', e);
    return { pssBytes: null, swapPssBytes: null };
  }
}
