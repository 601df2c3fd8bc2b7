import { DELTA_KEYS, Tracker } from '../../../exporter/src/track/tracker';
import { identity, sample } from '../../helpers/synthetic';

describe('Tracker', () => {
  const nameOf = (id: { comm: string }) => id.comm;

  it('gives a new process its whole counters, then per-cycle deltas', () => {
    const t = new Tracker({ nameOf });
    t.beginCycle(0);
    const first = t.observe(sample(10, { cpuUserSeconds: 5, readBytes: 100 }), () => identity(10, 'app'));
    t.endCycle();
    expect(first?.isNew).toBe(true);
    expect(first?.delta.cpuUserSeconds).toBe(5);
    t.beginCycle(0);
    const second = t.observe(sample(10, { cpuUserSeconds: 7.5, readBytes: 160 }), () => {
      throw new Error('identity must not be re-read for a known process');
    });
    t.endCycle();
    expect(second?.isNew).toBe(false);
    expect(second?.delta.cpuUserSeconds).toBeCloseTo(2.5);
    expect(second?.delta.readBytes).toBe(60);
  });

  it('gives every counter a delta of 0 when the reader hands back the last sample (the process did not run)', () => {
    const t = new Tracker({ nameOf });
    const idle = sample(10, { cpuUserSeconds: 5, readBytes: 100 });
    t.beginCycle(0);
    t.observe(idle, () => identity(10, 'app'));
    t.endCycle();
    t.beginCycle(1000);
    const again = t.observe(idle, () => identity(10, 'app'));
    t.endCycle();
    expect(again?.delta).toEqual(Object.fromEntries(DELTA_KEYS.map((k) => [k, 0])));
    expect(Object.keys(again!.delta).sort()).toEqual([...DELTA_KEYS].sort());
  });

  it('treats a reused pid with another start time as a new process', () => {
    const t = new Tracker({ nameOf });
    t.beginCycle(0);
    t.observe(sample(10, { cpuUserSeconds: 50 }), () => identity(10, 'old'));
    t.endCycle();
    t.beginCycle(0);
    const reused = t.observe(sample(10, { startTicks: 99999, cpuUserSeconds: 1 }), () => identity(10, 'new', { startTicks: 99999 }));
    t.endCycle();
    expect(reused?.isNew).toBe(true);
    expect(reused?.group).toBe('new');
    expect(reused?.delta.cpuUserSeconds).toBe(1);
  });

  it('never yields a negative delta when a per-thread sum goes down', () => {
    const t = new Tracker({ nameOf });
    t.beginCycle(0);
    t.observe(sample(10, { voluntaryCtxSwitches: 1000, threads: 20 }), () => identity(10, 'app'));
    t.endCycle();
    t.beginCycle(0);
    const r = t.observe(sample(10, { voluntaryCtxSwitches: 400, threads: 2 }), () => identity(10, 'app'));
    t.endCycle();
    expect(r?.delta.voluntaryCtxSwitches).toBe(0);
  });

  it('adds nothing for a field unreadable on either side', () => {
    const t = new Tracker({ nameOf });
    t.beginCycle(0);
    t.observe(sample(10, { readBytes: null }), () => identity(10, 'app'));
    t.endCycle();
    t.beginCycle(0);
    const r = t.observe(sample(10, { readBytes: 5000 }), () => identity(10, 'app'));
    t.endCycle();
    expect(r?.delta.readBytes).toBe(0);
  });

  it('forgets exited processes and skips ones that vanish before their identity is read', () => {
    const t = new Tracker({ nameOf });
    t.beginCycle(0);
    t.observe(sample(1), () => identity(1, 'a'));
    t.observe(sample(2), () => identity(2, 'b'));
    expect(t.observe(sample(3), () => null)).toBeNull();
    t.endCycle();
    expect(t.size).toBe(2);
    t.beginCycle(0);
    t.observe(sample(1), () => identity(1, 'a'));
    expect(t.endCycle()).toBe(1);
    expect(t.size).toBe(1);
  });

  it("follows each process's own fd trend: null until 3 readings span a minute, then the slope", () => {
    const t = new Tracker({ nameOf });
    const slopes: Array<number | null> = [];
    for (let k = 0; k <= 24; k++) {
      t.beginCycle(1_700_000_000_000 + k * 5000);
      slopes.push(t.observe(sample(10, { openFds: 100 + 2 * 5 * k }), () => identity(10, 'app'))?.fdSlope ?? null);
      t.endCycle();
    }
    expect(slopes.slice(0, 12).every((s) => s === null)).toBe(true); // 0 … 55 s
    expect(slopes[12]).toBeCloseTo(2, 6); // 60 s: 2 fds/s
    expect(slopes[24]).toBeCloseTo(2, 6);
  });

  it('has no fd trend for a process whose fds cannot be read', () => {
    const t = new Tracker({ nameOf });
    let last: number | null | undefined;
    for (let k = 0; k <= 20; k++) {
      t.beginCycle(k * 5000);
      last = t.observe(sample(10, { openFds: null }), () => identity(10, 'app'))?.fdSlope;
      t.endCycle();
    }
    expect(last).toBeNull();
  });

  describe('naming beyond the first sight', () => {
    const cycle = (t: Tracker, nowMs: number, procs: Array<[number, string, Partial<Parameters<typeof identity>[2]>?]>, cpu = 0) => {
      t.beginCycle(nowMs);
      const out = procs.map(([pid, comm, over]) => t.observe(sample(pid, { cpuUserSeconds: cpu }), () => identity(pid, comm, over)));
      t.endCycle();
      return out;
    };

    it("puts an unmatched child in its tracked parent's group (process-exporter's -children)", () => {
      const only = (id: { comm: string }) => (id.comm === 'nginx' ? 'web' : null);
      const t = new Tracker({ nameOf: only, inheritParentGroup: true });
      const [parent, child, stranger] = cycle(t, 0, [
        [10, 'nginx'],
        [11, 'sh', { ppid: 10 }],
        [12, 'sh', { ppid: 1 }],
      ]);
      expect([parent?.group, child?.group, stranger?.group]).toEqual(['web', 'web', null]);
      expect(new Tracker({ nameOf: only }).observe(sample(11), () => identity(11, 'sh', { ppid: 10 }))?.group).toBeNull();
    });

    it('names an unmatched process again each cycle with -recheck, its whole history joining the group when it matches', () => {
      let name = 'starting';
      const t = new Tracker({ nameOf: (id) => (id.comm === 'app' ? 'app' : null), recheck: {} });
      expect(cycle(t, 0, [[10, name]], 1)[0]?.group).toBeNull();
      name = 'app'; // it renamed itself (prctl, exec of a script)
      const [r] = cycle(t, 1000, [[10, name]], 3);
      expect(r?.group).toBe('app');
      expect(r?.delta.cpuUserSeconds).toBe(3);
      // Named for good: the identity is no longer read.
      t.beginCycle(2000);
      expect(
        t.observe(sample(10, { cpuUserSeconds: 4 }), () => {
          throw new Error('no re-read once matched');
        })?.delta.cpuUserSeconds,
      ).toBe(1);
    });

    it('stops rechecking after -recheck-with-time-limit past the start', () => {
      let comm = 'x';
      const t = new Tracker({ nameOf: (id) => (id.comm === 'app' ? 'app' : null), recheck: { maxAgeSeconds: 10 } });
      cycle(t, 100_000, [[10, comm, { startTimeSeconds: 95 }]]);
      comm = 'app';
      expect(cycle(t, 106_000, [[10, comm, { startTimeSeconds: 95 }]])[0]?.group).toBeNull(); // 11 s after its start
    });

    it('holds a pending process out of every group until its name is known, or the grace runs out', () => {
      const known = new Set<string>();
      const t = new Tracker({
        nameOf: (id) => (known.has(id.comm) ? `pod/${id.comm}` : id.comm),
        pending: (id) => !known.has(id.comm) && id.comm.startsWith('k'),
        pendingGraceMs: 30_000,
      });
      expect(
        cycle(
          t,
          0,
          [
            [10, 'kapp'],
            [11, 'host'],
          ],
          2,
        ).map((r) => r?.group),
      ).toEqual([null, 'host']);
      known.add('kapp');
      const [r] = cycle(t, 5_000, [[10, 'kapp']], 5);
      expect(r?.group).toBe('pod/kapp');
      expect(r?.delta.cpuUserSeconds).toBe(5); // its whole history, as a new process's
      const [late] = cycle(t, 0, [[20, 'klate']], 1);
      expect(late?.group).toBeNull();
      expect(cycle(t, 31_000, [[20, 'klate']], 1)[0]?.group).toBe('klate'); // grace over: the name it has now
    });
  });

  it('gives thread deltas by tid, a thread seen for the first time adding nothing (process-exporter)', () => {
    const thread = (tid: number, name: string, cpu: number) => ({
      tid,
      name,
      state: 'sleeping' as const,
      cpuUserSeconds: cpu,
      cpuSystemSeconds: 0,
      minorFaults: 0,
      majorFaults: 0,
      readBytes: 0,
      writeBytes: 0,
      voluntaryCtxSwitches: 0,
      nonvoluntaryCtxSwitches: 0,
    });
    const t = new Tracker({ nameOf });
    t.beginCycle(0);
    const first = t.observe(sample(10, { threads: 2, threadDetail: [thread(10, 'app', 5), thread(11, 'worker', 3)] }), () => identity(10, 'app'));
    t.endCycle();
    expect(first?.threadDelta?.map((d) => d.delta.cpuUserSeconds)).toEqual([0, 0]);
    t.beginCycle(1000);
    const next = t.observe(sample(10, { threads: 2, threadDetail: [thread(10, 'app', 6), thread(12, 'worker', 9)] }), () => identity(10, 'app'));
    expect(next?.threadDelta).toEqual([
      { name: 'app', delta: expect.objectContaining({ cpuUserSeconds: 1 }) },
      { name: 'worker', delta: expect.objectContaining({ cpuUserSeconds: 0 }) },
    ]);
  });
});
