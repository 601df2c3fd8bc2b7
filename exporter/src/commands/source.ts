import { BUILD_INFO } from '@procsight/contract';
import { credentialsFrom, splitUrl, type AuthFlags, type Credentials } from './http/auth';
import { ExporterClient } from './http/exporter';
import { PrometheusClient } from './http/prometheus';
import { promDuration, sel, type Scope } from './http/promql';
import type { CommandIo } from './context';
import { NoDataError, UsageError } from './errors';
import * as fmt from './format';
import type { Progress } from './progress';

/** Options every Prometheus-reading subcommand shares. */
export interface PrometheusOptions {
  prometheus?: string;
  prometheusUser?: string;
  prometheusPasswordFile?: string;
  prometheusBearerTokenFile?: string;
  job: string;
  instance: string[];
  timeout: string;
}

function timeoutMs(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--timeout: seconds between 0 and 3600, got ${JSON.stringify(text)}`);
  return n * 1000;
}

export function prometheusFrom(opts: PrometheusOptions, io: CommandIo, progress: Progress): PrometheusClient {
  const raw = opts.prometheus ?? (io.env.PROCSIGHT_PROMETHEUS_URL || undefined);
  if (!raw) throw new UsageError('--prometheus URL is required (or PROCSIGHT_PROMETHEUS_URL)');
  const { url, fromUrl } = splitUrl(raw, '--prometheus');
  const flags: AuthFlags = { user: opts.prometheusUser, passwordFile: opts.prometheusPasswordFile, bearerTokenFile: opts.prometheusBearerTokenFile };
  const credentials: Credentials | null = credentialsFrom('prometheus', flags, io.env) ?? fromUrl;
  return new PrometheusClient(
    {
      url,
      credentials,
      timeoutMs: timeoutMs(opts.timeout),
      what: 'Prometheus',
      authHint:
        'give credentials with --prometheus-user and PROCSIGHT_PROMETHEUS_PASSWORD (or --prometheus-password-file), or a bearer token (PROCSIGHT_PROMETHEUS_BEARER_TOKEN or --prometheus-bearer-token-file)',
    },
    progress,
  );
}

export interface ExporterOptions {
  exporter: string[];
  exporterUser?: string;
  exporterPasswordFile?: string;
  exporterBearerTokenFile?: string;
  timeout: string;
}

export function exportersFrom(opts: ExporterOptions, io: CommandIo, progress: Progress): ExporterClient[] {
  const flags: AuthFlags = { user: opts.exporterUser, passwordFile: opts.exporterPasswordFile, bearerTokenFile: opts.exporterBearerTokenFile };
  const shared = credentialsFrom('exporter', flags, io.env);
  return opts.exporter.map((raw) => {
    const { url, fromUrl } = splitUrl(raw, '--exporter');
    return new ExporterClient(
      {
        url,
        credentials: shared ?? fromUrl,
        timeoutMs: timeoutMs(opts.timeout),
        what: 'the exporter',
        authHint:
          'it runs with --web.config.file: give --exporter-user and PROCSIGHT_EXPORTER_PASSWORD (or --exporter-password-file), or a bearer token (PROCSIGHT_EXPORTER_BEARER_TOKEN)',
      },
      progress,
    );
  });
}

export function scopeOf(opts: PrometheusOptions): Scope {
  return { job: opts.job, instances: opts.instance };
}

/**
 * The instances that exported procsight series in the `lookbackSeconds`
 * before `atMs`; a NoDataError when there are none (wrong URL, job, instance or time).
 */
export async function procsightInstances(prom: PrometheusClient, scope: Scope, atMs: number, lookbackSeconds: number): Promise<string[]> {
  const found = await prom.instant(`max by (instance) (last_over_time(${sel(BUILD_INFO, scope)}[${promDuration(lookbackSeconds)}]))`, atMs);
  if (found.length === 0) {
    const which = `job="${scope.job}"${scope.instances.length > 0 ? `, instance ${scope.instances.join(' or ')}` : ''}`;
    throw new NoDataError(
      `Prometheus at ${prom.url} holds no procsight data for ${which} in the ${fmt.duration(lookbackSeconds)} before ${fmt.time(atMs)} (no ${BUILD_INFO}; check --job, --instance and the time)`,
    );
  }
  return found.map((s) => s.metric.instance ?? '').sort();
}

/** A time flag: RFC 3339 (`2026-11-30T00:00:00Z`), a date (`2026-11-30`, UTC midnight), unix seconds, or `now`. */
export function parseTime(text: string | undefined, flag: string, nowMs: number): number {
  if (text === undefined || text === 'now') return nowMs;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms))
    throw new UsageError(`${flag}: not a time: ${JSON.stringify(text)} (use RFC 3339, e.g. 2026-11-30T00:00:00Z, a date, unix seconds or now)`);
  return ms;
}

export function parsePositiveInt(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: a whole number from 1 to ${max}, got ${JSON.stringify(text)}`);
  return n;
}
