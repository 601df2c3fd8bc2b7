import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { runExporter, type RunningBinary } from '../helpers/binary';
import { promQuery, startPrometheus, type RunningServer } from '../helpers/prometheus';
import { parseMetrics, sleep } from '../helpers/exporter';

/** --web.config.file with TLS and basic auth, scraped by a real Prometheus. */
describe('TLS and basic auth (exporter-toolkit web config)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-tls-'));
  let exp: RunningBinary;
  let prom: RunningServer;
  let port: number;

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(
      join(dir, 'web.yml'),
      `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prometheus: ${bcrypt.hashSync('scrape-secret', 10)}\n`,
    );
    exp = await runExporter([`--web.config.file=${join(dir, 'web.yml')}`, '--collect.interval=1s']);
    port = Number(new URL(exp.url).port);
    writeFileSync(join(dir, 'password'), 'scrape-secret');
    prom = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: procsight\n    scheme: https\n    tls_config:\n      ca_file: ${join(dir, 'cert.pem')}\n    basic_auth:\n      username: prometheus\n      password_file: ${join(dir, 'password')}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n  - job_name: procsight-wrong-password\n    scrape_interval: 10s\n    scheme: https\n    tls_config:\n      ca_file: ${join(dir, 'cert.pem')}\n    basic_auth:\n      username: prometheus\n      password: wrong\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await exp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (opts: https.RequestOptions): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/metrics', ca: readFileSync(join(dir, 'cert.pem')), ...opts }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });

  it('is scraped by Prometheus over TLS with basic auth; a wrong password is a failed scrape', async () => {
    const deadline = Date.now() + 20_000;
    let up: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    while (Date.now() < deadline) {
      up = await promQuery(prom.url, 'up');
      if (up.length === 2) break;
      await sleep(500);
    }
    const byJob = Object.fromEntries(up.map((r) => [r.metric.job, r.value[1]]));
    expect(byJob).toEqual({ procsight: '1', 'procsight-wrong-password': '0' });
    const series = await promQuery(prom.url, 'count(procsight_group_processes{job="procsight"})');
    expect(Number(series[0].value[1])).toBeGreaterThan(3);
  }, 30_000);

  it('answers 401 to a wrong or missing password and 200 to the right one, and counts the failures', async () => {
    expect(await get({})).toBe(401);
    // The wrong-password job above fails from this same address every 10 s, slower than the
    // failure limiter forgives (10 a minute), so the right job's first login always gets its bcrypt
    // check; a burst of failures from here would be answered 429 (without bcrypt) instead.
    expect([401, 429]).toContain(await get({ auth: 'prometheus:wrong' }));
    // Already verified (Prometheus' job), so served from the cache even while the address is limited.
    expect(await get({ auth: 'prometheus:scrape-secret' })).toBe(200);
    // The plain text format, while Prometheus scrapes OpenMetrics from the same exporter:
    // counters keep _total in both (test/e2e/formats.test.ts).
    const scrape = () =>
      new Promise<Map<string, number>>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path: '/metrics', ca: readFileSync(join(dir, 'cert.pem')), auth: 'prometheus:scrape-secret' }, (res) => {
            let b = '';
            res.on('data', (d: Buffer) => (b += d.toString()));
            res.on('end', () => resolve(parseMetrics(b)));
          })
          .on('error', reject);
      });
    let metrics = await scrape();
    const failures = (reason: string) => metrics.get(`procsight_auth_failures_total{reason="${reason}"}`) ?? NaN;
    // /metrics is rendered once per collection (1 s here): wait for the next one, bounded.
    for (let i = 0; i < 10 && !(failures('no_credentials') >= 1); i++) {
      await sleep(500);
      metrics = await scrape();
    }
    expect(failures('no_credentials')).toBeGreaterThanOrEqual(1);
    expect(failures('bad_credentials') + failures('rate_limited')).toBeGreaterThanOrEqual(2);
  });

  it('refuses plain HTTP on the TLS port', async () => {
    const r = await new Promise<string>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/metrics', timeout: 3000 }, (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      });
      req.on('error', (e) => resolve(`error ${e.message}`));
      req.on('timeout', () => {
        req.destroy();
        resolve('error timeout');
      });
    });
    expect(r).toMatch(/^error /);
  });
});
