/**
 * Records forecast evaluation series from this machine (not a test): reads a
 * Prometheus that has been scraping a running procsight (e.g. `npm run stack`
 * left running for a few hours) and writes, per group and resource, the same
 * series the exporter's forecaster fits (its backfill queries, at its default
 * 60 s step) to eval/forecast/machine/series/*.csv. Also writes what the exporter
 * itself forecast at the time (procsight_forecast, every bound and horizon,
 * eval/forecast/machine/live-forecasts.csv),
 * so eval/forecast/run.ts can score the live forecasts against what happened.
 * Each recording gets its own folder, eval/forecast/machine/<name>/ (default
 * name: the recording's start, e.g. 2026-11-24T1430); recording again under
 * the same name replaces it, other recordings are kept.
 *
 *   npx tsx eval/forecast/record.ts [--prometheus http://127.0.0.1:9090] [--instance 127.0.0.1:9556] [--name NAME] [--note TEXT]
 *
 * Without flags it uses secrets/.stack-urls, written by `npm run stack`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MACHINE_DIR } from './paths';

const root = join(__dirname, '..', '..');
const STEP = 60;

const args = process.argv.slice(2);
const flag = (n: string): string | null => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : null);

interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

async function queryRange(prom: string, query: string, start: number, end: number): Promise<RangeSeries[]> {
  const url = `${prom}/api/v1/query_range?${new URLSearchParams({ query, start: String(start), end: String(end), step: String(STEP) })}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  const body = (await res.json()) as { status: string; error?: string; data?: { result: RangeSeries[] } };
  if (!res.ok || body.status !== 'success' || !body.data) throw new Error(`query_range ${query}: HTTP ${res.status} ${body.error ?? ''}`);
  return body.data.result;
}

function fileName(parts: string[]): string {
  return `${parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('__')}.csv`;
}

async function main(): Promise<void> {
  let prom = flag('prometheus');
  let instance = flag('instance');
  const urlsFile = join(root, 'secrets', '.stack-urls');
  if ((!prom || !instance) && existsSync(urlsFile)) {
    const urls = JSON.parse(readFileSync(urlsFile, 'utf8')) as { prometheusUrl: string; instance: string };
    prom ??= urls.prometheusUrl;
    instance ??= urls.instance;
  }
  if (!prom || !instance) throw new Error('give --prometheus and --instance, or run `npm run stack` first');
  const inst = `instance=${JSON.stringify(instance)}`;
  // The recording's extent: where the exporter was up.
  const end = Math.floor(Date.now() / 1000 / STEP) * STEP;
  const up = await queryRange(prom, `up{${inst}}`, end - 7 * 86400, end);
  const ts = up.flatMap((s) => s.values.map(([t]) => t));
  if (ts.length === 0) throw new Error(`no samples of ${instance} in ${prom}`);
  const start = Math.min(...ts);
  // Up to the exporter's last sample (a recording of a stack that has stopped ends there).
  const last = Math.max(...ts);
  // Exactly the forecaster's backfill queries (exporter/src/analyse/forecast/forecaster.ts).
  const rate = `${2 * STEP}s`;
  const queries: Array<[string, string]> = [
    ['cpu', `sum by (group) (rate(procsight_group_cpu_seconds_total{${inst}}[${rate}]))`],
    ['memory', `sum by (group) (procsight_group_memory_bytes{type="resident",${inst}})`],
    ['fds', `sum by (group) (procsight_group_open_fds{${inst}})`],
    ['io', `sum by (group) (rate(procsight_group_io_bytes_total{${inst}}[${rate}]))`],
    ['memory_available', `label_replace(sum(procsight_host_memory_bytes{type="available",${inst}}), "group", "host", "", "")`],
  ];
  const name = flag('name') ?? new Date(start * 1000).toISOString().slice(0, 16).replace(':', '');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`--name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' only`);
  const dir = join(MACHINE_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'series'), { recursive: true });
  let files = 0;
  for (const [resource, q] of queries) {
    for (const s of await queryRange(prom, q, start, last)) {
      const group = s.metric.group ?? 'host';
      const lines = ['timestamp,value', ...s.values.map(([t, v]) => `${t},${v}`)];
      writeFileSync(join(dir, 'series', fileName([resource, group])), lines.join('\n') + '\n');
      files++;
    }
  }
  // What the running exporter forecast at each step, to score its live forecasts afterwards.
  const live = await queryRange(prom, `procsight_forecast{${inst}}`, start, last);
  const rows = ['timestamp,group,resource,horizon,bound,value'];
  for (const s of live) for (const [t, v] of s.values) rows.push([t, s.metric.group, s.metric.resource, s.metric.horizon, s.metric.bound, v].join(','));
  writeFileSync(join(dir, 'live-forecasts.csv'), rows.join('\n') + '\n');
  const hours = ((last - start) / 3600).toFixed(2);
  const info = { start: new Date(start * 1000).toISOString(), end: new Date(last * 1000).toISOString(), instance, stepSeconds: STEP, note: flag('note') ?? '' };
  writeFileSync(join(dir, 'recording.json'), JSON.stringify(info, null, 2) + '\n');
  console.log(`${files} series over ${hours} h (${info.start} to ${info.end}) at ${STEP} s, ${rows.length - 1} live forecast points, in ${dir}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
