import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, execCommand } from '../exec';
import { parseControllerPaths } from './cgroup';
import { v2Root } from '../../read/cgroup-memory';
import type { ActionContext, Executor, Plan, Result } from './executor';
import { errnoCode } from '../../util/error-message';

/** Most processes read under a unit's cgroup (sub-cgroups included) before giving up. */
const MAX_UNIT_PIDS = 10_000;

/** Parses `systemctl show` output (`Key=value` lines). */
export function parseShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

const UNITS_US: Record<string, number> = { us: 1, µs: 1, usec: 1, ms: 1e3, msec: 1e3, s: 1e6, sec: 1e6, min: 60e6, h: 3600e6 };

/** A systemd time span (`1.500000s`, `500ms`, `2min 30s`) in microseconds; null for `infinity` or text it cannot read. */
export function parseTimespanUs(text: string): number | null {
  if (text === 'infinity' || text.trim() === '') return null;
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(usec|µs|us|msec|ms|min|sec|s|h)\b/g)) {
    total += Number(m[1]) * UNITS_US[m[2]];
    matched += m[0];
  }
  return matched.replace(/\s/g, '') === text.replace(/\s/g, '') ? total : null;
}

async function systemctl(args: string[], timeoutMs = 30_000): Promise<{ ok: boolean; out: string; reason: string }> {
  const r = await execCommand('systemctl', args, { timeoutMs, maxOutput: 65536 });
  return { ok: r.code === 0 && !r.timedOut, out: r.stdout, reason: describeFailure(`systemctl ${args[0]}`, r) };
}

async function show(unit: string, properties: readonly string[]): Promise<Record<string, string> | string> {
  const r = await systemctl(['show', unit, ...properties.map((p) => `--property=${p}`)]);
  return r.ok ? parseShow(r.out) : r.reason;
}

/** Pids in a cgroup directory and every cgroup below it. */
function pidsUnder(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 16 || out.length > MAX_UNIT_PIDS) return;
    for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (/^\d+$/.test(l.trim())) out.push(Number(l));
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name), depth + 1);
  };
  walk(dir, 0);
  return out;
}

/**
 * Checks that every target runs in the rule's unit (its cgroup path, v2 or
 * v1 name=systemd, passes through the unit) and that the unit holds no
 * process outside the group: a restart or a unit limit acts on all of them.
 */
export function unitMembership(
  ctx: Pick<ActionContext, 'procfs' | 'cgroupfs' | 'targets' | 'group'>,
  unit: string,
): { ok: true } | { ok: false; reason: string } {
  let unitDir: string | null = null;
  for (const t of ctx.targets) {
    let paths;
    try {
      paths = parseControllerPaths(readFileSync(join(ctx.procfs, String(t.pid), 'cgroup'), 'utf8'));
    } catch (e) {
      return { ok: false, reason: `cannot read the cgroup of pid ${t.pid}: ${errnoCode(e) ?? String(e)}` };
    }
    const root2 = v2Root(ctx.cgroupfs);
    const candidates: Array<[string | null, string | undefined]> = [
      [root2, paths.v2 ?? undefined],
      [join(ctx.cgroupfs, 'systemd'), paths.v1['name=systemd']],
    ];
    let dir: string | null = null;
    for (const [root, p] of candidates) {
      if (!root || p === undefined) continue;
      const segs = p.split('/').filter((s) => s !== '');
      const i = segs.indexOf(unit);
      if (i >= 0) {
        dir = join(root, ...segs.slice(0, i + 1));
        break;
      }
    }
    if (!dir) return { ok: false, reason: `pid ${t.pid} (${t.comm}) of group ${ctx.group} does not run in ${unit}` };
    unitDir ??= dir;
  }
  if (!unitDir) return { ok: false, reason: 'the group has no process' };
  let pids: number[];
  try {
    pids = pidsUnder(unitDir);
  } catch (e) {
    return { ok: false, reason: `cannot list the processes of ${unit}: ${errnoCode(e) ?? String(e)}` };
  }
  const mine = new Set(ctx.targets.map((t) => t.pid));
  const others = pids.filter((p) => !mine.has(p));
  if (others.length > 0)
    return {
      ok: false,
      reason: `${unit} also runs processes outside group ${ctx.group} (pid ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''})`,
    };
  return { ok: true };
}

const RESTART_PROPERTIES = ['ActiveState', 'SubState', 'MainPID', 'NRestarts'] as const;

/** `systemctl restart` of the rule's unit. No rollback: a restart cannot be undone. */
export const restart: Executor = {
  async plan(ctx): Promise<Plan> {
    const unit = ctx.rule.unit as string;
    const m = unitMembership(ctx, unit);
    if (!m.ok) return m;
    const before = await show(unit, RESTART_PROPERTIES);
    if (typeof before === 'string') return { ok: false, reason: before };
    return { ok: true, before: { unit, properties: before }, after: { unit, command: `systemctl restart ${unit}` } };
  },
  async execute(ctx): Promise<Result> {
    const unit = ctx.rule.unit as string;
    const r = await systemctl(['restart', unit], 120_000);
    const after = await show(unit, RESTART_PROPERTIES);
    return { ok: r.ok, after: { unit, properties: typeof after === 'string' ? null : after }, reason: r.ok ? `${unit} restarted` : r.reason };
  },
};

/** What a limit sets on the unit, and how `systemctl show` reports it. */
const UNIT_LIMIT = {
  cpu: { read: 'CPUQuotaPerSecUSec', set: (ctx: ActionContext) => `CPUQuota=${Math.round((ctx.rule.cores as number) * 100)}%` },
  memory: { read: 'MemoryMax', set: (ctx: ActionContext) => `MemoryMax=${ctx.rule.bytes as number}` },
} as const;

/** The assignment that restores a property as `systemctl show` read it. */
export function restoreAssignment(controller: 'cpu' | 'memory', shown: string): string {
  if (controller === 'memory') return `MemoryMax=${shown === '' ? 'infinity' : shown}`;
  const us = parseTimespanUs(shown);
  return us === null ? 'CPUQuota=' : `CPUQuota=${Math.round(us / 10_000)}%`;
}

/** A CPU or memory limit on the rule's systemd unit (`systemctl set-property --runtime`: gone at the unit's next restart). */
function unitLimit(controller: 'cpu' | 'memory'): Executor {
  const spec = UNIT_LIMIT[controller];
  return {
    async plan(ctx): Promise<Plan> {
      const unit = ctx.rule.unit as string;
      const m = unitMembership(ctx, unit);
      if (!m.ok) return m;
      const before = await show(unit, [spec.read]);
      if (typeof before === 'string') return { ok: false, reason: before };
      return { ok: true, before: { unit, properties: before }, after: { unit, set: spec.set(ctx) } };
    },
    async execute(ctx): Promise<Result> {
      const unit = ctx.rule.unit as string;
      const r = await systemctl(['set-property', '--runtime', unit, spec.set(ctx)]);
      const after = await show(unit, [spec.read]);
      return { ok: r.ok, after: { unit, properties: typeof after === 'string' ? null : after }, reason: r.ok ? `${unit}: ${spec.set(ctx)}` : r.reason };
    },
    async rollback(_ctx, before): Promise<Result> {
      const b = before as { unit: string; properties: Record<string, string> };
      const assignment = restoreAssignment(controller, b.properties[spec.read] ?? 'infinity');
      const r = await systemctl(['set-property', '--runtime', b.unit, assignment]);
      const after = await show(b.unit, [spec.read]);
      return { ok: r.ok, after: { unit: b.unit, properties: typeof after === 'string' ? null : after }, reason: r.ok ? `${b.unit}: ${assignment}` : r.reason };
    },
  };
}

export const unitCpuLimit = unitLimit('cpu');
export const unitMemoryLimit = unitLimit('memory');
