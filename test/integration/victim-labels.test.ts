import type { Service } from '../../exporter/src/compose';
import { cgroupUnavailable, createCgroup, type Cgroup } from '../../eval/faults/cgroup';
import { startFault, type FaultHandle } from '../faults/spawn';
import { sleep, startExporter } from '../helpers/exporter';

interface Entry {
  group: string;
  kind: string;
  culprits: Array<{ group: string; resource: string }>;
  evidence: Array<{ feature: string; text: string }>;
}

/**
 * A victim labelled with its culprit, on real processes: a cache reader and a
 * leaker share a small memory cgroup while the host has memory to spare. The
 * reader's major faults come from its cgroup's limit (host memory PSI stays
 * near 0), so memory_pressure needs the cgroup's own usage and limit, which
 * the exporter reads; its /api/v1/bottlenecks entry names the leaker. The
 * default configuration: the label's hold follows the fault rate (a
 * sequential test, 10 s at hundreds of faults per second).
 */
const why = cgroupUnavailable('memory');
(why ? describe.skip : describe)(`memory_pressure from a full memory cgroup, with the culprit in the entry${why ? ` (skipped: ${why})` : ''}`, () => {
  let svc: Service;
  let cgroup: Cgroup | null = null;
  const faults: FaultHandle[] = [];
  afterAll(async () => {
    await Promise.all(faults.map((f) => f.stop()));
    await cgroup?.remove();
    await svc?.stop();
  });

  it('labels the reader memory_pressure, quoting its cgroup at the limit, and names the leaker', async () => {
    svc = await startExporter({});
    cgroup = createCgroup('memory', `procsight-test-${process.pid}`, 96 * 1048576);
    const dir = cgroup.dir;
    faults.push(await startFault('cache-reader', { name: 'vl-cache', args: { mb: 60, 'pages-per-ms': 2 }, cgroup: dir, maxSeconds: 150 }));
    await sleep(20_000); // the reader's history before its neighbour (the contention analysis judges waits over 15 s)
    faults.push(await startFault('leaker', { name: 'vl-leaker', args: { 'mb-per-min': 600, 'max-mb': 60 }, cgroup: dir, maxSeconds: 130 }));
    let entry: Entry | undefined;
    for (let i = 0; i < 100 && !entry?.culprits.some((c) => c.group === 'vl-leaker'); i++) {
      await sleep(1000);
      const res = await fetch(`${svc.url}/api/v1/bottlenecks?group=vl-cache&kind=memory_pressure`);
      entry = ((await res.json()) as { bottlenecks: Entry[] }).bottlenecks[0];
    }
    expect(entry?.culprits.map((c) => [c.group, c.resource])).toContainEqual(['vl-leaker', 'memory']);
    expect(entry?.evidence.find((e) => e.feature === 'cgroup_memory_usage_ratio')?.text).toMatch(
      /^its memory cgroup \/procsight-test-\d+ holds .* of its 96\.0 MiB limit/,
    );
    expect(entry?.evidence.find((e) => e.feature === 'culprit_share')?.text).toMatch(/vl-leaker/);
  }, 180_000);
});
