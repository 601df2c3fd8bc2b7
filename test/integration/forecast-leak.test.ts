import { readdirSync, readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Service } from '../../exporter/src/compose';
import { startFault, type FaultHandle } from '../faults/spawn';
import { scrape, sleep, startExporter } from '../helpers/exporter';

/**
 * Cold start end to end: the real exporter (default forecast settings, 1 s
 * collections) and two real leaking processes started together. Each gets
 * `procsight_forecast_exhaustion_seconds` within 3 minutes, within 35 % of
 * the time it really takes: an fd leak against its open-files limit, and a
 * memory leak against a configured threshold (forecast.thresholds.memory).
 * The truth is when the process really reaches the limit (watched in /proc).
 * The fd_exhaustion bottleneck's evidence quotes the same time to the limit
 * as the forecast series (one computation).
 */
describe('time to exhaustion of real leaking processes from a freshly started exporter', () => {
  const FD_LIMIT = 6000;
  const FDS_PER_SECOND = 40;
  const MEMORY_LIMIT = 420 * 1048576;
  let svc: Service;
  const faults: FaultHandle[] = [];
  afterAll(async () => {
    await Promise.all(faults.map((f) => f.stop()));
    await svc?.stop();
  });

  const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
  /** The time to the limit the fd_exhaustion bottleneck's evidence quotes; null while there is none. */
  const fdEvidence = async (group: string): Promise<number | null> => {
    const res = await fetch(`${svc.url}/api/v1/bottlenecks?group=${encodeURIComponent(group)}&kind=fd_exhaustion`);
    const body = (await res.json()) as { bottlenecks: Array<{ evidence: Array<{ feature: string; value: number }> }> };
    return body.bottlenecks[0]?.evidence.find((e) => e.feature === 'fd_time_to_limit_seconds')?.value ?? null;
  };
  const rssBytes = (pid: number): number => 1024 * Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

  it('reports fd and memory exhaustion within 3 minutes, within 35 % of the real remaining time', async () => {
    svc = await startExporter({ configYaml: stringify({ forecast: { thresholds: { memory: MEMORY_LIMIT } } }) });
    const fd = await startFault('fd-leak', { name: 'ps-fd-hoarder', args: { 'per-sec': FDS_PER_SECOND }, fdLimit: FD_LIMIT, maxSeconds: 400 });
    faults.push(fd);
    const mem = await startFault('leaker', { name: 'ps-mem-leaker', args: { 'mb-per-min': 150 }, maxSeconds: 400 });
    faults.push(mem);
    const started = Date.now();
    const fdKey = `procsight_forecast_exhaustion_seconds{group="${fd.name}",resource="fds",limit="fd_limit",bound="mean"}`;
    const memKey = `procsight_forecast_exhaustion_seconds{group="${mem.name}",resource="memory",limit="threshold",bound="mean"}`;
    const predicted = new Map<string, { at: number; seconds: number }>();
    const reached = new Map<string, number>();
    const agreement: Array<{ evidence: number; before: number; after: number | undefined }> = [];
    // Poll the exporter and /proc (bounded: 6 minutes) until both limits are really reached.
    for (let i = 0; i < 360 && reached.size < 2; i++) {
      const m = await scrape(svc.url);
      const now = Date.now();
      for (const k of [fdKey, memKey]) if (!predicted.has(k) && m.has(k)) predicted.set(k, { at: now, seconds: m.get(k)! });
      if (m.has(fdKey) && agreement.length < 20) {
        const evidence = await fdEvidence(fd.name);
        // Scraped again after the API call: a refit may land between the two reads.
        if (evidence !== null) agreement.push({ evidence, before: m.get(fdKey)!, after: (await scrape(svc.url)).get(fdKey) });
      }
      if (!reached.has(fdKey) && (fd.child.exitCode !== null || fdCount(fd.pid) >= FD_LIMIT - 5)) reached.set(fdKey, now);
      if (!reached.has(memKey) && rssBytes(mem.pid) >= MEMORY_LIMIT) reached.set(memKey, now);
      await sleep(1000);
    }
    for (const k of [fdKey, memKey]) {
      const p = predicted.get(k);
      expect(p).toBeDefined();
      expect(p!.at - started).toBeLessThan(180_000);
      const truth = (reached.get(k)! - p!.at) / 1000;
      expect(truth).toBeGreaterThan(30);
      expect(Math.abs(p!.seconds - truth) / truth).toBeLessThan(0.35);
    }
    // Read a moment apart, the evidence quotes the forecast scraped just before or just after it (a collection apart at most).
    expect(agreement.length).toBeGreaterThan(0);
    for (const a of agreement) {
      const off = Math.min(...[a.before, a.after].filter((f): f is number => f !== undefined).map((f) => Math.abs(a.evidence - f) - Math.max(5, 0.05 * f)));
      expect(off).toBeLessThanOrEqual(0);
    }
  }, 420_000);
});
