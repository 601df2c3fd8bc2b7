import { ReadError } from '../../errors';
import type { ProcState } from '@procsight/contract';
import { uint } from './fields';

export interface ParsedStat {
  pid: number;
  comm: string;
  state: ProcState;
  ppid: number;
  /** Kernel flags (PF_*), field 9. */
  flags: number;
  minorFaults: number;
  majorFaults: number;
  utimeTicks: number;
  stimeTicks: number;
  threads: number;
  startTicks: number;
  /** delayacct_blkio_ticks (field 42); 0 when the kernel does not report it. */
  blkioTicks: number;
  /** CPU the task last ran on (field 39, `processor`); null when the kernel does not report it. */
  processor: number | null;
}

const STATES: Record<string, ProcState> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk_sleep',
  Z: 'zombie',
  T: 'stopped',
  t: 'stopped',
  I: 'idle',
};

/** PF_KTHREAD: the task is a kernel thread. */
export const PF_KTHREAD = 0x00200000;

/**
 * Parses /proc/<pid>/stat. comm may hold spaces and parentheses, so it runs
 * from the first `(` to the LAST `)`; fields are counted after that.
 */
export function parseStat(text: string): ParsedStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) throw new ReadError('parse', 'stat: no (comm)');
  const pid = uint(text.slice(0, open).trim(), 'stat', 'pid');
  const comm = text.slice(open + 1, close);
  // After ") " come fields 3.. (state is field 3).
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  if (f.length < 20) throw new ReadError('parse', `stat: only ${f.length} fields after comm`);
  const field = (n: number, name: string): number => uint(f[n - 3], 'stat', name);
  return {
    pid,
    comm,
    state: STATES[f[0]] ?? 'other',
    ppid: field(4, 'ppid'),
    flags: field(9, 'flags'),
    minorFaults: field(10, 'minflt'),
    majorFaults: field(12, 'majflt'),
    utimeTicks: field(14, 'utime'),
    stimeTicks: field(15, 'stime'),
    threads: field(20, 'num_threads'),
    startTicks: field(22, 'starttime'),
    blkioTicks: f.length >= 40 ? field(42, 'delayacct_blkio_ticks') : 0,
    processor: f.length >= 37 ? field(39, 'processor') : null,
  };
}
