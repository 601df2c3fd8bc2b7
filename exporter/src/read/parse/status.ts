import { ReadError } from '../../errors';
import { kbValue, keyValueLines, uint } from './fields';
import { cpuListOf } from './cpulist';

export interface ParsedStatus {
  /** null for kernel threads (no Vm* lines). */
  rssBytes: number | null;
  vmsBytes: number | null;
  swapBytes: number | null;
  voluntaryCtxSwitches: number | null;
  nonvoluntaryCtxSwitches: number | null;
  uid: number;
  /** CPUs the (main) thread may run on (`Cpus_allowed_list`: affinity within its cpuset); null when absent. */
  cpusAllowed: readonly number[] | null;
}

/** Parses /proc/<pid>/status (or task/<tid>/status). */
export function parseStatus(text: string): ParsedStatus {
  const kv = keyValueLines(text);
  const uidLine = kv.get('Uid');
  if (uidLine === undefined) throw new ReadError('parse', 'status: no Uid line');
  const opt = (k: string): number | null => {
    const v = kv.get(k);
    return v === undefined ? null : uint(v, 'status', k);
  };
  return {
    rssBytes: kbValue(kv.get('VmRSS'), 'status', 'VmRSS'),
    vmsBytes: kbValue(kv.get('VmSize'), 'status', 'VmSize'),
    swapBytes: kbValue(kv.get('VmSwap'), 'status', 'VmSwap'),
    voluntaryCtxSwitches: opt('voluntary_ctxt_switches'),
    nonvoluntaryCtxSwitches: opt('nonvoluntary_ctxt_switches'),
    uid: uint(uidLine.split(/\s+/)[0], 'status', 'Uid'),
    cpusAllowed: cpusOf(kv.get('Cpus_allowed_list')),
  };
}

function cpusOf(list: string | undefined): readonly number[] | null {
  return list === undefined ? null : cpuListOf(list);
}

/** Only the two context-switch lines (per-thread reads; cheaper than a full parse). */
export function parseCtxSwitches(text: string): { voluntary: number; nonvoluntary: number } {
  const v = /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(text);
  const n = /^nonvoluntary_ctxt_switches:\s*(\d+)$/m.exec(text);
  if (!v || !n) throw new ReadError('parse', 'status: no ctxt_switches lines');
  return { voluntary: uint(v[1], 'status', 'voluntary_ctxt_switches'), nonvoluntary: uint(n[1], 'status', 'nonvoluntary_ctxt_switches') };
}

/** Capability bits (linux/capability.h) a reader needs to see every process's /proc files. */
const CAP_DAC_READ_SEARCH = 2; // open other users' 0400 files (io, limits) and fd/ directories
const CAP_SYS_PTRACE = 19; // pass the kernel's ptrace access check (io, fd/, environ, ns/*)

/** The effective capability set (CapEff, hex) of a status text; null when the line is absent or malformed. */
export function parseEffectiveCaps(text: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-fA-F]{1,16})$/m.exec(text);
  return m ? BigInt(`0x${m[1]}`) : null;
}

/**
 * Whether a process with this status can read every process's /proc files
 * as far as privileges go (CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH effective,
 * as root has by default). For such a reader a refused file is the kernel's
 * policy about the target (`protected`), not a privilege it lacks (`permission`).
 */
export function canInspectAllProcesses(statusText: string): boolean {
  const caps = parseEffectiveCaps(statusText);
  if (caps === null) return false;
  const has = (bit: number): boolean => ((caps >> BigInt(bit)) & 1n) === 1n;
  return has(CAP_SYS_PTRACE) && has(CAP_DAC_READ_SEARCH);
}
