import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ReadError } from '../errors';
import { readSmallFile } from './procfs';
import { classify } from './process';
import type { CgroupMemory } from './types';
import { errnoCode } from '../util/error-message';

/**
 * A limit at or above this many bytes is "no limit": cgroup v1 writes
 * PAGE_COUNTER_MAX × page size (about 2^63 rounded down to a page) there.
 */
const UNLIMITED_BYTES = 2 ** 60;

/** memory.max (v2) or memory.limit_in_bytes (v1) → bytes; null when there is no limit. */
export function parseMemoryLimit(text: string): number | null {
  const t = text.trim();
  if (t === 'max') return null;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 && n < UNLIMITED_BYTES ? n : null;
}

/** One file's text; null when the cgroup is gone (a "no data" case, not an error). */
function readOptional(path: string): string | null {
  try {
    return readSmallFile(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw new ReadError(classify(e), path, { cause: e });
  }
}

/**
 * Usage and limit of the memory cgroup at `path` (a process's memory line of
 * /proc/<pid>/cgroup): the v1 memory hierarchy (`<root>/memory/<path>`) when
 * the host mounts one, else v2 (`<root>/<path>`, or `<root>/unified/<path>` on
 * hybrid hosts). null when the cgroup has no limit or cannot be found.
 */
export function readCgroupMemory(root: string, path: string): CgroupMemory | null {
  const v1 = join(root, 'memory', path);
  const [usageFile, limitFile, dir] = existsSync(join(root, 'memory', 'memory.limit_in_bytes'))
    ? ['memory.usage_in_bytes', 'memory.limit_in_bytes', v1]
    : ['memory.current', 'memory.max', existsSync(join(root, 'cgroup.controllers')) ? join(root, path) : join(root, 'unified', path)];
  const limit = readOptional(join(dir, limitFile));
  const limitBytes = limit === null ? null : parseMemoryLimit(limit);
  if (limitBytes === null) return null;
  const usage = readOptional(join(dir, usageFile));
  const usageBytes = usage === null ? NaN : Number(usage.trim());
  return Number.isFinite(usageBytes) ? { usageBytes, limitBytes } : null;
}
