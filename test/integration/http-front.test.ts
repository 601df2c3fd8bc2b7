import { spawn } from 'node:child_process';
import { parseMetrics, sleep, startExporter } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/** curl in a child process after `delay` seconds, so the request is made while this (the exporter's main) thread is blocked. */
function curl(url: string, delay: number): Promise<{ seconds: number; body: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn('sh', ['-c', `sleep ${delay}; exec curl -s --max-time 10 -w '\n%{time_total}' '${url}'`]);
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('close', () => {
      const cut = out.lastIndexOf('\n');
      resolve({ body: out.slice(0, cut), seconds: Number(out.slice(cut + 1)) });
    });
  });
}

/** Holds this thread, as a long collection slice or a full garbage collection would. */
function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

/**
 * Issue 25, point 8: a scrape never waits for the main thread. The HTTP front
 * (exporter/src/server/front) owns the socket and answers /metrics from the
 * renderings pushed to it; every other request goes on to the app on the
 * main thread, so it does wait.
 */
describe('the HTTP front thread', () => {
  let svc: Service | undefined;
  afterAll(async () => svc?.stop());

  it('answers /metrics while the main thread is blocked; other requests wait for it', async () => {
    svc = await startExporter();
    await svc.collectNow();
    await svc.exposition.refresh();
    await sleep(200);
    // Both requests start 0.4 s into the block (the processes are started before it).
    const scrape = curl(`${svc.url}/metrics`, 0.4);
    const health = curl(`${svc.url}/healthz`, 0.4);
    block(2000);
    const [m, h] = await Promise.all([scrape, health]);
    const series = parseMetrics(m.body);
    expect(series.get('procsight_groups_tracked')).toBeGreaterThan(0);
    expect([...series.keys()].some((k) => k.startsWith('procsight_group_cpu_seconds_total{'))).toBe(true);
    expect(m.seconds).toBeLessThan(0.5);
    expect(h.body).toBe('ok\n');
    // Waited for the main thread: the block's end, more than a second after the request.
    expect(h.seconds).toBeGreaterThan(0.8);
  });

  it('shows an API error in the next scrape at once', async () => {
    const before = parseMetrics(await (await fetch(`${svc!.url}/metrics`)).text()).get('procsight_api_errors_total{reason="404"}') ?? 0;
    expect((await fetch(`${svc!.url}/api/v1/nope`)).status).toBe(404);
    const after = parseMetrics(await (await fetch(`${svc!.url}/metrics`)).text()).get('procsight_api_errors_total{reason="404"}');
    expect(after).toBe(before + 1);
  });

  it('serves gzip and OpenMetrics from the same renderings', async () => {
    const plain = await (await fetch(`${svc!.url}/metrics`, { headers: { 'accept-encoding': 'identity' } })).text();
    const gz = await fetch(`${svc!.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const om = await fetch(`${svc!.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toContain('application/openmetrics-text');
    expect((await om.text()).endsWith('# EOF\n')).toBe(true);
    const families = (t: string) => t.split('\n').filter((l) => l.startsWith('# TYPE procsight_group_')).length;
    expect(families(await gz.text())).toBe(families(plain));
  });

  it('routes /metrics as the Express app did, without it (no TLS, no logins): security headers, HEAD, any case, a trailing slash, a query', async () => {
    const get = await fetch(`${svc!.url}/metrics`, { headers: { 'accept-encoding': 'identity' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('x-content-type-options')).toBe('nosniff');
    expect(get.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(get.headers.get('vary')).toBe('Accept-Encoding');
    expect(get.headers.get('x-powered-by')).toBeNull();
    const body = await get.text();
    expect(Number(get.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    const head = await fetch(`${svc!.url}/metrics`, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(body.length / 2);
    expect(await head.text()).toBe('');
    for (const path of ['/METRICS', '/metrics/', '/metrics?debug=1']) {
      const r = await fetch(`${svc!.url}${path}`);
      expect([path, r.status]).toEqual([path, 200]);
      expect((await r.text()).includes('procsight_groups_tracked')).toBe(true);
    }
    // Not the metrics: on to the app (which does not serve them, nor this method).
    expect((await fetch(`${svc!.url}/metricsx`)).status).toBe(404);
    expect((await fetch(`${svc!.url}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
