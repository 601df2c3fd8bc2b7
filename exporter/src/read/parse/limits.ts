import { ReadError } from '../../errors';
import { uint } from './fields';

/** Soft "Max open files" from /proc/<pid>/limits; null when unlimited. */
export function parseOpenFilesLimit(text: string): number | null {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) throw new ReadError('parse', 'limits: no "Max open files" line');
  return m[1] === 'unlimited' ? null : uint(m[1], 'limits', 'Max open files');
}
