import type { RemediationRule } from '../config';
import type { AlertRef, Target } from '../types';

/** What an action needs to know: its rule, the group's eligible processes, where /proc and the cgroup tree are. */
export interface ActionContext {
  id: string;
  rule: RemediationRule;
  group: string;
  targets: readonly Target[];
  procfs: string;
  cgroupfs: string;
  alert: AlertRef;
  /** True while the kill-switch file exists (checked again before a second step, e.g. the KILL after TERM). */
  killSwitchOn(): boolean;
  sleep(ms: number): Promise<void>;
}

/** The state an action read and the state it would leave, or why it cannot act. */
export type Plan = { ok: true; before: unknown; after: unknown } | { ok: false; reason: string };

/** What an action (or its rollback) did. */
export interface Result {
  ok: boolean;
  after: unknown;
  reason: string;
}

/**
 * One kind of action. `plan` only reads (dry-run and approval show it);
 * `execute` changes things and reports the state it left; `rollback`, where
 * an action has one, restores what `plan` read.
 */
export interface Executor {
  plan(ctx: ActionContext): Promise<Plan>;
  execute(ctx: ActionContext, before: unknown): Promise<Result>;
  rollback?(ctx: ActionContext, before: unknown): Promise<Result>;
}
