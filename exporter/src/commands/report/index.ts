import type { Command } from 'commander';
import type { CommandIo } from '../context';
import { UsageError } from '../errors';
import { makeProgress } from '../progress';
import { parsePositiveInt, parseTime, prometheusFrom, scopeOf, type PrometheusOptions } from '../source';
import { collectReport } from './collect';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { Period } from './model';

export interface ReportOptions extends PrometheusOptions {
  period: string;
  json: boolean;
  format: string;
  end?: string;
  top: string;
}

export function describeReport(cmd: Command): Command {
  return cmd
    .summary('daily or weekly report (Markdown or HTML)')
    .argument('<period>', 'daily (the 24 hours before --end) or weekly (the 7 days before --end)')
    .description(
      'A report of a day or a week: SLI compliance per host with grades, top consumers by CPU, memory and disk I/O, bottleneck periods, anomalies, forecast exhaustion, and the change against the period before. Markdown, or HTML with inline SVG charts.',
    )
    .option('--format <format>', 'markdown or html', 'markdown')
    .option('--end <time>', 'end of the period: RFC 3339, a date (UTC midnight), unix seconds or now', 'now')
    .option('--top <n>', 'rows per top-consumer table', '5');
}

export async function runReport(opts: ReportOptions, io: CommandIo): Promise<number> {
  if (opts.period !== 'daily' && opts.period !== 'weekly') throw new UsageError(`report: the period is daily or weekly, got ${JSON.stringify(opts.period)}`);
  if (opts.format !== 'markdown' && opts.format !== 'html') throw new UsageError(`--format: markdown or html, got ${JSON.stringify(opts.format)}`);
  const progress = makeProgress(io, 'querying Prometheus');
  try {
    const prom = prometheusFrom(opts, io, progress);
    const endMs = parseTime(opts.end, '--end', io.now());
    const html = opts.format === 'html' && !opts.json;
    const { report, charts } = await collectReport(prom, {
      scope: scopeOf(opts),
      period: opts.period as Period,
      endMs,
      top: parsePositiveInt(opts.top, '--top', 100),
      charts: html,
    });
    progress.stop();
    if (opts.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else if (html && charts) io.stdout(renderHtml(report, charts));
    else io.stdout(renderMarkdown(report));
    return 0;
  } finally {
    progress.stop();
  }
}
