/**
 * The composition root: builds each layer from its own options and wires
 * them, lowest layer first. Nothing below reaches back up here: the
 * self-metrics exist before the layers that report to them, and the
 * exposition reads the layers through their own getters.
 */
import type { CliOptions } from './cli/flags';
import { loadConfig } from './config/load';
import type { ProcsightConfig } from './config/schema';
import type { Logger } from './log/logger';
import { createReader } from './read/create-reader';
import { readHostInfo } from './read/host-info';
import type { HostInfo } from './read/types';
import { createNamer } from './group/namer';
import { Collector } from './pipeline/collector';
import { CollectionLoop } from './pipeline/loop';
import type { CollectionSnapshot } from './pipeline/types';
import { Analyzer } from './analyse/analyzer';
import { Forecaster } from './analyse/forecast/forecaster';
import { backfillHistory } from './analyse/forecast/backfill';
import { Persistence } from './state/persist';
import type { ExporterState } from './expose/family';
import { createExposition, createRegistry, type Exposition } from './expose/registry';
import { createApp } from './server/app';
import { authMiddleware } from './server/auth';
import { listen } from './server/listen';
import { loadWebConfig } from './server/web-config';
import { errorMessage } from './util/error-message';
import { VERSION } from './version';

export interface ComposeOptions {
  cli: CliOptions;
  logger: Logger;
  /** Config already loaded (tests); otherwise read from cli.configFile. */
  config?: ProcsightConfig;
}

export interface Service {
  /** Bound address (port 0 in tests resolves here). */
  address: { host: string; port: number };
  url: string;
  state: ExporterState;
  exposition: Exposition;
  /** Runs one cycle now, or joins the running one (tests); the timer keeps running. */
  collectNow(): Promise<CollectionSnapshot>;
  stop(): Promise<void>;
}

/** An idle process still gets a full read this often, so its RSS and swap stay fresh. */
const FULL_READ_EVERY_SECONDS = 15;

/** Processes read between two checks of the time slice, so scrapes are served during a cycle. */
const COLLECT_BATCH = 16;

/** Builds and starts the exporter. Throws ConfigError for bad configuration (main exits with code 2). */
export async function compose(opts: ComposeOptions): Promise<Service> {
  const { cli, logger } = opts;
  const config = opts.config ?? loadConfig(cli.configFile || null);
  const webConfig = cli.webConfigFile ? loadWebConfig(cli.webConfigFile) : null;
  const { registry, self } = createRegistry({ version: VERSION });

  const reader = createReader({ procfsPath: cli.procfsPath, cgroupfsPath: cli.cgroupfsPath, threadTaskCap: config.limits.thread_task_cap, logger });
  const hostInfo = readHostInfo();
  const namer = createNamer(config);
  const collector = new Collector({
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
    batchSize: COLLECT_BATCH,
    refreshCycles: Math.max(1, Math.round(FULL_READ_EVERY_SECONDS / cli.collectIntervalSeconds)),
    maxCgroupPressure: 64,
    logger,
  });

  const analyzer = new Analyzer({ anomaly: config.anomaly, bottlenecks: config.bottlenecks, contention: config.contention, collectIntervalSeconds: cli.collectIntervalSeconds });
  const forecaster = new Forecaster({
    config: config.forecast,
    logger,
    hooks: {
      onFit: (seconds, model) => self.fitDuration.observe({ model }, seconds),
      onFitFailed: (reason) => self.fitsFailed.inc({ reason }),
      onWorkerRestart: () => self.workerRestarts.inc(),
    },
  });
  const forecasts = config.forecast.enabled ? forecaster : null;
  const persistence = cli.storagePath
    ? new Persistence({ dir: cli.storagePath, version: VERSION, analyzer, forecaster, logger, everyMs: cli.checkpointIntervalSeconds * 1000, onError: (op) => self.checkpointErrors.inc({ op }) })
    : null;
  persistence?.restore(Date.now());
  if (cli.historyPrometheusUrl) {
    const refused = await backfillHistory({ forecaster, prometheusUrl: cli.historyPrometheusUrl, instance: cli.historyInstance, hostname: async () => (await hostInfo).hostname, logger });
    if (refused) self.backfillRefused.inc({ reason: refused });
  }

  let host: HostInfo | null = null;
  hostInfo.then(
    (i) => (host = i),
    (e: unknown) => {
      self.collectErrors.inc({ reason: 'host' });
      logger.warn({ err: errorMessage(e) }, 'cannot read host facts; procsight_host_info absent');
    },
  );
  const state: ExporterState = {
    snapshot: () => collector.latest(),
    analysis: () => analyzer.current(),
    forecasts: () => forecasts?.current() ?? [],
    hostInfo: () => host,
  };
  const exposition = createExposition({ registry, self, state });
  const loop = new CollectionLoop({
    collector,
    intervalSeconds: cli.collectIntervalSeconds,
    logger,
    stages: [
      { name: 'render', run: () => exposition.refresh('collection') },
      { name: 'analyze', run: (s) => timed(self.analysisDuration, () => analyzer.ingestSliced(s)) },
      ...(forecasts ? [{ name: 'forecast_ingest', run: (s: CollectionSnapshot) => forecasts.ingest(s) }] : []),
      { name: 'render', run: () => exposition.refresh('analysis') },
    ],
    onCollected: ({ snapshot: s, collectors }) =>
      self.observeCycle({ seconds: s.collectDurationSeconds, finishedMs: Date.now(), errors: s.read.errors, processesRead: s.read.processesRead, collectors, groups: s.groups.length, overflowed: s.groupsOverflowed, pids: s.trackedPids }),
    onStageError: (stage) => self.analysisErrors.inc({ stage }),
    onCycleError: () => self.collectErrors.inc({ reason: 'io' }),
  });

  const auth = authMiddleware({ webConfig, onFailure: (reason) => self.authFailures.inc({ reason }), logger });
  const app = createApp({
    state,
    exposition,
    logger,
    version: VERSION,
    telemetryPath: cli.telemetryPath,
    ready: () => loop.cycles() > 0,
    processesOf: (g) => collector.processesOf(g),
    correlations: (q) => analyzer.correlations(q),
    before: auth.middleware,
  });
  const listener = await listen(app, { address: cli.listenAddress, webConfig, onCertRejected: auth.onCertRejected });
  logger.info({ address: `${listener.address.host}:${listener.address.port}`, interval: `${cli.collectIntervalSeconds}s` }, 'listening');

  await loop.start();
  forecasts?.start();
  persistence?.start();
  return {
    address: listener.address,
    url: listener.url,
    state,
    exposition,
    collectNow: () => loop.collectNow(),
    async stop() {
      await loop.stop();
      await forecasts?.stop();
      await auth.close();
      await listener.close();
      persistence?.stop();
    },
  };
}

async function timed<T>(histogram: { startTimer(): () => number }, run: () => Promise<T>): Promise<T> {
  const end = histogram.startTimer();
  try {
    return await run();
  } finally {
    end();
  }
}
