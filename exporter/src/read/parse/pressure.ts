import { ReadError } from '../../errors';
import type { Pressure } from '../types';
import { uint } from './fields';

/**
 * Parses a PSI file (`/proc/pressure/*`, `<cgroup>/*.pressure`):
 *   some avg10=0.00 avg60=0.00 avg300=0.00 total=12345
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=6789
 * totals are µs; returned in seconds. `full` may be absent (older kernels' cpu).
 */
export function parsePressure(text: string): Pressure {
  const some = /^some .*total=(\d+)/m.exec(text);
  if (!some) throw new ReadError('parse', 'pressure: no "some" line');
  const full = /^full .*total=(\d+)/m.exec(text);
  return { someSeconds: uint(some[1], 'pressure', 'some total') / 1e6, fullSeconds: full ? uint(full[1], 'pressure', 'full total') / 1e6 : null };
}
