import { compareText } from '@procsight/contract';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { BottleneckKind, RemediationMode, RemediationStatus } from '@procsight/contract';
import { ActionError } from '../errors';
import type { Logger } from '../log/logger';
import type { ProcIdentity } from '../read/types';
import { errorMessage } from '../util/error-message';
import type { ActionContext, Executor, Plan, Result } from './actions/executor';
import { executorFor } from './actions/registry';
import { AuditLog, type AuditEntry } from './audit';
import type { RemediationConfig, RemediationRule } from './config';
import { decide } from './policy';
import { eligibleTargets } from './targets';
import { tokenMatches } from './token';
import type { ActionRecord, AlertRef } from './types';
import { alertRef } from './alert-ref';
import type { WebhookPayload } from './webhook';

/** Most actions kept in memory (all stay in the audit log); pending ones are never dropped. */
const MAX_RECORDS = 10_000;

/** How often pending actions are checked for their approval timeout. */
const EXPIRY_CHECK_MS = 30_000;

export interface RemediatorOptions {
  config: RemediationConfig;
  auditPath: string;
  killSwitchFile: string;
  token: string;
  procfs: string;
  cgroupfs: string;
  /** The exporter's own pid (never acted on). */
  selfPid: number;
  processesOf(group: string): ReadonlyArray<{ identity: ProcIdentity }>;
  /** Whether the analysis shows the bottleneck now (null before the first analysis). */
  bottleneckActive(group: string, kind: BottleneckKind): boolean | null;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  executorFor?: (rule: RemediationRule) => Executor;
  /** Each time an action enters a status (procsight_remediation_actions_total). */
  onStatus?: (action: string, status: RemediationStatus) => void;
  /**
   * As an action starts acting; what it returns runs once the action is done.
   * A rule's `suggestion` then counts as applied, measured from the analysis
   * the action started under: by the time a signalled process has exited the
   * bottleneck may already have cleared.
   */
  onExecuting?: (record: ActionRecord) => ((done: ActionRecord) => void) | undefined;
}

/** What became of one alert of a notification. */
export interface AlertResult {
  alertname: string;
  fingerprint: string;
  group: string | null;
  kind: string | null;
  /** ignored: resolved or re-sent (nothing recorded); recorded: an action with `id` and `status`. */
  outcome: 'ignored' | 'recorded';
  id?: string;
  status?: RemediationStatus;
  reason: string;
}

/**
 * Opt-in remediation: turns Alertmanager notifications into actions under the
 * configured rules and mode, keeps them (in memory and in the append-only
 * audit log, which it replays at start), and approves, rejects and rolls
 * them back. Every change of an action is written to the audit log and
 * fsynced before the action acts.
 */
export class Remediator {
  private readonly records = new Map<string, ActionRecord>();
  private readonly audit: AuditLog;
  private readonly running = new Set<Promise<unknown>>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: RemediatorOptions) {
    this.audit = new AuditLog(opts.auditPath);
    const { records, skipped } = this.audit.open();
    if (skipped > 0) opts.logger.warn({ file: opts.auditPath, lines: skipped }, 'remediation audit log: lines that could not be read were skipped');
    for (const r of records) this.records.set(r.id, r);
    for (const r of records.filter((x) => x.executing)) {
      this.transition(r, {
        status: 'failed',
        reason: 'interrupted: the exporter stopped while the action ran; what it changed is unknown (see before)',
        by: 'exporter restart',
        executing: false,
      });
    }
    this.expire();
  }

  get mode(): RemediationMode {
    return this.opts.config.mode;
  }

  start(): void {
    this.timer = setInterval(() => this.expire(), EXPIRY_CHECK_MS);
    this.timer.unref();
  }

  /** Stops the expiry timer and waits for actions under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.settled();
    this.audit.close();
  }

  /** Resolves once every action started so far has finished (tests; shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  verifyToken(presented: string): boolean {
    return tokenMatches(this.opts.token, presented);
  }

  killSwitchOn(): boolean {
    return existsSync(this.opts.killSwitchFile);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Actions, newest first. */
  list(filter: { status?: RemediationStatus; limit?: number } = {}): ActionRecord[] {
    this.expire();
    return [...this.records.values()]
      .filter((r) => filter.status === undefined || r.status === filter.status)
      .sort((a, b) => compareText(b.requested_at, a.requested_at) || compareText(b.id, a.id))
      .slice(0, filter.limit ?? 100);
  }

  pendingCount(): number {
    let n = 0;
    for (const r of this.records.values()) if (r.status === 'pending' && !r.executing) n++;
    return n;
  }

  /** One notification: each alert is ignored, refused (recorded with the reason) or becomes an action. */
  handleWebhook(payload: WebhookPayload, by: string): Promise<AlertResult[]> {
    return this.exclusive(async () => {
      this.expire();
      const results: AlertResult[] = [];
      const accepted = new Set<string>();
      for (const a of payload.alerts) results.push(await this.handleAlert(alertRef(a), a.status, by, accepted));
      return results;
    });
  }

  private async handleAlert(alert: AlertRef, status: 'firing' | 'resolved', by: string, accepted: Set<string>): Promise<AlertResult> {
    const base = { alertname: alert.alertname, fingerprint: alert.fingerprint, group: alert.labels.group ?? null, kind: alert.labels.kind ?? null };
    const d = decide({
      alert,
      status,
      config: this.opts.config,
      records: this.records.values(),
      nowMs: this.now(),
      killSwitch: this.killSwitchOn(),
      bottleneckActive: this.opts.bottleneckActive,
      groupsAccepted: accepted,
    });
    if (d.verdict === 'ignore')
      return {
        ...base,
        outcome: 'ignored',
        reason: d.reason === 'resolved' ? 'resolved alerts start nothing' : 'already handled: this incident (same fingerprint and start) was received before',
      };
    if (d.verdict === 'refuse') {
      const r = this.create({ alert, group: d.group, kind: d.kind, rule: d.rule, status: 'refused', reason: d.reason, by });
      return { ...base, outcome: 'recorded', id: r.id, status: r.status, reason: r.reason };
    }
    accepted.add(d.group);
    const planned = await this.plan(d.rule, d.group, alert, 'request');
    if (!planned.plan.ok) {
      const r = this.create({ alert, group: d.group, kind: d.kind, rule: d.rule, status: 'refused', reason: planned.plan.reason, by });
      return { ...base, outcome: 'recorded', id: r.id, status: r.status, reason: r.reason };
    }
    const { before, after } = planned.plan;
    const what = `${describeRule(d.rule)} (${planned.ctx.targets.length} process(es))`;
    // What each mode records: dry-run says what it would do; approve waits; auto carries it out now.
    const byMode = {
      'dry-run': { status: 'dry_run', reason: `dry-run: would ${what}; nothing was changed`, decidedBy: 'dry-run' },
      approve: { status: 'pending', reason: `awaiting approval: would ${what}` },
      auto: { status: 'pending', reason: `executing: ${describeRule(d.rule)} (auto)`, executing: true },
    } as const;
    const mode = this.mode === 'dry-run' || this.mode === 'approve' ? this.mode : 'auto';
    const r = this.create({ alert, group: d.group, kind: d.kind, rule: d.rule, by, before, after, ...byMode[mode] });
    if (mode === 'auto') this.track(this.execute(r, 'auto'));
    return { ...base, outcome: 'recorded', id: r.id, status: r.status, reason: r.reason };
  }

  /** Carries out a pending action now (approve mode). Its checks and the mark "executing" happen before any await. */
  async approve(id: string, by: string): Promise<ActionRecord> {
    const r = this.get(id);
    this.expire();
    if (r.status !== 'pending') throw new ActionError('conflict', `action ${id} is ${r.status}, not pending`);
    if (r.executing) throw new ActionError('conflict', `action ${id} is already executing`);
    if (this.killSwitchOn()) throw new ActionError('conflict', 'the kill switch is on: no action is taken until it is removed (the action stays pending)');
    const rule = r.rule;
    if (!rule || !this.opts.config.rules.some((x) => isDeepStrictEqual(x, rule))) {
      return this.transition(r, { status: 'refused', reason: 'its rule is no longer in the configuration', by });
    }
    if (this.opts.config.require_active_bottleneck && this.opts.bottleneckActive(rule.group, rule.kind) !== true) {
      return this.transition(r, {
        status: 'refused',
        reason: `approved, but the exporter's analysis no longer shows the ${rule.kind} bottleneck for ${rule.group}`,
        by,
      });
    }
    this.transition(r, { status: 'pending', reason: `executing: ${describeRule(rule)} (approved)`, by, executing: true, decided: true });
    return this.track(this.execute(r, by));
  }

  /** Refuses a pending action. */
  reject(id: string, by: string): ActionRecord {
    const r = this.get(id);
    if (r.status !== 'pending' || r.executing) throw new ActionError('conflict', `action ${id} is ${r.executing ? 'executing' : r.status}, not pending`);
    return this.transition(r, { status: 'refused', reason: `rejected by ${by}`, by, decided: true });
  }

  /** Restores what a done renice, ionice or limit changed. */
  async rollback(id: string, by: string): Promise<ActionRecord> {
    const r = this.get(id);
    if (r.status !== 'done' || r.executing) throw new ActionError('conflict', `action ${id} is ${r.status}: only a done action can be rolled back`);
    const rule = r.rule as RemediationRule;
    const executor = (this.opts.executorFor ?? executorFor)(rule);
    if (!executor.rollback) throw new ActionError('conflict', `${rule.action} cannot be rolled back`);
    this.transition(r, { status: 'done', reason: `rolling back (asked by ${by})`, by, executing: true });
    const run = (async () => {
      const ctx = this.context(rule, r.group as string, r.alert, r.id, []);
      let res: Result;
      try {
        res = await (executor.rollback as NonNullable<Executor['rollback']>)(ctx, r.before);
      } catch (e) {
        res = { ok: false, after: null, reason: errorMessage(e) };
      }
      if (res.ok)
        return this.transition(r, { status: 'rolled_back', reason: res.reason, by, after: { action: r.after, rollback: res.after }, executing: false });
      return this.transition(r, { status: 'done', reason: `rollback failed: ${res.reason}`, by, executing: false });
    })();
    return this.track(run);
  }

  find(id: string): ActionRecord | undefined {
    return this.records.get(id);
  }

  private get(id: string): ActionRecord {
    const r = this.records.get(id);
    if (!r) throw new ActionError('not_found', `no action ${JSON.stringify(id)}`);
    return r;
  }

  private context(rule: RemediationRule, group: string, alert: AlertRef, id: string, targets: ActionContext['targets']): ActionContext {
    return {
      id,
      rule,
      group,
      targets,
      procfs: this.opts.procfs,
      cgroupfs: this.opts.cgroupfs,
      alert,
      killSwitchOn: () => this.killSwitchOn(),
      sleep: this.opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
  }

  /** Reads the group's eligible processes and the action's plan over them (refusals as a failed plan). */
  private async plan(rule: RemediationRule, group: string, alert: AlertRef, id: string): Promise<{ ctx: ActionContext; plan: Plan }> {
    const { targets, excluded } = eligibleTargets(this.opts.processesOf(group), this.opts.selfPid);
    const ctx = this.context(rule, group, alert, id, targets);
    if (targets.length === 0) {
      const why = excluded.length > 0 ? `: ${excluded.map((e) => `pid ${e.pid} (${e.comm}) is never acted on (${e.why})`).join(', ')}` : '';
      return { ctx, plan: { ok: false, reason: `group ${group} has no process remediation may act on${why}` } };
    }
    if (targets.length > rule.max_processes)
      return { ctx, plan: { ok: false, reason: `group ${group} has ${targets.length} processes, more than the rule's max_processes ${rule.max_processes}` } };
    try {
      return { ctx, plan: await (this.opts.executorFor ?? executorFor)(rule).plan(ctx) };
    } catch (e) {
      return { ctx, plan: { ok: false, reason: `cannot read the state to change: ${errorMessage(e)}` } };
    }
  }

  /** Acts (the record is pending and marked executing), then records done or failed. */
  private async execute(r: ActionRecord, by: string): Promise<ActionRecord> {
    const rule = r.rule as RemediationRule;
    const { ctx, plan } = await this.plan(rule, r.group as string, r.alert, r.id);
    if (!plan.ok) return this.transition(r, { status: 'failed', reason: `nothing done: ${plan.reason}`, by, executing: false });
    if (this.killSwitchOn())
      return this.transition(r, { status: 'failed', reason: 'nothing done: the kill switch appeared before the action ran', by, executing: false });
    const onDone = this.hook('onExecuting', () => this.opts.onExecuting?.(r));
    let res: Result;
    try {
      res = await (this.opts.executorFor ?? executorFor)(rule).execute(ctx, plan.before);
    } catch (e) {
      res = { ok: false, after: null, reason: errorMessage(e) };
    }
    const done = this.transition(r, { status: res.ok ? 'done' : 'failed', reason: res.reason, by, before: plan.before, after: res.after, executing: false });
    if (res.ok) this.hook('done', () => onDone?.(done));
    return done;
  }

  /** Runs a caller's hook: one that throws is logged, and the action is still carried out and recorded (a hook is bookkeeping). */
  private hook<T>(name: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      this.opts.logger.error({ hook: name, err: errorMessage(e) }, 'remediation hook failed');
      return undefined;
    }
  }

  private create(x: {
    alert: AlertRef;
    group: string | null;
    kind: string | null;
    rule: RemediationRule | null;
    status: RemediationStatus;
    reason: string;
    by: string;
    before?: unknown;
    after?: unknown;
    decidedBy?: string;
    executing?: boolean;
  }): ActionRecord {
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    const decided = x.status !== 'pending' || x.executing === true;
    const r: ActionRecord = {
      id: `act-${nowMs.toString(36)}-${randomBytes(4).toString('hex')}`,
      group: x.group,
      kind: x.kind,
      action: x.rule?.action ?? null,
      status: x.status,
      reason: x.reason,
      before: x.before ?? null,
      after: x.after ?? null,
      requested_at: at,
      decided_at: decided ? at : null,
      decided_by: decided ? (x.decidedBy ?? (x.status === 'refused' ? 'policy' : 'auto')) : null,
      rule: x.rule,
      alert: x.alert,
      executing: x.executing ?? false,
      history: [{ at, status: x.status, by: x.by, reason: x.reason }],
    };
    this.write({ at, event: r.executing ? 'executing' : r.status, by: x.by, record: r });
    this.records.set(r.id, r);
    this.trim();
    // An auto action is pending only while it runs: counted once done or failed, not as awaiting approval.
    if (!r.executing) this.opts.onStatus?.(r.action ?? 'none', r.status);
    return r;
  }

  /**
   * Moves an action to a status (or records a step within one), audit line
   * first: if the log cannot be written, the change does not happen.
   */
  private transition(
    r: ActionRecord,
    x: { status: RemediationStatus; reason: string; by: string; before?: unknown; after?: unknown; executing?: boolean; decided?: boolean },
  ): ActionRecord {
    const at = new Date(this.now()).toISOString();
    const next: ActionRecord = {
      ...r,
      status: x.status,
      reason: x.reason,
      before: x.before === undefined ? r.before : x.before,
      after: x.after === undefined ? r.after : x.after,
      executing: x.executing ?? r.executing,
      decided_at: x.decided || (r.decided_at === null && x.status !== 'pending') ? at : r.decided_at,
      decided_by: x.decided || (r.decided_by === null && x.status !== 'pending') ? x.by : r.decided_by,
      history: [...r.history, { at, status: x.status, by: x.by, reason: x.reason }],
    };
    this.write({ at, event: next.executing && !r.executing ? 'executing' : next.status, by: x.by, record: next });
    Object.assign(r, next);
    if (x.status !== 'pending' && !(x.status === 'done' && r.history.at(-2)?.status === 'done')) this.opts.onStatus?.(r.action ?? 'none', x.status);
    return r;
  }

  private write(e: AuditEntry): void {
    try {
      this.audit.append(e);
    } catch (err) {
      this.opts.logger.error({ file: this.opts.auditPath, err: errorMessage(err) }, 'cannot write the remediation audit log: no action is taken');
      throw new ActionError('unavailable', 'the remediation audit log cannot be written: no action is taken');
    }
  }

  /** Pending actions past their approval timeout are refused. */
  private expire(): void {
    const limit = this.opts.config.approval_timeout_seconds * 1000;
    for (const r of this.records.values()) {
      if (r.status === 'pending' && !r.executing && this.now() - Date.parse(r.requested_at) > limit) {
        this.transition(r, { status: 'refused', reason: `not approved within ${this.opts.config.approval_timeout_seconds} s`, by: 'approval timeout' });
      }
    }
  }

  private trim(): void {
    if (this.records.size <= MAX_RECORDS) return;
    for (const [id, r] of this.records) {
      if (this.records.size <= MAX_RECORDS) break;
      if (r.status !== 'pending' && !r.executing) this.records.delete(id);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
  }

  /** Runs `fn` after every earlier webhook has been handled: decisions see each other's records. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** "renice to 10", "TERM then KILL after 10 s", … for reasons. */
export function describeRule(r: RemediationRule): string {
  switch (r.action) {
    case 'renice':
      return `renice to ${r.nice}`;
    case 'ionice':
      return r.class === 'idle' ? 'ionice idle' : `ionice best-effort ${r.level ?? 7}`;
    case 'cpu_limit':
      return `limit CPU to ${r.cores} cores${r.unit ? ` on ${r.unit}` : ''}`;
    case 'memory_limit':
      return `limit memory to ${r.bytes} bytes${r.unit ? ` on ${r.unit}` : ''}`;
    case 'restart':
      return `restart ${r.unit}`;
    case 'signal':
      return `send TERM, then KILL after ${r.grace_seconds ?? 10} s`;
    case 'run':
      return `run ${(r.command ?? []).join(' ')}`;
  }
}
