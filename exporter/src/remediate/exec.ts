import { spawn } from 'node:child_process';
import { errnoCode } from '../util/error-message';

/** What a command did: exit code or signal, its output (cut at `maxOutput` bytes each), and whether it timed out. */
export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the command could not be started (ENOENT, EACCES). */
  spawnError: string | null;
}

/**
 * Runs a command without a shell, with an optional stdin, a timeout after
 * which it is killed (SIGKILL), and bounded output. Never rejects.
 */
export function execCommand(
  file: string,
  args: readonly string[],
  opts: { stdin?: string; timeoutMs: number; env?: NodeJS.ProcessEnv; maxOutput?: number },
): Promise<ExecResult> {
  const max = opts.maxOutput ?? 4096;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const done = (r: Omit<ExecResult, 'stdout' | 'stderr' | 'timedOut'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Our ends of its pipes: what it left running may still hold the other ends.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...r, stdout, stderr, timedOut });
    };
    // Its own process group, so a timeout also kills what the command started (a child holding its stdout open).
    const child = spawn(file, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, detached: true });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch (e) {
        if (errnoCode(e) !== 'ESRCH') child.kill('SIGKILL'); // the group is gone already otherwise
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('utf8')).slice(0, max)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(0, max)));
    child.on('error', (e: NodeJS.ErrnoException) => done({ code: null, signal: null, spawnError: e.code ?? e.message }));
    child.on('close', (code, signal) => done({ code, signal, spawnError: null }));
    // Exited, but something it started still holds its output open: do not wait for that.
    child.on('exit', (code, signal) => setTimeout(() => done({ code, signal, spawnError: null }), 1000).unref());
    // A command that does not read its stdin closes the pipe: that is its business, not an error of ours.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') stderr = (stderr + `\n(stdin: ${e.code ?? e.message})`).slice(0, max);
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** One line for a failed command: exit code or signal, the first line of stderr. */
export function describeFailure(what: string, r: ExecResult): string {
  if (r.spawnError) return `${what}: cannot run (${r.spawnError})`;
  if (r.timedOut) return `${what}: timed out and was killed`;
  const first = r.stderr.trim().split('\n')[0] ?? '';
  return `${what}: ${r.signal ? `killed by ${r.signal}` : `exit code ${String(r.code)}`}${first ? `: ${first}` : ''}`;
}
