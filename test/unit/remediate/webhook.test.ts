import { alertRef, incidentKey, MAX_ALERTS_PER_NOTIFICATION, webhookSchema } from '../../../exporter/src/remediate/webhook';

/** A notification as Alertmanager 0.25 sends it (webhook payload version 4). */
const payload = {
  receiver: 'procsight-remediation',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: {
        alertname: 'ProcsightCpuSaturation',
        group: 'batch',
        instance: '127.0.0.1:9556',
        job: 'procsight',
        kind: 'cpu_saturation',
        severity: 'warning',
      },
      annotations: { summary: 'A process group is limited by CPU time.' },
      startsAt: '2026-11-24T10:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: '0c8a3f8b4f1a2b3c',
    },
  ],
  groupLabels: { group: 'batch', instance: '127.0.0.1:9556' },
  commonLabels: { alertname: 'ProcsightCpuSaturation' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}/{}:{group="batch"}',
  truncatedAlerts: 0,
};

describe("Alertmanager's webhook payload", () => {
  it('accepts version 4 and turns each alert into a reference with its incident key', () => {
    const p = webhookSchema.parse(payload);
    const ref = alertRef(p.alerts[0]);
    expect(ref).toEqual({
      alertname: 'ProcsightCpuSaturation',
      fingerprint: '0c8a3f8b4f1a2b3c',
      startsAt: '2026-11-24T10:00:00.000Z',
      instance: '127.0.0.1:9556',
      labels: payload.alerts[0].labels,
    });
    expect(incidentKey(ref)).toBe('0c8a3f8b4f1a2b3c@2026-11-24T10:00:00.000Z');
  });

  it('computes a stable fingerprint from the labels when a sender omits it', () => {
    const { fingerprint: _drop, ...bare } = payload.alerts[0];
    const a = alertRef(webhookSchema.parse({ ...payload, alerts: [bare] }).alerts[0]);
    const b = alertRef(webhookSchema.parse({ ...payload, alerts: [{ ...bare, labels: { ...bare.labels } }] }).alerts[0]);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(alertRef(webhookSchema.parse({ ...payload, alerts: [{ ...bare, labels: { ...bare.labels, group: 'other' } }] }).alerts[0]).fingerprint).not.toBe(
      a.fingerprint,
    );
  });

  it('refuses other versions, odd types and oversized notifications', () => {
    expect(webhookSchema.safeParse({ ...payload, version: '3' }).success).toBe(false);
    expect(webhookSchema.safeParse({ ...payload, alerts: 'x' }).success).toBe(false);
    expect(webhookSchema.safeParse({ ...payload, alerts: [{ ...payload.alerts[0], labels: { group: 7 } }] }).success).toBe(false);
    expect(webhookSchema.safeParse({ ...payload, alerts: Array(MAX_ALERTS_PER_NOTIFICATION + 1).fill(payload.alerts[0]) }).success).toBe(false);
  });
});
