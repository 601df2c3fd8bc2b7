import { contentionConfigSchema } from '../../../../exporter/src/analyse/contention/config';
import { ContentionEngine } from '../../../../exporter/src/analyse/contention/engine';
import type { FeatureSource, WindowStats } from '../../../../exporter/src/analyse/features/types';
import type { GroupSnapshot } from '../../../../exporter/src/group/types';
import type { HostSnapshot } from '../../../../exporter/src/read/types';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../helpers/synthetic';

const config = contentionConfigSchema.parse({});
const NO_POINTS = { t: new Float64Array(0), x: new Float64Array(0) };
const NO_FEATURES: FeatureSource = { stats: () => null, groups: () => [], points: () => NO_POINTS };

/** A 2-CPU host whose CPUs are as busy as given, with one virtio disk. */
const host = (busy: number[], disk = { write: 0, busy: 0 }, over: Partial<HostSnapshot> = {}): HostSnapshot => ({
  ...hostSnapshot({ cpus: busy.length, ...over }),
  deviceRates: { busyByCpu: busy, disks: [{ name: 'vda', readBytesPerSecond: 0, writeBytesPerSecond: disk.write, busyRatio: disk.busy }] },
});

const worker = (wait: number): GroupSnapshot =>
  groupSnapshot('worker', { rates: { cpuCores: 0.1, cpuWaitRatio: wait }, placement: { coresByCpu: [0.1], waitByCpu: [wait], spread: [], cpus: [0] } });
const hog = (cores: number): GroupSnapshot =>
  groupSnapshot('batch-export', { rates: { cpuCores: cores }, placement: { coresByCpu: [cores], waitByCpu: [], spread: [], cpus: [0] } });
const elsewhere = groupSnapshot('web', { rates: { cpuCores: 0.9 }, placement: { coresByCpu: [0, 0.9], waitByCpu: [], spread: [], cpus: [1] } });

function run(engine: ContentionEngine, seconds: number, t0: number, groups: () => GroupSnapshot[], h: HostSnapshot, features = NO_FEATURES) {
  let out = engine.current();
  for (let t = t0; t < t0 + seconds; t++) out = engine.update(collectionSnapshot(groups(), { timestampMs: t * 1000, intervalSeconds: 1, host: h }), features);
  return out;
}

describe('ContentionEngine', () => {
  it('names the group pinned beside a waiting worker once its share has held, with the evidence sentence, and drops it after the wait ends', () => {
    const e = new ContentionEngine(config);
    const busy = host([1, 0.9]);
    // Quiet: the worker runs without waiting; nobody is a victim.
    expect(run(e, 20, 0, () => [worker(0), elsewhere], busy)).toEqual([]);
    // The hog starts on CPU 0: not named before hold_seconds.
    let out = run(e, 5, 20, () => [worker(0.4), hog(0.85), elsewhere], busy);
    expect(out.find((v) => v.group === 'worker')?.culprits).toEqual([]);
    out = run(e, 60, 25, () => [worker(0.4), hog(0.85), elsewhere], busy);
    const v = out.find((x) => x.group === 'worker' && x.resource === 'cpu')!;
    expect(v.culprits.map((c) => c.group)).toEqual(['batch-export']);
    expect(v.culprits[0].share).toBeGreaterThan(0.9);
    expect(v.culprits[0].evidence).toMatch(/^waits (7\d|80)% of its runnable time for CPU 0, where batch-export uses 0\.8\d cores \(9\d% of the wait\)$/);
    expect(v.note).toBeNull();
    // The hog stops: the worker no longer waits, the culprit is held for clear_seconds, then dropped.
    out = run(e, 10, 85, () => [worker(0), elsewhere], busy);
    expect(out.find((x) => x.group === 'worker')?.culprits.map((c) => c.group)).toEqual(['batch-export']);
    out = run(e, 90, 95, () => [worker(0), elsewhere], busy);
    expect(out).toEqual([]);
  });

  it('says why when no neighbour explains a wait', () => {
    const e = new ContentionEngine(config);
    // The CPU is busy with work no group accounts for (kernel, interrupts, steal).
    const out = run(e, 60, 0, () => [worker(0.4), elsewhere], host([1, 0.9]));
    expect(out).toEqual([
      {
        group: 'worker',
        resource: 'cpu',
        wait: expect.closeTo(0.8, 1),
        culprits: [],
        note: 'no neighbour explains the wait: the CPUs it waits for are busy with work no group accounts for (kernel, interrupts, steal)',
      },
    ]);
  });

  it('names nobody for a storage wait while the disk has room to spare', () => {
    const e = new ContentionEngine(config);
    const svc = groupSnapshot('fsync-svc', { rates: { writeBytesPerSecond: 40e3 }, states: { disk_sleep: 1, sleeping: 0 } });
    const other = groupSnapshot('logger', { rates: { writeBytesPerSecond: 2e6 } });
    const v = run(e, 60, 0, () => [svc, other], host([0.2, 0.2], { write: 2e6, busy: 0.05 })).find((x) => x.group === 'fsync-svc')!;
    expect(v.culprits).toEqual([]);
    expect(v.note).toBe("no neighbour explains the wait: the disks are at most 5% busy: the wait is the device's own latency, not a neighbour's traffic");
  });

  it('names the bulk writer beside a small fsync-heavy service waiting on the one busy disk', () => {
    const e = new ContentionEngine(config);
    const svc = groupSnapshot('fsync-svc', { rates: { writeBytesPerSecond: 40e3 }, states: { disk_sleep: 1, sleeping: 0 } });
    const bulk = groupSnapshot('bulk-load', { rates: { writeBytesPerSecond: 60e6 }, states: { disk_sleep: 1, sleeping: 0 } });
    const out = run(e, 90, 0, () => [svc, bulk], host([0.2, 0.2], { write: 60e6, busy: 0.98 }));
    const v = out.find((x) => x.group === 'fsync-svc' && x.resource === 'io')!;
    expect(v.culprits.map((c) => [c.group, c.resource])).toEqual([['bulk-load', 'io']]);
    expect(v.culprits[0].evidence).toMatch(
      /^spends (99|100)% of its time waiting on storage \(vda 98% busy\), where bulk-load moves 57\.\d MiB\/s \((99|100)% of the disk traffic\)$/,
    );
    // The writer itself waits on storage too, for its own I/O: no culprit, and it says so.
    expect(out.find((x) => x.group === 'bulk-load')?.note).toBe('no neighbour explains the wait: its own I/O is 100% of the disk traffic');
  });

  it('keeps a storage victim down to io_wait_exit, then carries its falling wait with the culprit still held', () => {
    const e = new ContentionEngine(config);
    const svc = (d: number) => groupSnapshot('fsync-svc', { rates: { writeBytesPerSecond: 40e3 }, states: { disk_sleep: d, sleeping: 1 - d } });
    const bulk = groupSnapshot('bulk-load', { rates: { writeBytesPerSecond: 60e6 }, states: { disk_sleep: 1, sleeping: 0 } });
    const h = host([0.2, 0.2], { write: 60e6, busy: 0.98 });
    const ledger = (out: ReturnType<ContentionEngine['update']>) => out.find((x) => x.group === 'fsync-svc' && x.resource === 'io');
    // Always in D state: a victim, the bulk writer named.
    expect(ledger(run(e, 60, 0, () => [svc(1), bulk], h))?.culprits.map((c) => c.group)).toEqual(['bulk-load']);
    // Then in D state at one sample in eight (12.5 %): below io_wait_min and 0.7 of it, above io_wait_exit: still a victim.
    let t = 60;
    let v = ledger(run(e, 60, t, () => [svc(t++ % 8 === 0 ? 1 : 0), bulk], h))!;
    expect(v.wait).toBeGreaterThan(config.io_wait_exit);
    expect(v.wait).toBeLessThan(0.7 * config.io_wait_min);
    expect(v.culprits.map((c) => c.group)).toEqual(['bulk-load']);
    // Then never: once under io_wait_exit it is no victim, and the culprit held for clear_seconds comes with its wait, not 0.
    v = ledger(run(e, 15, 120, () => [svc(0), bulk], h))!;
    expect(v.wait).toBeGreaterThan(0);
    expect(v.wait).toBeLessThan(config.io_wait_exit);
    expect(v.culprits.map((c) => c.group)).toEqual(['bulk-load']);
    expect(ledger(run(e, 60, 135, () => [svc(0), bulk], h))).toBeUndefined();
  });

  it("names the group that grew in the victim's memory cgroup while the victim faults", () => {
    const e = new ContentionEngine(config);
    const reader = groupSnapshot('cache-reader', { rates: { majorFaultsPerSecond: 300 }, controllerCgroups: { memory: ['/shop'] } });
    const leaker = groupSnapshot('session-cache', { rates: {}, controllerCgroups: { memory: ['/shop'] } });
    const far = groupSnapshot('far-away', { rates: {}, controllerCgroups: { memory: ['/'] } });
    const grew: Record<string, number> = { 'session-cache': 200 * 2 ** 20, 'far-away': 500 * 2 ** 20, 'cache-reader': 0 };
    const features: FeatureSource = {
      stats: (g) => ({ last: 1e9 + grew[g], min: 1e9, spanSeconds: 300 }) as WindowStats,
      groups: () => Object.keys(grew),
      points: () => NO_POINTS,
    };
    const out = run(e, 60, 0, () => [reader, leaker, far], host([0.5, 0.5]), features);
    const v = out.find((x) => x.group === 'cache-reader')!;
    // far-away grew more but elsewhere, and the host is not short of memory.
    expect(v.culprits.map((c) => c.group)).toEqual(['session-cache']);
    expect(v.culprits[0].evidence).toMatch(
      /^takes 29\d\.\d major page faults\/s while session-cache grew 200 MiB in 5\.0 min in the same memory cgroup \(\/shop\) \(100% of the growth\)$/,
    );
  });

  it('names at most max_culprits per victim, most to blame first, and is off when disabled', () => {
    const many = (): GroupSnapshot[] => [
      groupSnapshot('v', { rates: { cpuCores: 0.05, cpuWaitRatio: 0.5 }, placement: { coresByCpu: [0.05], waitByCpu: [0.5], spread: [], cpus: [0] } }),
      ...['a', 'b', 'c', 'd'].map((n, i) =>
        groupSnapshot(n, { rates: { cpuCores: 0.2 + 0.01 * i }, placement: { coresByCpu: [0.2 + 0.01 * i], waitByCpu: [], spread: [], cpus: [0] } }),
      ),
    ];
    const e = new ContentionEngine(contentionConfigSchema.parse({ min_share: 0.1, max_culprits: 2 }));
    expect(
      run(e, 60, 0, many, host([1]))
        .find((x) => x.group === 'v')!
        .culprits.map((c) => c.group),
    ).toEqual(['d', 'c']);
    expect(run(new ContentionEngine(contentionConfigSchema.parse({ enabled: false })), 60, 0, many, host([1]))).toEqual([]);
  });
});
