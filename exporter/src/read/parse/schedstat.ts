import { ReadError } from '../../errors';
import { uint } from './fields';

/** Parses /proc/<pid>/schedstat: time on CPU, time waiting on a run queue (ns), timeslices. */
export function parseSchedstat(text: string): { runNs: number; waitNs: number; timeslices: number } {
  const f = text.trim().split(/\s+/);
  if (f.length < 3) throw new ReadError('parse', 'schedstat: expected 3 fields');
  return { runNs: uint(f[0], 'schedstat', 'run'), waitNs: uint(f[1], 'schedstat', 'wait'), timeslices: uint(f[2], 'schedstat', 'timeslices') };
}

/**
 * Only the timeslices (third field) of a schedstat text, without splitting
 * it: the idle check reads this for every process at every cycle. The same
 * value as parseSchedstat's when that succeeds; null when it would fail.
 */
export function schedstatTimeslices(text: string): number | null {
  let i = 0;
  let value = 0;
  for (let field = 0; field < 3; field++) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    value = 0;
    for (; i < text.length && !isSpace(text.charCodeAt(i)); i++) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > ZERO + 9) return null;
      value = value * 10 + (c - ZERO);
    }
    if (i === start || !Number.isSafeInteger(value)) return null;
  }
  return value;
}

const ZERO = 48;

/** What `\s` matches (split and trim separate fields on it); the kernel writes only spaces and a newline. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
