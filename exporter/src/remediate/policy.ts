import { BOTTLENECK_KINDS, type BottleneckKind } from '@procsight/contract';
import type { RemediationConfig, RemediationRule } from './config';
import type { ActionRecord, AlertRef } from './types';
import { incidentKey } from './alert-ref';

/** What to do with one alert: ignore it (no record), refuse it (recorded with the reason), or accept it under a rule. */
export type Decision =
  | { verdict: 'ignore'; reason: 'resolved' | 'duplicate' }
  | { verdict: 'refuse'; reason: string; rule: RemediationRule | null; group: string | null; kind: string | null }
  | { verdict: 'accept'; rule: RemediationRule; group: string; kind: BottleneckKind };

export interface PolicyInput {
  alert: AlertRef;
  status: 'firing' | 'resolved';
  config: RemediationConfig;
  /** Recorded actions (any order). */
  records: Iterable<ActionRecord>;
  nowMs: number;
  killSwitch: boolean;
  /** Whether the exporter's analysis shows this bottleneck now (null: no analysis yet). */
  bottleneckActive(group: string, kind: BottleneckKind): boolean | null;
  /** Groups an earlier alert of the same notification was accepted for. */
  groupsAccepted: ReadonlySet<string>;
}

/** Statuses that count as an action taken (for cooldowns and rate limits): all but refused. */
const COUNTED = new Set<ActionRecord['status']>(['pending', 'dry_run', 'done', 'failed', 'rolled_back']);

const sameRule = (r: ActionRecord, rule: RemediationRule): boolean => r.group === rule.group && r.kind === rule.kind && r.action === rule.action;
const at = (iso: string): number => Date.parse(iso);

function fmt(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Decides, for one alert of a webhook notification, in this order: resolved
 * alerts and re-sent incidents (same fingerprint and start) are ignored; then
 * an alert is refused when it is not a procsight bottleneck alert, is for
 * another instance, matches no rule, the kill switch is on, the exporter does
 * not see the bottleneck, another alert of the same group was accepted in
 * this notification, or a cooldown or rate limit holds. Pure.
 */
export function decide(x: PolicyInput): Decision {
  if (x.status === 'resolved') return { verdict: 'ignore', reason: 'resolved' };
  const key = incidentKey(x.alert);
  const records = [...x.records];
  if (records.some((r) => incidentKey(r.alert) === key)) return { verdict: 'ignore', reason: 'duplicate' };
  const group = x.alert.labels.group ?? null;
  const kindLabel = x.alert.labels.kind ?? null;
  const refuse = (reason: string, rule: RemediationRule | null = null): Decision => ({ verdict: 'refuse', reason, rule, group, kind: kindLabel });
  if (!group || !kindLabel || !(BOTTLENECK_KINDS as readonly string[]).includes(kindLabel))
    return refuse(`${x.alert.alertname || 'the alert'} is not a procsight bottleneck alert (it needs group and kind labels)`);
  const kind = kindLabel as BottleneckKind;
  if (x.config.instance !== undefined && x.alert.instance !== x.config.instance)
    return refuse(`the alert is for instance ${x.alert.instance ?? '(none)'}, this exporter is ${x.config.instance}`);
  const rule = x.config.rules.find((r) => r.group === group && r.kind === kind);
  if (!rule) return refuse(`no rule allows acting on group ${group} for ${kind}`);
  if (x.killSwitch) return refuse('the kill switch is on', rule);
  if (x.config.require_active_bottleneck) {
    const active = x.bottleneckActive(group, kind);
    if (active === null) return refuse('the exporter has no analysis yet to confirm the bottleneck', rule);
    if (!active) return refuse(`the exporter's analysis shows no active ${kind} bottleneck for ${group}`, rule);
  }
  if (x.groupsAccepted.has(group)) return refuse(`another alert of group ${group} in the same notification was already acted on`, rule);
  const mine = records.filter((r) => COUNTED.has(r.status) && sameRule(r, rule));
  const pending = mine.find((r) => r.status === 'pending');
  if (pending) return refuse(`action ${pending.id} of this rule is still pending`, rule);
  const last = Math.max(-Infinity, ...mine.map((r) => at(r.requested_at)));
  if (x.nowMs - last < rule.cooldown_seconds * 1000)
    return refuse(`cooldown: this rule acted at ${fmt(last)}; next action allowed from ${fmt(last + rule.cooldown_seconds * 1000)}`, rule);
  const inWindow = mine.filter((r) => x.nowMs - at(r.requested_at) < rule.window_seconds * 1000).length;
  if (inWindow >= rule.max_actions)
    return refuse(`rate limit: ${inWindow} actions of this rule in the last ${rule.window_seconds} s (max_actions ${rule.max_actions})`, rule);
  const lastHour = records.filter((r) => COUNTED.has(r.status) && x.nowMs - at(r.requested_at) < 3_600_000).length;
  if (lastHour >= x.config.max_actions_per_hour)
    return refuse(`rate limit: ${lastHour} actions in the last hour over all rules (max_actions_per_hour ${x.config.max_actions_per_hour})`, rule);
  return { verdict: 'accept', rule, group, kind };
}
