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
export async function startVictim(name: string, opts: { file?: string; args?: string[] } = {}): Promise<Victim> {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-victim-'));
  const link = join(dir, name);
  symlinkSync(opts.file ?? process.execPath, link);
  const child = spawn(link, opts.args ?? ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const pid = child.pid as number;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
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
export function actionContext(rule: Partial<RemediationRule> & Pick<RemediationRule, 'action'>, targets: Target[], over: Partial<ActionContext> = {}): ActionContext {
  return {
    id: 'act-test',
    rule: { group: 'victims', kind: 'cpu_saturation', cooldown_seconds: 0, max_actions: 100, window_seconds: 3600, max_processes: 20, ...rule },
    group: 'victims',
    targets,
    procfs: '/proc',
    cgroupfs: '/sys/fs/cgroup',
    alert: { alertname: 'ProcsightCpuSaturation', fingerprint: 'f', startsAt: '2026-11-24T10:00:00Z', instance: null, labels: { group: 'victims', kind: 'cpu_saturation' } },
    killSwitchOn: () => false,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    ...over,
  };
}
