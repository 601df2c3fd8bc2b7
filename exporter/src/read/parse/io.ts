import { ReadError } from '../../errors';
import { lineValue, uint } from './fields';

/** Parses /proc/<pid>/io: bytes that reached (or were fetched from) the storage layer. */
export function parseIo(text: string): { readBytes: number; writeBytes: number } {
  const r = lineValue(text, 'read_bytes');
  const w = lineValue(text, 'write_bytes');
  if (r === undefined || w === undefined) throw new ReadError('parse', 'io: no read_bytes/write_bytes');
  return { readBytes: uint(r, 'io', 'read_bytes'), writeBytes: uint(w, 'io', 'write_bytes') };
}
