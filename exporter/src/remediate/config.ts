import { z } from 'zod';
import { BOTTLENECK_KINDS, CATALOG, REMEDIATION_ACTIONS, REMEDIATION_MODES, type RemediationAction } from '@procsight/contract';

/** Keys each action needs (all others of ACTION_KEYS are refused for it). */
const ACTION_KEYS: Record<RemediationAction, readonly string[]> = {
  renice: ['nice'],
  ionice: ['class', 'level'],
  cpu_limit: ['cores', 'unit'],
  memory_limit: ['bytes', 'unit'],
  restart: ['unit'],
  signal: ['grace_seconds'],
  run: ['command', 'timeout_seconds'],
};
const REQUIRED: Record<RemediationAction, readonly string[]> = {
  renice: ['nice'],
  ionice: ['class'],
  cpu_limit: ['cores'],
  memory_limit: ['bytes'],
  restart: ['unit'],
  signal: [],
  run: ['command'],
};
const SPECIFIC = [...new Set(Object.values(ACTION_KEYS).flat())];

/** A systemd unit name as systemctl takes it (no paths, no globs). */
const UNIT = /^[A-Za-z0-9:_.@\\-]+\.(service|scope|slice)$/;

/**
 * One remediation rule: what may be done (`action` with its bound) to which
 * group (exact name) for which bottleneck kind, and how often. A rule is an
 * allowlist entry: an alert no rule matches is refused.
 */
const ruleSchema = z
  .object({
    group: z.string().min(1).max(256).describe('Group the rule allows acting on (exact name, as in procsight_group_* series)'),
    kind: z.enum(BOTTLENECK_KINDS).describe("Bottleneck kind (the alert's `kind` label) the rule answers"),
    action: z
      .enum(REMEDIATION_ACTIONS)
      .describe(
        'renice, ionice, cpu_limit, memory_limit (cgroup v2, or v1 where the host has only v1; or the systemd unit with `unit`), restart (systemd unit), signal (TERM, then KILL after grace_seconds), run (an operator script; the alert as JSON on stdin)',
      ),
    nice: z.number().int().min(-20).max(19).optional().describe("renice: the nice value every thread of the group's processes gets"),
    class: z.enum(['idle', 'best-effort']).optional().describe('ionice: I/O scheduling class'),
    level: z.number().int().min(0).max(7).optional().describe('ionice: priority within best-effort (0 highest, 7 lowest; default 7)'),
    cores: z.number().min(0.01).max(1024).optional().describe("cpu_limit: CPU limit in cores (cgroup cpu.max / cpu.cfs_quota_us, or the unit's CPUQuota)"),
    bytes: z
      .number()
      .int()
      .min(16 * 1024 * 1024)
      .optional()
      .describe("memory_limit: memory limit in bytes (memory.max / memory.limit_in_bytes, or the unit's MemoryMax); refused when below current usage"),
    unit: z
      .string()
      .regex(UNIT)
      .optional()
      .describe(
        'restart (required), cpu_limit, memory_limit: the systemd unit (e.g. api.service) every process of the group must belong to; limits then go through systemctl set-property --runtime',
      ),
    grace_seconds: z.number().int().min(1).max(60).optional().describe('signal: seconds between TERM and KILL (default 10)'),
    command: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('run: absolute path of the operator script and its arguments (no shell); the alert and the action are JSON on its stdin'),
    timeout_seconds: z.number().int().min(1).max(300).optional().describe('run: seconds before the script is killed and the action fails (default 60)'),
    cooldown_seconds: z
      .number()
      .int()
      .min(0)
      .default(1800)
      .describe('After an action of this rule (done, dry-run, pending or failed), further alerts for it are refused this long'),
    max_actions: z.number().int().min(1).max(1000).default(3).describe('Rate limit: most actions of this rule per window_seconds'),
    window_seconds: z.number().int().min(60).default(86400).describe('Rate limit window'),
    max_processes: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(20)
      .describe('Refuse when the group has more processes than this (a group grouped wider than meant)'),
    suggestion: z
      .string()
      .min(1)
      .optional()
      .describe('Catalog action this rule carries out (e.g. io_bound.ionice): a done action counts as "applied" for it, so its efficacy is measured'),
  })
  .strict()
  .superRefine((r, ctx) => {
    const present = new Set(Object.keys(r).filter((k) => r[k as keyof typeof r] !== undefined));
    for (const k of SPECIFIC)
      if (present.has(k) && !ACTION_KEYS[r.action].includes(k)) ctx.addIssue({ code: 'custom', path: [k], message: `not a key of action ${r.action}` });
    for (const k of REQUIRED[r.action]) if (!present.has(k)) ctx.addIssue({ code: 'custom', path: [k], message: `required for action ${r.action}` });
    if (r.action === 'ionice' && r.class === 'idle' && r.level !== undefined)
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'the idle class has no level' });
    if (r.action === 'run' && r.command && !r.command[0].startsWith('/'))
      ctx.addIssue({ code: 'custom', path: ['command', 0], message: 'must be an absolute path (no PATH lookup)' });
    if (r.suggestion !== undefined && !CATALOG.kinds[r.kind].some((a) => a.id === r.suggestion))
      ctx.addIssue({ code: 'custom', path: ['suggestion'], message: `not a catalog action of ${r.kind}` });
  });

export type RemediationRule = z.infer<typeof ruleSchema>;

/**
 * The `remediation:` section. Off unless `mode` says otherwise; every other
 * mode needs `webhook_token_file`, `--storage.path` (the audit log) and rules.
 */
export const remediationConfigSchema = z
  .object({
    mode: z
      .enum(REMEDIATION_MODES)
      .default('off')
      .describe(
        'off: no action, the webhook answers 404; dry-run: record what would be done, never act; approve: act only after POST /api/v1/actions/<id>/approve; auto: act at once',
      ),
    webhook_token_file: z
      .string()
      .min(1)
      .optional()
      .describe(
        'File holding the bearer token of POST /api/v1/alertmanager and of approve/reject/rollback (at least 16 characters; required unless mode is off)',
      ),
    kill_switch_file: z
      .string()
      .min(1)
      .optional()
      .describe('While this file exists no action is taken (alerts are refused, approvals answered 409); default: remediation.disabled under --storage.path'),
    instance: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The instance label Prometheus gives this exporter: alerts for other instances are refused (set it when one Alertmanager serves several hosts)',
      ),
    require_active_bottleneck: z
      .boolean()
      .default(true)
      .describe(
        "Act only while the exporter's own analysis shows the alert's bottleneck for the group (checked again at approval): a forged or stale alert does nothing",
      ),
    approval_timeout_seconds: z.number().int().min(60).default(3600).describe('A pending action not approved within this time is refused'),
    max_actions_per_hour: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(10)
      .describe('Rate limit over all rules (actions done, dry-run or pending in the last hour)'),
    rules: z
      .array(ruleSchema)
      .default([])
      .describe('The allowlist: what may be done to which group for which bottleneck kind; the first matching rule applies'),
  })
  .strict();

export type RemediationConfig = z.infer<typeof remediationConfigSchema>;
