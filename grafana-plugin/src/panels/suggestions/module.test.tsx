import React from 'react';
import { render, screen } from '@testing-library/react';
import { plugin } from './module';
import { EMPTY, fakeBackendSrv, recordedFor } from '../../fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../../components/testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

describe('nested panel "procsight suggestions"', () => {
  it('renders suggestions for the dashboard\'s $group', async () => {
    const table = { bottlenecks: q.bottlenecks({ instanceRegex: '.+' }), confidence: q.bottleneckConfidence({ instanceRegex: '.+' }) };
    backend = fakeBackendSrv((_p, params) => recordedFor(params.query, table) ?? EMPTY);
    const Panel = plugin.panel!;
    const vars: Record<string, string> = { '${instance:regex}': '.+', '${group}': 'leaky-cache', '${datasource}': 'procsight-prometheus' };
    render(
      React.createElement(Panel as unknown as React.ComponentType<Record<string, unknown>>, {
        options: { datasourceUid: '', perBottleneck: 2 },
        replaceVariables: (s: string) => vars[s] ?? s,
        height: 300,
        width: 400,
      }),
    );
    const cards = await screen.findAllByTestId(testIds.suggestions.card);
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent('leaky-cache');
    expect(backend.fetch).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/datasources/proxy/uid/procsight-prometheus/api/v1/query' }));
  });
});
