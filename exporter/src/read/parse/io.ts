import { ReadError } from '../../errors';
import { keyValueLines, uint } from './fields';

/** Parses /proc/<pid>/io: bytes that reached (or were fetched from) the storage layer. */
export function parseIo(text: string): { readBytes: number; writeBytes: number } {
  const kv = keyValueLines(text);
  const r = kv.get('read_bytes');
  const w = kv.get('write_bytes');
  if (r === undefined || w === undefined) throw new ReadError('parse', 'io: no read_bytes/write_bytes');
  return { readBytes: uint(r, 'io', 'read_bytes'), writeBytes: uint(w, 'io', 'write_bytes') };
}
