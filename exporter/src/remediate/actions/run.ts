import { describeFailure, execCommand } from '../exec';
import type { Executor, Plan, Result } from './executor';

/**
 * Runs the operator's script (the rule's `command`, no shell, no PATH
 * lookup) with the alert and the action as JSON on its stdin and a small
 * environment; done when it exits 0 within its timeout. No rollback.
 */
export const run: Executor = {
  plan(ctx): Promise<Plan> {
    const command = ctx.rule.command as string[];
    return Promise.resolve({ ok: true, before: { processes: ctx.targets }, after: { command, timeout_seconds: ctx.rule.timeout_seconds ?? 60 } });
  },
  async execute(ctx): Promise<Result> {
    const [file, ...args] = ctx.rule.command as string[];
    const input = { action: { id: ctx.id, group: ctx.group, kind: ctx.rule.kind, rule: ctx.rule }, alert: ctx.alert, processes: ctx.targets };
    const r = await execCommand(file, args, {
      stdin: `${JSON.stringify(input)}\n`,
      timeoutMs: (ctx.rule.timeout_seconds ?? 60) * 1000,
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        PROCSIGHT_ACTION_ID: ctx.id,
        PROCSIGHT_GROUP: ctx.group,
        PROCSIGHT_KIND: ctx.rule.kind,
      },
    });
    const after = { exit_code: r.code, signal: r.signal, timed_out: r.timedOut, stdout: r.stdout, stderr: r.stderr };
    const ok = r.code === 0 && !r.timedOut;
    return { ok, after, reason: ok ? `${file} exited 0` : describeFailure(file, r) };
  },
};
