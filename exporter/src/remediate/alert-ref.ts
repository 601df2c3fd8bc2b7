import { createHash } from 'node:crypto';
import type { AlertRef } from './types';
import type { WebhookAlert } from './webhook';

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
