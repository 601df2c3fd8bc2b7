/** Idle processes for the benchmarks: many `sleep`s under a few names, started without the benchmark owning them. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseStat } from '../exporter/src/read/parse/stat';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Processes on the host now. */
export function countProcesses(): number {
  let n = 0;
  for (const e of readdirSync('/proc')) if (/^\d+$/.test(e)) n++;
  return n;
}

/** Children of `ppid` now (not a count of the host's processes, which others' exits would skew). */
function countChildren(ppid: number): number {
  let n = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (parseStat(readFileSync(`/proc/${e}/stat`, 'utf8')).ppid === ppid) n++;
    } catch {
      // The process exited between the listing and the read (or left a stat that does not parse): not counted.
    }
  }
  return n;
}

/**
 * `n` idle processes under `names` names (idle-00, idle-01, … links to /bin/sleep in `dir`), started by one
 * shell in a process group of its own: the benchmark process, often also the client whose latencies are
 * measured, holds one child rather than n, so its own heap and garbage collections do not grow with n
 * (with 3,000 children they put a minimal server's p99 at 6–12 ms). Resolves once they all run; returns a
 * function that kills the group, also called when this process exits or is interrupted.
 */
export async function startIdleProcesses(o: { n: number; dir: string; lifetimeSeconds: number; names?: number }): Promise<() => void> {
  const names = o.names ?? 50;
  for (let i = 0; i < names; i++) {
    const link = join(o.dir, `idle-${String(i).padStart(2, '0')}`);
    if (!existsSync(link)) symlinkSync('/bin/sleep', link);
  }
  const script = `i=0; while [ $i -lt ${o.n} ]; do "${o.dir}/idle-$(printf %02d $((i % ${names})))" ${o.lifetimeSeconds} & i=$((i + 1)); done; wait`;
  const shell = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  const deadline = Date.now() + 60_000;
  while (countChildren(shell.pid!) < o.n && Date.now() < deadline) await sleep(200);
  const started = countChildren(shell.pid!);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-shell.pid!, 'SIGKILL');
    } catch (e) {
      console.error(`could not stop the idle processes: ${String(e)}`);
    }
  };
  if (started < o.n) {
    stop();
    throw new Error(`only ${started} of ${o.n} idle processes started within 60 s (a limit on processes?)`);
  }
  await sleep(1000);
  // The group is detached, so a Ctrl-C at the terminal does not reach it: stop it with this process.
  process.once('exit', stop);
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  return stop;
}
