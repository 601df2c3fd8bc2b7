import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../exporter/src/compose';
import { startFault, type FaultHandle } from '../faults/spawn';
import { scrape, startExporter } from '../helpers/exporter';
import { actions, bottleneckAlert, decide, notify, startVictim, statField, threadNices, until, waitForGroup, type Victim } from '../helpers/remediation';

/**
 * Remediation on real processes, the exporter in-process with its real
 * routes, audit log and executors: what each mode does and does not do, and
 * the guards (no rule, kill switch, cooldown, rate limit, replay, token).
 * The rules here set require_active_bottleneck: false so that an alert can be
 * sent at once instead of waiting for a real bottleneck to be detected (the
 * end-to-end test test/alerting/remediation-e2e.test.ts keeps it on).
 */
const TOKEN = 'test-remediation-token-0123456789';

interface Running {
  svc: Service;
  dir: string;
  audit(): Array<{ event: string; by: string; record: { id: string; status: string } }>;
}

const running: Running[] = [];
async function exporterWith(mode: string, rules: string[], extra = ''): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-rem-modes-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  const svc = await startExporter({
    cli: { storagePath: join(dir, 'state') },
    configYaml: `remediation:\n  mode: ${mode}\n  webhook_token_file: ${dir}/token\n  require_active_bottleneck: false\n${extra}  rules:\n${rules.map((r) => `    - ${r}\n`).join('')}`,
  });
  const r = {
    svc,
    dir,
    audit: () =>
      readFileSync(join(dir, 'state', 'remediation-audit.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as never),
  };
  running.push(r);
  return r;
}

const nicesOf = (pid: number) => [...new Set(threadNices(pid))];

describe('remediation modes on real processes', () => {
  const procs: Array<FaultHandle | Victim> = [];
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    for (const r of running) {
      await r.svc.stop();
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('approve: a real CPU hog is reniced only after approval (every thread), and the rollback restores it', async () => {
    const hog = await startFault('cpu-hog', { name: 'rem-hog', maxSeconds: 120 });
    procs.push(hog);
    const { svc, audit } = await exporterWith('approve', ['{group: rem-hog, kind: cpu_saturation, action: renice, nice: 10}']);
    await waitForGroup(svc.url, 'rem-hog');
    const sent = await notify(svc.url, TOKEN, [bottleneckAlert('rem-hog', 'cpu_saturation')]);
    expect(sent.status).toBe(200);
    expect(sent.body.results).toEqual([
      expect.objectContaining({ outcome: 'recorded', status: 'pending', reason: 'awaiting approval: would renice to 10 (1 process(es))' }),
    ]);
    // Nothing before approval.
    await new Promise((r) => setTimeout(r, 500));
    expect(nicesOf(hog.pid)).toEqual([0]);
    const [pending] = await actions(svc.url, 'pending');
    const approved = await decide(svc.url, TOKEN, pending.id, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.action).toMatchObject({ status: 'done', reason: 'renice to 10: 1 process(es) changed' });
    expect(nicesOf(hog.pid)).toEqual([10]);
    expect(statField(hog.pid, 19)).toBe(10);
    const metrics = await scrape(svc.url);
    expect(metrics.get('procsight_remediation_actions_total{action="renice",status="pending"}')).toBe(1);
    expect(metrics.get('procsight_remediation_actions_total{action="renice",status="done"}')).toBe(1);
    expect(metrics.get('procsight_remediation_pending_actions')).toBe(0);
    const back = await decide(svc.url, TOKEN, pending.id, 'rollback');
    expect(back.body.action?.status).toBe('rolled_back');
    expect(nicesOf(hog.pid)).toEqual([0]);
    expect(audit().map((e) => e.event)).toEqual(['pending', 'executing', 'done', 'executing', 'rolled_back']);
  }, 60_000);

  it('dry-run changes nothing and records what it would have done', async () => {
    const v = await startVictim('rem-dry');
    procs.push(v);
    const { svc } = await exporterWith('dry-run', [
      '{group: rem-dry, kind: cpu_saturation, action: renice, nice: 15}',
      '{group: rem-dry, kind: thread_explosion, action: signal, grace_seconds: 1}',
    ]);
    await waitForGroup(svc.url, 'rem-dry');
    const r = await notify(svc.url, TOKEN, [
      bottleneckAlert('rem-dry', 'cpu_saturation'),
      bottleneckAlert('rem-dry', 'thread_explosion', { instance: 'other' }),
    ]);
    expect(r.body.results?.map((x) => x.status)).toEqual(['dry_run', 'refused']); // one action per group per notification
    expect(r.body.results?.[1].reason).toBe('another alert of group rem-dry in the same notification was already acted on');
    const [a] = await actions(svc.url, 'dry_run');
    expect(a).toMatchObject({ status: 'dry_run', decided_by: 'dry-run', after: { nice: 15, processes: [{ pid: v.pid, comm: 'rem-dry' }] } });
    expect(a.reason).toMatch(/^dry-run: would renice to 15 \(1 process\(es\)\); nothing was changed$/);
    expect(nicesOf(v.pid)).toEqual([0]);
    expect(v.child.exitCode).toBeNull();
    const kill = await notify(svc.url, TOKEN, [bottleneckAlert('rem-dry', 'thread_explosion', { startsAt: new Date(Date.now() + 1).toISOString() })]);
    expect(kill.body.results?.[0].status).toBe('dry_run');
    await new Promise((r) => setTimeout(r, 1500));
    expect(existsSync(`/proc/${v.pid}`)).toBe(true); // no TERM, no KILL
    expect((await decide(svc.url, TOKEN, a.id, 'approve')).status).toBe(409);
  }, 60_000);

  it('a group without a rule is refused with the reason and left untouched; the webhook without or with a wrong token is 401', async () => {
    const v = await startVictim('rem-norule');
    procs.push(v);
    const { svc, audit } = await exporterWith('auto', ['{group: rem-someone-else, kind: cpu_saturation, action: signal, grace_seconds: 1}']);
    await waitForGroup(svc.url, 'rem-norule');
    expect((await notify(svc.url, null, [bottleneckAlert('rem-norule', 'cpu_saturation')])).status).toBe(401);
    expect((await notify(svc.url, 'wrong-token-wrong-token', [bottleneckAlert('rem-norule', 'cpu_saturation')])).status).toBe(401);
    expect(audit()).toEqual([]); // nothing recorded for an unauthenticated request
    const r = await notify(svc.url, TOKEN, [
      bottleneckAlert('rem-norule', 'cpu_saturation'),
      { ...bottleneckAlert('x', 'y'), labels: { alertname: 'ProcsightExporterDown', instance: 'i' } },
    ]);
    expect(r.body.results).toEqual([
      expect.objectContaining({ outcome: 'recorded', status: 'refused', reason: 'no rule allows acting on group rem-norule for cpu_saturation' }),
      expect.objectContaining({
        outcome: 'recorded',
        status: 'refused',
        reason: 'ProcsightExporterDown is not a procsight bottleneck alert (it needs group and kind labels)',
      }),
    ]);
    await new Promise((res) => setTimeout(res, 1500));
    expect(existsSync(`/proc/${v.pid}`)).toBe(true);
    expect(nicesOf(v.pid)).toEqual([0]);
    expect((await scrape(svc.url)).get('procsight_remediation_actions_total{action="none",status="refused"}')).toBe(2);
    expect((await scrape(svc.url)).get('procsight_auth_failures_total{reason="bad_credentials"}')).toBe(1);
  }, 60_000);

  it('the kill switch stops all actions while its file exists', async () => {
    const v = await startVictim('rem-switch');
    procs.push(v);
    const { svc, dir } = await exporterWith('auto', ['{group: rem-switch, kind: cpu_saturation, action: renice, nice: 5}']);
    await waitForGroup(svc.url, 'rem-switch');
    writeFileSync(join(dir, 'state', 'remediation.disabled'), '');
    expect((await (await fetch(`${svc.url}/api/v1/actions`)).json()) as object).toMatchObject({ kill_switch: true });
    const r = await notify(svc.url, TOKEN, [bottleneckAlert('rem-switch', 'cpu_saturation')]);
    expect(r.body.results?.[0]).toMatchObject({ status: 'refused', reason: 'the kill switch is on' });
    await new Promise((res) => setTimeout(res, 300));
    expect(nicesOf(v.pid)).toEqual([0]);
    rmSync(join(dir, 'state', 'remediation.disabled'));
    const again = await notify(svc.url, TOKEN, [bottleneckAlert('rem-switch', 'cpu_saturation', { startsAt: new Date(Date.now() + 1000).toISOString() })]);
    expect(again.body.results?.[0].status).toBe('pending'); // auto: executing
    await until('the renice', async () => (await actions(svc.url, 'done')).length === 1);
    expect(nicesOf(v.pid)).toEqual([5]);
  }, 60_000);

  it('holds the cooldown and the rate limit; a replayed alert within the cooldown does nothing', async () => {
    const v = await startVictim('rem-rate');
    procs.push(v);
    const { svc, audit } = await exporterWith('auto', [
      '{group: rem-rate, kind: cpu_saturation, action: renice, nice: 3, cooldown_seconds: 2, max_actions: 2, window_seconds: 3600}',
    ]);
    await waitForGroup(svc.url, 'rem-rate');
    const first = bottleneckAlert('rem-rate', 'cpu_saturation', { startsAt: '2026-11-24T10:00:00Z' });
    expect((await notify(svc.url, TOKEN, [first])).body.results?.[0].status).toBe('pending');
    await until('the first renice', async () => (await actions(svc.url, 'done')).length === 1);
    // Alertmanager re-sends the same incident (repeat_interval, a group change): nothing new happens.
    const replay = await notify(svc.url, TOKEN, [first]);
    expect(replay.body.results?.[0]).toMatchObject({
      outcome: 'ignored',
      reason: 'already handled: this incident (same fingerprint and start) was received before',
    });
    const lines = audit().length;
    // A new incident within the cooldown is refused.
    const second = await notify(svc.url, TOKEN, [bottleneckAlert('rem-rate', 'cpu_saturation', { startsAt: '2026-11-24T10:01:00Z' })]);
    expect(second.body.results?.[0].reason).toMatch(/^cooldown: this rule acted at /);
    expect(audit().length).toBe(lines + 1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await notify(svc.url, TOKEN, [bottleneckAlert('rem-rate', 'cpu_saturation', { startsAt: '2026-11-24T10:02:00Z' })])).body.results?.[0].status).toBe(
      'pending',
    );
    await until('the second renice', async () => (await actions(svc.url, 'done')).length === 2);
    await new Promise((r) => setTimeout(r, 2100));
    const third = await notify(svc.url, TOKEN, [bottleneckAlert('rem-rate', 'cpu_saturation', { startsAt: '2026-11-24T10:03:00Z' })]);
    expect(third.body.results?.[0].reason).toBe('rate limit: 2 actions of this rule in the last 3600 s (max_actions 2)');
    expect((await actions(svc.url)).map((a) => a.status).sort()).toEqual(['done', 'done', 'refused', 'refused']);
  }, 60_000);
});
