import React, { useEffect, useState } from 'react';
import { Alert, Badge, Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import { config } from '@grafana/runtime';
import {
  appSettings,
  decideAction,
  exporterError,
  listActions,
  ROLLBACK_ACTIONS,
  type ActionsResponse,
  type Decision,
  type RemediationAction,
} from '../../api/exporter';
import { testIds } from '../testIds';

/**
 * Whether the signed-in Grafana user may approve, reject and roll back: an
 * Editor or Admin of the org. The plugin route checks the same (its reqRole
 * is compared with the org role only, so a server admin who is a Viewer in
 * this org is refused there too).
 */
export function canDecide(user: { orgRole?: string } | undefined): boolean {
  return !!user && (user.orgRole === 'Editor' || user.orgRole === 'Admin');
}

const STATUS_COLOR: Record<RemediationAction['status'], 'blue' | 'green' | 'red' | 'orange' | 'purple'> = {
  pending: 'orange',
  dry_run: 'blue',
  done: 'green',
  failed: 'red',
  refused: 'purple',
  rolled_back: 'blue',
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const what = (a: RemediationAction) =>
  `${a.action ?? 'no action'} on ${a.group ?? '(no group)'} for ${a.kind ?? '(no kind)'}`;

/**
 * The Actions page: the exporter's remediation actions (through the app's
 * plugin route). Pending actions with Approve / Reject for Editors and
 * above; the audit trail of every action with its history, and Rollback of a
 * done renice, ionice or limit.
 */
type ViewState = { loading: boolean; configured?: boolean; data?: ActionsResponse; error?: string };

/** The configured exporter's actions, or why there are none to show. */
async function fetchActions(): Promise<ViewState> {
  const settings = await appSettings();
  if (!settings.exporterUrl) {
    return { loading: false, configured: false };
  }
  try {
    return { loading: false, configured: true, data: await listActions({ limit: 200 }) };
  } catch (e) {
    return { loading: false, configured: true, error: exporterError(e) };
  }
}

export function ActionsView() {
  const [state, setState] = useState<ViewState>({ loading: true });
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const allowed = canDecide(config.bootData?.user);

  useEffect(() => {
    fetchActions().then(setState);
  }, [version]);

  const decide = async (a: RemediationAction, decision: Decision) => {
    setBusy(`${a.id}:${decision}`);
    try {
      const after = await decideAction(a.id, decision);
      setMessage({
        severity: after.status === 'failed' || after.status === 'refused' ? 'error' : 'success',
        text: `${what(after)}: ${after.status.replace('_', ' ')} — ${after.reason}`,
      });
    } catch (e) {
      setMessage({ severity: 'error', text: `${decision} ${a.id}: ${exporterError(e)}` });
    } finally {
      setBusy(null);
      setVersion((v) => v + 1);
    }
  };

  if (state.loading) {
    return <LoadingPlaceholder text="Loading actions…" />;
  }
  if (!state.configured) {
    return (
      <Alert severity="info" title="No exporter configured" data-testid={testIds.actions.unconfigured}>
        Set the exporter URL (and its credentials) on the app&apos;s configuration page: the Actions page shows that
        exporter&apos;s remediation actions.
      </Alert>
    );
  }
  if (state.error || !state.data) {
    return (
      <Alert severity="error" title="Cannot load the exporter's actions" data-testid={testIds.actions.error}>
        {state.error}
      </Alert>
    );
  }
  const { mode, kill_switch: killSwitch, actions } = state.data;
  const pending = actions.filter((a) => a.status === 'pending' && !a.executing);
  const decidedButton = (
    a: RemediationAction,
    decision: Decision,
    label: string,
    testId: string,
    variant: 'primary' | 'secondary' | 'destructive'
  ) => (
    <Button
      size="sm"
      variant={variant}
      disabled={!allowed || busy !== null}
      tooltip={allowed ? undefined : 'Editors and admins can decide on actions'}
      onClick={() => decide(a, decision)}
      data-testid={testId}
    >
      {busy === `${a.id}:${decision}` ? `${label}…` : label}
    </Button>
  );

  return (
    <div data-testid={testIds.actions.container}>
      <Stack gap={1} alignItems="center">
        <span data-testid={testIds.actions.mode}>
          Remediation mode: <Badge text={mode} color={mode === 'off' ? 'blue' : mode === 'auto' ? 'red' : 'orange'} />
        </span>
        <Button
          size="sm"
          variant="secondary"
          icon="sync"
          onClick={() => setVersion((v) => v + 1)}
          data-testid={testIds.actions.refresh}
        >
          Refresh
        </Button>
      </Stack>
      {mode === 'off' && (
        <p>Remediation is off on this exporter (remediation.mode in its config file): no action is ever taken.</p>
      )}
      {killSwitch && (
        <Alert severity="warning" title="Kill switch on" data-testid={testIds.actions.killSwitch}>
          The exporter&apos;s kill-switch file exists: it takes no action, and approvals are refused until the file is
          removed.
        </Alert>
      )}
      {message && (
        <Alert
          severity={message.severity}
          title={message.severity === 'success' ? 'Done' : 'Not done'}
          onRemove={() => setMessage(null)}
          data-testid={testIds.actions.message}
        >
          {message.text}
        </Alert>
      )}

      <h3>Awaiting approval</h3>
      {pending.length === 0 && <p data-testid={testIds.actions.pendingEmpty}>No action awaits approval.</p>}
      {pending.map((a) => (
        <section key={a.id} data-testid={testIds.actions.pendingRow} style={{ marginBottom: 12 }}>
          <Stack gap={1} alignItems="center">
            <b>{what(a)}</b>
            <span>
              requested {when(a.requested_at)} by {a.alert.alertname}
              {a.alert.instance ? ` on ${a.alert.instance}` : ''}
            </span>
          </Stack>
          <p>{a.reason}</p>
          <Stack gap={1}>
            {decidedButton(a, 'approve', 'Approve', testIds.actions.approve, 'primary')}
            {decidedButton(a, 'reject', 'Reject', testIds.actions.reject, 'secondary')}
          </Stack>
        </section>
      ))}

      <h3>Audit trail</h3>
      <table style={{ width: '100%' }}>
        <thead>
          <tr>
            <th>requested</th>
            <th>action</th>
            <th>status</th>
            <th>reason</th>
            <th>decided by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => (
            <tr
              key={a.id}
              data-testid={testIds.actions.auditRow}
              data-id={a.id}
              data-status={a.status}
              style={{ verticalAlign: 'top' }}
            >
              <td>{when(a.requested_at)}</td>
              <td>{what(a)}</td>
              <td>
                <Badge text={a.executing ? 'executing' : a.status.replace('_', ' ')} color={STATUS_COLOR[a.status]} />
              </td>
              <td>
                {a.reason}
                <details>
                  <summary>history</summary>
                  <ul>
                    {a.history.map((h, i) => (
                      <li key={i}>
                        {when(h.at)}: {h.status.replace('_', ' ')} by {h.by} — {h.reason}
                      </li>
                    ))}
                  </ul>
                </details>
              </td>
              <td>{a.decided_by ?? '—'}</td>
              <td>
                {a.status === 'done' &&
                  !a.executing &&
                  ROLLBACK_ACTIONS.includes(a.action ?? '') &&
                  decidedButton(a, 'rollback', 'Roll back', testIds.actions.rollback, 'destructive')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
