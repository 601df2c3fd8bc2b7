import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import pluginJson from '../plugin.json';
import { EXPORTER_API, type AppSettings } from '../constants';
import type { FeedbackKind } from './annotations';

/**
 * The exporter's own API, reached through the app's plugin routes
 * (plugin.json `routes`): the browser calls Grafana, Grafana's server calls
 * the exporter URL of the configuration page with the credentials kept in
 * secureJsonData, so browsers never hold them. Grafana checks the route's
 * role: any signed-in user may send feedback and read actions, approving,
 * rejecting and rolling back need Editor.
 */

export type ActionStatus = 'pending' | 'dry_run' | 'done' | 'failed' | 'refused' | 'rolled_back';
export type Decision = 'approve' | 'reject' | 'rollback';

export interface RemediationAction {
  id: string;
  group: string | null;
  kind: string | null;
  action: string | null;
  status: ActionStatus;
  reason: string;
  before: unknown;
  after: unknown;
  requested_at: string;
  decided_at: string | null;
  decided_by: string | null;
  executing: boolean;
  alert: { alertname: string; fingerprint: string; starts_at: string; instance: string | null };
  history: Array<{ at: string; status: ActionStatus; by: string; reason: string }>;
}

export interface ActionsResponse {
  mode: 'off' | 'dry-run' | 'approve' | 'auto';
  kill_switch: boolean;
  pending: number;
  actions: RemediationAction[];
}

/** Actions whose effect can be undone (POST …/rollback). */
export const ROLLBACK_ACTIONS = ['renice', 'ionice', 'cpu_limit', 'memory_limit'];

/** A readable message from what the backend service rejects with (the exporter's `{error}` or Grafana's `{message}`). */
export function exporterError(e: unknown): string {
  const x = e as { status?: number; data?: { error?: string; message?: string }; message?: string };
  const text = x.data?.error ?? x.data?.message ?? x.message ?? 'request failed';
  return x.status ? `${x.status}: ${text}` : text;
}

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  opts: { data?: unknown; params?: Record<string, string> } = {}
): Promise<T> {
  const res = await lastValueFrom(
    getBackendSrv().fetch<T>({
      url: `${EXPORTER_API}${path}`,
      method,
      data: opts.data,
      params: opts.params,
      showErrorAlert: false,
    })
  );
  return res.data;
}

let settings: Promise<AppSettings> | null = null;

/** The app's settings (jsonData), read once per page load: the nested panel has no app context to take them from. */
export function appSettings(): Promise<AppSettings> {
  settings ??= getBackendSrv()
    .get<{ jsonData?: AppSettings }>(`/api/plugins/${pluginJson.id}/settings`)
    .then((r) => r.jsonData ?? {});
  return settings;
}

/** Forgets the settings read (tests; a saved configuration reloads the page anyway). */
export function resetAppSettings(): void {
  settings = null;
}

/** Whether feedback on a suggestion of `instance` goes to the configured exporter. */
export function exporterServes(s: AppSettings, instance: string): boolean {
  return !!s.exporterUrl && (!s.exporterInstance || s.exporterInstance === instance);
}

/** POST /api/v1/feedback: the exporter's ranking learns from the verdict. */
export function sendFeedback(f: {
  group: string;
  kind: string;
  action: string;
  verdict: FeedbackKind;
}): Promise<unknown> {
  return call('POST', '/feedback', { data: f });
}

export function listActions(params: { status?: ActionStatus; limit?: number } = {}): Promise<ActionsResponse> {
  const p: Record<string, string> = {};
  if (params.status) {
    p.status = params.status;
  }
  p.limit = String(params.limit ?? 200);
  return call('GET', '/actions', { params: p });
}

export async function decideAction(id: string, decision: Decision): Promise<RemediationAction> {
  return (
    await call<{ action: RemediationAction }>('POST', `/actions/${encodeURIComponent(id)}/${decision}`, { data: {} })
  ).action;
}

/** One series that moved with a group's bottleneck signal (GET /api/v1/correlations). */
interface CorrelationEntry {
  source: 'group' | 'host';
  group: string | null;
  signal: string;
  /** Pearson r of the two series' changes, −1…1. */
  strength: number;
  /** > 0: this series moved that many seconds before the bottleneck's signal. */
  lag_seconds: number;
  pairs: number;
}

export interface CorrelationReport {
  group: string;
  signal: string | null;
  bottleneck: string | null;
  window_seconds: number;
  correlations: CorrelationEntry[];
}

/** GET /api/v1/correlations: hints, never causes, for one group of the configured exporter. */
export function correlations(group: string, limit = 10): Promise<CorrelationReport> {
  return call('GET', '/correlations', { params: { group, limit: String(limit) } });
}
