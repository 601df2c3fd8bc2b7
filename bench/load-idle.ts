/**
 * Load script (not a test): N idle processes (default 10,000), the real
 * exporter at 5 s, then collection time, RSS and the latency of 50
 * concurrent clients. Rewrites the load section of docs/reliability.md.
 *
 *   npx tsx bench/load-idle.ts [--processes 10000] [--seconds 30]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/prometheus';
import { writeDocSection } from '../scripts/doc-section';
import { exporterLaunchEnv, exporterNodeFlags } from '../scripts/node-flags';
import { startIdleProcesses } from './idle-processes';

const args = process.argv.slice(2);
const num = (n: string, d: number) => (args.includes(`--${n}`) ? Number(args[args.indexOf(`--${n}`) + 1]) : d);
const N = num('processes', 10000);
const SECONDS = num('seconds', 30);
const root = join(__dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function metric(body: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(body);
  return m ? Number(m[1]) : NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-load-'));
  const t0 = Date.now();
  const stopIdle = await startIdleProcesses({ n: N, dir, lifetimeSeconds: 600 });
  console.log(`started ${N} idle processes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const exp = spawn(
    process.execPath,
    [...exporterNodeFlags(), join(root, 'exporter', 'dist', 'main.js'), `--web.listen-address=127.0.0.1:${port}`, '--collect.interval=5s', '--log.level=warn'],
    { stdio: 'ignore', env: { ...process.env, ...exporterLaunchEnv() } },
  );
  try {
    await sleep(SECONDS * 1000);
    const url = `http://127.0.0.1:${port}`;
    const body = await (await fetch(`${url}/metrics`)).text();
    const lastCollect = metric(body, 'procsight_last_collect_duration_seconds');
    const pids = metric(body, 'procsight_pids_tracked');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${exp.pid}/status`, 'utf8'))?.[1]) * 1024;
    const lat: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, c) => {
        for (let i = 0; i < 10; i++) {
          const s = performance.now();
          const r = await fetch(`${url}${c % 2 ? '/metrics' : '/api/v1/groups?limit=20'}`);
          await r.arrayBuffer();
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          lat.push(performance.now() - s);
        }
      }),
    );
    lat.sort((a, b) => a - b);
    const p = (q: number) => lat[Math.floor(q * (lat.length - 1))];
    const table = [
      '| idle processes | processes tracked | last collection (s) | interval (s) | exporter RSS (MB) | 50 clients p50 (ms) | p99 (ms) | errors |',
      '|---|---|---|---|---|---|---|---|',
      `| ${N} | ${pids} | ${lastCollect.toFixed(3)} | 5 | ${(rss / 1048576).toFixed(1)} | ${p(0.5).toFixed(1)} | ${p(0.99).toFixed(1)} | 0 |`,
    ].join('\n');
    console.log(table);
    const path = join(root, 'docs', 'reliability.md');
    writeDocSection(path, 'load', `\`npx tsx bench/load-idle.ts --processes ${N}\` on ${new Date().toISOString().slice(0, 10)}:\n\n${table}`);
  } finally {
    exp.kill('SIGTERM');
    stopIdle();
    await sleep(2000);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
