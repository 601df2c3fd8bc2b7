import { stillSame } from '../targets';
import type { Target } from '../types';
import type { ActionContext, Executor, Plan, Result } from './executor';
import { errnoCode } from '../../util/error-message';

/** Polling step while waiting for processes to exit after TERM. */
const POLL_MS = 100;

function send(procfs: string, t: Target, signal: NodeJS.Signals): 'sent' | 'gone' | string {
  if (!stillSame(procfs, t)) return 'gone';
  try {
    process.kill(t.pid, signal);
    return 'sent';
  } catch (e) {
    const code = errnoCode(e);
    return code === 'ESRCH' ? 'gone' : (code ?? String(e));
  }
}

/**
 * TERM to every process of the group, then KILL to those still running after
 * the grace period (unless the kill switch appeared meanwhile). Each signal
 * goes only to the process the exporter saw (pid and start time checked right
 * before). No rollback.
 */
export const signal: Executor = {
  plan(ctx): Promise<Plan> {
    const alive = ctx.targets.filter((t) => stillSame(ctx.procfs, t));
    if (alive.length === 0) return Promise.resolve({ ok: false, reason: "none of the group's processes is left" });
    const grace = ctx.rule.grace_seconds ?? 10;
    return Promise.resolve({ ok: true, before: { processes: alive }, after: { signals: `TERM, then KILL after ${grace} s`, pids: alive.map((t) => t.pid) } });
  },
  async execute(ctx: ActionContext, before): Promise<Result> {
    const planned = (before as { processes: Target[] }).processes;
    const grace = (ctx.rule.grace_seconds ?? 10) * 1000;
    const termed: Target[] = [];
    const gone: number[] = [];
    const refused: Array<{ pid: number; error: string }> = [];
    for (const t of planned) {
      const r = send(ctx.procfs, t, 'SIGTERM');
      if (r === 'sent') termed.push(t);
      else if (r === 'gone') gone.push(t.pid);
      else refused.push({ pid: t.pid, error: r });
    }
    const deadline = Date.now() + grace;
    while (termed.some((t) => stillSame(ctx.procfs, t)) && Date.now() < deadline) await ctx.sleep(POLL_MS);
    const lingering = termed.filter((t) => stillSame(ctx.procfs, t));
    const exitedOnTerm = termed.filter((t) => !lingering.includes(t)).map((t) => t.pid);
    const killed: number[] = [];
    let note = '';
    if (lingering.length > 0 && ctx.killSwitchOn())
      note = `; KILL not sent: the kill switch appeared during the grace period (${lingering.length} still running)`;
    else
      for (const t of lingering) {
        const r = send(ctx.procfs, t, 'SIGKILL');
        if (r === 'sent') killed.push(t.pid);
        else if (r !== 'gone') refused.push({ pid: t.pid, error: r });
      }
    // A KILLed process is gone once the kernel has reaped it: a moment, unless it sleeps uninterruptibly.
    for (let i = 0; i < 20 && killed.some((pid) => stillSame(ctx.procfs, planned.find((t) => t.pid === pid) as Target)); i++) await ctx.sleep(POLL_MS);
    const survived = planned.filter((t) => stillSame(ctx.procfs, t)).map((t) => t.pid);
    const after = { exited_on_term: exitedOnTerm, killed, gone_before: gone, refused, still_running: survived };
    const reason = `TERM to ${termed.length} process(es): ${exitedOnTerm.length} exited, ${killed.length} KILLed after ${grace / 1000} s${refused.length ? `; refused for pid ${refused.map((r) => `${r.pid} (${r.error})`).join(', ')}` : ''}${survived.length ? `; still running: ${survived.join(', ')}` : ''}${note}`;
    return { ok: survived.length === 0 && refused.length === 0 && termed.length > 0, after, reason };
  },
};
