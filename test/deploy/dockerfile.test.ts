import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execForm, parseCopy, parseDockerfile, readText, replay, type Replay } from './dockerfile';
import { ROOT } from './manifests';
import { exporterLaunchEnv, exporterNodeFlags } from '../../scripts/node-flags';

const DOCKERFILE = join(ROOT, 'exporter', 'Dockerfile');
const IGNORE = join(ROOT, 'exporter', 'Dockerfile.dockerignore');
const stages = parseDockerfile(readText(DOCKERFILE));
const finalStage = stages[stages.length - 1];
const ops = (op: string) => finalStage.instructions.filter((i) => i.op === op);

const pkg = (p: string) =>
  JSON.parse(readText(join(ROOT, p))) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; engines?: { node: string } };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<Response> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the image's entrypoint exited with ${child.exitCode}:\n${output()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {
      // not listening yet: retried until the deadline
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms:\n${output()}`);
}

describe('exporter/Dockerfile (read)', () => {
  it('has a build stage and a runtime stage on the same pinned Node image, of the major the exporter asks for', () => {
    expect(stages.length).toBe(2);
    const major = /\d+/.exec(pkg('exporter/package.json').engines!.node)![0];
    for (const s of stages) expect(s.from).toMatch(new RegExp(`^node:${major}\\.\\d+-bookworm-slim$`));
    expect(stages[0].name).toBe('build');
  });

  it("runs nothing in the runtime stage: it only copies the build's output (exporter and contract), the production dependencies and the example config", () => {
    expect(ops('RUN')).toEqual([]);
    const copies = ops('COPY').map((i) => parseCopy(i.args));
    for (const c of copies.filter((x) => x.from !== undefined)) expect(c.from).toBe('build');
    expect(copies.flatMap((c) => c.sources).sort()).toEqual(
      [
        '/src/exporter/dist',
        '/src/exporter/package.json',
        '/src/packages/contract/dist',
        '/src/packages/contract/package.json',
        '/src/node_modules',
        'exporter/config.example.yml',
      ].sort(),
    );
  });

  it('runs as the unprivileged node user, exposes and health-checks the port its command listens on', () => {
    const user = ops('USER').at(-1)?.args;
    expect(user).toBe('node');
    const cmd = execForm(ops('CMD').at(-1)!.args)!;
    const port = cmd
      .find((a) => a.startsWith('--web.listen-address='))!
      .split(':')
      .pop();
    expect(ops('EXPOSE').map((i) => i.args)).toEqual([port]);
    const health = ops('HEALTHCHECK')[0]?.args ?? '';
    expect(health).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(execForm(ops('ENTRYPOINT')[0].args)).toEqual(['node', ...exporterNodeFlags(), '/app/exporter/dist/main.js']);
    const env = ops('ENV').map((i) => i.args);
    for (const [k, v] of Object.entries(exporterLaunchEnv())) expect(env).toContain(`${k}=${v}`);
  });
});

describe('exporter/Dockerfile (replayed on the host: build, prune, copy, start)', () => {
  let dir: string;
  let built: Replay;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procsight-image-'));
    // npm's cache from the repository's own `npm ci` makes the build's `npm ci` quick; the registry is asked only for what is missing.
    built = replay({
      stages,
      context: ROOT,
      ignore: readText(IGNORE),
      into: dir,
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
      timeoutMs: 300_000,
    });
  }, 420_000);

  afterAll(() => {
    child?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no devDependency of the repository or the exporter in the runtime image, and every dependency of the exporter', () => {
    const modules = join(built.final.root, 'app', 'node_modules');
    const installed = new Set(readdirSync(modules).flatMap((n) => (n.startsWith('@') ? readdirSync(join(modules, n)).map((s) => `${n}/${s}`) : [n])));
    const dev = [...Object.keys(pkg('package.json').devDependencies ?? {}), ...Object.keys(pkg('exporter/package.json').devDependencies ?? {})];
    expect(dev.length).toBeGreaterThan(5);
    expect(dev.filter((d) => installed.has(d))).toEqual([]);
    for (const d of ['typescript', 'jest', 'kubernetes-models']) expect(installed.has(d)).toBe(false);
    expect(Object.keys(pkg('exporter/package.json').dependencies ?? {}).filter((d) => !installed.has(d))).toEqual([]);
    expect(existsSync(join(built.final.root, 'app', 'exporter', 'src'))).toBe(false);
  });

  it("adds under 40 MB to the base image (the exporter's build output and production dependencies; docs/kubernetes.md)", () => {
    const bytes = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
        const p = join(dir, e.name);
        return t + (e.isDirectory() ? bytes(p) : e.isFile() ? statSync(p).size : 0);
      }, 0);
    const total = bytes(built.final.root);
    expect(total).toBeGreaterThan(5e6); // the production dependencies are there
    expect(total).toBeLessThan(40e6);
  });

  it("starts from its ENTRYPOINT and CMD with only the runtime stage's files, becomes ready and serves metrics", async () => {
    const { root, entrypoint, cmd, env } = built.final;
    const port = await freePort();
    // The image's paths live under the stage's root here; node is the host's; loopback only.
    const words = [...entrypoint, ...cmd]
      .map((w) => (w.startsWith('/app/') ? join(root, w) : w))
      .map((w) => (w.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${port}` : w));
    expect(words[0]).toBe('node');
    let out = '';
    child = spawn(process.execPath, [...words.slice(1), '--collect.interval=1s'], {
      cwd: join(root, 'app'),
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`, child, () => out, 60_000);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    // The build recorded its date and, without --build-arg PROCSIGHT_REVISION (no .git in the context), an unknown commit.
    expect(metrics).toMatch(/^procsight_build_info\{version="[^"]+",revision="unknown",build_date="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",/m);
    expect(metrics).toMatch(/^procsight_group_processes\{/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d/m);
  }, 90_000);
});
