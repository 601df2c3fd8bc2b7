import { ionice, parseIonice, renice } from '../../../../exporter/src/remediate/actions/priority';
import { execCommand } from '../../../../exporter/src/remediate/exec';
import { actionContext, startVictim, threadNices, type Victim } from '../../../helpers/remediation';

/** The I/O class of every thread, as ionice(1) reads it. */
async function ioClasses(v: Victim): Promise<string[]> {
  const { readdirSync } = await import('node:fs');
  const tids = readdirSync(`/proc/${v.pid}/task`);
  return (await execCommand('ionice', ['-p', ...tids], { timeoutMs: 5000 })).stdout.trim().split('\n');
}

describe('renice and ionice on real processes (every thread)', () => {
  const victims: Victim[] = [];
  afterAll(() => Promise.all(victims.map((v) => v.stop())));

  it("renices every thread of every process, reports before and after, and rolls back to each thread's own value", async () => {
    const a = await startVictim('rn-victim');
    const b = await startVictim('rn-victim');
    victims.push(a, b);
    expect(threadNices(a.pid).length).toBeGreaterThan(1); // node runs several threads
    const ctx = actionContext({ action: 'renice', nice: 7 }, [a, b]);
    const plan = await renice.plan(ctx);
    if (!plan.ok) throw new Error(plan.reason);
    expect(threadNices(a.pid).every((n) => n === 0)).toBe(true); // planning changes nothing
    const r = await renice.execute(ctx, plan.before);
    expect(r.ok).toBe(true);
    expect(r.reason).toBe('renice to 7: 2 process(es) changed');
    for (const v of [a, b]) expect(threadNices(v.pid).every((n) => n === 7)).toBe(true);
    expect(r.after).toMatchObject({
      nice: 7,
      processes: [
        { pid: a.pid, nice: 7 },
        { pid: b.pid, nice: 7 },
      ],
      gone: [],
    });
    const back = await renice.rollback!(ctx, plan.before);
    expect(back.ok).toBe(true);
    for (const v of [a, b]) expect(threadNices(v.pid).every((n) => n === 0)).toBe(true);
  });

  it('leaves alone a process that exited (or whose pid was reused) between plan and execution', async () => {
    const a = await startVictim('rn-gone');
    const ctx = actionContext({ action: 'renice', nice: 5 }, [a]);
    const plan = await renice.plan(ctx);
    if (!plan.ok) throw new Error(plan.reason);
    await a.stop();
    const r = await renice.execute(ctx, plan.before);
    expect(r).toMatchObject({ ok: false, reason: 'renice to 5: 0 process(es) changed; 1 gone before the change' });
    expect((await renice.plan(ctx)).ok).toBe(false);
  });

  it('sets the I/O class of every thread with ionice(1) and restores it', async () => {
    expect(parseIonice('best-effort: prio 4')).toEqual({ class: 'best-effort', level: 4 });
    expect(parseIonice('idle')).toEqual({ class: 'idle', level: null });
    expect(parseIonice('none: prio 0')).toEqual({ class: 'none', level: 0 });
    expect(parseIonice('what')).toBeNull();
    const v = await startVictim('io-victim');
    victims.push(v);
    const before = await ioClasses(v);
    const ctx = actionContext({ action: 'ionice', kind: 'io_bound', class: 'idle' }, [v]);
    const plan = await ionice.plan(ctx);
    if (!plan.ok) throw new Error(plan.reason);
    const r = await ionice.execute(ctx, plan.before);
    expect(r.ok).toBe(true);
    expect(new Set(await ioClasses(v))).toEqual(new Set(['idle']));
    const be = actionContext({ action: 'ionice', kind: 'io_bound', class: 'best-effort', level: 6 }, [v]);
    expect((await ionice.execute(be, plan.before)).ok).toBe(true);
    expect(new Set(await ioClasses(v))).toEqual(new Set(['best-effort: prio 6']));
    expect((await ionice.rollback!(ctx, plan.before)).ok).toBe(true);
    expect(new Set(await ioClasses(v))).toEqual(new Set(before)); // node may start a thread meanwhile: compare values, not counts
  });
});
