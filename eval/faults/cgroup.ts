/**
 * A memory cgroup for the contention scenarios: a small limit makes a leaker
 * and a victim started inside it compete for memory in seconds, without
 * touching the rest of the host. cgroup v1 (`/sys/fs/cgroup/memory`, as on
 * this project's test VM) or v2 (a unified hierarchy with the memory
 * controller enabled); root only.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemoryCgroup {
  /** Directory to start processes in (its cgroup.procs). */
  dir: string;
  /** Its path as /proc/<pid>/cgroup shows it (what procsight reports). */
  path: string;
  remove(): Promise<void>;
}

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup';

/** Why a memory cgroup cannot be made here, or null when it can. */
export function memoryCgroupUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  if (existsSync(join(V1, 'memory.limit_in_bytes')) || existsSync(join(V1, 'cgroup.procs'))) return null;
  if (existsSync(join(V2, 'cgroup.subtree_control')) && readFileSync(join(V2, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory')) return null;
  return 'no writable memory controller (cgroup v1 memory, or v2 with memory in the root subtree_control)';
}

export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup {
  const v1 = existsSync(join(V1, 'cgroup.procs'));
  const root = v1 ? V1 : V2;
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, v1 ? 'memory.limit_in_bytes' : 'memory.max'), String(limitBytes));
  return {
    dir,
    path: `/${name}`,
    async remove() {
      // The processes were stopped by their handles; an exiting process leaves the cgroup a moment later.
      for (let i = 0; i < 50; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EBUSY') throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`cannot remove ${dir}: still busy`);
    },
  };
}
