import { readFileSync, readlinkSync } from 'node:fs';
import { canInspectAllProcesses } from '../../exporter/src/read/parse/status';
import { NETNS_BROADCAST, startFault, type FaultHandle } from '../faults/spawn';
import { scrape, sleep, startExporter } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/**
 * The real exporter on the real /proc with real processes it did not start
 * itself: each fault's group series must move the right way within a few
 * 1-second intervals.
 */
describe('exporter on real /proc', () => {
  let svc: Service;
  const faults: FaultHandle[] = [];
  afterAll(async () => {
    await Promise.all(faults.map((f) => f.stop()));
    await svc?.stop();
  });

  it('follows a CPU burner, a memory grower, a file writer and an fd opener by name', async () => {
    svc = await startExporter();
    faults.push(
      await startFault('cpu-hog', { name: 'ps-burner' }),
      await startFault('leaker', { name: 'ps-grower', args: { 'mb-per-min': 240 } }),
      await startFault('io-writer', { name: 'ps-writer', args: { 'kb-per-write': 128, 'writes-per-sec': 20 } }),
      await startFault('fd-leak', { name: 'ps-fdopener', args: { 'per-sec': 40 } }),
    );
    await sleep(1500);
    const a = await scrape(svc.url);
    await sleep(3500);
    const b = await scrape(svc.url);
    const d = (k: string) => (b.get(k) ?? NaN) - (a.get(k) ?? NaN);

    // CPU burner: about one core over 3.5 s.
    const cpu = d('procsight_group_cpu_seconds_total{group="ps-burner",mode="user"}') + d('procsight_group_cpu_seconds_total{group="ps-burner",mode="system"}');
    expect(cpu).toBeGreaterThan(1.5);
    // Memory grower: 240 MB/min is 4 MB/s.
    expect(d('procsight_group_memory_bytes{group="ps-grower",type="resident"}')).toBeGreaterThan(6 * 1024 * 1024);
    // Writer with fsync: 128 KB × 20/s reaches storage.
    expect(d('procsight_group_io_bytes_total{group="ps-writer",direction="write"}')).toBeGreaterThan(2 * 1024 * 1024);
    // fd opener: 40 fds a second.
    expect(d('procsight_group_open_fds{group="ps-fdopener"}')).toBeGreaterThanOrEqual(80);
    expect(b.get('procsight_group_fd_limit_ratio{group="ps-fdopener"}')).toBeGreaterThan(0);
    for (const g of ['ps-burner', 'ps-grower', 'ps-writer', 'ps-fdopener']) expect(b.get(`procsight_group_processes{group="${g}"}`)).toBe(1);
  }, 30_000);

  it('keeps counters monotonic after a process exits while processes come and go', async () => {
    const burner = faults[0];
    const before = await scrape(svc.url);
    const key = 'procsight_group_cpu_seconds_total{group="ps-burner",mode="user"}';
    await burner.stop();
    // churn: short-lived processes come and go between cycles
    const churn = await Promise.all(Array.from({ length: 20 }, (_, i) => startFault('idle', { name: `ps-churn${i}`, maxSeconds: 1 })));
    await sleep(3000);
    await Promise.all(churn.map((c) => c.stop()));
    await svc.collectNow();
    const after = await scrape(svc.url);
    expect(after.get('procsight_group_processes{group="ps-burner"}')).toBe(0);
    expect(after.get(key)).toBeGreaterThanOrEqual(before.get(key) ?? Infinity);
    expect(after.get('procsight_pids_tracked')).toBeGreaterThan(0);
    expect(after.get('procsight_scrape_collector_success{collector="processes"}')).toBe(1);
  }, 30_000);
});

describe('processes of a group (API)', () => {
  it("lists a group's real processes with redacted command lines", async () => {
    const svc = await startExporter();
    const f = await startFault('idle', { name: 'ps-secretive', args: { password: 'hunter2', 'api-key': 'abc' } });
    try {
      await svc.collectNow();
      const res = await fetch(`${svc.url}/api/v1/groups/ps-secretive/processes`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { processes: Array<{ pid: number; cmdline: string; comm: string }> };
      expect(body.processes).toHaveLength(1);
      expect(body.processes[0].pid).toBe(f.pid);
      expect(body.processes[0].cmdline).toContain('--password=***');
      expect(body.processes[0].cmdline).toContain('--api-key=***');
      expect(body.processes[0].cmdline).not.toContain('hunter2');
      expect((await fetch(`${svc.url}/api/v1/groups/nope/processes`)).status).toBe(404);
    } finally {
      await f.stop();
      await svc.stop();
    }
  }, 20_000);
});

/**
 * A refused file is `permission` only when the exporter lacks privileges. As
 * root, what the kernel still refuses (here /proc/1/io of the VM's init
 * agent) is `protected`: the colleague's "permission +1 per cycle as root".
 */
const privileged = canInspectAllProcesses(readFileSync('/proc/self/status', 'latin1'));
(privileged ? describe : describe.skip)('a privileged exporter on real /proc', () => {
  it('counts no permission errors over several cycles', async () => {
    const svc = await startExporter();
    try {
      for (let i = 0; i < 3; i++) await svc.collectNow();
      const m = await scrape(svc.url);
      expect(m.get('procsight_collect_errors_total{reason="permission"}')).toBe(0);
      expect(m.get('procsight_collect_errors_total{reason="protected"}')).toBeGreaterThanOrEqual(0);
    } finally {
      await svc.stop();
    }
  }, 20_000);
});

/**
 * Per-process network bytes are not in procfs: a network namespace's own
 * interface counters (loopback aside) go to the group living in it. A real
 * one, made with `unshare --net` as a container runtime would, holds a veth
 * pair with both ends inside and a process broadcasting UDP on it; a process
 * in the host namespace talking over 127.0.0.1 gets no network series.
 */
describe('network bytes of a network namespace (a container without Docker)', () => {
  it("attributes the namespace's traffic to the group living in it, and none to a host-namespace process", async () => {
    const svc = await startExporter();
    const inNs = await startFault('net-talker', { name: 'ns-talker', args: { 'kb-per-sec': 512, broadcast: NETNS_BROADCAST }, netns: true });
    const onHost = await startFault('net-talker', { name: 'host-talker', args: { 'kb-per-sec': 512 } });
    try {
      expect(readlinkSync(`/proc/${inNs.pid}/ns/net`)).not.toBe(readlinkSync('/proc/self/ns/net'));
      await svc.collectNow();
      await sleep(1500);
      await svc.collectNow();
      const a = await scrape(svc.url);
      await sleep(3000);
      await svc.collectNow();
      const b = await scrape(svc.url);
      const d = (k: string) => (b.get(k) ?? NaN) - (a.get(k) ?? NaN);
      // 512 KB/s over about 3 s out of v0 and into v1.
      expect(d('procsight_group_network_bytes_total{group="ns-talker",direction="transmit"}')).toBeGreaterThan(1024 * 1024);
      expect(d('procsight_group_network_bytes_total{group="ns-talker",direction="receive"}')).toBeGreaterThan(1024 * 1024);
      expect(b.has('procsight_group_network_bytes_total{group="host-talker",direction="transmit"}')).toBe(false);
      expect(b.get('procsight_group_processes{group="host-talker"}')).toBe(1);
    } finally {
      await Promise.all([inNs.stop(), onHost.stop()]);
      await svc.stop();
    }
  }, 30_000);
});
