import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RemediationStatus } from '@procsight/contract';
import { parseConfigText } from '../../../exporter/src/config/load';
import { ActionError } from '../../../exporter/src/errors';
import { silentLogger } from '../../../exporter/src/log/logger';
import type { Executor } from '../../../exporter/src/remediate/actions/executor';
import { describeRule, Remediator } from '../../../exporter/src/remediate/remediator';
import type { WebhookPayload } from '../../../exporter/src/remediate/webhook';
import { identity } from '../../helpers/synthetic';

const T0 = Date.UTC(2026, 10, 24, 10);
const TOKEN = '0123456789abcdef0123456789abcdef';

function configOf(mode: string, extra = '') {
  return parseConfigText(
    `remediation:
  mode: ${mode}
  webhook_token_file: /unused
  approval_timeout_seconds: 600
${extra}  rules:
    - {group: batch, kind: cpu_saturation, action: renice, nice: 10, cooldown_seconds: 60}
    - {group: api, kind: memory_leak, action: restart, unit: api.service}
    - {group: init, kind: cpu_saturation, action: signal}
`,
    { source: 'test' },
  ).remediation;
}

/** An executor that records what it is asked and changes nothing real. */
function recordingExecutor(calls: string[], opts: { fail?: boolean; slowMs?: number } = {}): Executor {
  return {
    plan: (ctx) => Promise.resolve({ ok: true, before: { pids: ctx.targets.map((t) => t.pid), was: 0 }, after: { will: ctx.rule.action } }),
    execute: async (ctx, before) => {
      calls.push(`execute ${ctx.rule.action} ${JSON.stringify(before)}`);
      if (opts.slowMs) await new Promise((r) => setTimeout(r, opts.slowMs));
      return opts.fail ? { ok: false, after: null, reason: 'EPERM' } : { ok: true, after: { now: 10 }, reason: 'changed' };
    },
    rollback: (ctx) => {
      calls.push(`rollback ${ctx.rule.action}`);
      return Promise.resolve({ ok: true, after: { now: 0 }, reason: 'restored' });
    },
  };
}

function alertOf(group: string, kind: string, startsAt = new Date(T0).toISOString(), extra: Record<string, string> = {}): WebhookPayload['alerts'][number] {
  return { status: 'firing', labels: { alertname: 'ProcsightX', group, kind, instance: 'h:1', ...extra }, startsAt, fingerprint: `fp-${group}-${kind}` };
}
const payload = (...alerts: WebhookPayload['alerts']): WebhookPayload => ({ version: '4', status: 'firing', receiver: 'r', alerts });

function setup(
  mode: string,
  opts: { extra?: string; dir?: string; fail?: boolean; slowMs?: number; now?: () => number; active?: () => boolean; onExecuting?: () => never } = {},
) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'procsight-rem-'));
  const calls: string[] = [];
  const statuses: Array<[string, RemediationStatus]> = [];
  const done: string[] = [];
  const executing: string[] = [];
  let now = T0;
  const rem = new Remediator({
    config: configOf(mode, opts.extra),
    auditPath: join(dir, 'audit.jsonl'),
    killSwitchFile: join(dir, 'stop'),
    token: TOKEN,
    procfs: '/proc',
    cgroupfs: '/sys/fs/cgroup',
    selfPid: 99,
    processesOf: (g) =>
      g === 'batch'
        ? [{ identity: identity(500, 'batch') }, { identity: identity(1, 'batch') }]
        : g === 'api'
          ? [{ identity: identity(600, 'api') }]
          : g === 'init'
            ? [{ identity: identity(1, 'init') }, { identity: identity(99, 'init') }]
            : [],
    bottleneckActive: opts.active ?? (() => true),
    logger: silentLogger,
    now: opts.now ?? (() => now),
    executorFor: () => recordingExecutor(calls, opts),
    onStatus: (a, s) => statuses.push([a, s]),
    onExecuting: (r) => {
      opts.onExecuting?.();
      executing.push(`${r.id} ${calls.length}`); // before the executor acts
      return (d) => done.push(d.id);
    },
  });
  return {
    rem,
    dir,
    calls,
    statuses,
    done,
    executing,
    advance: (ms: number) => (now += ms),
    audit: () =>
      readFileSync(join(dir, 'audit.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; by: string; record: { id: string; status: string } }),
  };
}

describe('remediator: modes (a stand-in executor that records the commands; the real renice, cgroup and signal paths run on real processes in test/remediation)', () => {
  it('dry-run records what it would do, never acts, and holds the cooldown like a real action', async () => {
    const { rem, calls, statuses } = setup('dry-run');
    const [r] = await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 'bearer token');
    expect(r).toMatchObject({ outcome: 'recorded', status: 'dry_run', reason: 'dry-run: would renice to 10 (1 process(es)); nothing was changed' });
    const [a] = rem.list();
    expect(a).toMatchObject({ status: 'dry_run', before: { pids: [500] }, after: { will: 'renice' }, decided_by: 'dry-run' }); // pid 1 is never a target
    expect(calls).toEqual([]);
    const [again] = await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation', new Date(T0 + 1000).toISOString())), 'bearer token');
    expect(again.reason).toMatch(/^cooldown/);
    expect(statuses).toEqual([
      ['renice', 'dry_run'],
      ['renice', 'refused'],
    ]);
  });

  it('approve: nothing happens before approval; approval acts, with who approved; reject refuses', async () => {
    const { rem, calls, done, executing } = setup('approve');
    const [r] = await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation'), alertOf('api', 'memory_leak')), 'bearer token');
    expect(r).toMatchObject({ status: 'pending', reason: 'awaiting approval: would renice to 10 (1 process(es))' });
    expect(calls).toEqual([]);
    expect(rem.pendingCount()).toBe(2);
    const approved = await rem.approve(r.id as string, 'web-config user ops');
    expect(approved).toMatchObject({ status: 'done', reason: 'changed', after: { now: 10 }, decided_by: 'web-config user ops', executing: false });
    expect(approved.history.map((h) => h.status)).toEqual(['pending', 'pending', 'done']);
    expect(calls).toEqual(['execute renice {"pids":[500],"was":0}']);
    expect(executing).toEqual([`${r.id} 0`]);
    expect(done).toEqual([r.id]);
    const api = rem.list({ status: 'pending' })[0];
    expect(rem.reject(api.id, 'bearer token')).toMatchObject({ status: 'refused', reason: 'rejected by bearer token', decided_by: 'bearer token' });
    expect(() => rem.reject(api.id, 'x')).toThrow(ActionError);
    await expect(rem.approve(api.id, 'x')).rejects.toThrow(/is refused, not pending/);
    await expect(rem.approve('act-nope', 'x')).rejects.toMatchObject({ reason: 'not_found' });
    expect(rem.pendingCount()).toBe(0);
  });

  it('carries out and records an action whose hooks throw', async () => {
    const { rem, calls } = setup('auto', {
      onExecuting: () => {
        throw new Error('hook');
      },
    });
    await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 'bearer token');
    await rem.settled();
    expect(rem.list()[0]).toMatchObject({ status: 'done', executing: false });
    expect(calls).toHaveLength(1);
  });

  it('auto acts at once (in the background of the webhook), and a failure is recorded as failed', async () => {
    const { rem, calls, statuses, executing, done } = setup('auto', { fail: true });
    const [r] = await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 'bearer token');
    expect(r).toMatchObject({ status: 'pending', reason: 'executing: renice to 10 (auto)' });
    await rem.settled();
    expect(rem.list()[0]).toMatchObject({ status: 'failed', reason: 'EPERM', decided_by: 'auto' });
    expect([executing, done]).toEqual([[`${r.id} 0`], []]); // a failed action is not applied
    expect(calls).toHaveLength(1);
    expect(statuses).toEqual([['renice', 'failed']]); // not counted as awaiting approval while it ran
  });

  it('rolls back a done renice, and refuses to roll back what is not done', async () => {
    const { rem, calls, statuses } = setup('auto');
    await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 'bearer token');
    await rem.settled();
    const [a] = rem.list();
    const back = await rem.rollback(a.id, 'bearer token');
    expect(back).toMatchObject({ status: 'rolled_back', reason: 'restored', after: { action: { now: 10 }, rollback: { now: 0 } } });
    expect(calls).toEqual([expect.stringMatching(/^execute renice/), 'rollback renice']);
    await expect(rem.rollback(a.id, 'bearer token')).rejects.toThrow(/only a done action can be rolled back/);
    expect(statuses.map((s) => s[1])).toEqual(['done', 'rolled_back']);
  });
});

describe('remediator: safety (the same recording stand-in executor)', () => {
  it('records an alert no rule matches as refused, with the reason, and acts on nothing', async () => {
    const { rem, calls, audit } = setup('auto');
    const [r] = await rem.handleWebhook(payload(alertOf('web', 'cpu_saturation')), 'bearer token');
    expect(r).toMatchObject({ outcome: 'recorded', status: 'refused', reason: 'no rule allows acting on group web for cpu_saturation', group: 'web' });
    await rem.settled();
    expect(calls).toEqual([]);
    expect(audit().map((e) => [e.event, e.by])).toEqual([['refused', 'bearer token']]);
  });

  it('does nothing for a replayed incident, and refuses a group holding only pid 1 and the exporter', async () => {
    const { rem, calls } = setup('auto');
    await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't');
    const [replay] = await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't');
    expect(replay).toMatchObject({ outcome: 'ignored', reason: 'already handled: this incident (same fingerprint and start) was received before' });
    expect(rem.list()).toHaveLength(1);
    const [init] = await rem.handleWebhook(payload(alertOf('init', 'cpu_saturation')), 't');
    expect(init).toMatchObject({
      status: 'refused',
      reason: 'group init has no process remediation may act on: pid 1 (init) is never acted on (pid_1), pid 99 (init) is never acted on (exporter)',
    });
    await rem.settled();
    expect(calls).toHaveLength(1); // batch's only
  });

  it('keeps actions pending while the kill switch is on (approval answered with a conflict), and approves once it is gone', async () => {
    const { rem, dir, calls } = setup('approve');
    const [r] = await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't');
    writeFileSync(join(dir, 'stop'), '');
    expect(rem.killSwitchOn()).toBe(true);
    await expect(rem.approve(r.id as string, 'x')).rejects.toMatchObject({ reason: 'conflict', message: expect.stringMatching(/kill switch is on/) });
    const [refused] = await rem.handleWebhook(payload(alertOf('api', 'memory_leak')), 't');
    expect(refused).toMatchObject({ status: 'refused', reason: 'the kill switch is on' });
    expect(rem.find(r.id as string)?.status).toBe('pending');
    rmSync(join(dir, 'stop'));
    expect((await rem.approve(r.id as string, 'x')).status).toBe('done');
    expect(calls).toHaveLength(1);
  });

  it('refuses pending actions past their approval timeout', async () => {
    const { rem, advance, statuses } = setup('approve');
    await rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't');
    advance(601_000);
    expect(rem.list()[0]).toMatchObject({ status: 'refused', reason: 'not approved within 600 s', decided_by: 'approval timeout' });
    expect(statuses.map((s) => s[1])).toEqual(['pending', 'refused']);
  });

  it('survives a restart: pending actions stay pending, an action cut off mid-run is failed, not redone', async () => {
    const first = setup('approve', { slowMs: 1500 });
    const [r] = await first.rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation'), alertOf('api', 'memory_leak')), 't');
    void first.rem.approve(r.id as string, 'x').catch(() => undefined); // still running when the "process dies"
    await new Promise((res) => setTimeout(res, 50));
    // A new remediator over the same audit log, as after kill -9.
    const second = setup('approve', { dir: first.dir });
    const byGroup = Object.fromEntries(second.rem.list().map((a) => [a.group, a]));
    expect(byGroup.batch).toMatchObject({
      status: 'failed',
      executing: false,
      reason: expect.stringMatching(/^interrupted: the exporter stopped while the action ran/),
    });
    expect(byGroup.api).toMatchObject({ status: 'pending', executing: false });
    expect(second.statuses).toEqual([['renice', 'failed']]);
    expect((await second.rem.approve(byGroup.api.id, 'x')).status).toBe('done');
    await first.rem.settled();
  });

  it('refuses at approval when the rule left the configuration or the bottleneck is gone', async () => {
    const first = setup('approve');
    const [r] = await first.rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't');
    const changed = setup('approve', { dir: first.dir, extra: '' });
    (changed.rem as unknown as { opts: { config: { rules: unknown[] } } }).opts.config.rules = [];
    expect(await changed.rem.approve(r.id as string, 'x')).toMatchObject({ status: 'refused', reason: 'its rule is no longer in the configuration' });
    let active = true;
    const gone = setup('approve', { active: () => active });
    const [p] = await gone.rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't');
    active = false;
    expect(await gone.rem.approve(p.id as string, 'ops')).toMatchObject({
      status: 'refused',
      reason: "approved, but the exporter's analysis no longer shows the cpu_saturation bottleneck for batch",
      decided_by: 'ops',
    });
    expect(gone.calls).toEqual([]);
  });

  it('takes no action when the audit log cannot be written', async () => {
    const { rem, dir, calls } = setup('auto');
    chmodSync(join(dir, 'audit.jsonl'), 0o400);
    (rem as unknown as { audit: { fd: number | null } }).audit.fd = null; // as if the disk were gone
    await expect(rem.handleWebhook(payload(alertOf('batch', 'cpu_saturation')), 't')).rejects.toMatchObject({ reason: 'unavailable' });
    await rem.settled();
    expect(calls).toEqual([]);
  });

  it('describes each rule in its reasons', () => {
    const rules = parseConfigText(
      'remediation:\n  rules:\n    - {group: a, kind: io_bound, action: ionice, class: best-effort}\n    - {group: a, kind: io_bound, action: cpu_limit, cores: 0.5, unit: a.service}\n    - {group: a, kind: io_bound, action: memory_limit, bytes: 16777216}\n    - {group: a, kind: io_bound, action: signal}\n    - {group: a, kind: io_bound, action: run, command: [/bin/true, x]}\n',
      { source: 't' },
    ).remediation.rules;
    expect(rules.map(describeRule)).toEqual([
      'ionice best-effort 7',
      'limit CPU to 0.5 cores on a.service',
      'limit memory to 16777216 bytes',
      'send TERM, then KILL after 10 s',
      'run /bin/true x',
    ]);
  });
});
