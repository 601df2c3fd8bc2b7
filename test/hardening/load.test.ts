import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExporter, scrape, sleep } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/**
 * Load and churn on loopback with real processes, bounded in count and time:
 * 50 concurrent clients during collection; 5,000 short-lived processes over
 * 60 s while collecting at 1 s (issue 9; figures in docs/reliability.md).
 */

/** Short-lived processes to start, and over how long. */
const CHURN_TARGET = 5_000;
const CHURN_MS = 60_000;
/** Shell processes that fork the children (cheaper than 83 spawns a second from Node). */
const LAUNCHERS = 4;
const TICK_MS = 100;
const SAMPLE_EVERY_MS = 2_000;
/** Life of each child: long enough to be seen by some cycles and to exit mid-read in others. */
const CHILD_SECONDS = '0.1';
/** comm (≤ 15 characters) of the launchers and of the children: each its own group. */
const LAUNCHER_COMM = 'procsight-spawn';
const CHILD_COMM = 'procsight-churn';
/** Longest wait for the launchers to finish after their stdin is closed. */
const LAUNCHER_DRAIN_MS = 15_000;

/**
 * The launcher reads a count per line on stdin, forks that many children in
 * the background, waits for them, and at end of input prints how many it
 * forked. It never forks more than $3 children.
 */
const LAUNCHER_SCRIPT = `
n=0
while read k; do
  j=0
  while [ "$j" -lt "$k" ] && [ "$n" -lt "$3" ]; do
    "$1" "$2" </dev/null >/dev/null 2>&1 &
    j=$((j+1)); n=$((n+1))
  done
  wait
done
echo "$n"
`;

interface Launcher {
  proc: ChildProcess;
  /** How many children it forked, as it reports at the end. */
  done: Promise<number>;
}

function startLauncher(launcherPath: string, childPath: string, max: number): Launcher {
  const proc = spawn(launcherPath, ['-c', LAUNCHER_SCRIPT, LAUNCHER_COMM, childPath, CHILD_SECONDS, String(max)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // A launcher that died makes writes fail with EPIPE; `done` reports it.
  proc.stdin!.on('error', (e: Error) => (err += `stdin: ${e.message}\n`));
  const done = new Promise<number>((resolve, reject) => {
    proc.once('close', (code) => {
      const n = Number(out.trim());
      if (code === 0 && Number.isInteger(n) && out.trim() !== '') resolve(n);
      else reject(new Error(`launcher ${proc.pid} exited ${code}: ${JSON.stringify(out)} ${err}`));
    });
  });
  return { proc, done };
}

/** Rejects when `p` has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Processes forked on the whole machine since boot (/proc/stat `processes`). */
function kernelForks(): number {
  const m = /^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  if (!m) throw new Error('no processes line in /proc/stat');
  return Number(m[1]);
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

describe('load and churn', () => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startExporter();
    await sleep(2000);
  });
  afterAll(() => svc.stop());

  it('serves 50 concurrent clients (metrics and API) without errors', async () => {
    const latencies: number[] = [];
    const paths = ['/metrics', '/api/v1/groups?limit=20', '/api/v1/bottlenecks', '/api/v1/anomalies', '/api/v1/forecasts?path=false'];
    const client = async (c: number) => {
      for (let i = 0; i < 12; i++) {
        const t0 = performance.now();
        const r = await fetch(`${svc.url}${paths[(c + i) % paths.length]}`);
        await r.arrayBuffer();
        latencies.push(performance.now() - t0);
        expect(r.status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))];
    process.stdout.write(`50 clients × 12 requests: p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms\n`);
    expect(latencies).toHaveLength(600);
  }, 60_000);

  it('survives 5,000 short-lived processes in 60 s: no crash, per-pid state back to baseline, counters monotonic, vanished counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procsight-churn-'));
    // Symlinks give the launchers and their children their own comm, hence their own groups,
    // apart from the sh processes of anything else running on the machine.
    const launcherPath = join(dir, LAUNCHER_COMM);
    const childPath = join(dir, CHILD_COMM);
    symlinkSync('/bin/sh', launcherPath);
    symlinkSync('/bin/sleep', childPath);
    const launchers: Launcher[] = [];
    try {
      const first = svc.state.snapshot()!;
      const baseline = first.trackedPids;
      const before = await scrape(svc.url);
      const rssBefore = process.memoryUsage().rss;
      const forksBefore = kernelForks();
      const counterKeys = [
        `procsight_group_minor_page_faults_total{group="${CHILD_COMM}"}`,
        `procsight_group_context_switches_total{group="${CHILD_COMM}",type="voluntary"}`,
        `procsight_group_cpu_seconds_total{group="${CHILD_COMM}",mode="system"}`,
        `procsight_group_cpu_seconds_total{group="${LAUNCHER_COMM}",mode="system"}`,
      ];
      const seen: Array<Map<string, number>> = [];

      for (let i = 0; i < LAUNCHERS; i++) launchers.push(startLauncher(launcherPath, childPath, Math.ceil(CHURN_TARGET / LAUNCHERS)));
      // Node only paces: every 100 ms each launcher is told how many children to fork
      // so that the total follows CHURN_TARGET × elapsed / CHURN_MS.
      const t0 = Date.now();
      let sent = 0;
      let nextSample = t0 + SAMPLE_EVERY_MS;
      while (sent < CHURN_TARGET && Date.now() - t0 < CHURN_MS + 5_000) {
        await sleep(TICK_MS);
        const due = Math.min(CHURN_TARGET, Math.ceil((CHURN_TARGET * (Date.now() - t0)) / CHURN_MS));
        const share = new Array<number>(LAUNCHERS).fill(0);
        for (let n = sent; n < due; n++) share[n % LAUNCHERS]++;
        for (let i = 0; i < LAUNCHERS; i++) if (share[i] > 0) launchers[i].proc.stdin!.write(`${share[i]}\n`);
        sent = due;
        if (Date.now() >= nextSample) {
          nextSample += SAMPLE_EVERY_MS;
          const m = await scrape(svc.url);
          seen.push(new Map(counterKeys.flatMap((k) => (m.has(k) ? [[k, m.get(k)!] as const] : []))));
        }
      }
      for (const l of launchers) l.proc.stdin!.end();
      const forked = await within(Promise.all(launchers.map((l) => l.done)), LAUNCHER_DRAIN_MS, 'launchers');
      const elapsedS = (Date.now() - t0) / 1000;
      const started = forked.reduce((a, b) => a + b, 0);
      const forksDuring = kernelForks() - forksBefore;

      // Back to baseline: bounded wait for a few 1 s cycles after the last child exited.
      // Other work on this machine starts and ends processes meanwhile: the slack is 10
      // plus however many more pids /proc lists now than at the baseline, so a tracker
      // that kept exited pids still fails while a busier machine does not.
      const settleEnd = Date.now() + 8_000;
      let snap = svc.state.snapshot()!;
      let after = await scrape(svc.url);
      const churnLeft = (m: Map<string, number>) =>
        (m.get(`procsight_group_processes{group="${CHILD_COMM}"}`) ?? 0) + (m.get(`procsight_group_processes{group="${LAUNCHER_COMM}"}`) ?? 0);
      const bound = () => baseline + 10 + Math.max(0, snap.read.processesListed - first.read.processesListed);
      while (Date.now() < settleEnd && (snap.trackedPids > bound() || churnLeft(after) > 0)) {
        await sleep(500);
        snap = svc.state.snapshot()!;
        after = await scrape(svc.url);
      }
      const rssAfter = process.memoryUsage().rss;
      const delta = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
      const vanished = delta('procsight_collect_errors_total{reason="vanished"}');
      const cycles = delta('procsight_collect_duration_seconds_count');
      const childFaults = after.get(counterKeys[0]) ?? 0;
      process.stdout.write(
        `churn: ${started} processes started (${forked.join(' + ')}; kernel forks ${forksDuring}) in ${elapsedS.toFixed(1)} s, ` +
          `${cycles} collections, tracked pids ${baseline} → ${snap.trackedPids} (listed ${first.read.processesListed} → ${snap.read.processesListed}), vanished ${vanished}, ` +
          `other errors ${JSON.stringify({ permission: delta('procsight_collect_errors_total{reason="permission"}'), parse: delta('procsight_collect_errors_total{reason="parse"}'), io: delta('procsight_collect_errors_total{reason="io"}') })}, ` +
          `${CHILD_COMM} minor faults ${childFaults}, ${seen.length} samples, RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB\n`,
      );

      // The size and pace the issue asks for, counted by the launchers and confirmed by the kernel.
      expect(started).toBeGreaterThanOrEqual(CHURN_TARGET);
      expect(forksDuring).toBeGreaterThanOrEqual(started);
      // Node asks for the 5,000 within 60 s; under the full suite the other test workers share
      // both cores and the launchers' forks lag a few seconds behind (68 s seen in CI).
      expect(elapsedS).toBeLessThanOrEqual(80);
      // Collecting at 1 s all along: each cycle starts 1 s after the previous one ended, and
      // on this busy 2-core machine a cycle under churn took up to ~0.2 s (52–61 cycles a minute).
      expect(cycles).toBeGreaterThanOrEqual(Math.floor(elapsedS * 0.6));
      // No leak: every child gone from the tracker and its groups, per-pid state back to baseline.
      expect(churnLeft(after)).toBe(0);
      expect(snap.trackedPids).toBeLessThanOrEqual(bound());
      expect(snap.trackedPids).toBeLessThanOrEqual(snap.read.processesListed);
      // Group counters keep what exited children accumulated and never go down.
      expect(seen.length).toBeGreaterThanOrEqual(20);
      for (const k of counterKeys) {
        const vs = seen.flatMap((m) => (m.has(k) ? [m.get(k)!] : []));
        for (let i = 1; i < vs.length; i++) expect(vs[i]).toBeGreaterThanOrEqual(vs[i - 1]);
      }
      expect(childFaults).toBeGreaterThan(0);
      // Processes that exited between listing and reading are counted, not fatal.
      expect(vanished).toBeGreaterThan(0);
      expect(after.get('procsight_scrape_collector_success{collector="processes"}')).toBe(1);
    } finally {
      for (const l of launchers) if (l.proc.exitCode === null && l.proc.signalCode === null) l.proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 100_000);
});
