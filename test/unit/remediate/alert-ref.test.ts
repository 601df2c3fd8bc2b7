import { alertRef, incidentKey } from '../../../exporter/src/remediate/alert-ref';
import { webhookSchema } from '../../../exporter/src/remediate/webhook';
import { ALERTMANAGER_PAYLOAD } from '../../helpers/remediation';

describe('alert references and incident keys', () => {
  it('accepts version 4 and turns each alert into a reference with its incident key', () => {
    const p = webhookSchema.parse(ALERTMANAGER_PAYLOAD);
    const ref = alertRef(p.alerts[0]);
    expect(ref).toEqual({
      alertname: 'ProcsightCpuSaturation',
      fingerprint: '0c8a3f8b4f1a2b3c',
      startsAt: '2026-11-24T10:00:00.000Z',
      instance: '127.0.0.1:9556',
      labels: ALERTMANAGER_PAYLOAD.alerts[0].labels,
    });
    expect(incidentKey(ref)).toBe('0c8a3f8b4f1a2b3c@2026-11-24T10:00:00.000Z');
  });

  it('computes a stable fingerprint from the labels when a sender omits it', () => {
    const { fingerprint: _drop, ...bare } = ALERTMANAGER_PAYLOAD.alerts[0];
    const a = alertRef(webhookSchema.parse({ ...ALERTMANAGER_PAYLOAD, alerts: [bare] }).alerts[0]);
    const b = alertRef(webhookSchema.parse({ ...ALERTMANAGER_PAYLOAD, alerts: [{ ...bare, labels: { ...bare.labels } }] }).alerts[0]);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(
      alertRef(webhookSchema.parse({ ...ALERTMANAGER_PAYLOAD, alerts: [{ ...bare, labels: { ...bare.labels, group: 'other' } }] }).alerts[0]).fingerprint,
    ).not.toBe(a.fingerprint);
  });
});
