/**
 * Soak script (not in CI): the exporter at 1 s for 30 minutes (or --minutes)
 * with a few real fault processes around it, sampling its RSS every 10 s;
 * prints the RSS slope (least squares) in MB per hour, over the whole run
 * and after the first 5 minutes (start-up allocations), and rewrites the
 * soak section of docs/reliability.md.
 *
 *   npx tsx bench/soak.ts [--minutes 30]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/helpers/prometheus';
import { startFault } from '../test/faults/spawn';
import { writeDocSection } from '../scripts/doc-section';
import { exporterLaunchEnv, exporterNodeFlags } from '../scripts/node-flags';

const args = process.argv.slice(2);
const minutes = args.includes('--minutes') ? Number(args[args.indexOf('--minutes') + 1]) : 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const port = await freePort();
  const exp = spawn(
    process.execPath,
    [
      ...exporterNodeFlags(),
      join(__dirname, '..', 'exporter', 'dist', 'main.js'),
      `--web.listen-address=127.0.0.1:${port}`,
      '--collect.interval=1s',
      '--log.level=warn',
    ],
    { stdio: 'ignore', env: { ...process.env, ...exporterLaunchEnv() } },
  );
  const faults = [
    await startFault('cpu-hog', { name: 'soak-cpu', args: { duty: 0.2 }, maxSeconds: minutes * 60 + 60 }),
    await startFault('thread-explosion', { name: 'soak-threads', args: { 'per-sec': 1, max: 20 }, maxSeconds: minutes * 60 + 60 }),
  ];
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
  const all = slope(samples);
  const settled = slope(samples.filter(([t]) => t >= 5 / 60));
  const n = samples.length;
  const first = samples[0]?.[1] ?? NaN;
  const last = samples[n - 1]?.[1] ?? NaN;
  const peak = Math.max(...samples.map(([, r]) => r));
  const line = `RSS slope over ${minutes} min: ${all.toFixed(2)} MB/h (after the first 5 min: ${settled.toFixed(2)} MB/h); first ${first.toFixed(1)} MB, last ${last.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, ${n} samples`;
  console.log(line);
  const doc = join(__dirname, '..', 'docs', 'reliability.md');
  const body = `\`npx tsx bench/soak.ts --minutes ${minutes}\` on ${new Date().toISOString().slice(0, 10)} (2 cores, other work running on the machine): ${line}. The fault processes were a 20 % duty CPU hog and a thread explosion up to 20 threads; /metrics was scraped every 10 s.`;
  writeDocSection(doc, 'soak', body);
  console.log(`wrote ${doc}`);
}

/** Least-squares slope of RSS (MB) over time (hours). */
function slope(samples: Array<[number, number]>): number {
  const n = samples.length;
  const tm = samples.reduce((s, [t]) => s + t, 0) / n;
  const rm = samples.reduce((s, [, r]) => s + r, 0) / n;
  return samples.reduce((s, [t, r]) => s + (t - tm) * (r - rm), 0) / samples.reduce((s, [t]) => s + (t - tm) ** 2, 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
