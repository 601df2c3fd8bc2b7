import type { CliOptions } from './cli/flags';
import { loadConfig } from './config/load';
import type { ProcsightConfig } from './config/schema';
import { createNamer } from './group/namer';
import type { Logger } from './log/logger';
import { createLinuxReader } from './pipeline/linux-reader';
import type { ProcReader } from './pipeline/collector';
import { createSysteminformationReader, FALLBACK_MISSING_FIELDS } from './read/fallback/systeminformation-reader';
import { ProcFs } from './read/procfs';
import { readHostInfo } from './read/host-info';
import { loadWebConfig } from './server/web-config';
import { startService, type Service } from './service';
import { Analyzer } from './analyse/analyzer';
import { createAnalysisRouter } from './server/routes/analysis';
import { createForecastRouter } from './server/routes/forecasts';
import { Forecaster } from './analyse/forecast/forecaster';
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
  const analyzer = new Analyzer({ anomaly: config.anomaly, bottlenecks: config.bottlenecks });
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
  if (cli.historyPrometheusUrl) {
    try {
      const r = await forecaster.backfill({ prometheusUrl: cli.historyPrometheusUrl });
      logger.info({ series: r.series, points: r.points }, 'forecast history backfilled from Prometheus');
    } catch (e) {
      logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'cannot backfill forecast history from Prometheus; starting empty');
    }
  }
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
    hostInfo: () => readHostInfo(),
    webConfig,
    analyzer,
    forecaster: config.forecast.enabled ? forecaster : undefined,
    apiRouters: (state) => [
      createAnalysisRouter({ current: () => state.analysis(), knownGroups: () => (state.snapshot()?.groups ?? []).map((g) => g.name) }),
      createForecastRouter({ current: () => state.forecasts() }),
    ],
  });
  self = service.exposition.self;
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
