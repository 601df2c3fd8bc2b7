import React from 'react';
import { render, screen } from '@testing-library/react';
import { BottleneckTable } from './BottleneckTable';
import {
  EMPTY,
  fakeBackendSrv,
  recordedFor,
  recordedInstance,
  recordedRange,
  relabel,
} from '../../../tests/fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

const s = { instanceRegex: '.+' };

describe('BottleneckTable (recorded data)', () => {
  it("ranks the fleet's bottlenecks with kind, severity, since and confidence, linking to the drilldown", async () => {
    backend = fakeBackendSrv((path, p) =>
      path === 'query_range'
        ? recordedRange.bottlenecks
        : (recordedFor(p.query, { bottlenecks: q.bottlenecks(s), confidence: q.bottleneckConfidence(s) }) ?? EMPTY)
    );
    render(<BottleneckTable datasourceUid="prom" instance=".+" />);
    const rows = await screen.findAllByTestId(testIds.explorer.row);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]).toHaveTextContent('fd_exhaustion');
    expect(screen.getByText('leaky-cache').closest('a')?.getAttribute('href')).toMatch(
      /\/a\/procsight-analyzer-app\/explorer\/leaky-cache\?var-instance=127\.0\.0\.1/
    );
    expect(rows[0].textContent).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  });

  it('shows an empty state', async () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<BottleneckTable datasourceUid="prom" instance=".+" />);
    expect(await screen.findByTestId(testIds.explorer.empty)).toBeInTheDocument();
  });
});

describe('BottleneckTable with another instance label', () => {
  it('queries and shows hosts by the configured label', async () => {
    const h = { instanceRegex: '.+', instanceLabel: 'host' };
    const table = { bottlenecks: q.bottlenecks(h), confidence: q.bottleneckConfidence(h) };
    backend = fakeBackendSrv((path, p) => {
      if (path === 'query_range') {
        return relabel(recordedRange.bottlenecks, 'instance', 'host');
      }
      const r = recordedFor(p.query, table);
      return r ? relabel(r, 'instance', 'host') : EMPTY;
    });
    render(<BottleneckTable datasourceUid="prom" instance=".+" instanceLabel="host" />);
    const rows = await screen.findAllByTestId(testIds.explorer.row);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]).toHaveTextContent(recordedInstance);
    expect(rows[0].textContent).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ params: { query: 'procsight_bottleneck{host=~".+"}' } })
    );
  });
});

describe('BottleneckTable filter', () => {
  it('filters by kind', async () => {
    const { fireEvent } = await import('@testing-library/react');
    backend = fakeBackendSrv((path, p) =>
      path === 'query_range'
        ? recordedRange.bottlenecks
        : (recordedFor(p.query, { bottlenecks: q.bottlenecks(s), confidence: q.bottleneckConfidence(s) }) ?? EMPTY)
    );
    render(<BottleneckTable datasourceUid="prom" instance=".+" />);
    await screen.findAllByTestId(testIds.explorer.row);
    fireEvent.change(screen.getByLabelText('Bottleneck kind'), { target: { value: 'memory_leak' } });
    const rows = screen.getAllByTestId(testIds.explorer.row);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('leaky-cache');
  });
});

describe('BottleneckTable culprit column', () => {
  const vector = (result: Array<{ metric: Record<string, string>; value: number }>) => ({
    status: 'success',
    data: {
      resultType: 'vector',
      result: result.map((r) => ({ metric: r.metric, value: [1_700_000_000, String(r.value)] })),
    },
  });
  it('names the culprits of a wait with the share each explains, linking to their drilldown; none for other kinds', async () => {
    backend = fakeBackendSrv((path, p) => {
      if (path === 'query_range') {
        return { status: 'success', data: { resultType: 'matrix', result: [] } };
      }
      if (p.query === q.bottlenecks(s)) {
        return vector([
          { metric: { instance: 'h1', group: 'quote-api', kind: 'cpu_starvation' }, value: 0.8 },
          { metric: { instance: 'h1', group: 'leaky-cache', kind: 'memory_leak' }, value: 0.6 },
        ]);
      }
      if (p.query === q.contention(s)) {
        return vector([
          { metric: { instance: 'h1', group: 'quote-api', culprit: 'batch-export', resource: 'cpu' }, value: 0.62 },
          { metric: { instance: 'h1', group: 'quote-api', culprit: 'log-shipper', resource: 'cpu' }, value: 0.21 },
          // A storage culprit does not explain a CPU wait.
          { metric: { instance: 'h1', group: 'quote-api', culprit: 'bulk-loader', resource: 'io' }, value: 0.5 },
        ]);
      }
      return EMPTY;
    });
    render(<BottleneckTable datasourceUid="prom" instance=".+" />);
    const cells = await screen.findAllByTestId(testIds.explorer.culprit);
    expect(cells[0]).toHaveTextContent('batch-export (62%), log-shipper (21%)');
    expect(cells[0]).not.toHaveTextContent('bulk-loader');
    expect(screen.getByText('batch-export').closest('a')?.getAttribute('href')).toMatch(
      /\/explorer\/batch-export\?var-instance=h1/
    );
    expect(cells[1]).toHaveTextContent('—');
  });
});
