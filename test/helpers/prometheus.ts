import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export function requireBinary(name: string): void {
  if (spawnSync('which', [name]).status !== 0)
    throw new Error(`${name} is not installed: apt-get install -y prometheus prometheus-alertmanager (.ci/run does this)`);
}

export interface RunningServer {
  url: string;
  dir: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function waitUp(url: string, child: ChildProcess, out: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${out().slice(-2000)}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready: ${out().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(bin: string, args: string[], dir: string, readyUrl: string, timeoutMs: number): Promise<RunningServer> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const server: RunningServer = {
    url: readyUrl.replace(/\/-\/ready$/, ''),
    dir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return waitUp(readyUrl, child, () => out, timeoutMs).then(
    () => server,
    async (e: unknown) => {
      await server.stop();
      throw e;
    },
  );
}

/** Starts a real Prometheus on 127.0.0.1 with its own storage in a temp dir (or `dataDir`); retention 30d unless given. */
export async function startPrometheus(opts: {
  config: string;
  dataDir?: string;
  args?: string[];
  files?: Record<string, string>;
  retention?: string;
}): Promise<RunningServer> {
  requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'procsight-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), opts.config);
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), text);
  const port = await freePort();
  return run(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${opts.dataDir ?? join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.retention.time=${opts.retention ?? '30d'}`,
      ...(opts.args ?? []),
    ],
    dir,
    `http://127.0.0.1:${port}/-/ready`,
    30_000,
  );
}

/** Starts a real Alertmanager on 127.0.0.1 (no gossip port) with its own storage. */
export async function startAlertmanager(opts: { config: string; files?: Record<string, string>; args?: string[] }): Promise<RunningServer> {
  requireBinary('prometheus-alertmanager');
  const dir = mkdtempSync(join(tmpdir(), 'procsight-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), opts.config);
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), text);
  const port = await freePort();
  return run(
    'prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      ...(opts.args ?? []),
    ],
    dir,
    `http://127.0.0.1:${port}/-/ready`,
    30_000,
  );
}

/** Instant query; returns the result vector. */
export async function promQuery(url: string, query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await r.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${query}: ${body.error}`);
  return body.data.result;
}
