import { getPriority, setPriority } from 'node:os';
import { describeFailure, execCommand } from '../exec';
import { stillSame, threadsOf } from '../targets';
import type { Target } from '../types';
import type { ActionContext, Executor, Plan, Result } from './executor';
import { errnoCode } from '../../util/error-message';

/** Per process, a value per thread (nice, or I/O class and level). */
interface ProcessState<T> {
  pid: number;
  startTicks: number;
  comm: string;
  threads: Record<string, T>;
}

const errno = (e: unknown): string => errnoCode(e) ?? String(e);

/**
 * Reads a value per thread of every target. Linux keeps nice and I/O
 * priority per thread (setpriority and ioprio_set with a pid change that one
 * thread), so the action reads and sets every thread.
 */
async function perThread<T>(ctx: ActionContext, read: (tids: number[]) => Promise<Array<T | null>>): Promise<Array<ProcessState<T>>> {
  const out: Array<ProcessState<T>> = [];
  for (const t of ctx.targets) {
    const tids = threadsOf(ctx.procfs, t.pid);
    const values = await read(tids);
    const threads: Record<string, T> = {};
    tids.forEach((tid, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) threads[String(tid)] = v;
    });
    if (Object.keys(threads).length > 0) out.push({ pid: t.pid, startTicks: t.startTicks, comm: t.comm, threads });
  }
  return out;
}

/**
 * Applies `set` to every thread a process has now (threads come and go
 * between plan and execution), for every process still the one planned; the
 * result lists what changed, what was gone, and what the kernel refused.
 */
async function applyPerThread<T>(
  procfs: string,
  processes: ReadonlyArray<Target>,
  valueFor: (p: Target, tid: number) => T,
  set: (tids: number[], value: T) => Promise<string | null>,
): Promise<{ changed: number[]; gone: number[]; refused: Array<{ pid: number; error: string }> }> {
  const changed: number[] = [];
  const gone: number[] = [];
  const refused: Array<{ pid: number; error: string }> = [];
  for (const p of processes) {
    if (!stillSame(procfs, p)) {
      gone.push(p.pid);
      continue;
    }
    const byValue = new Map<string, { value: T; tids: number[] }>();
    for (const tid of threadsOf(procfs, p.pid)) {
      const value = valueFor(p, tid);
      const k = JSON.stringify(value);
      const e = byValue.get(k) ?? { value, tids: [] };
      e.tids.push(tid);
      byValue.set(k, e);
    }
    let error: string | null = null;
    for (const { value, tids } of byValue.values()) error = (await set(tids, value)) ?? error;
    if (error) refused.push({ pid: p.pid, error });
    else changed.push(p.pid);
  }
  return { changed, gone, refused };
}

/** What a rollback restores on a thread: its own value before, or (a thread started since) its process's main thread's. */
function restoredValue<T>(processes: ReadonlyArray<ProcessState<T>>): (p: Target, tid: number) => T {
  return (p, tid) => {
    const s = processes.find((x) => x.pid === p.pid && x.startTicks === p.startTicks) as ProcessState<T>;
    return s.threads[String(tid)] ?? s.threads[String(p.pid)] ?? (Object.values(s.threads)[0] as T);
  };
}

function summarise(what: string, r: { changed: number[]; gone: number[]; refused: Array<{ pid: number; error: string }> }): Result['reason'] {
  const parts = [`${what}: ${r.changed.length} process(es) changed`];
  if (r.gone.length) parts.push(`${r.gone.length} gone before the change`);
  if (r.refused.length) parts.push(`refused for pid ${r.refused.map((x) => `${x.pid} (${x.error})`).join(', ')}`);
  return parts.join('; ');
}

// --- renice -------------------------------------------------------------------

function niceOf(tid: number): number | null {
  try {
    return getPriority(tid);
  } catch (e) {
    if (errno(e) === 'ESRCH') return null; // the thread exited
    throw e;
  }
}

function setNice(tids: number[], nice: number): Promise<string | null> {
  for (const tid of tids) {
    try {
      setPriority(tid, nice);
    } catch (e) {
      if (errno(e) === 'ESRCH') continue;
      // Lowering a nice value needs CAP_SYS_NICE; raising one of another user's process needs it too.
      return Promise.resolve(`${errno(e)} on thread ${tid}`);
    }
  }
  return Promise.resolve(null);
}

export const renice: Executor = {
  async plan(ctx): Promise<Plan> {
    const processes = await perThread(ctx, (tids) => Promise.resolve(tids.map(niceOf)));
    if (processes.length === 0) return { ok: false, reason: "none of the group's processes is left" };
    const nice = ctx.rule.nice as number;
    return {
      ok: true,
      before: { processes },
      after: { nice, processes: processes.map((p) => ({ pid: p.pid, comm: p.comm, threads: Object.keys(p.threads).length })) },
    };
  },
  async execute(ctx, before): Promise<Result> {
    const nice = ctx.rule.nice as number;
    const planned = (before as { processes: Array<ProcessState<number>> }).processes;
    const r = await applyPerThread(ctx.procfs, planned, () => nice, setNice);
    const after = { nice, processes: r.changed.map((pid) => ({ pid, nice: niceOf(pid) })), gone: r.gone, refused: r.refused };
    return { ok: r.changed.length > 0 && r.refused.length === 0, after, reason: summarise(`renice to ${nice}`, r) };
  },
  async rollback(ctx, before): Promise<Result> {
    const planned = (before as { processes: Array<ProcessState<number>> }).processes;
    const r = await applyPerThread(ctx.procfs, planned, restoredValue(planned), setNice);
    return { ok: r.refused.length === 0, after: { restored: r.changed, gone: r.gone, refused: r.refused }, reason: summarise('nice values restored', r) };
  },
};

// --- ionice -------------------------------------------------------------------

/** I/O scheduling class and level of a thread, as ionice(1) reports them. */
interface IoPrio {
  class: 'none' | 'realtime' | 'best-effort' | 'idle';
  level: number | null;
}

const IONICE_CLASS: Record<IoPrio['class'], string> = { none: '0', realtime: '1', 'best-effort': '2', idle: '3' };

/** Parses one line of `ionice -p`: `idle`, `best-effort: prio 4`, `none: prio 0`, `realtime: prio 0`. */
export function parseIonice(line: string): IoPrio | null {
  const m = /^(none|realtime|best-effort|idle)(?::\s*prio\s+(\d+))?\s*$/.exec(line.trim());
  if (!m) return null;
  return { class: m[1] as IoPrio['class'], level: m[2] === undefined ? null : Number(m[2]) };
}

async function readIonice(tids: number[]): Promise<Array<IoPrio | null>> {
  if (tids.length === 0) return [];
  const r = await execCommand('ionice', ['-p', ...tids.map(String)], { timeoutMs: 10_000, maxOutput: 65536 });
  if (r.spawnError) throw new Error(describeFailure('ionice', r));
  // One line per pid in order; a thread that exited meanwhile makes ionice stop with an error: read one by one then.
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  if (r.code === 0 && lines.length === tids.length) return lines.map(parseIonice);
  const out: Array<IoPrio | null> = [];
  for (const tid of tids) {
    const one = await execCommand('ionice', ['-p', String(tid)], { timeoutMs: 10_000 });
    out.push(one.code === 0 ? parseIonice(one.stdout) : null);
  }
  return out;
}

async function setIonice(tids: number[], p: IoPrio): Promise<string | null> {
  // Only best-effort and realtime have a level (ionice warns about one given with none or idle).
  const withLevel = p.level !== null && (p.class === 'best-effort' || p.class === 'realtime');
  const args = ['-c', IONICE_CLASS[p.class], ...(withLevel ? ['-n', String(p.level)] : []), '-p', ...tids.map(String)];
  const r = await execCommand('ionice', args, { timeoutMs: 10_000 });
  return r.code === 0 ? null : describeFailure('ionice', r);
}

function wanted(ctx: ActionContext): IoPrio {
  return ctx.rule.class === 'idle' ? { class: 'idle', level: null } : { class: 'best-effort', level: ctx.rule.level ?? 7 };
}

export const ionice: Executor = {
  async plan(ctx): Promise<Plan> {
    const processes = await perThread(ctx, readIonice);
    if (processes.length === 0) return { ok: false, reason: "none of the group's processes is left" };
    return {
      ok: true,
      before: { processes },
      after: { ...wanted(ctx), processes: processes.map((p) => ({ pid: p.pid, comm: p.comm, threads: Object.keys(p.threads).length })) },
    };
  },
  async execute(ctx, before): Promise<Result> {
    const w = wanted(ctx);
    const planned = (before as { processes: Array<ProcessState<IoPrio>> }).processes;
    const r = await applyPerThread(ctx.procfs, planned, () => w, setIonice);
    const now = await readIonice(r.changed);
    const after = { ...w, processes: r.changed.map((pid, i) => ({ pid, io: now[i] })), gone: r.gone, refused: r.refused };
    return { ok: r.changed.length > 0 && r.refused.length === 0, after, reason: summarise(`ionice ${w.class}${w.level !== null ? ` ${w.level}` : ''}`, r) };
  },
  async rollback(ctx, before): Promise<Result> {
    const planned = (before as { processes: Array<ProcessState<IoPrio>> }).processes;
    const r = await applyPerThread(ctx.procfs, planned, restoredValue(planned), setIonice);
    return { ok: r.refused.length === 0, after: { restored: r.changed, gone: r.gone, refused: r.refused }, reason: summarise('I/O priorities restored', r) };
  },
};
