/**
 * Records the plugin's test fixtures from real data: the exporter (in
 * process), a real Prometheus scraping it every second, and real fault
 * processes; then runs the queries the app's views use and saves the
 * Prometheus API responses to tests/fixtures/recorded.json (outside src/, so the
 * production build, which copies every JSON file under src/, never ships them).
 *
 *   npx tsx grafana-plugin/scripts/record-fixtures.ts [--seconds 120]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFault } from '../../test/faults/spawn';
import { sleep, startExporter } from '../../test/helpers/exporter';
import { startPrometheus } from '../../test/helpers/prometheus';
import { evidenceQueries, q } from '../src/queries/promql';

const args = process.argv.slice(2);
const seconds = args.includes('--seconds') ? Number(args[args.indexOf('--seconds') + 1]) : 120;

async function main(): Promise<void> {
  const exporter = await startExporter({
    configYaml: 'bottlenecks:\n  memory_leak_evidence_seconds: 60\n  memory_leak_min_seconds: 60\n  memory_leak_min_bytes_per_second: 262144\nforecast:\n  step_seconds: 10\n  min_points: 10\n  refit_seconds: 10\n  horizons: [5m, 15m]\n',
  });
  const port = new URL(exporter.url).port;
  const prom = await startPrometheus({ config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: procsight\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n` });
  const faults = [
    await startFault('leaker', { name: 'leaky-cache', args: { 'mb-per-min': 60 } }),
    await startFault('cpu-hog', { name: 'video-encoder' }),
    await startFault('fd-leak', { name: 'conn-pooler', args: { 'per-sec': 20 }, fdLimit: 4096 }),
  ];
  try {
    await sleep(seconds * 1000);
    const instance = `127.0.0.1:${port}`;
    const s = { instanceRegex: '.+' };
    const queries: Record<string, string> = {
      present: q.present(),
      bottlenecks: q.bottlenecks(s),
      confidence: q.bottleneckConfidence(s),
      suggestions: q.suggestions(s),
      exhaustion: q.exhaustion(s),
      exhaustionEarliest: q.exhaustionEarliest(s),
      mase: q.maseByForecast(s),
      coverage: q.coverageByForecast(s),
    };
    for (const [name, query] of Object.entries(evidenceQueries(s))) {
      queries[`evidence_${name}`] = query;
    }
    const out: Record<string, unknown> = { recordedAt: new Date().toISOString(), instance, instant: {}, range: {} };
    for (const [name, query] of Object.entries(queries)) {
      (out.instant as Record<string, unknown>)[name] = await (await fetch(`${prom.url}/api/v1/query?${new URLSearchParams({ query })}`)).json();
    }
    const end = Math.floor(Date.now() / 1000);
    (out.range as Record<string, unknown>).bottlenecks = await (
      await fetch(`${prom.url}/api/v1/query_range?${new URLSearchParams({ query: q.bottlenecks(s), start: String(end - seconds), end: String(end), step: '5' })}`)
    ).json();
    const path = join(__dirname, '..', 'tests', 'fixtures', 'recorded.json');
    writeFileSync(path, JSON.stringify(out, null, 1) + '\n');
    console.log(`wrote ${path}`);
  } finally {
    await Promise.all(faults.map((f) => f.stop()));
    await prom.stop();
    await exporter.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
