import { of, throwError } from 'rxjs';
import {
  appSettings,
  decideAction,
  exporterError,
  exporterServes,
  listActions,
  resetAppSettings,
  sendFeedback,
} from './exporter';

const fetch = jest.fn();
const get = jest.fn();
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => ({ fetch, get }) }));

const ROUTE = '/api/plugin-proxy/procsight-analyzer-app/exporter/api/v1';

describe("the exporter's API through the app's plugin routes", () => {
  beforeEach(() => {
    fetch.mockReset();
    get.mockReset();
    resetAppSettings();
  });

  it('posts feedback and decisions and lists actions under the plugin route, never to the exporter directly', async () => {
    fetch.mockImplementation(() => of({ data: { action: { id: 'a1', status: 'done' } } }));
    await sendFeedback({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'applied' });
    expect(fetch).toHaveBeenLastCalledWith({
      url: `${ROUTE}/feedback`,
      method: 'POST',
      data: { group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'applied' },
      params: undefined,
      showErrorAlert: false,
    });
    await listActions({ status: 'pending' });
    expect(fetch).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: `${ROUTE}/actions`, method: 'GET', params: { status: 'pending', limit: '200' } })
    );
    expect(await decideAction('act/1', 'approve')).toEqual({ id: 'a1', status: 'done' });
    expect(fetch).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: `${ROUTE}/actions/act%2F1/approve`, method: 'POST' })
    );
  });

  it("reads the app settings once, and sends feedback only for the configured exporter's instance", async () => {
    get.mockResolvedValue({ jsonData: { exporterUrl: 'http://h:9556', exporterInstance: 'h:9556' } });
    const s = await appSettings();
    await appSettings();
    expect(get).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledWith('/api/plugins/procsight-analyzer-app/settings');
    expect(exporterServes(s, 'h:9556')).toBe(true);
    expect(exporterServes(s, 'other:9556')).toBe(false);
    expect(exporterServes({ exporterUrl: 'http://h:9556' }, 'any')).toBe(true);
    expect(exporterServes({}, 'h:9556')).toBe(false);
  });

  it('turns what Grafana or the exporter answer into a readable error', async () => {
    fetch.mockImplementation(() => throwError(() => ({ status: 409, data: { error: 'the kill switch is on' } })));
    await expect(decideAction('a', 'approve')).rejects.toEqual({
      status: 409,
      data: { error: 'the kill switch is on' },
    });
    expect(exporterError({ status: 409, data: { error: 'the kill switch is on' } })).toBe('409: the kill switch is on');
    expect(exporterError({ status: 403, data: { message: 'plugin proxy route access denied' } })).toBe(
      '403: plugin proxy route access denied'
    );
    expect(exporterError(new Error('network'))).toBe('network');
  });
});
