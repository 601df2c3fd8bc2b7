import { spawn, type ChildProcess } from 'node:child_process';
import { startExporter, parseMetrics, sleep } from '../helpers/exporter';
import type { Service } from '../../exporter/src/service';

/**
 * Load and churn on loopback with real processes, bounded in count and time:
 * 50 concurrent clients during collection; short-lived processes at 80/s for
 * 30 s while collecting at 1 s (docs/reliability.md has the full-size figures).
 */
describe('load and churn', () => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startExporter();
    await sleep(2000);
  });
  afterAll(() => svc.stop());

  it('serves 50 concurrent clients (metrics and API) without errors', async () => {
    const latencies: number[] = [];
    const paths = ['/metrics', '/api/v1/groups?limit=20', '/api/v1/bottlenecks', '/api/v1/anomalies', '/api/v1/forecasts?path=false'];
    const client = async (c: number) => {
      for (let i = 0; i < 12; i++) {
        const t0 = performance.now();
        const r = await fetch(`${svc.url}${paths[(c + i) % paths.length]}`);
        await r.arrayBuffer();
        latencies.push(performance.now() - t0);
        expect(r.status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))];
    process.stdout.write(`50 clients × 12 requests: p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms\n`);
    expect(latencies).toHaveLength(600);
  }, 60_000);

  it('survives process churn: no crash, tracked pids back to baseline, counters monotonic', async () => {
    const baseline = svc.state.snapshot()!.trackedPids;
    const key = 'procsight_group_cpu_seconds_total{group="sh",mode="system"}';
    const seen: number[] = [];
    const kids = new Set<ChildProcess>();
    let started = 0;
    const end = Date.now() + 30_000;
    while (Date.now() < end && started < 2400) {
      for (let i = 0; i < 8; i++) {
        const k = spawn('/bin/sh', ['-c', 'i=0; while [ $i -lt 200 ]; do i=$((i+1)); done'], { stdio: 'ignore' });
        started++;
        kids.add(k);
        k.once('exit', () => kids.delete(k));
      }
      await sleep(100);
      if (started % 400 === 0) {
        const v = parseMetrics(await (await fetch(`${svc.url}/metrics`)).text()).get(key);
        if (v !== undefined) seen.push(v);
      }
    }
    const deadline = Date.now() + 10_000;
    while (kids.size > 0 && Date.now() < deadline) await sleep(100);
    await sleep(2500);
    const snap = svc.state.snapshot()!;
    process.stdout.write(`churn: ${started} processes, tracked pids ${baseline} → ${snap.trackedPids}, errors ${JSON.stringify(snap.read.errors)}\n`);
    expect(started).toBeGreaterThan(1500);
    expect(snap.trackedPids).toBeLessThanOrEqual(baseline + 10);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    const m = parseMetrics(await (await fetch(`${svc.url}/metrics`)).text());
    expect(m.get('procsight_scrape_collector_success{collector="processes"}')).toBe(1);
  }, 90_000);
});
