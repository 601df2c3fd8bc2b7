/** What the remediation layer keeps and shows: actions, their audit trail, the processes it acts on. */
import type { RemediationAction, RemediationStatus } from '@procsight/contract';
import type { RemediationRule } from './config';

/** The alert an action answers (from Alertmanager's webhook payload). */
export interface AlertRef {
  alertname: string;
  /** Alertmanager's fingerprint of the label set (computed from the labels when absent). */
  fingerprint: string;
  startsAt: string;
  instance: string | null;
  labels: Record<string, string>;
}

/** One change in an action's life, as the audit log records it. */
interface HistoryEntry {
  at: string;
  status: RemediationStatus;
  by: string;
  reason: string;
}

/**
 * One remediation action (GET /api/v1/actions). `before` and `after` are the
 * state the action read and left (or, for dry_run and pending, what it would
 * leave); their shape depends on the action (docs/remediation.md).
 */
export interface ActionRecord {
  id: string;
  group: string | null;
  kind: string | null;
  action: RemediationAction | null;
  status: RemediationStatus;
  reason: string;
  before: unknown;
  after: unknown;
  requested_at: string;
  decided_at: string | null;
  decided_by: string | null;
  /** The rule that matched, as configured then (null when none did). */
  rule: RemediationRule | null;
  alert: AlertRef;
  /** True while the action runs (a restart finds it true only if the exporter died meanwhile). */
  executing: boolean;
  history: HistoryEntry[];
}

/** A process the action may touch: pid and start time (pid reuse is checked again before acting). */
export interface Target {
  pid: number;
  startTicks: number;
  comm: string;
}

/** Who asked: the webhook token, a web-config user, or the exporter itself. */
export type Principal = { kind: 'token' } | { kind: 'user'; name: string } | { kind: 'system'; name: string };

export function describePrincipal(p: Principal, onBehalfOf?: string): string {
  const who = p.kind === 'token' ? 'bearer token' : p.kind === 'user' ? `web-config user ${p.name}` : p.name;
  return onBehalfOf ? `${who} (for Grafana user ${onBehalfOf})` : who;
}
