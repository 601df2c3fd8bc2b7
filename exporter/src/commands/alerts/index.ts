import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandIo } from '../context';
import { SourceError } from '../errors';
import * as fmt from '../format';
import { collect } from '../options';
import { makeProgress } from '../progress';
import { parsePositiveInt, parseTime, prometheusFrom, scopeOf, type PrometheusOptions } from '../source';
import type { Style } from '../style';
import { textTable } from '../table';
import type { TunedSignal, TuneResult } from './model';
import { renderTunedRules } from './rules-yaml';
import { tune } from './tune';

export interface TuneOptions extends PrometheusOptions {
  json: boolean;
  days: string;
  end?: string;
  output?: string;
  group: string[];
  grafanaUrl: string;
}

export function describeAlertsTune(cmd: Command): Command {
  return cmd
    .summary('alert thresholds from history as a rules file')
    .description(
      'Alert thresholds from history: per group and signal (CPU, resident memory, open fds, threads, disk I/O) the level reached in normal operation (99th percentile outside bottleneck periods) times a margin, written as a Prometheus rules file with P1 critical / P2 warning / P3 info levels. Without --output the rules go to stdout.',
    )
    .option('--days <n>', 'days of history', '14')
    .option('--end <time>', 'end of the history: RFC 3339, a date (UTC midnight), unix seconds or now', 'now')
    .option('--output <file>', 'write the rules file here and print a summary')
    .option('--group <group>', 'only this group (repeatable)', collect, [] as string[])
    .option('--grafana-url <url>', 'Grafana base URL for the dashboard_url annotation', 'http://localhost:3000');
}

function valueText(v: number | null, unit: TunedSignal['unit']): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (unit === 'cores') return fmt.cores(v);
  if (unit === 'bytes') return fmt.bytes(v);
  if (unit === 'bytes/s') return `${fmt.bytes(v)}/s`;
  return fmt.count(v);
}

export async function runAlertsTune(opts: TuneOptions, io: CommandIo, style: Style): Promise<number> {
  const progress = makeProgress(io, 'querying Prometheus');
  try {
    const prom = prometheusFrom(opts, io, progress);
    const endMs = parseTime(opts.end, '--end', io.now());
    const days = parsePositiveInt(opts.days, '--days', 90);
    const tuned = await tune(prom, { scope: scopeOf(opts), endMs, days, groups: opts.group });
    progress.stop();
    const { yaml, rules } = renderTunedRules(tuned, { grafanaUrl: opts.grafanaUrl.replace(/\/+$/, '') });
    if (opts.output) {
      try {
        writeFileSync(opts.output, yaml);
      } catch (e) {
        throw new SourceError(`--output: cannot write ${opts.output} (${e instanceof Error && 'code' in e ? String(e.code) : 'error'})`);
      }
    }
    const result: TuneResult = { ...tuned, output: opts.output ?? null, rules };
    if (opts.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else if (!opts.output) io.stdout(yaml);
    else io.stdout(renderSummary(result, style));
    return 0;
  } finally {
    progress.stop();
  }
}

function renderSummary(r: TuneResult, style: Style): string {
  const level = (s: TunedSignal, p: string): string => {
    const l = s.levels.find((x) => x.priority === p);
    return l ? valueText(l.threshold, s.unit) : '–';
  };
  const rows = r.signals.map((s) => [
    s.instance,
    s.group,
    s.signal,
    valueText(s.p50, s.unit),
    valueText(s.p99, s.unit),
    valueText(s.max, s.unit),
    level(s, 'P3'),
    level(s, 'P2'),
    level(s, 'P1'),
    s.skipped ? style.dim(`no rule: ${s.skipped}`) : '',
  ]);
  return [
    style.bold(`procsight alert tuning: ${r.days} days to ${fmt.time(Date.parse(r.end))}, normal operation = outside bottleneck periods`),
    '',
    textTable(['host', 'group', 'signal', 'median', 'p99', 'max', 'P3 info', 'P2 warning', 'P1 critical', ''], rows, { right: [3, 4, 5, 6, 7, 8] }),
    '',
    `wrote ${r.rules.thresholds} thresholds and ${r.rules.alerts} alerts to ${r.output}; check with: promtool check rules ${r.output}`,
    '',
  ].join('\n');
}
