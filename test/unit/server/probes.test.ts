import http, { type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../exporter/src/server/app';
import { probeAnswer, probesThenApp } from '../../../exporter/src/server/probes';
import { createExposition, createRegistry } from '../../../exporter/src/expose/registry';
import type { ExporterState } from '../../../exporter/src/expose/family';
import { silentLogger } from '../../../exporter/src/log/logger';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Serves `app` on loopback for the test's requests. */
async function serve(app: RequestListener): Promise<{ ask(method: string, path: string, headers?: Record<string, string>): Promise<Answer>; close(): void }> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const ask = (method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      http
        .request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        })
        .on('error', reject)
        .end();
    });
  return { ask, close: () => server.close() };
}

/** The headers that differ from one answer to the next whoever sends them. */
function stable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { date: _date, ...rest } = headers;
  return rest;
}

function expressApp(ready: () => boolean): RequestListener {
  const state: ExporterState = { snapshot: () => null, analysis: () => null, forecasts: () => [], hostInfo: () => null };
  const exposition = createExposition({ ...createRegistry({ version: '1.2.3' }), state });
  return createApp({ state, exposition, logger: silentLogger, version: '1.2.3', telemetryPath: '/metrics', ready, processesOf: () => [] });
}

describe('the health probes answered without the app (probesThenApp)', () => {
  let ready = false;
  let loads = 0;
  const app = expressApp(() => ready);
  const lazy = probesThenApp({
    ready: () => ready,
    load: async () => {
      loads++;
      return app;
    },
    onLoadError: () => undefined,
  });
  let viaApp: Awaited<ReturnType<typeof serve>>;
  let viaProbes: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    viaApp = await serve(app);
    viaProbes = await serve(lazy);
  });
  afterAll(() => {
    viaApp.close();
    viaProbes.close();
  });

  it('answers every probe byte for byte as the Express app does, ready or not, and never builds the app', async () => {
    const requests: Array<[string, string]> = [
      ['GET', '/healthz'],
      ['HEAD', '/healthz'],
      ['GET', '/readyz'],
      ['HEAD', '/readyz'],
      ['GET', '/READYZ/'],
      ['GET', '/healthz?verbose=1'],
    ];
    for (const r of [false, true]) {
      ready = r;
      for (const [method, path] of requests) {
        const [want, got] = [await viaApp.ask(method, path), await viaProbes.ask(method, path)];
        expect({ method, path, ready: r, status: got.status, body: got.body, headers: stable(got.headers) }).toEqual({
          method,
          path,
          ready: r,
          status: want.status,
          body: want.body,
          headers: stable(want.headers),
        });
      }
    }
    expect((await viaProbes.ask('GET', '/readyz')).body).toBe(probeAnswer('readyz', true).body);
    ready = false;
    expect((await viaProbes.ask('GET', '/readyz')).status).toBe(503);
    expect(loads).toBe(0);
  });

  it('builds the app once, on the first other request, and hands it every other request (another method on a probe path too)', async () => {
    const answers = await Promise.all([viaProbes.ask('GET', '/'), viaProbes.ask('GET', '/api/v1/groups'), viaProbes.ask('POST', '/healthz')]);
    expect(loads).toBe(1);
    const wanted = await Promise.all([viaApp.ask('GET', '/'), viaApp.ask('GET', '/api/v1/groups'), viaApp.ask('POST', '/healthz')]);
    expect(answers.map((a) => [a.status, a.body])).toEqual(wanted.map((a) => [a.status, a.body]));
    expect(answers[0].body).toContain('/metrics');
    expect(loads).toBe(1);
  });

  it('hands conditional requests to the app, which may answer them 304', async () => {
    ready = true;
    const got = await viaProbes.ask('GET', '/healthz', { 'if-none-match': '*' });
    const want = await viaApp.ask('GET', '/healthz', { 'if-none-match': '*' });
    expect([got.status, got.body]).toEqual([want.status, want.body]);
    expect(got.status).toBe(304);
    ready = false;
  });
});

describe('an app that cannot be built (probesThenApp)', () => {
  it('answers that request 500, reports the error, answers probes still and builds it at the next request', async () => {
    const errors: string[] = [];
    let attempts = 0;
    const lazy = probesThenApp({
      ready: () => true,
      load: async () => {
        attempts++;
        if (attempts === 1) throw new Error('module missing');
        return (_req, res) => void res.end('built');
      },
      onLoadError: (e) => errors.push(e instanceof Error ? e.message : String(e)),
    });
    const s = await serve(lazy);
    try {
      const first = await s.ask('GET', '/api/v1/groups');
      expect([first.status, first.headers['content-type'], JSON.parse(first.body)]).toEqual([
        500,
        'application/json; charset=utf-8',
        { error: 'internal error' },
      ]);
      expect(first.headers['x-content-type-options']).toBe('nosniff');
      expect(errors).toEqual(['module missing']);
      expect((await s.ask('GET', '/healthz')).status).toBe(200);
      expect((await s.ask('GET', '/api/v1/groups')).body).toBe('built');
      expect(attempts).toBe(2);
    } finally {
      s.close();
    }
  });
});
