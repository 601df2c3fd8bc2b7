import { ReadError } from '../../errors';
import { kbValue, keyValueLines, uint } from './fields';

export interface ParsedStatus {
  /** null for kernel threads (no Vm* lines). */
  rssBytes: number | null;
  vmsBytes: number | null;
  swapBytes: number | null;
  voluntaryCtxSwitches: number | null;
  nonvoluntaryCtxSwitches: number | null;
  uid: number;
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
  };
}

/** Only the two context-switch lines (per-thread reads; cheaper than a full parse). */
export function parseCtxSwitches(text: string): { voluntary: number; nonvoluntary: number } {
  const v = /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(text);
  const n = /^nonvoluntary_ctxt_switches:\s*(\d+)$/m.exec(text);
  if (!v || !n) throw new ReadError('parse', 'status: no ctxt_switches lines');
  return { voluntary: uint(v[1], 'status', 'voluntary_ctxt_switches'), nonvoluntary: uint(n[1], 'status', 'nonvoluntary_ctxt_switches') };
}
