import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const EXPORTER_MAIN = join(ROOT, 'exporter', 'dist', 'main.js');

/** Builds exporter/dist when it is missing (npm test builds it before Jest runs). */
export function ensureBuilt(): void {
  if (existsSync(EXPORTER_MAIN) && existsSync(join(ROOT, 'packages', 'contract', 'dist', 'index.js'))) return;
  const r = spawnSync('npx', ['tsc', '-b', join(ROOT, 'exporter', 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('exporter build failed');
}

export interface RunningBinary {
  child: ChildProcess;
  url: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/**
 * Runs the real exporter binary with `--web.listen-address=127.0.0.1:0` and
 * resolves once it logs the address it listens on.
 */
export async function runExporter(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunningBinary> {
  ensureBuilt();
  const child = spawn(process.execPath, [EXPORTER_MAIN, '--web.listen-address=127.0.0.1:0', ...args], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let url = '';
  while (!url) {
    const m = /msg=listening address=(\S+)/.exec(err) ?? /"address":"([^"]+)"/.exec(err);
    if (m) url = `http://${m[1]}`;
    else if (child.exitCode !== null) throw new Error(`exporter exited with ${child.exitCode}: ${err}`);
    else if (Date.now() > deadline) throw new Error(`exporter did not start: ${err}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until GET url answers 200. */
export async function waitReady(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
