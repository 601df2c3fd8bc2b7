/**
 * Soak script (not in CI): the exporter at 1 s for 30 minutes (or --minutes)
 * with a few real fault processes around it, sampling its RSS every 10 s;
 * prints the RSS slope (least squares) in MB per hour.
 *
 *   npx tsx bench/soak.ts [--minutes 30]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/helpers/prometheus';
import { startFault } from '../test/faults/spawn';

const args = process.argv.slice(2);
const minutes = args.includes('--minutes') ? Number(args[args.indexOf('--minutes') + 1]) : 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const port = await freePort();
  const exp = spawn(process.execPath, ['--max-semi-space-size=1', join(__dirname, '..', 'exporter', 'dist', 'main.js'), `--web.listen-address=127.0.0.1:${port}`, '--collect.interval=1s', '--log.level=warn'], { stdio: 'ignore' });
  const faults = [await startFault('cpu-hog', { name: 'soak-cpu', args: { duty: 0.2 }, maxSeconds: minutes * 60 + 60 }), await startFault('thread-explosion', { name: 'soak-threads', args: { 'per-sec': 1, max: 20 }, maxSeconds: minutes * 60 + 60 })];
  const samples: Array<[number, number]> = [];
  const t0 = Date.now();
  try {
    while (Date.now() - t0 < minutes * 60_000) {
      await sleep(10_000);
      await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.arrayBuffer());
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${exp.pid}/status`, 'utf8'))?.[1]) / 1024;
      samples.push([(Date.now() - t0) / 3_600_000, rss]);
      process.stdout.write(`${((Date.now() - t0) / 60000).toFixed(1)} min RSS ${rss.toFixed(1)} MB\n`);
    }
  } finally {
    exp.kill('SIGTERM');
    await Promise.all(faults.map((f) => f.stop()));
  }
  const n = samples.length;
  const tm = samples.reduce((s, [t]) => s + t, 0) / n;
  const rm = samples.reduce((s, [, r]) => s + r, 0) / n;
  const slope = samples.reduce((s, [t, r]) => s + (t - tm) * (r - rm), 0) / samples.reduce((s, [t]) => s + (t - tm) ** 2, 0);
  console.log(`RSS slope over ${minutes} min: ${slope.toFixed(2)} MB/h (first ${samples[0]?.[1].toFixed(1)} MB, last ${samples[n - 1]?.[1].toFixed(1)} MB)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
