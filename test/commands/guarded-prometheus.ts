import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort, requireBinary } from '../helpers/prometheus';

export interface GuardedPrometheus {
  url: string;
  stop(): Promise<void>;
}

/**
 * An empty Prometheus on 127.0.0.1 behind basic auth (--web.config.file):
 * every request, /-/ready included, needs `user` and `password`.
 */
export async function startGuardedPrometheus(user: string, password: string): Promise<GuardedPrometheus> {
  requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'procsight-guarded-'));
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
  writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  ${user}: ${bcrypt.hashSync(password, 10)}\n`);
  const port = await freePort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.config.file=${join(dir, 'web.yml')}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const auth = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/-/ready`, { headers: auth, signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`guarded prometheus did not start: ${err.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
