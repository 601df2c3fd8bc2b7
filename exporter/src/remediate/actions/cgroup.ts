import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext, Executor, Plan, Result } from './executor';
import { errnoCode } from '../../util/error-message';
import { parseMemoryLimit, v2Root } from '../../read/cgroup-memory';

type Controller = 'cpu' | 'memory';

/** The cgroup paths of a process: the v2 one (`0::`) and one per v1 controller. */
export interface ControllerPaths {
  v2: string | null;
  v1: Record<string, string>;
}

/** Parses /proc/<pid>/cgroup; odd lines are skipped. */
export function parseControllerPaths(text: string): ControllerPaths {
  const out: ControllerPaths = { v2: null, v1: {} };
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') out.v2 = m[3];
    else for (const c of m[2].split(',')) if (c) out.v1[c] = m[3];
  }
  return out;
}

/** Where a limit goes: one cgroup directory and its hierarchy's version. */
export interface CgroupDir {
  version: 1 | 2;
  /** The cgroup's path inside its hierarchy (as /proc/<pid>/cgroup shows it). */
  path: string;
  dir: string;
}

const FILES = {
  2: { cpu: ['cpu.max'], memory: ['memory.max', 'memory.current'] },
  1: { cpu: ['cpu.cfs_quota_us', 'cpu.cfs_period_us'], memory: ['memory.limit_in_bytes', 'memory.usage_in_bytes'] },
} as const;

/**
 * The cgroup a process's `controller` limit lives in: cgroup v2 when the
 * controller is enabled there (its files exist in the cgroup), else the v1
 * hierarchy of that controller (`<cgroupfs>/<controller>`), else null.
 */
export function cgroupOf(procfs: string, cgroupfs: string, pid: number, controller: Controller): CgroupDir | null {
  const paths = parseControllerPaths(readFileSync(join(procfs, String(pid), 'cgroup'), 'utf8'));
  const root2 = v2Root(cgroupfs);
  if (root2 && paths.v2 !== null && existsSync(join(root2, paths.v2, FILES[2][controller][0])))
    return { version: 2, path: paths.v2, dir: join(root2, paths.v2) };
  const p1 = paths.v1[controller];
  if (p1 !== undefined && existsSync(join(cgroupfs, controller, p1, FILES[1][controller][0])))
    return { version: 1, path: p1, dir: join(cgroupfs, controller, p1) };
  return null;
}

/** Pids directly in a cgroup (cgroup.procs). */
function members(dir: string): number[] {
  return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .map(Number);
}

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8').trim();

/**
 * The one cgroup holding every target, refused when the targets are spread
 * over several, when it is a hierarchy's root, or when it also holds
 * processes outside the group (a limit there would act on them too).
 */
export function groupCgroup(
  ctx: Pick<ActionContext, 'procfs' | 'cgroupfs' | 'targets' | 'group'>,
  controller: Controller,
): { ok: true; cg: CgroupDir } | { ok: false; reason: string } {
  const found = new Map<string, CgroupDir>();
  for (const t of ctx.targets) {
    let cg: CgroupDir | null;
    try {
      cg = cgroupOf(ctx.procfs, ctx.cgroupfs, t.pid, controller);
    } catch (e) {
      return { ok: false, reason: `cannot read the cgroup of pid ${t.pid}: ${errnoCode(e) ?? String(e)}` };
    }
    if (!cg) return { ok: false, reason: `pid ${t.pid} is in no cgroup with a ${controller} controller (neither v2 nor v1 under ${ctx.cgroupfs})` };
    found.set(cg.dir, cg);
  }
  if (found.size === 0) return { ok: false, reason: 'the group has no process to limit' };
  if (found.size > 1)
    return {
      ok: false,
      reason: `the group's processes are in ${found.size} ${controller} cgroups (${[...found.values()].map((c) => c.path).join(', ')}); a limit needs one`,
    };
  const cg = [...found.values()][0];
  if (cg.path === '/' || cg.path === '')
    return { ok: false, reason: `the group's processes are in the root ${controller} cgroup: it cannot be limited without limiting everything` };
  const mine = new Set(ctx.targets.map((t) => t.pid));
  const others = members(cg.dir).filter((p) => !mine.has(p));
  if (others.length > 0)
    return {
      ok: false,
      reason: `cgroup ${cg.path} also holds processes outside group ${ctx.group} (pid ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''})`,
    };
  return { ok: true, cg };
}

/** A limit's file values: read (before), to write (after). */
interface LimitState {
  version: 1 | 2;
  cgroup: string;
  files: Record<string, string>;
}

function readState(cg: CgroupDir, controller: Controller): LimitState {
  const files: Record<string, string> = {};
  for (const f of FILES[cg.version][controller]) files[f] = read(cg.dir, f);
  return { version: cg.version, cgroup: cg.path, files };
}

/** The file writes that set the rule's limit, from what was read. */
function limitWrites(cg: CgroupDir, controller: Controller, ctx: ActionContext, before: LimitState): Record<string, string> | string {
  if (controller === 'cpu') {
    const cores = ctx.rule.cores as number;
    if (cg.version === 2) {
      const period = Number(before.files['cpu.max'].split(/\s+/)[1] ?? 100000) || 100000;
      return { 'cpu.max': `${Math.max(1000, Math.round(cores * period))} ${period}` };
    }
    const period = Number(before.files['cpu.cfs_period_us']) || 100000;
    return { 'cpu.cfs_quota_us': String(Math.max(1000, Math.round(cores * period))) };
  }
  const bytes = ctx.rule.bytes as number;
  const usage = Number(before.files[cg.version === 2 ? 'memory.current' : 'memory.usage_in_bytes']);
  if (Number.isFinite(usage) && bytes < usage)
    return `the limit (${bytes} bytes) is below the cgroup's current usage (${usage} bytes): it would be reclaimed or OOM-killed at once`;
  return { [cg.version === 2 ? 'memory.max' : 'memory.limit_in_bytes']: String(bytes) };
}

/** The writes that restore what was read. */
function restoreWrites(before: LimitState, controller: Controller): Record<string, string> {
  if (controller === 'cpu') return before.version === 2 ? { 'cpu.max': before.files['cpu.max'] } : { 'cpu.cfs_quota_us': before.files['cpu.cfs_quota_us'] };
  if (before.version === 2) return { 'memory.max': before.files['memory.max'] };
  const old = before.files['memory.limit_in_bytes'];
  // v1 reports "no limit" as a huge number (PAGE_COUNTER_MAX pages): written back as -1.
  return { 'memory.limit_in_bytes': parseMemoryLimit(old) === null ? '-1' : old };
}

function write(dir: string, writes: Record<string, string>): string | null {
  for (const [f, v] of Object.entries(writes)) {
    try {
      writeFileSync(join(dir, f), v);
    } catch (e) {
      return `writing ${v} to ${f}: ${errnoCode(e) ?? String(e)}`;
    }
  }
  return null;
}

/** A cgroup CPU or memory limit on the group's own cgroup (v2, or v1 where the host has only v1). */
function cgroupLimit(controller: Controller): Executor {
  const locate = (ctx: ActionContext) => groupCgroup(ctx, controller);
  return {
    async plan(ctx): Promise<Plan> {
      const g = locate(ctx);
      if (!g.ok) return g;
      const before = readState(g.cg, controller);
      const writes = limitWrites(g.cg, controller, ctx, before);
      if (typeof writes === 'string') return { ok: false, reason: writes };
      return { ok: true, before, after: { version: g.cg.version, cgroup: g.cg.path, files: writes } };
    },
    async execute(ctx, before): Promise<Result> {
      const g = locate(ctx);
      if (!g.ok) return { ok: false, after: null, reason: g.reason };
      const b = before as LimitState;
      if (g.cg.path !== b.cgroup) return { ok: false, after: null, reason: `the group moved from cgroup ${b.cgroup} to ${g.cg.path} since the plan` };
      const writes = limitWrites(g.cg, controller, ctx, readState(g.cg, controller));
      if (typeof writes === 'string') return { ok: false, after: null, reason: writes };
      const error = write(g.cg.dir, writes);
      const after = readState(g.cg, controller);
      return {
        ok: error === null,
        after,
        reason:
          error ??
          `${controller} limit set on cgroup v${g.cg.version} ${g.cg.path}: ${Object.entries(writes)
            .map(([f, v]) => `${f}=${v}`)
            .join(', ')}`,
      };
    },
    async rollback(ctx, before): Promise<Result> {
      const b = before as LimitState;
      const dir = b.version === 2 ? join(v2Root(ctx.cgroupfs) ?? ctx.cgroupfs, b.cgroup) : join(ctx.cgroupfs, controller, b.cgroup);
      const error = write(dir, restoreWrites(b, controller));
      let after: LimitState | null = null;
      try {
        after = readState({ version: b.version, path: b.cgroup, dir }, controller);
      } catch (e) {
        return { ok: false, after: null, reason: `cgroup ${b.cgroup}: ${errnoCode(e) ?? String(e)}` };
      }
      return { ok: error === null, after, reason: error ?? `${controller} limit of cgroup ${b.cgroup} restored` };
    },
  };
}

export const cgroupCpuLimit = cgroupLimit('cpu');
export const cgroupMemoryLimit = cgroupLimit('memory');
