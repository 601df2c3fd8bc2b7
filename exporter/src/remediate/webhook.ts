import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertRef } from './types';

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
type WebhookAlert = WebhookPayload['alerts'][number];

/** Alertmanager's fingerprint is a hash of the label set; the same idea when a sender omits it. */
function fingerprintOf(l: Record<string, string>): string {
  const text = Object.keys(l)
    .sort()
    .map((k) => `${k}\u0000${l[k]}`)
    .join('\u0001');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function alertRef(a: WebhookAlert): AlertRef {
  return {
    alertname: a.labels.alertname ?? '',
    fingerprint: a.fingerprint ?? fingerprintOf(a.labels),
    startsAt: a.startsAt,
    instance: a.labels.instance ?? null,
    labels: a.labels,
  };
}

/** One incident of one alert: Alertmanager re-sends it (repeat_interval, group changes) with the same key. */
export function incidentKey(a: Pick<AlertRef, 'fingerprint' | 'startsAt'>): string {
  return `${a.fingerprint}@${a.startsAt}`;
}
