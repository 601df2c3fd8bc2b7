import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExporter, waitReady, type RunningBinary } from '../helpers/binary';
import { actions, bottleneckAlert, decide, IGNORES_TERM, notify, startVictim, threadNices, until, waitForGroup, type Victim } from '../helpers/remediation';

/**
 * The real binary is killed with SIGKILL and started again on the same
 * --storage.path: the audit log, pending actions and the operator feedback
 * survive; an action cut off while it ran is recorded as failed, not run a
 * second time.
 */
const TOKEN = 'test-remediation-token-0123456789';

describe('remediation and feedback across kill -9 (real binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-rem-restart-'));
  const config = join(dir, 'config.yml');
  writeFileSync(join(dir, 'token'), TOKEN);
  writeFileSync(
    config,
    `remediation:
  mode: approve
  webhook_token_file: ${dir}/token
  require_active_bottleneck: false
  rules:
    - {group: rst-nice, kind: cpu_saturation, action: renice, nice: 12}
    - {group: rst-slow, kind: thread_explosion, action: signal, grace_seconds: 30}
`,
  );
  const args = [`--storage.path=${join(dir, 'state')}`, '--collect.interval=1s', `--config.file=${config}`];
  let exp: RunningBinary | null = null;
  const victims: Victim[] = [];
  afterAll(async () => {
    await exp?.stop();
    await Promise.all(victims.map((v) => v.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the audit log, pending actions and feedback; fails (does not redo) an action cut off mid-run', async () => {
    const nice = await startVictim('rst-nice');
    const slow = await startVictim('rst-slow', { args: IGNORES_TERM, waitForOutput: true });
    victims.push(nice, slow);
    exp = await runExporter(args);
    await waitReady(`${exp.url}/readyz`);
    await waitForGroup(exp.url, 'rst-nice');
    await waitForGroup(exp.url, 'rst-slow');
    await notify(exp.url, TOKEN, [bottleneckAlert('rst-nice', 'cpu_saturation'), bottleneckAlert('rst-slow', 'thread_explosion')]);
    const pending = await actions(exp.url, 'pending');
    expect(pending.map((a) => a.group).sort()).toEqual(['rst-nice', 'rst-slow']);
    const slowId = pending.find((a) => a.group === 'rst-slow')!.id;
    const niceId = pending.find((a) => a.group === 'rst-nice')!.id;
    // Approve the signal: TERM goes out, then it waits 30 s before KILL; the exporter dies meanwhile.
    void decide(exp.url, TOKEN, slowId, 'approve').catch(() => undefined);
    await until('the signal action to start', async () => (await actions(exp!.url)).some((a) => a.id === slowId && a.executing));
    const feedback = await fetch(`${exp.url}/api/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: 'rst-nice', kind: 'cpu_saturation', action: 'cpu_saturation.scale_out', verdict: 'not_helpful' }),
    });
    expect(feedback.status).toBe(201);
    await new Promise((r) => setTimeout(r, 6000)); // the checkpoint follows a verdict within 5 s
    const auditBefore = readFileSync(join(dir, 'state', 'remediation-audit.jsonl'), 'utf8');
    exp.child.kill('SIGKILL');
    await exp.stop();

    exp = await runExporter(args);
    await waitReady(`${exp.url}/readyz`);
    // Append-only: everything written before the kill is still there, first.
    expect(readFileSync(join(dir, 'state', 'remediation-audit.jsonl'), 'utf8').startsWith(auditBefore)).toBe(true);
    const after = await actions(exp.url);
    expect(after.find((a) => a.id === niceId)).toMatchObject({ status: 'pending', executing: false });
    expect(after.find((a) => a.id === slowId)).toMatchObject({
      status: 'failed',
      executing: false,
      reason: expect.stringMatching(/^interrupted: the exporter stopped while the action ran/),
    });
    expect(slow.child.exitCode).toBeNull(); // TERM was ignored and no KILL followed: not redone after the restart
    const fb = (await (await fetch(`${exp.url}/api/v1/feedback`)).json()) as { actions: Array<{ action: string; not_helpful: number }> };
    expect(fb.actions).toEqual([expect.objectContaining({ action: 'cpu_saturation.scale_out', not_helpful: 1 })]);
    // The pending action can still be approved after the restart.
    await waitForGroup(exp.url, 'rst-nice');
    const approved = await decide(exp.url, TOKEN, niceId, 'approve');
    expect(approved.body.action?.status).toBe('done');
    expect([...new Set(threadNices(nice.pid))]).toEqual([12]);
    expect(await exp.stop()).toBe(0);
  }, 90_000);
});
