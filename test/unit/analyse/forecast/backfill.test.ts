import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { backfillHistory } from '../../../../exporter/src/analyse/forecast/backfill';
import { forecastConfigSchema } from '../../../../exporter/src/analyse/forecast/config';
import { Forecaster } from '../../../../exporter/src/analyse/forecast/forecaster';
import { recordingLogger } from '../../../helpers/logger';
import { freePort } from '../../../helpers/prometheus';

/**
 * Which series a starting exporter backfills, against a stand-in Prometheus
 * on loopback that records the queries (the whole exporter against it, and
 * a real Prometheus: test/integration/forecast-backfill.test.ts).
 */
describe('backfillHistory', () => {
  let server: http.Server;
  let url = '';
  const seen: URL[] = [];
  /** The instances whose procsight_host_info carries the hostname asked for. */
  let instances: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      seen.push(u);
      res.setHeader('content-type', 'application/json');
      if (u.pathname === '/api/v1/series')
        res.end(JSON.stringify({ status: 'success', data: instances.map((instance) => ({ __name__: 'procsight_host_info', instance })) }));
      else {
        // Two points a minute apart, ending a minute ago: inside the short tier's window and on its 60 s grid.
        const t = Math.floor(Date.now() / 60_000) * 60 - 60;
        res.end(
          JSON.stringify({
            status: 'success',
            data: {
              resultType: 'matrix',
              result: [
                {
                  metric: { group: 'api' },
                  values: [
                    [t - 60, '1'],
                    [t, '2'],
                  ],
                },
              ],
            },
          }),
        );
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    instances = [];
  });

  const forecaster = () => new Forecaster({ config: forecastConfigSchema.parse({}) });
  const hostname = async () => 'web-1';

  it.each([
    [['a:9556', 'b:9556'], 'ambiguous_instance'],
    [[], 'no_instance'],
  ])('refuses when the instances with its hostname are %j: %s, warns once naming --history.instance, queries no history', async (found, reason) => {
    instances = found;
    const logger = recordingLogger();
    const f = forecaster();
    expect(await backfillHistory({ forecaster: f, prometheusUrl: url, instance: '', hostname, logger })).toBe(reason);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0].msg).toMatch(/--history\.instance/);
    expect(logger.warnings[0].obj).toMatchObject({ reason, hostname: 'web-1', instances: found.join(',') });
    expect(seen.map((u) => u.pathname)).toEqual(['/api/v1/series']);
    expect(f.toJSON().histories).toEqual({});
  });

  it('backfills the one instance with its hostname', async () => {
    instances = ['web-1:9556'];
    const logger = recordingLogger();
    const f = forecaster();
    expect(await backfillHistory({ forecaster: f, prometheusUrl: url, instance: '', hostname, logger })).toBeNull();
    const queries = seen.filter((u) => u.pathname === '/api/v1/query_range').map((u) => u.searchParams.get('query') ?? '');
    expect(queries).toHaveLength(10); // five series, for each of the two tiers
    for (const q of queries) expect(q).toContain('instance="web-1:9556"');
    expect(logger.infos).toEqual([{ obj: { instance: 'web-1:9556', series: 5, points: 10 }, msg: 'forecast history backfilled from Prometheus' }]);
    expect(f.toJSON().histories['api\u0000memory']).toEqual([1, 2]);
  });

  it('with --history.instance queries only that instance and does not look for it', async () => {
    const f = forecaster();
    let asked = false;
    const r = await backfillHistory({
      forecaster: f,
      prometheusUrl: url,
      instance: 'b:9556',
      hostname: async () => {
        asked = true;
        return 'web-1';
      },
      logger: recordingLogger(),
    });
    expect(r).toBeNull();
    expect(asked).toBe(false);
    const queries = seen.filter((u) => u.pathname === '/api/v1/query_range').map((u) => u.searchParams.get('query') ?? '');
    expect(queries).toHaveLength(10); // five series, for each of the two tiers
    for (const q of queries) expect(q).toContain('instance="b:9556"');
    expect(seen.map((u) => u.pathname)).not.toContain('/api/v1/series');
  });

  it('starts empty with a warning when Prometheus cannot be reached', async () => {
    const logger = recordingLogger();
    const f = forecaster();
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(await backfillHistory({ forecaster: f, prometheusUrl: closed, instance: 'b:9556', hostname, logger })).toBeNull();
    expect(logger.warnings.map((w) => w.msg)).toEqual(['cannot backfill forecast history from Prometheus; starting empty']);
    expect(f.toJSON().histories).toEqual({});
  });
});
