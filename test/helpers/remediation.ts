import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionContext } from '../../exporter/src/remediate/actions/executor';
import type { RemediationRule } from '../../exporter/src/remediate/config';
import type { Target } from '../../exporter/src/remediate/types';

/** A real process under its own name (comm), for remediation to act on. */
export interface Victim extends Target {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `file` (default: node idling, several threads) as a process whose
 * comm is `name` (exec'd through a symlink of that name).
 */
/** A node script that ignores SIGTERM, and says so on stdout once its handler is in place (start it with `waitForOutput`). */
export const IGNORES_TERM = ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')"];

export async function startVictim(name: string, opts: { file?: string; args?: string[]; waitForOutput?: boolean } = {}): Promise<Victim> {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-victim-'));
  const link = join(dir, name);
  symlinkSync(opts.file ?? process.execPath, link);
  const child = spawn(link, opts.args ?? ['-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', opts.waitForOutput ? 'pipe' : 'ignore', 'ignore'] });
  const pid = child.pid as number;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // A script that sets itself up (a signal handler) says so on stdout: until then it is not what the test means.
  if (opts.waitForOutput) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} printed nothing within 10 s`)), 10_000);
      child.stdout?.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name.slice(0, 15)) break;
    } catch {
      throw new Error(`${name} exited at start`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  // Node starts its helper threads just after exec: wait until their count holds for half a second, so a test sees the process whole.
  if (opts.file === undefined) {
    let last = -1;
    let stableSince = Date.now();
    for (let i = 0; i < 150 && Date.now() - stableSince < 500; i++) {
      const n = readdirSync(`/proc/${pid}/task`).length;
      if (n !== last) [last, stableSince] = [n, Date.now()];
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    pid,
    startTicks: statField(pid, 22),
    comm: name.slice(0, 15),
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Field n (1-based, as proc(5) numbers them) of /proc/<pid>/stat (or of a thread's, with tid). */
export function statField(pid: number, n: number, tid?: number): number {
  const text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[n - 3]);
}

/** The nice value of every thread of a process. */
export function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => statField(pid, 19, Number(tid)));
}

/** An action context over real /proc (tests override what they need). */
export function actionContext(
  rule: Partial<RemediationRule> & Pick<RemediationRule, 'action'>,
  targets: Target[],
  over: Partial<ActionContext> = {},
): ActionContext {
  return {
    id: 'act-test',
    rule: { group: 'victims', kind: 'cpu_saturation', cooldown_seconds: 0, max_actions: 100, window_seconds: 3600, max_processes: 20, ...rule },
    group: 'victims',
    targets,
    procfs: '/proc',
    cgroupfs: '/sys/fs/cgroup',
    alert: {
      alertname: 'ProcsightCpuSaturation',
      fingerprint: 'f',
      startsAt: '2026-11-24T10:00:00Z',
      instance: null,
      labels: { group: 'victims', kind: 'cpu_saturation' },
    },
    killSwitchOn: () => false,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    ...over,
  };
}

/** A bottleneck alert as Alertmanager's webhook carries it. */
export function bottleneckAlert(group: string, kind: string, opts: { startsAt?: string; instance?: string; status?: 'firing' | 'resolved' } = {}) {
  return {
    status: opts.status ?? 'firing',
    labels: { alertname: 'ProcsightBottleneck', group, kind, instance: opts.instance ?? '127.0.0.1:9556', job: 'procsight', severity: 'warning' },
    annotations: { summary: 'test' },
    startsAt: opts.startsAt ?? new Date().toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1/graph',
    fingerprint: `${group}-${kind}`.replace(/[^a-z0-9]/gi, '').slice(0, 16),
  };
}

/** POSTs a version-4 notification to the exporter's webhook; returns the status and the answer. */
export async function notify(
  url: string,
  token: string | null,
  alerts: unknown[],
): Promise<{ status: number; body: { results?: Array<{ outcome: string; id?: string; status?: string; reason: string }>; error?: string } }> {
  const res = await fetch(`${url}/api/v1/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ version: '4', status: 'firing', receiver: 'procsight-remediation', groupKey: '{}', alerts }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** GET /api/v1/actions (optionally one status). */
export async function actions(
  url: string,
  status?: string,
): Promise<
  Array<{
    id: string;
    group: string;
    status: string;
    reason: string;
    action: string;
    before: unknown;
    after: unknown;
    executing: boolean;
    decided_by: string | null;
  }>
> {
  const res = await fetch(`${url}/api/v1/actions${status ? `?status=${status}` : ''}`);
  return ((await res.json()) as { actions: never[] }).actions;
}

/** POST /api/v1/actions/<id>/<decision> with the bearer token. */
export async function decide(
  url: string,
  token: string,
  id: string,
  decision: 'approve' | 'reject' | 'rollback',
): Promise<{ status: number; body: { action?: { status: string; reason: string; after: unknown }; error?: string } }> {
  const res = await fetch(`${url}/api/v1/actions/${id}/${decision}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as never };
}

/** Waits (bounded) until the exporter lists `group` with at least one process. */
export async function waitForGroup(url: string, group: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${url}/api/v1/groups?group=${encodeURIComponent(group)}`);
    if (r.ok && ((await r.json()) as { groups: Array<{ processes: number }> }).groups[0]?.processes > 0) return;
    if (Date.now() > deadline) throw new Error(`group ${group} not seen within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** Waits (bounded) until `check` holds. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** A notification as Alertmanager 0.25 sends it (webhook payload version 4). */
export const ALERTMANAGER_PAYLOAD = {
  receiver: 'procsight-remediation',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: {
        alertname: 'ProcsightCpuSaturation',
        group: 'batch',
        instance: '127.0.0.1:9556',
        job: 'procsight',
        kind: 'cpu_saturation',
        severity: 'warning',
      },
      annotations: { summary: 'A process group is limited by CPU time.' },
      startsAt: '2026-11-24T10:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: '0c8a3f8b4f1a2b3c',
    },
  ],
  groupLabels: { group: 'batch', instance: '127.0.0.1:9556' },
  commonLabels: { alertname: 'ProcsightCpuSaturation' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}/{}:{group="batch"}',
  truncatedAlerts: 0,
};
