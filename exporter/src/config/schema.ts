import { z } from 'zod';
import { anomalyConfigSchema } from '../analyse/anomaly/config';
import { bottleneckConfigSchema } from '../analyse/bottleneck/config';
import { contentionConfigSchema } from '../analyse/contention/config';
import { forecastConfigSchema } from '../analyse/forecast/config';
import { groupRuleSchema, processExporterRuleSchema } from '../group/config';
import { kubernetesConfigSchema } from '../read/kubernetes/config';
import { remediationConfigSchema } from '../remediate/config';

const limitsSchema = z
  .object({
    max_groups: z.number().int().min(2).max(100000).default(200).describe('Most groups exported; further groups are summed into group="other"'),
    pid_series_max: z.number().int().min(0).max(10000).default(50).describe('Most per-pid series over all groups with pid_series'),
    thread_task_cap: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .default(256)
      .describe(
        'Most threads read per process for context switches and run-queue wait (the lowest tids; past the cap, when one of them exits the next one in adds its whole counts at once)',
      ),
    empty_group_ttl_seconds: z.number().int().min(0).default(600).describe('Seconds an undeclared group without processes is kept before its series disappear'),
  })
  .strict();

export const configSchema = z
  .object({
    groups: z.array(groupRuleSchema).optional().describe('procsight grouping rules, first match wins; default: one group per comm'),
    process_names: z.array(processExporterRuleSchema).optional().describe('A process-exporter config, accepted unchanged (used when groups is absent)'),
    limits: limitsSchema.prefault({}).describe('Cardinality and cost limits'),
    anomaly: anomalyConfigSchema.prefault({}).describe('Anomaly scoring'),
    bottlenecks: bottleneckConfigSchema.prefault({}).describe('Bottleneck rules'),
    contention: contentionConfigSchema.prefault({}).describe("Contention: which group causes another's wait"),
    forecast: forecastConfigSchema.prefault({}).describe('Forecasts'),
    kubernetes: kubernetesConfigSchema
      .prefault({})
      .describe('Pod, namespace and container labels from the Kubernetes API (flag --kubernetes.enabled; docs/kubernetes.md)'),
    remediation: remediationConfigSchema.prefault({}).describe('Opt-in remediation on Alertmanager notifications (docs/remediation.md); off by default'),
  })
  .strict();

export type ProcsightConfig = z.infer<typeof configSchema>;
