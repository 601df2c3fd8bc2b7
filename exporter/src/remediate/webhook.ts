import { z } from 'zod';

/** Most alerts one notification may carry (Alertmanager's `max_alerts` should be set lower). */
export const MAX_ALERTS_PER_NOTIFICATION = 100;

const labels = z.record(z.string().max(256), z.string().max(4096));

/** One alert of Alertmanager's webhook payload (version 4). */
const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: z.record(z.string().max(256), z.string().max(65536)).optional(),
  startsAt: z.string().max(64),
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().max(64).optional(),
});

/** Alertmanager's webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const webhookSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(65536).optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(1024),
  groupLabels: labels.optional(),
  commonLabels: labels.optional(),
  commonAnnotations: z.record(z.string().max(256), z.string().max(65536)).optional(),
  externalURL: z.string().max(4096).optional(),
  alerts: z.array(alertSchema).max(MAX_ALERTS_PER_NOTIFICATION),
});

export type WebhookPayload = z.infer<typeof webhookSchema>;
export type WebhookAlert = WebhookPayload['alerts'][number];
