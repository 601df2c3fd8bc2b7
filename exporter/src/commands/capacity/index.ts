import type { Command } from 'commander';
import type { CommandIo } from '../context';
import { collect } from '../options';
import { makeProgress } from '../progress';
import { parsePositiveInt, parseTime, prometheusFrom, scopeOf, type PrometheusOptions } from '../source';
import type { Style } from '../style';
import { buildPlan } from './analyse';
import { collectDaily } from './collect';
import { renderCapacity } from './render';

export interface CapacityOptions extends PrometheusOptions {
  json: boolean;
  days: string;
  horizon: string;
  end?: string;
  group: string[];
}

export function describeCapacity(cmd: Command): Command {
  return cmd
    .summary('capacity plan: trends and days to exhaustion')
    .description(
      'Capacity plan per host and group: daily peak CPU, memory in use, open fds against their limits, the trend per day (Theil–Sen over the daily points), days to exhaustion within the horizon, and a recommendation.',
    )
    .option('--days <n>', 'days of history (one point per day)', '30')
    .option('--horizon <days>', 'planning horizon: crossings later than this are not reported', '90')
    .option('--end <time>', 'end of the history: RFC 3339, a date (UTC midnight), unix seconds or now', 'now')
    .option('--group <group>', 'only this group (repeatable; host findings stay)', collect, [] as string[]);
}

export async function runCapacity(opts: CapacityOptions, io: CommandIo, style: Style): Promise<number> {
  const progress = makeProgress(io, 'querying Prometheus');
  try {
    const prom = prometheusFrom(opts, io, progress);
    const endMs = parseTime(opts.end, '--end', io.now());
    const days = parsePositiveInt(opts.days, '--days', 400);
    const horizonDays = parsePositiveInt(opts.horizon, '--horizon', 3650);
    const scope = scopeOf(opts);
    const { instances, series } = await collectDaily(prom, { scope, endMs, days });
    const plan = buildPlan({ instances, series, endMs, days, horizonDays, prometheus: prom.url, job: scope.job, groups: opts.group });
    progress.stop();
    io.stdout(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : renderCapacity(plan, style));
    return 0;
  } finally {
    progress.stop();
  }
}
