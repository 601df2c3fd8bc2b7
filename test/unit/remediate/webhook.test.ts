import { MAX_ALERTS_PER_NOTIFICATION, webhookSchema } from '../../../exporter/src/remediate/webhook';
import { ALERTMANAGER_PAYLOAD } from '../../helpers/remediation';

describe("Alertmanager's webhook payload", () => {
  it('accepts version 4 as Alertmanager 0.25 sends it', () => {
    expect(webhookSchema.parse(ALERTMANAGER_PAYLOAD).alerts[0].labels).toEqual(ALERTMANAGER_PAYLOAD.alerts[0].labels);
  });

  it('refuses other versions, odd types and oversized notifications', () => {
    expect(webhookSchema.safeParse({ ...ALERTMANAGER_PAYLOAD, version: '3' }).success).toBe(false);
    expect(webhookSchema.safeParse({ ...ALERTMANAGER_PAYLOAD, alerts: 'x' }).success).toBe(false);
    expect(webhookSchema.safeParse({ ...ALERTMANAGER_PAYLOAD, alerts: [{ ...ALERTMANAGER_PAYLOAD.alerts[0], labels: { group: 7 } }] }).success).toBe(false);
    expect(
      webhookSchema.safeParse({ ...ALERTMANAGER_PAYLOAD, alerts: Array(MAX_ALERTS_PER_NOTIFICATION + 1).fill(ALERTMANAGER_PAYLOAD.alerts[0]) }).success,
    ).toBe(false);
  });
});
