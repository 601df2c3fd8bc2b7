import { signal } from '../../../../exporter/src/remediate/actions/signal';
import { stillSame } from '../../../../exporter/src/remediate/targets';
import { actionContext, IGNORES_TERM, startVictim, type Victim } from '../../../helpers/remediation';

describe('signal: TERM, then KILL after the grace period (real processes)', () => {
  const victims: Victim[] = [];
  afterAll(() => Promise.all(victims.map((v) => v.stop())));

  it('ends a process that honours TERM without a KILL, and KILLs one that ignores it after the grace period', async () => {
    const polite = await startVictim('sig-polite');
    const stubborn = await startVictim('sig-stubborn', { args: IGNORES_TERM, waitForOutput: true });
    victims.push(polite, stubborn);
    const ctx = actionContext({ action: 'signal', kind: 'thread_explosion', grace_seconds: 1 }, [polite, stubborn]);
    const plan = await signal.plan(ctx);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.after).toEqual({ signals: 'TERM, then KILL after 1 s', pids: [polite.pid, stubborn.pid] });
    const t0 = Date.now();
    const r = await signal.execute(ctx, plan.before);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(r.ok).toBe(true);
    expect(r.after).toEqual({ exited_on_term: [polite.pid], killed: [stubborn.pid], gone_before: [], refused: [], still_running: [] });
    expect(stillSame('/proc', polite) || stillSame('/proc', stubborn)).toBe(false);
    expect(stubborn.child.signalCode ?? (await new Promise((r) => stubborn.child.once('exit', (_c, s) => r(s))))).toBe('SIGKILL');
  });

  it('sends no KILL when the kill switch appears during the grace period', async () => {
    const stubborn = await startVictim('sig-switch', { args: IGNORES_TERM, waitForOutput: true });
    victims.push(stubborn);
    let switchOn = false;
    const ctx = actionContext({ action: 'signal', kind: 'thread_explosion', grace_seconds: 1 }, [stubborn], { killSwitchOn: () => switchOn });
    const plan = await signal.plan(ctx);
    if (!plan.ok) throw new Error(plan.reason);
    setTimeout(() => (switchOn = true), 300);
    const r = await signal.execute(ctx, plan.before);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/KILL not sent: the kill switch appeared during the grace period/);
    expect(stillSame('/proc', stubborn)).toBe(true);
  });

  it('never signals a pid reused by another process (start time checked before each signal)', async () => {
    const v = await startVictim('sig-reused');
    victims.push(v);
    const ctx = actionContext({ action: 'signal', kind: 'thread_explosion', grace_seconds: 1 }, [{ ...v, startTicks: v.startTicks - 1 }]);
    expect(await signal.plan(ctx)).toEqual({ ok: false, reason: "none of the group's processes is left" });
    const r = await signal.execute(ctx, { processes: [{ ...v, startTicks: v.startTicks - 1 }] });
    expect(r.ok).toBe(false);
    expect(stillSame('/proc', v)).toBe(true);
  });
});
