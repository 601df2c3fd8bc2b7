import React from 'react';
import { render, screen } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { CorrelationsView, lagText } from './CorrelationsView';
import { resetAppSettings, type CorrelationReport } from '../../api/exporter';
import { testIds } from '../testIds';

let backend: { get: jest.Mock; fetch: jest.Mock };
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

const REPORT: CorrelationReport = {
  group: 'order-db',
  signal: 'io_write',
  bottleneck: 'io_bound',
  window_seconds: 3600,
  correlations: [
    { source: 'group', group: 'nightly-backup', signal: 'io_write', strength: 0.91, lag_seconds: 0, pairs: 238 },
    { source: 'host', group: null, signal: 'iowait_ratio', strength: 0.84, lag_seconds: 30, pairs: 238 },
    { source: 'group', group: 'order-db', signal: 'cpu_wait', strength: -0.42, lag_seconds: -15, pairs: 232 },
  ],
};

/** A Grafana backend whose app settings are `jsonData` and whose plugin route answers `answer`. */
function backendWith(jsonData: Record<string, string>, answer: () => unknown) {
  const calls: Array<{ url: string; params?: Record<string, string> }> = [];
  backend = {
    get: jest.fn(async () => ({ jsonData })),
    fetch: jest.fn((opts: { url: string; params?: Record<string, string> }) => {
      calls.push(opts);
      try {
        return of({ data: answer(), status: 200 });
      } catch (e) {
        return throwError(() => e);
      }
    }),
  };
  return calls;
}

describe('CorrelationsView', () => {
  afterEach(resetAppSettings);

  it("lists what moved with the bottleneck's signal through the plugin route, with strength and lag, other groups linked", async () => {
    const calls = backendWith({ exporterUrl: 'http://exporter:9556', exporterInstance: 'h1' }, () => REPORT);
    render(<CorrelationsView datasourceUid="prom" instance="h1" group="order-db" />);
    const rows = await screen.findAllByTestId(testIds.correlations.row);
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['nightly-backup', 'io_write', '0.91', 'at the same time'],
      ['host', 'iowait_ratio', '0.84', '30 s before'],
      ['this group', 'cpu_wait', '-0.42', '15 s after'],
    ]);
    expect(screen.getByText('nightly-backup').closest('a')?.getAttribute('href')).toMatch(
      /\/explorer\/nightly-backup\?var-instance=h1/
    );
    expect(screen.getByText(/a hint, not a cause/)).toBeInTheDocument();
    expect(calls).toEqual([
      expect.objectContaining({
        url: '/api/plugin-proxy/procsight-analyzer-app/exporter/api/v1/correlations',
        params: { group: 'order-db', limit: '10' },
      }),
    ]);
  });

  it("says why there are none: no exporter configured, another host's exporter, no bottleneck, or nothing moved", async () => {
    backendWith({}, () => REPORT);
    const { unmount } = render(<CorrelationsView datasourceUid="prom" instance="h1" group="order-db" />);
    expect(await screen.findByTestId(testIds.correlations.unavailable)).toHaveTextContent('Set the exporter URL');
    unmount();
    resetAppSettings();

    const calls = backendWith({ exporterUrl: 'http://exporter:9556', exporterInstance: 'h2' }, () => REPORT);
    const second = render(<CorrelationsView datasourceUid="prom" instance="h1" group="order-db" />);
    expect(await screen.findByTestId(testIds.correlations.unavailable)).toHaveTextContent('serves h2, not h1');
    expect(calls).toEqual([]);
    second.unmount();
    resetAppSettings();

    backendWith({ exporterUrl: 'http://exporter:9556' }, () => ({
      ...REPORT,
      signal: null,
      bottleneck: null,
      correlations: [],
    }));
    const third = render(<CorrelationsView datasourceUid="prom" instance="h1" group="order-db" />);
    expect(await screen.findByTestId(testIds.correlations.none)).toHaveTextContent('order-db has no bottleneck');
    third.unmount();
    resetAppSettings();

    backendWith({ exporterUrl: 'http://exporter:9556' }, () => ({ ...REPORT, correlations: [] }));
    render(<CorrelationsView datasourceUid="prom" instance="h1" group="order-db" />);
    expect(await screen.findByTestId(testIds.correlations.none)).toHaveTextContent(
      "Nothing moved with order-db's io_write"
    );
  });

  it("shows the exporter's refusal", async () => {
    backendWith({ exporterUrl: 'http://exporter:9556' }, () => {
      throw { status: 404, data: { error: 'unknown group' } };
    });
    render(<CorrelationsView datasourceUid="prom" instance="h1" group="gone" />);
    expect(await screen.findByText('404: unknown group')).toBeInTheDocument();
  });

  it('words the lag', () => {
    expect(lagText(0)).toBe('at the same time');
    expect(lagText(45)).toBe('45 s before');
    expect(lagText(-15)).toBe('15 s after');
  });
});
