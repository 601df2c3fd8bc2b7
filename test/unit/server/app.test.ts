import request from 'supertest';
import { createApp } from '../../../exporter/src/server/app';
import { createExposition, createRegistry } from '../../../exporter/src/expose/registry';
import type { ExporterState } from '../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../exporter/src/pipeline/types';
import type { GroupSnapshot } from '../../../exporter/src/group/types';
import { emptyHost } from '../../../exporter/src/pipeline/collector';
import { silentLogger } from '../../../exporter/src/log/logger';
import { analysisResult, groupSnapshot } from '../../helpers/synthetic';
import { rawGet } from '../../helpers/raw-http';
import type { AnalysisResult } from '../../../exporter/src/analyse/types';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function group(name: string, cpu: number, rss: number): GroupSnapshot {
  return groupSnapshot(name, {
    counters: { cpuUserSeconds: 10, cpuSystemSeconds: 2 },
    gauges: { rssBytes: rss, vmsBytes: rss * 2, threads: 1, openFds: 3, fdLimitRatio: 0.003 },
    rates: { cpuCores: cpu, cpuUserCores: cpu },
  });
}

function setup(snap: CollectionSnapshot | null, analysis: AnalysisResult | null = null, apiRateLimitPerMinute?: number) {
  const state: ExporterState = { snapshot: () => snap, analysis: () => analysis, forecasts: () => [], hostInfo: () => null };
  const exposition = createExposition({ ...createRegistry({ version: '1.2.3' }), state });
  const app = createApp({
    state,
    exposition,
    logger: silentLogger,
    version: '1.2.3<script>',
    telemetryPath: '/metrics',
    ready: () => snap !== null,
    processesOf: () => [],
    apiRateLimitPerMinute,
  });
  return { app, bump: () => exposition.refresh() };
}

const snapshot: CollectionSnapshot = {
  timestampMs: Date.UTC(2026, 0, 1),
  intervalSeconds: 5,
  groups: [group('web', 0.2, 100), group('db', 1.5, 50)],
  host: emptyHost(),
  read: { processesListed: 2, processesRead: 2, errors: {} },
  collectDurationSeconds: 0.01,
  groupsOverflowed: 0,
  trackedPids: 2,
};

describe('HTTP app', () => {
  it("keys per-client limits by the TCP peer: X-Forwarded-For counts only from the HTTP front's Unix socket", async () => {
    const { app } = setup(snapshot, null, 2);
    const statuses: number[] = [];
    for (const xff of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) statuses.push((await request(app).get('/api/v1/groups').set('X-Forwarded-For', xff)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('over a Unix socket (the HTTP front) takes the client from X-Forwarded-For', async () => {
    const { app } = setup(snapshot, null, 2);
    const dir = mkdtempSync(join(tmpdir(), 'procsight-app-'));
    const socketPath = join(dir, 'app.sock');
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(socketPath, () => r()));
    const get = (xff: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ socketPath, path: '/api/v1/groups', headers: { 'x-forwarded-for': xff } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
    try {
      const statuses = [await get('10.0.0.1'), await get('10.0.0.1'), await get('10.0.0.2'), await get('10.0.0.1')];
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves Prometheus text by default and OpenMetrics when asked', async () => {
    const { app } = setup(snapshot);
    const text = await request(app).get('/metrics');
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text.text).toContain('procsight_group_cpu_seconds_total{group="web",mode="user"} 10');
    expect(text.text).toContain('procsight_group_memory_bytes{group="db",type="resident"} 50');
    const om = await request(app).get('/metrics').set('Accept', 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5');
    expect(om.headers['content-type']).toMatch(/^application\/openmetrics-text/);
    expect(om.text.trim().endsWith('# EOF')).toBe(true);
  });

  it('is not ready before the first collection', async () => {
    const { app } = setup(null);
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/api/v1/groups')).status).toBe(503);
  });

  it('lists groups sorted and filtered, validating query parameters', async () => {
    const { app } = setup(snapshot);
    const all = await request(app).get('/api/v1/groups?sort=cpu');
    expect(all.status).toBe(200);
    expect(all.body.groups.map((g: { group: string }) => g.group)).toEqual(['db', 'web']);
    expect((await request(app).get('/api/v1/groups?sort=memory&limit=1')).body.groups[0].group).toBe('web');
    const bad = await request(app).get('/api/v1/groups?limit=-3');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/limit/);
    const unknownParam = await request(app).get('/api/v1/groups?colour=red');
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.error).toMatch(/colour/);
    const missing = await request(app).get('/api/v1/groups?group=nope');
    expect(missing.status).toBe(404);
    expect((await request(app).get('/api/v1/nothing')).status).toBe(404);
  });

  it('escapes what the landing page echoes', async () => {
    const { app } = setup(snapshot);
    const res = await request(app).get('/');
    expect(res.text).toContain('1.2.3&lt;script&gt;');
    expect(res.text).not.toContain('1.2.3<script>');
  });

  it('has landing page links that work over plain HTTP from another host', async () => {
    const { app } = setup(snapshot, analysisResult());
    const host = 'node7.example.net:9556';
    const page = await request(app).get('/').set('Host', host);
    expect(page.status).toBe(200);
    // helmet's defaults would make a browser upgrade every link to https, which an exporter on plain HTTP does not serve.
    expect(page.headers['content-security-policy']).toBeDefined();
    expect(page.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const links = [...page.text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    for (const href of links) {
      expect(href).toMatch(/^\/[^/]/); // relative to the page: the scheme and host the browser used
      const r = await request(app).get(href).set('Host', host);
      expect([href, r.status]).toEqual([href, 200]);
    }
  });

  it('gzips /metrics when asked, in both formats, with the same content', async () => {
    const { app } = setup(snapshot);
    const families = (text: string) => text.split('\n').filter((l) => l.startsWith('procsight_group_'));
    const plain = await rawGet(app, '/metrics', { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await rawGet(app, '/metrics', { 'Accept-Encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = gunzipSync(zipped.body).toString('utf8');
    expect(families(text)).toEqual(families(plain.body.toString('utf8')));
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    const om = await rawGet(app, '/metrics', { 'Accept-Encoding': 'gzip', Accept: 'application/openmetrics-text;version=1.0.0' });
    const omText = gunzipSync(om.body).toString('utf8');
    expect(omText.endsWith('# EOF\n')).toBe(true);
    expect(omText.match(/# EOF/g)).toHaveLength(1);
    expect(omText).toContain('procsight_group_cpu_seconds_total{group="web",mode="user"} 10');
  });

  it('renders metrics once per generation and again after a new one', async () => {
    const { app, bump } = setup(snapshot);
    // The families are rendered once per collection; the exporter's own process_* metrics at each scrape.
    const families = (text: string) => text.split('\n').filter((l) => l.startsWith('procsight_group_'));
    const a = await request(app).get('/metrics');
    snapshot.groups[0].gauges.threads = 42;
    const cached = await request(app).get('/metrics');
    expect(families(cached.text)).toEqual(families(a.text));
    await bump();
    const fresh = await request(app).get('/metrics');
    expect(fresh.text).toContain('procsight_group_threads{group="web"} 42');
  });
});
