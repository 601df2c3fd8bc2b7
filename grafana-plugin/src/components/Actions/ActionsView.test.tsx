import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { ActionsView, canDecide } from './ActionsView';
import { resetAppSettings, type ActionsResponse, type RemediationAction } from '../../api/exporter';
import { testIds } from '../testIds';

const user = { orgRole: 'Editor', isGrafanaAdmin: false };
let settings: Record<string, string> = {};
let actions: ActionsResponse;
const decisions: string[] = [];
let decisionAnswer: (id: string, decision: string) => unknown;
jest.mock('@grafana/runtime', () => ({
  config: {
    get bootData() {
      return { user };
    },
  },
  getBackendSrv: () => ({
    get: async () => ({ jsonData: settings }),
    fetch: (o: { url: string; method: string }) => {
      const m = /\/actions\/([^/]+)\/(\w+)$/.exec(o.url);
      if (m) {
        decisions.push(`${m[1]} ${m[2]}`);
        const r = decisionAnswer(m[1], m[2]);
        return r instanceof Error ? throwError(() => r) : of({ data: r });
      }
      // Grafana's proxy answers 502 when the route's exporter URL does not answer.
      return actions === null
        ? throwError(() => ({ status: 502, data: { message: 'Bad Gateway' } }))
        : of({ data: actions });
    },
  }),
}));

function action(over: Partial<RemediationAction>): RemediationAction {
  return {
    id: 'act-1',
    group: 'batch',
    kind: 'cpu_saturation',
    action: 'renice',
    status: 'pending',
    reason: 'awaiting approval: would renice to 10 (1 process(es))',
    before: null,
    after: null,
    requested_at: '2026-11-24T10:00:00.000Z',
    decided_at: null,
    decided_by: null,
    executing: false,
    alert: {
      alertname: 'ProcsightCpuSaturation',
      fingerprint: 'f',
      starts_at: '2026-11-24T09:59:00Z',
      instance: 'h:9556',
    },
    history: [{ at: '2026-11-24T10:00:00.000Z', status: 'pending', by: 'bearer token', reason: 'awaiting approval' }],
    ...over,
  };
}

describe('ActionsView (the Actions page)', () => {
  beforeEach(() => {
    resetAppSettings();
    settings = { exporterUrl: 'http://h:9556' };
    user.orgRole = 'Editor';
    decisions.length = 0;
    decisionAnswer = (id) => ({
      action: action({ id, status: 'done', reason: 'renice to 10: 1 process(es) changed', decided_by: 'bearer token' }),
    });
    actions = {
      mode: 'approve',
      kill_switch: false,
      pending: 1,
      actions: [
        action({}),
        action({
          id: 'act-0',
          status: 'done',
          reason: 'renice to 5: 1 process(es) changed',
          decided_by: 'web-config user ops',
        }),
        action({
          id: 'act-r',
          status: 'refused',
          reason: 'no rule allows acting on group web for cpu_saturation',
          group: 'web',
          action: null,
        }),
      ],
    };
  });

  it('asks for the exporter URL when none is configured', async () => {
    settings = {};
    render(<ActionsView />);
    expect(await screen.findByTestId(testIds.actions.unconfigured)).toHaveTextContent('Set the exporter URL');
  });

  it('lists what awaits approval and the audit trail with who decided', async () => {
    render(<ActionsView />);
    const rows = await screen.findAllByTestId(testIds.actions.pendingRow);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('renice on batch for cpu_saturation');
    expect(rows[0]).toHaveTextContent('awaiting approval: would renice to 10');
    const audit = screen.getAllByTestId(testIds.actions.auditRow);
    expect(audit.map((r) => r.getAttribute('data-status'))).toEqual(['pending', 'done', 'refused']);
    expect(audit[1]).toHaveTextContent('web-config user ops');
    expect(audit[2]).toHaveTextContent('no rule allows acting on group web');
    expect(screen.getByTestId(testIds.actions.mode)).toHaveTextContent('approve');
    expect(screen.getAllByTestId(testIds.actions.rollback)).toHaveLength(1); // the done renice
  });

  it('approves (Editor), shows the outcome and reloads', async () => {
    render(<ActionsView />);
    fireEvent.click(await screen.findByTestId(testIds.actions.approve));
    await waitFor(() => expect(decisions).toEqual(['act-1 approve']));
    expect(await screen.findByTestId(testIds.actions.message)).toHaveTextContent(
      'renice on batch for cpu_saturation: done — renice to 10: 1 process(es) changed'
    );
  });

  it("shows the exporter's refusal (the kill switch) and keeps the action", async () => {
    decisionAnswer = () =>
      Object.assign(new Error('x'), {
        status: 409,
        data: { error: 'the kill switch is on: no action is taken until it is removed (the action stays pending)' },
      });
    actions = { ...actions, kill_switch: true };
    render(<ActionsView />);
    expect(await screen.findByTestId(testIds.actions.killSwitch)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(testIds.actions.reject));
    expect(await screen.findByTestId(testIds.actions.message)).toHaveTextContent(
      'reject act-1: 409: the kill switch is on'
    );
  });

  it('lets a Viewer see but not decide', async () => {
    user.orgRole = 'Viewer';
    render(<ActionsView />);
    const approve = await screen.findByTestId(testIds.actions.approve);
    // @grafana/ui marks a disabled button that has a tooltip aria-disabled (so the tooltip still shows) and ignores its clicks.
    for (const b of [
      approve,
      screen.getByTestId(testIds.actions.reject),
      screen.getByTestId(testIds.actions.rollback),
    ]) {
      expect(b).toHaveAttribute('aria-disabled', 'true');
    }
    fireEvent.click(approve);
    await new Promise((r) => setTimeout(r, 50));
    expect(decisions).toEqual([]);
    expect(canDecide({ orgRole: 'Viewer' })).toBe(false);
    expect(canDecide({ orgRole: 'Viewer', isGrafanaAdmin: true } as never)).toBe(false); // the route checks the org role only
    expect(canDecide({ orgRole: 'Admin' })).toBe(true);
    expect(canDecide(undefined)).toBe(false);
  });

  it('says so when the exporter cannot be reached', async () => {
    actions = null as unknown as ActionsResponse;
    render(<ActionsView />);
    expect(await screen.findByTestId(testIds.actions.error)).toHaveTextContent('502: Bad Gateway');
  });
});
