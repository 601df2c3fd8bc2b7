import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORTER_MAIN, ensureBuilt, runExporter } from '../helpers/binary';

/** Runs the binary to completion (it must exit by itself: bad input never starts the server). */
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  ensureBuilt();
  return spawnSync(process.execPath, [EXPORTER_MAIN, '--web.listen-address=127.0.0.1:0', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 15_000,
  });
}

describe('start-up of the real binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-startup-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it.each([
    [['--collect.interval=100ms'], /--collect\.interval.*between 1s and 60s/],
    [['--log.format=xml'], /--log\.format/],
    [[`--config.file=${join(tmpdir(), 'does-not-exist.yml')}`], /--config\.file: cannot read .*ENOENT/],
  ])('exits 2 for %j with a message naming the flag', (args, re) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a bad config file, naming the key and line', () => {
    const r = run([`--config.file=${file('bad.yml', 'groups:\n  - name: web\n    comm: nginx\n')}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yml:3: groups\[0\]\.comm: .*array/);
  });

  it('parses its flags and validates its config file in worker threads: its main thread keeps none of the flag library, the schema library and the YAML parser', async () => {
    const out = join(dir, 'main-thread-modules.json');
    const preload = file(
      'record-modules.js',
      `const { isMainThread } = require('node:worker_threads');
if (isMainThread) process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));`,
    );
    const config = file('node.yml', 'groups:\n  - name: node-processes\n    comm: [node]\n');
    const exporter = await runExporter([`--config.file=${config}`], { env: { NODE_OPTIONS: `--require ${preload}` } });
    try {
      let res = await fetch(`${exporter.url}/metrics`);
      // The first scrapes may come before the first collection: a bounded wait for the group's processes.
      for (let i = 0; i < 50 && !/^procsight_group_processes\{group="node-processes"\} [1-9]/m.test(await res.clone().text()); i++) {
        await new Promise((r) => setTimeout(r, 200));
        res = await fetch(`${exporter.url}/metrics`);
      }
      expect(await res.text()).toMatch(/^procsight_group_processes\{group="node-processes"\} [1-9]/m); // the exporter itself, at least
    } finally {
      expect(await exporter.stop()).toBe(0);
    }
    const modules = JSON.parse(readFileSync(out, 'utf8')) as string[];
    expect(modules.some((m) => m.endsWith(join('exporter', 'dist', 'compose.js')))).toBe(true);
    expect(modules.filter((m) => /node_modules\/(commander|zod|yaml)\//.test(m))).toEqual([]);
    // prom-client's classes come from their own files (exporter/src/expose/prom-client.ts), not its index.
    expect(modules.filter((m) => /node_modules\/prom-client\/(index|lib\/(pushgateway|cluster|summary|defaultMetrics))\.js$/.test(m))).toEqual([]);
  });

  it("keeps libuv's thread pool to one thread unless UV_THREADPOOL_SIZE says otherwise", async () => {
    const threadsOnceCheckpointing = async (pool: string | undefined): Promise<number> => {
      const state = mkdtempSync(join(dir, 'state-'));
      // No forecasts: their worker thread comes and goes with its refits.
      const config = file('no-forecasts.yml', 'forecast:\n  enabled: false\n');
      const exporter = await runExporter([`--storage.path=${state}`, '--storage.checkpoint-interval=1s', `--config.file=${config}`], {
        env: { UV_THREADPOOL_SIZE: pool },
      });
      try {
        // The checkpoint is compressed in the pool: once it is written, the pool has started.
        for (let i = 0; i < 100 && !existsSync(join(state, 'procsight-state.json')); i++) await new Promise((r) => setTimeout(r, 100));
        expect(existsSync(join(state, 'procsight-state.json'))).toBe(true);
        return readdirSync(`/proc/${exporter.child.pid}/task`).length;
      } finally {
        expect(await exporter.stop()).toBe(0);
      }
    };
    const byDefault = await threadsOnceCheckpointing(undefined);
    const withFour = await threadsOnceCheckpointing('4');
    expect(withFour - byDefault).toBe(3);
  });

  it('exits 2 for a bad flag given through the environment', () => {
    const r = run([], { PROCSIGHT_COLLECT_INTERVAL: '5 minutes' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PROCSIGHT_COLLECT_INTERVAL/);
  });

  it('prints its version and help and exits 0', () => {
    const version = run(['--version']);
    expect(version.status).toBe(0);
    // Prometheus exporters' layout; the revision and date are the build's (dist/build-info.json), else "unknown".
    const lines = version.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^procsight, version \d+\.\d+\.\d+\S* \(revision: (unknown|[0-9a-f]{7,40})\)$/);
    expect(lines[1]).toMatch(/^ {2}build date: +(unknown|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/);
    expect(lines[2]).toBe(`  node version:     ${process.version}`);
    expect(lines[3]).toBe(`  platform:         ${process.platform}/${process.arch}`);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--web.listen-address');
  });

  it('exits 0 after a clean shutdown when SIGTERM arrives during start-up, before the first cycle is done', async () => {
    const exp = await runExporter(['--collect.interval=5s']);
    // "listening" is logged before the first collection and analysis: the signal lands in them.
    expect(exp.child.kill('SIGTERM')).toBe(true);
    expect(await exp.stop()).toBe(0);
    expect(exp.stderr()).toMatch(/shutting down/);
  }, 20_000);
});
