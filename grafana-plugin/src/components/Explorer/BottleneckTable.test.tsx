import React from 'react';
import { render, screen } from '@testing-library/react';
import { BottleneckTable } from './BottleneckTable';
import { EMPTY, fakeBackendSrv, recordedFor, recordedInstance, recordedRange, relabel } from '../../../tests/fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

const s = { instanceRegex: '.+' };

describe('BottleneckTable (recorded data)', () => {
  it('ranks the fleet\'s bottlenecks with kind, severity, since and confidence, linking to the drilldown', async () => {
    backend = fakeBackendSrv((path, p) => (path === 'query_range' ? recordedRange.bottlenecks : (recordedFor(p.query, { bottlenecks: q.bottlenecks(s), confidence: q.bottleneckConfidence(s) }) ?? EMPTY)));
    render(<BottleneckTable datasourceUid="prom" instance=".+" />);
    const rows = await screen.findAllByTestId(testIds.explorer.row);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]).toHaveTextContent('fd_exhaustion');
    expect(screen.getByText('leaky-cache').closest('a')?.getAttribute('href')).toMatch(/\/a\/procsight-analyzer-app\/explorer\/leaky-cache\?var-instance=127\.0\.0\.1/);
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
      if (path === 'query_range') {return relabel(recordedRange.bottlenecks, 'instance', 'host');}
      const r = recordedFor(p.query, table);
      return r ? relabel(r, 'instance', 'host') : EMPTY;
    });
    render(<BottleneckTable datasourceUid="prom" instance=".+" instanceLabel="host" />);
    const rows = await screen.findAllByTestId(testIds.explorer.row);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]).toHaveTextContent(recordedInstance);
    expect(rows[0].textContent).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    expect(backend.fetch).toHaveBeenCalledWith(expect.objectContaining({ params: { query: 'procsight_bottleneck{host=~".+"}' } }));
  });
});

describe('BottleneckTable filter', () => {
  it('filters by kind', async () => {
    const { fireEvent } = await import('@testing-library/react');
    backend = fakeBackendSrv((path, p) => (path === 'query_range' ? recordedRange.bottlenecks : (recordedFor(p.query, { bottlenecks: q.bottlenecks(s), confidence: q.bottleneckConfidence(s) }) ?? EMPTY)));
    render(<BottleneckTable datasourceUid="prom" instance=".+" />);
    await screen.findAllByTestId(testIds.explorer.row);
    fireEvent.change(screen.getByLabelText('Bottleneck kind'), { target: { value: 'memory_leak' } });
    const rows = screen.getAllByTestId(testIds.explorer.row);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('leaky-cache');
  });
});
