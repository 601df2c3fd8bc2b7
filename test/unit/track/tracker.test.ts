import { Tracker } from '../../../exporter/src/track/tracker';
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
});
