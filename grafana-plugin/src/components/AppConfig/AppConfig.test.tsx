import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { of } from 'rxjs';
import AppConfig, { authorizationHeader, exporterUrlProblem } from './AppConfig';
import { testIds } from '../testIds';

const saved: Array<{
  url: string;
  data: { jsonData: Record<string, string>; secureJsonData?: Record<string, string> };
}> = [];
jest.mock('@grafana/runtime', () => ({
  getBackendSrv: () => ({
    fetch: (o: { url: string; data: never }) => {
      saved.push({ url: o.url, data: o.data });
      return of({ data: {} });
    },
  }),
  locationService: { reload: jest.fn() },
  DataSourcePicker: () => null,
}));

const meta = (over: Record<string, unknown> = {}) =>
  ({ id: 'procsight-analyzer-app', enabled: true, pinned: true, jsonData: {}, secureJsonFields: {}, ...over }) as never;

describe('the configuration page: the exporter for feedback and actions', () => {
  beforeEach(() => (saved.length = 0));

  it('builds the Authorization header the plugin route sends, and checks the URL', () => {
    expect(authorizationHeader('basic', 'ops', 'pässword', '')).toBe(
      `Basic ${Buffer.from('ops:pässword', 'utf8').toString('base64')}`
    );
    expect(authorizationHeader('token', '', '', 'abc')).toBe('Bearer abc');
    expect(authorizationHeader('none', 'x', 'y', 'z')).toBe('');
    expect(exporterUrlProblem('')).toBeNull();
    expect(exporterUrlProblem('http://host:9556')).toBeNull();
    expect(exporterUrlProblem('ftp://host')).toMatch(/http or https/);
    expect(exporterUrlProblem('http://u:p@host')).toMatch(/credentials/);
    expect(exporterUrlProblem('host:9556/x y')).toMatch(/Not a URL|http or https/);
  });

  it('saves the URL and instance in jsonData and the credentials in secureJsonData only', async () => {
    render(<AppConfig plugin={{ meta: meta() } as never} query={{}} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.exporterUrl), { target: { value: 'http://exporter:9556/' } });
    fireEvent.change(screen.getByTestId(testIds.appConfig.exporterInstance), { target: { value: 'exporter:9556' } });
    fireEvent.click(screen.getByLabelText('Bearer token'));
    fireEvent.change(screen.getByTestId(testIds.appConfig.exporterToken), { target: { value: 'secret-token' } });
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].url).toBe('/api/plugins/procsight-analyzer-app/settings');
    expect(saved[0].data.jsonData).toEqual({
      datasourceUid: '',
      instanceLabel: 'instance',
      exporterUrl: 'http://exporter:9556',
      exporterInstance: 'exporter:9556',
    });
    expect(saved[0].data.secureJsonData).toEqual({ exporterAuthorization: 'Bearer secret-token' });
    expect(JSON.stringify(saved[0].data.jsonData)).not.toContain('secret');
  });

  it('keeps stored credentials unless reset, and always stores the header key (empty without credentials)', async () => {
    const { unmount } = render(
      <AppConfig
        plugin={
          {
            meta: meta({
              jsonData: { exporterUrl: 'http://e:9556' },
              secureJsonFields: { exporterAuthorization: true },
            }),
          } as never
        }
        query={{}}
      />
    );
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].data.secureJsonData).toBeUndefined();
    unmount();
    render(<AppConfig plugin={{ meta: meta() } as never} query={{}} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.exporterUrl), { target: { value: 'http://e:9556' } });
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(saved[1].data.secureJsonData).toEqual({ exporterAuthorization: '' });
  });
});
