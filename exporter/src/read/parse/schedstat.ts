import { ReadError } from '../../errors';
import { uint } from './fields';

/** Parses /proc/<pid>/schedstat: time on CPU, time waiting on a run queue (ns), timeslices. */
export function parseSchedstat(text: string): { runNs: number; waitNs: number; timeslices: number } {
  const f = text.trim().split(/\s+/);
  if (f.length < 3) throw new ReadError('parse', 'schedstat: expected 3 fields');
  return { runNs: uint(f[0], 'schedstat', 'run'), waitNs: uint(f[1], 'schedstat', 'wait'), timeslices: uint(f[2], 'schedstat', 'timeslices') };
}
