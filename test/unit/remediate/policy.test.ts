import { parseConfigText } from '../../../exporter/src/config/load';
import { decide, type PolicyInput } from '../../../exporter/src/remediate/policy';
import type { ActionRecord, AlertRef } from '../../../exporter/src/remediate/types';

const T0 = Date.UTC(2026, 10, 24, 10);
const config = parseConfigText(
  `remediation:
  mode: approve
  webhook_token_file: /x
  instance: 'host:9556'
  max_actions_per_hour: 4
  rules:
    - {group: batch, kind: cpu_saturation, action: renice, nice: 10, cooldown_seconds: 600, max_actions: 2, window_seconds: 3600}
    - {group: api, kind: memory_leak, action: signal}
`,
  { source: 'test' },
).remediation;

function alert(labels: Record<string, string>, startsAt = new Date(T0).toISOString(), fingerprint = `fp-${JSON.stringify(labels)}`): AlertRef {
  return { alertname: labels.alertname ?? 'ProcsightCpuSaturation', fingerprint, startsAt, instance: labels.instance ?? null, labels };
}
const batch = (startsAt?: string) => alert({ alertname: 'ProcsightCpuSaturation', group: 'batch', kind: 'cpu_saturation', instance: 'host:9556' }, startsAt);

function record(over: Partial<ActionRecord>): ActionRecord {
  return {
    id: 'act-1',
    group: 'batch',
    kind: 'cpu_saturation',
    action: 'renice',
    status: 'done',
    reason: '',
    before: null,
    after: null,
    requested_at: new Date(T0 - 3_000_000).toISOString(),
    decided_at: null,
    decided_by: null,
    rule: null,
    alert: alert({ group: 'batch' }, new Date(T0 - 3_000_000).toISOString(), 'old'),
    executing: false,
    history: [],
    ...over,
  };
}

function input(over: Partial<PolicyInput>): PolicyInput {
  return {
    alert: batch(),
    status: 'firing',
    config,
    records: [],
    nowMs: T0,
    killSwitch: false,
    bottleneckActive: () => true,
    groupsAccepted: new Set(),
    ...over,
  };
}

const reasonOf = (over: Partial<PolicyInput>): string => {
  const d = decide(input(over));
  return d.verdict === 'accept' ? 'accept' : d.reason;
};

describe('remediation policy', () => {
  it('accepts a firing alert of a group and kind a rule allows', () => {
    expect(decide(input({}))).toEqual({ verdict: 'accept', rule: config.rules[0], group: 'batch', kind: 'cpu_saturation' });
  });

  it('ignores resolved alerts and an incident already received (same fingerprint and start), whatever became of it', () => {
    expect(decide(input({ status: 'resolved' }))).toEqual({ verdict: 'ignore', reason: 'resolved' });
    for (const status of ['done', 'refused', 'pending', 'dry_run'] as const)
      expect(decide(input({ records: [record({ status, alert: batch() })] }))).toEqual({ verdict: 'ignore', reason: 'duplicate' });
  });

  it('refuses, with the reason, alerts that are not bottleneck alerts, for another instance, or that no rule allows', () => {
    expect(reasonOf({ alert: alert({ alertname: 'ProcsightExporterDown', instance: 'host:9556' }) })).toBe(
      'ProcsightExporterDown is not a procsight bottleneck alert (it needs group and kind labels)',
    );
    expect(reasonOf({ alert: alert({ group: 'batch', kind: 'slowness', instance: 'host:9556' }) })).toMatch(/not a procsight bottleneck alert/);
    expect(reasonOf({ alert: alert({ group: 'batch', kind: 'cpu_saturation', instance: 'other:9556' }) })).toBe(
      'the alert is for instance other:9556, this exporter is host:9556',
    );
    expect(reasonOf({ alert: alert({ group: 'web', kind: 'cpu_saturation', instance: 'host:9556' }) })).toBe(
      'no rule allows acting on group web for cpu_saturation',
    );
    expect(reasonOf({ alert: alert({ group: 'batch', kind: 'io_bound', instance: 'host:9556' }) })).toBe('no rule allows acting on group batch for io_bound');
    const d = decide(input({ alert: alert({ group: 'web', kind: 'cpu_saturation', instance: 'host:9556' }) }));
    expect(d).toMatchObject({ verdict: 'refuse', rule: null, group: 'web', kind: 'cpu_saturation' });
  });

  it('refuses while the kill switch is on, and when the exporter does not see the bottleneck itself', () => {
    expect(reasonOf({ killSwitch: true })).toBe('the kill switch is on');
    expect(reasonOf({ bottleneckActive: () => false })).toBe("the exporter's analysis shows no active cpu_saturation bottleneck for batch");
    expect(reasonOf({ bottleneckActive: () => null })).toBe('the exporter has no analysis yet to confirm the bottleneck');
    expect(reasonOf({ bottleneckActive: () => false, config: { ...config, require_active_bottleneck: false } })).toBe('accept');
  });

  it('acts once per group per notification', () => {
    expect(reasonOf({ groupsAccepted: new Set(['batch']) })).toBe('another alert of group batch in the same notification was already acted on');
  });

  it('holds the cooldown after any action of the rule but a refused one, and one pending action at a time', () => {
    const recent = (status: ActionRecord['status'], agoMs: number) => record({ status, requested_at: new Date(T0 - agoMs).toISOString() });
    expect(reasonOf({ records: [recent('done', 60_000)] })).toBe(
      'cooldown: this rule acted at 2026-11-24T09:59:00.000Z; next action allowed from 2026-11-24T10:09:00.000Z',
    );
    expect(reasonOf({ records: [recent('dry_run', 60_000)] })).toMatch(/^cooldown/);
    expect(reasonOf({ records: [recent('failed', 60_000)] })).toMatch(/^cooldown/);
    expect(reasonOf({ records: [recent('refused', 60_000)] })).toBe('accept');
    expect(reasonOf({ records: [recent('done', 600_000)] })).toBe('accept'); // the cooldown is over
    expect(reasonOf({ records: [record({ status: 'pending', id: 'act-p', requested_at: new Date(T0 - 3_000_000).toISOString() })] })).toBe(
      'action act-p of this rule is still pending',
    );
    // Another rule's action does not hold this one.
    expect(reasonOf({ records: [record({ group: 'api', kind: 'memory_leak', action: 'signal', requested_at: new Date(T0 - 1000).toISOString() })] })).toBe(
      'accept',
    );
  });

  it("holds the rule's rate limit and the limit over all rules", () => {
    const ago = (ms: number, over: Partial<ActionRecord> = {}) => record({ requested_at: new Date(T0 - ms).toISOString(), ...over });
    expect(reasonOf({ records: [ago(1_200_000), ago(2_400_000)] })).toBe('rate limit: 2 actions of this rule in the last 3600 s (max_actions 2)');
    expect(reasonOf({ records: [ago(1_200_000), ago(3_700_000)] })).toBe('accept');
    const others = [1, 2, 3, 4].map((i) => ago(i * 1000, { group: 'api', kind: 'memory_leak', action: 'signal' }));
    expect(reasonOf({ records: others })).toBe('rate limit: 4 actions in the last hour over all rules (max_actions_per_hour 4)');
  });
});
