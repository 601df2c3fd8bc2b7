import React from 'react';
import { render, screen } from '@testing-library/react';
import { plugin } from './module';
import { EMPTY, fakeBackendSrv, recordedFor, recordedInstance, relabel } from '../../../tests/fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../../components/testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

describe('nested panel "procsight suggestions"', () => {
  it("renders suggestions for the dashboard's $group", async () => {
    const table = {
      bottlenecks: q.bottlenecks({ instanceRegex: '.+' }),
      confidence: q.bottleneckConfidence({ instanceRegex: '.+' }),
    };
    backend = fakeBackendSrv((_p, params) => recordedFor(params.query, table) ?? EMPTY);
    const Panel = plugin.panel!;
    const vars: Record<string, string> = {
      '${instance:regex}': '.+',
      '${group}': 'leaky-cache',
      '${datasource}': 'procsight-prometheus',
    };
    render(
      React.createElement(Panel as unknown as React.ComponentType<Record<string, unknown>>, {
        options: { datasourceUid: '', perBottleneck: 2 },
        replaceVariables: (s: string) => vars[s] ?? s,
        height: 300,
        width: 400,
      })
    );
    const cards = await screen.findAllByTestId(testIds.suggestions.card);
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent('leaky-cache');
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/datasources/proxy/uid/procsight-prometheus/api/v1/query' })
    );
  });

  it('selects hosts by its instance label option', async () => {
    const h = { instanceRegex: '.+', instanceLabel: 'host' };
    const table = { bottlenecks: q.bottlenecks(h), confidence: q.bottleneckConfidence(h) };
    backend = fakeBackendSrv((_p, params) => {
      const r = recordedFor(params.query, table);
      return r ? relabel(r, 'instance', 'host') : EMPTY;
    });
    const Panel = plugin.panel!;
    const vars: Record<string, string> = {
      '${instance:regex}': '.+',
      '${group}': 'leaky-cache',
      '${datasource}': 'procsight-prometheus',
    };
    render(
      React.createElement(Panel as unknown as React.ComponentType<Record<string, unknown>>, {
        options: { datasourceUid: '', perBottleneck: 1, instanceLabel: 'host' },
        replaceVariables: (s: string) => vars[s] ?? s,
        height: 300,
        width: 400,
      })
    );
    const cards = await screen.findAllByTestId(testIds.suggestions.card);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toHaveTextContent(`leaky-cache on ${recordedInstance}`);
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ params: { query: 'procsight_bottleneck{host=~".+"}' } })
    );
  });
});
