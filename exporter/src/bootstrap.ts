import type { CliOptions } from './cli/flags';
import { loadConfig } from './config/load';
import type { ProcsightConfig } from './config/schema';
import { createNamer } from './group/namer';
import type { Logger } from './log/logger';
import { createLinuxReader } from './read/linux-reader';
import type { ProcReader } from './read/reader';
import { createSysteminformationReader, FALLBACK_MISSING_FIELDS } from './read/fallback/systeminformation-reader';
import { ProcFs } from './read/procfs';
import { readHostInfo } from './read/host-info';
import { loadWebConfig } from './server/web-config';
import { startService, type Service } from './service';
import { Analyzer } from './analyse/analyzer';
import { createAnalysisRouter } from './server/routes/analysis';
import { createForecastRouter } from './server/routes/forecasts';
import { Forecaster, type InstanceMatch } from './analyse/forecast/forecaster';
import type { HostInfo } from './read/types';
import { Persistence } from './state/persist';
import { VERSION } from './version';

export interface BootstrapOptions {
  cli: CliOptions;
  logger: Logger;
  /** Config already loaded (tests); otherwise read from cli.configFile. */
  config?: ProcsightConfig;
}

/**
 * Builds the whole exporter from flags and config: reader, namer, collector,
 * analysis, forecasts, exposition, HTTP server. Throws ConfigError for bad
 * configuration (main exits with code 2).
 */
export async function bootstrap(opts: BootstrapOptions): Promise<Service> {
  const { cli, logger } = opts;
  const config = opts.config ?? loadConfig(cli.configFile || null);
  const webConfig = cli.webConfigFile ? loadWebConfig(cli.webConfigFile) : null;
  const namer = createNamer(config);
  const analyzer = new Analyzer({ anomaly: config.anomaly, bottlenecks: config.bottlenecks, collectIntervalSeconds: cli.collectIntervalSeconds });
  // Hooks reach the self-metrics once the service (and its registry) exists.
  let self: Service['exposition']['self'] | null = null;
  const forecaster = new Forecaster({
    config: config.forecast,
    logger,
    hooks: {
      onFit: (seconds, model) => self?.fitDuration.observe({ model }, seconds),
      onFitFailed: (reason) => self?.fitsFailed.inc({ reason }),
      onWorkerRestart: () => self?.workerRestarts.inc(),
    },
  });
  const persistence = cli.storagePath
    ? new Persistence({
        dir: cli.storagePath,
        version: VERSION,
        analyzer,
        forecaster,
        logger,
        everyMs: cli.checkpointIntervalSeconds * 1000,
        onError: (op) => self?.checkpointErrors.inc({ op }),
      })
    : null;
  persistence?.restore(Date.now());
  // Host facts are read once: for procsight_host_info and to find this exporter's instance.
  let hostInfo: Promise<HostInfo> | null = null;
  const readHostOnce = (): Promise<HostInfo> => (hostInfo ??= readHostInfo());
  const refused = cli.historyPrometheusUrl ? await backfillHistory(forecaster, cli, readHostOnce, logger) : null;
  const fs = new ProcFs(cli.procfsPath);
  let reader: ProcReader;
  if (process.platform === 'linux') {
    reader = createLinuxReader({ fs, threadTaskCap: config.limits.thread_task_cap, logger, cgroupRoot: cli.cgroupfsPath });
  } else {
    reader = createSysteminformationReader();
    logger.warn({ platform: process.platform, missing: FALLBACK_MISSING_FIELDS.join(',') }, 'not Linux: using the systeminformation fallback; these fields are not available (docs/platforms.md)');
  }
  const service = await startService({
    cli,
    logger,
    version: VERSION,
    reader,
    nameOf: (id) => namer.name(id),
    grouper: {
      maxGroups: config.limits.max_groups,
      declared: namer.declaredGroups(),
      pidSeriesGroups: new Set(namer.pidSeriesGroups()),
      pidSeriesMax: config.limits.pid_series_max,
      emptyGroupTtlMs: config.limits.empty_group_ttl_seconds * 1000,
      maxCgroupsPerGroup: 8,
    },
    hostInfo: readHostOnce,
    webConfig,
    analyzer,
    forecaster: config.forecast.enabled ? forecaster : undefined,
    apiRouters: (state) => [
      createAnalysisRouter({
        current: () => state.analysis(),
        knownGroups: () => (state.snapshot()?.groups ?? []).map((g) => g.name),
        anomalyThreshold: config.anomaly.threshold,
      }),
      createForecastRouter({ current: () => state.forecasts() }),
    ],
  });
  self = service.exposition.self;
  if (refused) self.backfillRefused.inc({ reason: refused });
  if (!persistence) return service;
  persistence.start();
  const stop = service.stop;
  return {
    ...service,
    async stop() {
      await stop();
      persistence.stop();
    },
  };
}

/**
 * Backfills forecast history from Prometheus with this exporter's own series:
 * `--history.instance`, or the instance whose procsight_host_info carries
 * this host's hostname. Returns why it refused (no or several instances), else null.
 */
async function backfillHistory(forecaster: Forecaster, cli: CliOptions, hostInfo: () => Promise<HostInfo>, logger: Logger): Promise<Extract<InstanceMatch, { refused: string }>['refused'] | null> {
  const prometheusUrl = cli.historyPrometheusUrl;
  try {
    let instance = cli.historyInstance;
    if (!instance) {
      const hostname = (await hostInfo()).hostname;
      const found = await forecaster.findInstance({ prometheusUrl, hostname });
      if ('refused' in found) {
        logger.warn(
          { reason: found.refused, hostname, instances: found.candidates.join(',') },
          "cannot tell this exporter's series apart in Prometheus (set --history.instance); starting with empty forecast history",
        );
        return found.refused;
      }
      instance = found.instance;
    }
    const r = await forecaster.backfill({ prometheusUrl, instance });
    logger.info({ instance, series: r.series, points: r.points }, 'forecast history backfilled from Prometheus');
  } catch (e) {
    logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'cannot backfill forecast history from Prometheus; starting empty');
  }
  return null;
}
