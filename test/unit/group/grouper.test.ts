import { Grouper, type GrouperOptions } from '../../../exporter/src/group/grouper';
import { Tracker, type TrackedProcess } from '../../../exporter/src/track/tracker';
import type { ProcIdentity, ProcSample } from '../../../exporter/src/read/types';
import { identity, sample } from '../../helpers/synthetic';

const opts = (over: Partial<GrouperOptions> = {}): GrouperOptions => ({
  maxGroups: 200,
  declared: [],
  pidSeriesGroups: new Set(),
  pidSeriesMax: 50,
  emptyGroupTtlMs: 600_000,
  maxCgroupsPerGroup: 8,
  ...over,
});

/** Runs one cycle of tracker + grouper over synthetic samples keyed by comm. */
function cycle(t: Tracker, g: Grouper, procs: Array<[string, ProcSample, Partial<ProcIdentity>?]>, nowMs: number, secs: number | null) {
  t.beginCycle(nowMs);
  const live: TrackedProcess[] = [];
  for (const [comm, s, id] of procs) {
    const r = t.observe(s, () => identity(s.pid, comm, { startTicks: s.startTicks, ...id }));
    if (r) live.push(r);
  }
  t.endCycle();
  return g.update({ procs: live, nowMs, intervalSeconds: secs });
}

describe('Grouper', () => {
  it("marks fields that none of a group's processes provided as unavailable, and keeps a field once any process provided it", () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts({ declared: ['later'] }), 0);
    const noIo = { readBytes: null, writeBytes: null, openFds: null };
    let out = cycle(
      t,
      g,
      [
        ['root-owned', sample(1, noIo)],
        ['mixed', sample(2, noIo)],
        ['mixed', sample(3, { readBytes: 10, writeBytes: 0, openFds: 4 })],
      ],
      0,
      null,
    );
    expect(out.find((x) => x.name === 'root-owned')?.unavailable).toEqual(expect.arrayContaining(['readBytes', 'writeBytes', 'openFds']));
    expect(out.find((x) => x.name === 'mixed')?.unavailable).not.toContain('readBytes');
    // A declared group that has not started yet keeps its series at 0.
    expect(out.find((x) => x.name === 'later')?.unavailable).toBeUndefined();
    // The readable process exits: the group's counters stay (they never go down), so the field stays available.
    out = cycle(
      t,
      g,
      [
        ['root-owned', sample(1, noIo)],
        ['mixed', sample(2, noIo)],
      ],
      5000,
      5,
    );
    expect(out.find((x) => x.name === 'mixed')?.unavailable).not.toContain('readBytes');
    expect(out.find((x) => x.name === 'mixed')?.counters.readBytes).toBe(10);
  });

  it('gives a group the shortest time to the open-files limit among its processes, each at its own fd trend', () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts(), 0);
    let out: ReturnType<typeof cycle> = [];
    for (let k = 0; k <= 24; k++) {
      // Three workers at 300 fds and a limit of 1024: one steady, one +0.1 fd/s, one +0.5 fd/s (limit 2048).
      out = cycle(
        t,
        g,
        [
          ['web', sample(1, { openFds: 300 })],
          ['web', sample(2, { openFds: 300 + 0.1 * 5 * k })],
          ['web', sample(3, { openFds: 300 + 0.5 * 5 * k }), { fdLimit: 2048 }],
        ],
        k * 5000,
        k === 0 ? null : 5,
      );
      if (k === 0) expect(out[0].gauges.fdTimeToLimitSeconds).toBeNull(); // no trend yet
    }
    // pid 2: (1024 − 312) / 0.1 = 7120 s; pid 3 has twice the limit: (2048 − 360) / 0.5 = 3376 s.
    expect(out[0].gauges.fdTimeToLimitSeconds).toBeCloseTo(3376, 3);
  });

  it('sums gauges and rates per group and keeps the worst fd ratio', () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts(), 0);
    cycle(
      t,
      g,
      [
        ['web', sample(1, { cpuUserSeconds: 10 })],
        ['web', sample(2, { cpuUserSeconds: 20 })],
      ],
      0,
      null,
    );
    const out = cycle(
      t,
      g,
      [
        ['web', sample(1, { cpuUserSeconds: 12, rssBytes: 100, openFds: 512, threads: 4 })],
        ['web', sample(2, { cpuUserSeconds: 21, rssBytes: 50, openFds: 10, threads: 1 })],
      ],
      5000,
      5,
    );
    const web = out.find((x) => x.name === 'web');
    expect(web?.processes).toBe(2);
    expect(web?.gauges.rssBytes).toBe(150);
    expect(web?.gauges.threads).toBe(5);
    expect(web?.gauges.fdLimitRatio).toBeCloseTo(0.5);
    expect(web?.rates?.cpuCores).toBeCloseTo(3 / 5);
    expect(web?.counters.cpuUserSeconds).toBeCloseTo(33);
  });

  it("keeps a group's counters when its processes exit (monotonic), and shows 0 processes", () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts(), 0);
    cycle(t, g, [['job', sample(1, { cpuUserSeconds: 3, writeBytes: 1000 })]], 0, null);
    const after = cycle(t, g, [], 5000, 5);
    const job = after.find((x) => x.name === 'job');
    expect(job?.processes).toBe(0);
    expect(job?.counters.cpuUserSeconds).toBe(3);
    expect(job?.counters.writeBytes).toBe(1000);
  });

  it('forgets an undeclared empty group after the TTL but keeps declared ones at 0', () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts({ declared: ['nginx'], emptyGroupTtlMs: 10_000 }), 0);
    const first = cycle(t, g, [['tmp', sample(1)]], 0, null);
    expect(first.map((x) => x.name).sort()).toEqual(['nginx', 'tmp']);
    expect(first.find((x) => x.name === 'nginx')?.declared).toBe(true);
    const later = cycle(t, g, [], 20_000, 5);
    expect(later.map((x) => x.name)).toEqual(['nginx']);
  });

  it('folds groups beyond max_groups into "other" and counts them', () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts({ maxGroups: 3 }), 0);
    const out = cycle(
      t,
      g,
      [
        ['a', sample(1, { rssBytes: 1 })],
        ['b', sample(2, { rssBytes: 2 })],
        ['c', sample(3, { rssBytes: 4 })],
        ['d', sample(4, { rssBytes: 8 })],
      ],
      0,
      null,
    );
    expect(out.map((x) => x.name).sort()).toEqual(['a', 'b', 'other']);
    expect(out.find((x) => x.name === 'other')?.gauges.rssBytes).toBe(12);
    expect(out.find((x) => x.name === 'other')?.overflow).toBe(true);
    expect(g.overflowed).toBe(2);
  });

  it('emits per-pid detail only for configured groups, capped', () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts({ pidSeriesGroups: new Set(['db']), pidSeriesMax: 2 }), 0);
    const out = cycle(
      t,
      g,
      [
        ['db', sample(1)],
        ['db', sample(2)],
        ['db', sample(3)],
        ['web', sample(4)],
      ],
      0,
      null,
    );
    expect(out.find((x) => x.name === 'db')?.pids?.length).toBe(2);
    expect(out.find((x) => x.name === 'web')?.pids).toBeUndefined();
  });

  it("places each group's CPU time and run-queue wait on the CPUs it ran on, and keeps its cgroups per controller", () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts(), 0);
    const pinned = { cpusAllowed: [0], processor: 0 };
    const wide = { cpusAllowed: [0, 1, 2, 3], processor: 2 };
    const cg = { controllerCgroups: { cpu: '/batch', cpuset: '/pinned', memory: '/', io: '/batch' } };
    cycle(
      t,
      g,
      [
        ['hog', sample(1, pinned), cg],
        ['web', sample(2, wide)],
        ['pool', sample(3, { ...wide, threads: 4 })],
      ],
      0,
      null,
    );
    const out = cycle(
      t,
      g,
      [
        ['hog', sample(1, { ...pinned, cpuUserSeconds: 2 }), cg],
        ['web', sample(2, { ...wide, cpuUserSeconds: 1, cpuWaitSeconds: 0.5 })],
        ['pool', sample(3, { ...wide, threads: 4, cpuUserSeconds: 4, cpuWaitSeconds: 2 })],
      ],
      2000,
      2,
    );
    const of = (name: string) => out.find((x) => x.name === name)!;
    expect(of('hog').placement).toEqual({ coresByCpu: [1], waitByCpu: [], spread: [], cpus: [0] });
    // Single-threaded and free to move: on the CPU it last ran on. Multi-threaded: to be spread over its allowed CPUs.
    expect(of('web').placement).toEqual({ coresByCpu: [0, 0, 0.5], waitByCpu: [0, 0, 0.25], spread: [], cpus: [0, 1, 2, 3] });
    expect(of('pool').placement).toEqual({ coresByCpu: [], waitByCpu: [], spread: [{ cpus: [0, 1, 2, 3], cores: 2, wait: 1 }], cpus: [0, 1, 2, 3] });
    expect(of('hog').controllerCgroups).toEqual({ cpu: ['/batch'], cpuset: ['/pinned'], memory: ['/'], io: ['/batch'] });
    expect(out.find((x) => x.name === 'web')!.controllerCgroups.cpu).toEqual(['/']);
  });

  it('ignores processes no rule matched', () => {
    const t = new Tracker({ nameOf: (i) => (i.comm === 'keep' ? 'keep' : null) });
    const g = new Grouper(opts(), 0);
    const out = cycle(
      t,
      g,
      [
        ['keep', sample(1)],
        ['drop', sample(2)],
      ],
      0,
      null,
    );
    expect(out.map((x) => x.name)).toEqual(['keep']);
  });

  it('remembers the distinct pods and containers of a group, up to its cap, and none for host processes', () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    const g = new Grouper(opts({ maxPodsPerGroup: 2 }), 0);
    const pod = (uid: string, cid: string) => ({ podUid: uid, containerId: cid });
    const out = cycle(
      t,
      g,
      [
        ['web', sample(1), pod('u1', 'c1')],
        ['web', sample(2), pod('u1', 'c1')],
        ['web', sample(3), pod('u2', 'c2')],
        ['web', sample(4), pod('u3', 'c3')],
        ['host', sample(5)],
      ],
      0,
      null,
    );
    expect(out.find((x) => x.name === 'web')?.pods).toEqual([pod('u1', 'c1'), pod('u2', 'c2')]);
    expect(out.find((x) => x.name === 'host')?.pods).toBeUndefined();
  });

  it("adds process-exporter's figures only when asked", () => {
    const t = new Tracker({ nameOf: (i) => i.comm });
    expect(cycle(t, new Grouper(opts(), 0), [['web', sample(1)]], 0, null)[0].processExporter).toBeUndefined();
    const t2 = new Tracker({ nameOf: (i) => i.comm });
    expect(
      cycle(t2, new Grouper(opts({ processExporter: true }), 0), [['web', sample(1), { startTimeSeconds: 1000 }]], 0, null)[0].processExporter,
    ).toMatchObject({ states: { Sleeping: 1 }, oldestStartTimeSeconds: 1000 });
  });
});
