/**
 * Cgroups for the contention scenarios: a small memory limit makes a leaker
 * and a victim started inside it compete for memory in seconds without
 * touching the rest of the host; a CPU weight gives a batch job the larger
 * share of a CPU it shares with a worker, whatever else runs on this shared
 * machine. cgroup v1 (one hierarchy per controller under /sys/fs/cgroup, as
 * on this project's test VM) or v2 (the controller enabled in the root's
 * subtree_control); root only.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Controller = 'memory' | 'cpu';

export interface Cgroup {
  /** Directory to start processes in (its cgroup.procs). */
  dir: string;
  remove(): Promise<void>;
}

const ROOT = '/sys/fs/cgroup';
/** The files that set a memory limit and a CPU weight, by hierarchy version; the v2 weight is v1's shares / 1024 × 100. */
const FILES: Record<Controller, { v1: string; v2: string; v2Value: (v1: number) => number }> = {
  memory: { v1: 'memory.limit_in_bytes', v2: 'memory.max', v2Value: (x) => x },
  cpu: { v1: 'cpu.shares', v2: 'cpu.weight', v2Value: (x) => Math.round((x / 1024) * 100) },
};

const isV1 = (c: Controller): boolean => existsSync(join(ROOT, c, 'cgroup.procs'));

/** Why a cgroup of this controller cannot be made here, or null when it can. */
export function cgroupUnavailable(c: Controller): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  if (isV1(c)) return null;
  const control = join(ROOT, 'cgroup.subtree_control');
  if (existsSync(control) && readFileSync(control, 'utf8').split(/\s+/).includes(c)) return null;
  return `no writable ${c} controller (cgroup v1 ${c}, or v2 with ${c} in the root subtree_control)`;
}

/** A new cgroup `name` of controller `c`, set to `value` (v1 units: bytes of memory, CPU shares). */
export function createCgroup(c: Controller, name: string, value: number): Cgroup {
  const v1 = isV1(c);
  const dir = v1 ? join(ROOT, c, name) : join(ROOT, name);
  mkdirSync(dir);
  writeFileSync(join(dir, v1 ? FILES[c].v1 : FILES[c].v2), String(v1 ? value : FILES[c].v2Value(value)));
  return {
    dir,
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
