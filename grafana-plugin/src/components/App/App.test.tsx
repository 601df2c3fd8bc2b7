import React from 'react';
import { render, screen } from '@testing-library/react';
import { AppBody } from './App';
import { EMPTY, fakeBackendSrv } from '../../../tests/fixtures/replay';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
let datasources: Array<{ uid: string; type: string; isDefault: boolean }> = [];
/** Grafana's built-in data source, which its getList appends to a list filtered by type (not by pluginId). */
const GRAFANA_BUILTIN = { uid: 'grafana', type: 'datasource', isDefault: false };
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
  getDataSourceSrv: () => ({
    getList: () => datasources,
    getInstanceSettings: (uid: string) => datasources.find((d) => d.uid === uid),
  }),
}));

describe('App onboarding', () => {
  it("asks for a Prometheus data source when there is none (only Grafana's built-in data source)", async () => {
    datasources = [GRAFANA_BUILTIN];
    backend = fakeBackendSrv(() => EMPTY);
    render(<AppBody settings={{}} />);
    expect(await screen.findByTestId(testIds.onboarding.container)).toHaveTextContent('Add a Prometheus data source');
  });

  it('explains how to scrape procsight when the data source has no procsight series', async () => {
    datasources = [{ uid: 'prom', type: 'prometheus', isDefault: true }, GRAFANA_BUILTIN];
    backend = fakeBackendSrv(() => EMPTY);
    render(<AppBody settings={{}} />);
    expect(await screen.findByTestId(testIds.onboarding.container)).toHaveTextContent('No procsight series yet');
    expect(screen.getByText(/job_name: procsight/)).toBeInTheDocument();
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/api/datasources/proxy/uid/prom/api/v1/query',
        params: { query: 'count(procsight_build_info)' },
      })
    );
  });

  it('uses the configured data source when it exists', async () => {
    datasources = [
      { uid: 'prom', type: 'prometheus', isDefault: true },
      { uid: 'fleet', type: 'prometheus', isDefault: false },
      GRAFANA_BUILTIN,
    ];
    backend = fakeBackendSrv(() => EMPTY);
    render(<AppBody settings={{ datasourceUid: 'fleet' }} />);
    await screen.findByTestId(testIds.onboarding.container);
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/datasources/proxy/uid/fleet/api/v1/query' })
    );
  });
});
