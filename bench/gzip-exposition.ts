/**
 * gzip of /metrics on this machine's real processes: the exposition's size
 * plain and gzipped, and what a scrape costs plain, gzipped from the cached
 * pieces as the HTTP front does it (expose/body.ts GzipBodies), and gzipping the whole body at every scrape (what
 * a compression middleware would do), each the median of 200 scrapes. With
 * process-exporter's series too (--compat.process-exporter). Rewrites the
 * gzip section of docs/benchmarks.md.
 *
 *   npx tsx bench/gzip-exposition.ts
 */
import { gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PROCESS_EXPORTER_DEFAULTS } from '../exporter/src/cli/process-exporter';
import { GzipBodies } from '../exporter/src/expose/body';
import { writeDocSection } from '../scripts/doc-section';
import { startExporter } from '../test/helpers/exporter';

const SCRAPES = 200;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeMs(run: () => unknown, n = SCRAPES): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    out.push(performance.now() - t);
  }
  return median(out);
}

async function measure(label: string, processExporter: boolean): Promise<string> {
  const svc = await startExporter({ cli: { collectIntervalSeconds: 60, ...(processExporter ? { processExporter: PROCESS_EXPORTER_DEFAULTS } : {}) } });
  try {
    await svc.collectNow();
    await svc.collectNow();
    await svc.exposition.refresh();
    const text = await svc.exposition.body('text');
    const gzip = new GzipBodies();
    const gzipBody = async (): Promise<Buffer> => gzip.body(await svc.exposition.parts(), await svc.exposition.renderSelf(), 'text');
    const zipped = await gzipBody();
    const bytes = Buffer.byteLength(text);
    const pids = /^procsight_pids_tracked (\d+)/m.exec(text)?.[1] ?? '?';
    const groups = /^procsight_groups_tracked (\d+)/m.exec(text)?.[1] ?? '?';
    const plain = await timeMs(() => svc.exposition.body('text'));
    const cached = await timeMs(gzipBody);
    const whole = await timeMs(() => gzipSync(text), 50);
    return `| ${label} | ${pids} | ${groups} | ${(bytes / 1024).toFixed(1)} | ${(zipped.length / 1024).toFixed(1)} | ${(bytes / zipped.length).toFixed(1)} | ${plain.toFixed(2)} | ${cached.toFixed(2)} | ${whole.toFixed(2)} |`;
  } finally {
    await svc.stop();
  }
}

async function main(): Promise<void> {
  const rows = [await measure('procsight', false), await measure('with process-exporter series', true)];
  const section = [
    `\`npx tsx bench/gzip-exposition.ts\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} (other jobs running), this machine's own processes; medians of ${SCRAPES} scrapes in-process (no HTTP).`,
    '',
    '| exposition | processes | groups | KiB plain | KiB gzip | ratio | ms per scrape, plain | ms per scrape, gzip from cached pieces | ms per scrape, gzip of the whole body |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'The cached pieces make the cost of a gzipped scrape that of compressing the self-metrics (a few KiB) whatever the size of the families; gzipping the whole body at each scrape grows with it.',
  ].join('\n');
  writeDocSection('docs/benchmarks.md', 'gzip', section, { heading: 'gzip of /metrics' });
  console.log(section);
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
