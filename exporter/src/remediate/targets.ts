import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStat } from '../read/parse/stat';
import type { ProcIdentity } from '../read/types';
import type { Target } from './types';
import { errnoCode } from '../util/error-message';

/** Why a process of the group is never touched. */
export type Exclusion = 'pid_1' | 'kernel_thread' | 'exporter' | 'kthreadd_child';

/**
 * The processes of a group remediation may act on, and those it never
 * touches whatever the rules say: pid 1, kernel threads (and anything
 * kthreadd started), and the exporter itself.
 */
export function eligibleTargets(
  processes: ReadonlyArray<{ identity: ProcIdentity }>,
  selfPid: number,
): { targets: Target[]; excluded: Array<{ pid: number; comm: string; why: Exclusion }> } {
  const targets: Target[] = [];
  const excluded: Array<{ pid: number; comm: string; why: Exclusion }> = [];
  for (const { identity: id } of processes) {
    const why: Exclusion | null =
      id.pid === 1 ? 'pid_1' : id.kernelThread || id.pid === 2 ? 'kernel_thread' : id.ppid === 2 ? 'kthreadd_child' : id.pid === selfPid ? 'exporter' : null;
    if (why) excluded.push({ pid: id.pid, comm: id.comm, why });
    else targets.push({ pid: id.pid, startTicks: id.startTicks, comm: id.comm });
  }
  return { targets: targets.sort((a, b) => a.pid - b.pid), excluded };
}

/**
 * Whether the process is still the one the exporter saw (same pid and start
 * time): read right before every change, so a pid reused in between is never
 * touched.
 */
export function stillSame(procfs: string, t: Target): boolean {
  let text: string;
  try {
    text = readFileSync(join(procfs, String(t.pid), 'stat'), 'latin1');
  } catch {
    return false; // gone (ENOENT, ESRCH) or unreadable: either way it cannot be checked, so it is not touched
  }
  try {
    return parseStat(text).startTicks === t.startTicks;
  } catch {
    return false;
  }
}

/** The thread ids of a process (at most `cap`); empty when it is gone. */
export function threadsOf(procfs: string, pid: number, cap = 4096): number[] {
  try {
    return readdirNumbers(join(procfs, String(pid), 'task')).slice(0, cap);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
}

function readdirNumbers(dir: string): number[] {
  return readdirSync(dir)
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}
