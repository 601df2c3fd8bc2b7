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

/** The cgroup v2 hierarchy under `root`: the mount itself (unified), `unified/` (hybrid), or none (v1 only). */
export function v2Root(root: string): string | null {
  if (existsSync(join(root, 'cgroup.controllers'))) return root;
  if (existsSync(join(root, 'unified', 'cgroup.controllers'))) return join(root, 'unified');
  return null;
}

/** Where memory cgroups are and which files hold their usage and limit: fixed for the host's life, so found once. */
export interface MemoryLayout {
  base: string;
  usageFile: string;
  limitFile: string;
}

/**
 * The v1 memory hierarchy (`<root>/memory`) when the host mounts one, else v2
 * (`<root>`, or `<root>/unified` on hybrid hosts).
 */
export function memoryLayout(root: string): MemoryLayout {
  if (existsSync(join(root, 'memory', 'memory.limit_in_bytes'))) {
    return { base: join(root, 'memory'), usageFile: 'memory.usage_in_bytes', limitFile: 'memory.limit_in_bytes' };
  }
  return { base: v2Root(root) ?? join(root, 'unified'), usageFile: 'memory.current', limitFile: 'memory.max' };
}

/**
 * Usage and limit of the memory cgroup at `path` (a process's memory line of
 * /proc/<pid>/cgroup) in the given layout. null when the cgroup has no limit
 * or cannot be found.
 */
export function readCgroupMemory(layout: MemoryLayout, path: string): CgroupMemory | null {
  const dir = join(layout.base, path);
  const limit = readOptional(join(dir, layout.limitFile));
  const limitBytes = limit === null ? null : parseMemoryLimit(limit);
  if (limitBytes === null) return null;
  const usage = readOptional(join(dir, layout.usageFile));
  const usageBytes = usage === null ? NaN : Number(usage.trim());
  return Number.isFinite(usageBytes) ? { usageBytes, limitBytes } : null;
}
