import { ReadError } from '../../errors';
import { kbValue, lineValue, uint } from './fields';
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
  const uidLine = lineValue(text, 'Uid');
  if (uidLine === undefined) throw new ReadError('parse', 'status: no Uid line');
  return {
    rssBytes: kbValue(lineValue(text, 'VmRSS'), 'status', 'VmRSS'),
    vmsBytes: kbValue(lineValue(text, 'VmSize'), 'status', 'VmSize'),
    swapBytes: kbValue(lineValue(text, 'VmSwap'), 'status', 'VmSwap'),
    voluntaryCtxSwitches: optionalUint(text, 'voluntary_ctxt_switches'),
    nonvoluntaryCtxSwitches: optionalUint(text, 'nonvoluntary_ctxt_switches'),
    uid: uint(uidLine.split(/\s+/)[0], 'status', 'Uid'),
    cpusAllowed: cpusOf(lineValue(text, 'Cpus_allowed_list')),
  };
}

function optionalUint(text: string, key: string): number | null {
  const v = lineValue(text, key);
  return v === undefined ? null : uint(v, 'status', key);
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
