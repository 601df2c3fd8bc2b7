import { z } from 'zod';

/** A regex given as a string; compiled (and checked) at load time. */
const regex = z.string().min(1).describe('a regular expression (JavaScript syntax; (?P<name>…) and (?<name>…) captures)');

/** One procsight grouping rule: the first rule that matches a process names its group. */
export const groupRuleSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(256)
      .default('{{.Comm}}')
      .describe(
        'Group name template: {{.Comm}}, {{.ExeBase}}, {{.ExeFull}}, {{.Matches.<capture>}}, {{.Username}}, {{.Cgroup}}, and with --kubernetes.enabled {{.Namespace}}, {{.Pod}}, {{.Container}} (limits.max_groups bounds the groups they make)',
      ),
    comm: z.array(z.string().min(1)).optional().describe('Match when comm (the 15-char process name) is one of these'),
    exe: z
      .array(z.string().min(1))
      .optional()
      .describe('Match when the executable is one of these (a full path, or a base name matched against the base name)'),
    cmdline: z.array(regex).optional().describe('Match when every regex matches the command line (argv joined by spaces); named captures feed {{.Matches.x}}'),
    cgroup: regex.optional().describe('Match when the cgroup v2 path matches'),
    container: z.union([z.boolean(), regex]).optional().describe('true: match processes in a container; a regex: match the container id'),
    systemd_unit: z.array(z.string().min(1)).optional().describe('Match processes of these systemd units (e.g. nginx.service)'),
    pod: z
      .union([z.boolean(), regex])
      .optional()
      .describe('Kubernetes (--kubernetes.enabled): true matches processes of a pod (from their cgroup); a regex matches "<namespace>/<pod>"'),
    namespace: z.array(z.string().min(1)).optional().describe('Kubernetes: match processes of pods in these namespaces'),
    user: z.array(z.string().min(1)).optional().describe('Match processes of these users (names or numeric uids)'),
    declared: z.boolean().optional().describe('Export the group at 0 from start, so "not running" can alert (default: true when the name has no placeholder)'),
    pid_series: z.boolean().default(false).describe('Also export per-pid series for this group (capped by limits.pid_series_max)'),
  })
  .strict();

/** process-exporter's `process_names` item, accepted unchanged. */
export const processExporterRuleSchema = z
  .object({
    name: z.string().min(1).default('{{.ExeBase}}').describe('process-exporter name template'),
    comm: z.array(z.string().min(1)).optional().describe('process-exporter: match comm'),
    exe: z.array(z.string().min(1)).optional().describe('process-exporter: match executable (base name or full path)'),
    cmdline: z.array(regex).optional().describe('process-exporter: every regex must match the command line'),
  })
  .strict();

type GroupRule = z.infer<typeof groupRuleSchema>;
type ProcessExporterRule = z.infer<typeof processExporterRuleSchema>;

/** The grouping part of the config file: procsight rules, or a process-exporter config. */
export interface GroupingConfig {
  groups?: GroupRule[];
  process_names?: ProcessExporterRule[];
  /** process-exporter's -procnames and -namemapping (command line only; used when the file has no rules). */
  procnames?: ProcNames;
}

/**
 * process-exporter's command-line grouping: processes whose comm is in
 * `names` or mapped by `mapping` are tracked. A mapped comm's group is
 * `comm:<first non-empty capture>` of its regex on the command line; without
 * a match the process is not tracked. An unmapped name's group is the comm.
 */
export interface ProcNames {
  names: string[];
  mapping: Array<{ comm: string; regex: string }>;
}
