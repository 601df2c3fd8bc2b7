import type { Command } from 'commander';
import type { CommandIo } from '../context';
import { UsageError } from '../errors';
import { collect } from '../options';
import { makeProgress } from '../progress';
import { exportersFrom, parseTime, prometheusFrom, scopeOf, type ExporterOptions, type PrometheusOptions } from '../source';
import type { Style } from '../style';
import { statusFromExporter } from './from-exporter';
import { statusFromPrometheus } from './from-prometheus';
import { summarise, type StatusResult } from './model';
import { renderStatus } from './render';

export interface StatusOptions extends PrometheusOptions, ExporterOptions {
  json: boolean;
  at?: string;
  group: string[];
}

/** The exporter's default address on this host: `procsight status` with no URL checks the local exporter. */
const DEFAULT_EXPORTER = 'http://127.0.0.1:9556';

export function describeStatus(cmd: Command): Command {
  return cmd
    .summary('check hosts now: OK / WARNING / CRITICAL (exit 0 / 1 / 2)')
    .description(
      'Emergency check of the last 5 minutes: per host OK / WARNING / CRITICAL, active bottlenecks with evidence and the first step to take, resources forecast to run out within the hour. Exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
    )
    .option('--exporter <url>', `exporter base URL (repeatable; default ${DEFAULT_EXPORTER}, or PROCSIGHT_EXPORTER_URL)`, collect, [] as string[])
    .option(
      '--exporter-user <user>',
      'basic-auth user for exporters run with --web.config.file (or PROCSIGHT_EXPORTER_USER; password from PROCSIGHT_EXPORTER_PASSWORD or --exporter-password-file)',
    )
    .option('--exporter-password-file <file>', "file holding the exporters' basic-auth password")
    .option('--exporter-bearer-token-file <file>', 'file holding a bearer token for the exporters (or PROCSIGHT_EXPORTER_BEARER_TOKEN)')
    .option('--group <group>', 'only this group (repeatable)', collect, [] as string[])
    .option('--at <time>', 'with --prometheus: check as of this time (RFC 3339 or unix seconds; default now), e.g. for a post-mortem');
}

export async function runStatus(opts: StatusOptions, io: CommandIo, style: Style): Promise<number> {
  const nowMs = io.now();
  const progress = makeProgress(io, 'checking');
  try {
    if (opts.prometheus !== undefined && opts.exporter.length > 0) throw new UsageError('give --exporter or --prometheus, not both');
    // Flags first; then PROCSIGHT_PROMETHEUS_URL, PROCSIGHT_EXPORTER_URL, and the local exporter.
    const usePrometheus = opts.prometheus !== undefined || (opts.exporter.length === 0 && Boolean(io.env.PROCSIGHT_PROMETHEUS_URL));
    if (opts.at !== undefined && !usePrometheus) throw new UsageError('--at needs --prometheus (an exporter only knows its present)');
    let result: StatusResult;
    if (usePrometheus) {
      const prom = prometheusFrom(opts, io, progress);
      const atMs = parseTime(opts.at, '--at', nowMs);
      const hosts = await statusFromPrometheus(prom, { scope: scopeOf(opts), atMs, groups: opts.group });
      result = summarise(hosts, { kind: 'prometheus', urls: [prom.url] }, atMs);
    } else {
      const urls = opts.exporter.length > 0 ? opts.exporter : [io.env.PROCSIGHT_EXPORTER_URL || DEFAULT_EXPORTER];
      const clients = exportersFrom({ ...opts, exporter: urls }, io, progress);
      const hosts = await Promise.all(clients.map((c) => statusFromExporter(c, { nowMs, groups: opts.group })));
      result = summarise(hosts, { kind: 'exporter', urls: clients.map((c) => c.url) }, nowMs);
    }
    io.stdout(opts.json ? `${JSON.stringify(result, null, 2)}\n` : renderStatus(result, style, Date.parse(result.checked_at)));
    return result.exit_code;
  } finally {
    progress.stop();
  }
}
