/**
 * The composition root: builds each layer from its own options and wires
 * them, lowest layer first. Nothing below reaches back up here: the
 * self-metrics exist before the layers that report to them, and the
 * exposition reads the layers through their own getters.
 */
import type { CliOptions } from './cli/flags';
import { PROCESS_EXPORTER_DEFAULTS, type ProcessExporterCli } from './cli/process-exporter';
import { ConfigError } from './errors';
import { loadConfigsIsolated, type ConfigFiles, type LoadedConfigs } from './config/isolated';
import type { ProcsightConfig } from './config/schema';
import type { Logger } from './log/logger';
import { createReader } from './read/create-reader';
import { readHostInfo } from './read/host-info';
import type { HostInfo } from './read/types';
import { createNamer } from './group/namer';
import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { resolveKubernetes } from './read/kubernetes/enable';
import type { ProcIdentity } from './read/types';
import type { GroupingConfig } from './group/config';
import { Collector } from './pipeline/collector';
import { CollectionLoop } from './pipeline/loop';
import type { CollectionSnapshot } from './pipeline/types';
import { Analyzer } from './analyse/analyzer';
import { Forecaster } from './analyse/forecast/forecaster';
import { backfillHistory } from './analyse/forecast/backfill';
import { OutcomeTracker } from './analyse/feedback/outcomes';
import { FeedbackService } from './analyse/feedback/service';
import { Persistence } from './state/persist';
import type { ExporterState } from './expose/family';
import { createExposition, createRegistry, type Exposition } from './expose/registry';
import { liveGroupsView } from './expose/live-groups';
import type { AppDeps } from './server/app';
import { probesThenApp } from './server/probes';
import { authMiddleware } from './server/auth';
import { startFront } from './server/front/host';
import { errorMessage } from './util/error-message';
import { buildInfo, VERSION } from './version';
import { CATALOG, kindOfAction } from '@procsight/contract';

export interface ComposeOptions {
  cli: CliOptions;
  logger: Logger;
  /** Config already loaded (tests); otherwise read from cli.configFile. */
  config?: ProcsightConfig;
  /** Writes per minute per API write route (tests that send many); default: each route's own limit. */
  writeRateLimitPerMinute?: number;
  /** false: no HTTP listener (process-exporter's -once-to-stdout-delay); `url` is then ''. Default true. */
  listen?: boolean;
  /** The environment (Kubernetes' KUBERNETES_SERVICE_HOST, NODE_NAME); default process.env. */
  env?: NodeJS.ProcessEnv;
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
  const { config: loaded, webConfig } = await loadConfigs(opts.config, { configFile: cli.configFile || null, webConfigFile: cli.webConfigFile || null });
  const { registry, self } = createRegistry(buildInfo());
  // process-exporter's series: with its flags (their values), or --compat.process-exporter (its defaults).
  const pe = cli.processExporter ?? (cli.compatProcessExporter ? PROCESS_EXPORTER_DEFAULTS : null);
  const config = withProcNames(loaded, pe);

  const reader = createReader({
    procfsPath: cli.procfsPath,
    cgroupfsPath: cli.cgroupfsPath,
    threadTaskCap: config.limits.thread_task_cap,
    logger,
    ...(pe ? { detail: { smaps: pe.gatherSmaps, threads: true, threadCounters: pe.threads } } : {}),
  });
  const hostInfo = readHostInfo();
  // Pod, namespace and container names, followed in the API off the collection path.
  const k8s = resolveKubernetes({ flag: cli.kubernetesEnabled, config: config.kubernetes, env: opts.env ?? process.env, exists: existsSync });
  if (k8s.reason) logger.warn({}, `kubernetes: ${k8s.reason}`);
  // The client and the schemas of the API's answers load only when it is on.
  const pods = k8s.setup ? new (await import('./read/kubernetes/pods')).PodIndex() : null;
  const podSource =
    k8s.setup && pods
      ? new (await import('./read/kubernetes/client')).KubernetesPodSource({
          ...k8s.setup,
          index: pods,
          logger,
          onError: (reason) => self.kubernetesErrors.inc({ reason }),
        })
      : null;
  if (k8s.setup) self.enableKubernetes();
  const namer = createNamer(config, { pods });
  const collector = new Collector({
    reader,
    nameOf: (id) => namer.name(id),
    naming: {
      ...(pe
        ? {
            inheritParentGroup: pe.children,
            ...(pe.recheck ? { recheck: pe.recheckTimeLimitSeconds > 0 ? { maxAgeSeconds: pe.recheckTimeLimitSeconds } : {} } : {}),
          }
        : {}),
      ...(k8s.setup ? { pending: (id: ProcIdentity) => namer.pending(id), pendingGraceMs: k8s.setup.pendingGraceSeconds * 1000 } : {}),
    },
    grouper: {
      maxGroups: config.limits.max_groups,
      declared: namer.declaredGroups(),
      pidSeriesGroups: new Set(namer.pidSeriesGroups()),
      pidSeriesMax: config.limits.pid_series_max,
      emptyGroupTtlMs: pe?.removeEmptyGroups ? 0 : config.limits.empty_group_ttl_seconds * 1000,
      maxCgroupsPerGroup: 8,
      maxPodsPerGroup: k8s.setup?.maxContainersPerGroup ?? 8,
      processExporter: pe !== null,
    },
    batchSize: COLLECT_BATCH,
    refreshCycles: Math.max(1, Math.round(FULL_READ_EVERY_SECONDS / cli.collectIntervalSeconds)),
    maxCgroupPressure: 64,
    logger,
  });

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
  // The bottleneck evidence quotes the forecaster's times to a limit: one computation for the label and the forecast.
  const analyzer = new Analyzer({
    anomaly: config.anomaly,
    bottlenecks: config.bottlenecks,
    contention: config.contention,
    collectIntervalSeconds: cli.collectIntervalSeconds,
    ...(forecasts ? { projections: forecasts } : {}),
  });
  const outcomes = new OutcomeTracker();
  const persistence = cli.storagePath
    ? new Persistence({
        dir: cli.storagePath,
        version: VERSION,
        analyzer,
        forecaster,
        outcomes,
        logger,
        everyMs: cli.checkpointIntervalSeconds * 1000,
        onError: (op) => self.checkpointErrors.inc({ op }),
      })
    : null;
  persistence?.restore(Date.now());
  const feedback = new FeedbackService({
    analyzer,
    tracker: outcomes,
    catalog: CATALOG,
    onRecorded: () => persistence?.saveSoon(),
    onOutcome: (o, meanFall) => {
      self.suggestionOutcomes.inc({ kind: o.kind, action: o.action, outcome: o.outcome });
      self.suggestionSeverityFall.set({ kind: o.kind, action: o.action }, meanFall);
    },
  });
  restoreOutcomeMetrics(self, analyzer, outcomes);
  if (cli.historyPrometheusUrl) {
    const refused = await backfillHistory({
      forecaster,
      prometheusUrl: cli.historyPrometheusUrl,
      instance: cli.historyInstance,
      hostname: async () => (await hostInfo).hostname,
      logger,
    });
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
  // A vanished group's analysis and forecasts leave the series and the API with its group series.
  const live = liveGroupsView({ snapshot: () => collector.latest(), analysis: () => analyzer.current(), forecasts: () => forecasts?.current() ?? [] });
  const state: ExporterState = {
    snapshot: () => collector.latest(),
    analysis: live.analysis,
    forecasts: live.forecasts,
    hostInfo: () => host,
    pods: () => pods,
  };
  const exposition = createExposition({ registry, self, state, ...(pe ? { processExporter: { threads: pe.threads, smaps: pe.gatherSmaps } } : {}) });
  const loop = new CollectionLoop({
    collector,
    intervalSeconds: cli.collectIntervalSeconds,
    logger,
    stages: [
      { name: 'render', run: () => exposition.refresh('collection') },
      // Forecasts first: the analysis quotes their times to a limit from the same collection.
      ...(forecasts ? [{ name: 'forecast_ingest', run: (s: CollectionSnapshot) => forecasts.ingest(s) }] : []),
      { name: 'analyze', run: (s) => timed(self.analysisDuration, () => analyzer.ingestSliced(s)) },
      { name: 'outcomes', run: () => void feedback.observe(analyzer.current()) },
      { name: 'render', run: () => exposition.refresh('analysis') },
    ],
    onCollected: ({ snapshot: s, collectors }) => {
      self.kubernetesPods.set(pods?.size ?? 0);
      self.observeCycle({
        seconds: s.collectDurationSeconds,
        finishedMs: Date.now(),
        errors: s.read.errors,
        processesRead: s.read.processesRead,
        collectors,
        groups: s.groups.length,
        overflowed: s.groupsOverflowed,
        pids: s.trackedPids,
      });
    },
    onStageError: (stage) => self.analysisErrors.inc({ stage }),
    onCycleError: () => self.observeCycleFailure(),
  });

  // Assigned below; the hooks may run while it is being built (actions a restart interrupted, timed-out approvals).
  let pending = (): number => 0;
  // Remediation's modules load only when it is on (it is off by default).
  const remediate = config.remediation.mode === 'off' ? null : await import('./remediate/create');
  const remediator =
    remediate?.createRemediator({
      config: config.remediation,
      storagePath: cli.storagePath,
      procfs: cli.procfsPath,
      cgroupfs: cli.cgroupfsPath,
      processesOf: (g) => collector.processesOf(g),
      bottleneckActive: (group, kind) => {
        const a = analyzer.current();
        return a ? a.bottlenecks.some((b) => b.group === group && b.kind === kind) : null;
      },
      logger,
      onStatus: (action, status) => {
        self.remediationActions.inc({ action, status });
        self.remediationPending.set(pending());
      },
      // A rule that carries out a catalog action: its done actions are "applied" feedback, so their efficacy is measured.
      onExecuting: (r) => {
        const action = r.rule?.suggestion;
        if (!action || !r.group || !r.rule) return undefined;
        const input = { group: r.group, kind: r.rule.kind, action, verdict: 'applied' } as const;
        const startedUnder = analyzer.current();
        return () => void feedback.record(input, { analysis: startedUnder });
      },
    }) ?? null;
  if (remediator) pending = () => remediator.pendingCount();
  self.remediationPending.set(pending());
  const auth = authMiddleware({
    webConfig,
    onFailure: (reason) => self.authFailures.inc({ reason }),
    logger,
    bearer: remediator ? (t) => remediator.verifyToken(t) : null,
    // The HTTP front (server/front) checks client certificates on the TLS connection it owns.
    clientCert: false,
  });
  const appDeps: AppDeps = {
    state,
    exposition,
    logger,
    version: VERSION,
    telemetryPath: cli.telemetryPath,
    ready: () => loop.cycles() > 0,
    processesOf: (g) => collector.processesOf(g),
    feedback,
    remediator,
    writeRateLimitPerMinute: opts.writeRateLimitPerMinute,
    correlations: (q) => analyzer.correlations(q),
    before: auth.middleware,
  };
  const buildApp = async (): Promise<RequestListener> => (await import('./server/app')).createApp(appDeps);
  // Logins and configured headers apply to the probes too: then the app answers them, built at start.
  const app = !auth.guardsEveryPath
    ? probesThenApp({
        ready: appDeps.ready,
        load: buildApp,
        onLoadError: (e) => {
          self.apiErrors.inc({ reason: 'internal' });
          logger.error({ err: errorMessage(e) }, 'the HTTP app could not be built');
        },
      })
    : await buildApp();
  const listener =
    opts.listen === false
      ? null
      : await startFront({
          address: cli.listenAddress,
          webConfig,
          telemetryPath: cli.telemetryPath,
          app,
          exposition,
          logger,
          onAuthFailure: (reason) => self.authFailures.inc({ reason }),
          onCertRejected: auth.onCertRejected,
          onRestart: () => self.frontRestarts.inc(),
        });
  if (listener) logger.info({ address: `${listener.address.host}:${listener.address.port}`, interval: `${cli.collectIntervalSeconds}s` }, 'listening');

  // The first list before the first collection, so that it can name processes by their pods.
  await podSource?.start();
  await loop.start();
  forecasts?.start();
  persistence?.start();
  remediator?.start();
  return {
    address: listener?.address ?? { host: '', port: 0 },
    url: listener?.url ?? '',
    state,
    exposition,
    collectNow: () => loop.collectNow(),
    async stop() {
      await loop.stop();
      reader.close?.();
      await podSource?.stop();
      await forecasts?.stop();
      await auth.close();
      await listener?.close();
      await remediator?.stop();
      persistence?.stop();
    },
  };
}

/** Outcome counters continue from the checkpoint's counts, so a restart is not a counter reset that loses them. */
function restoreOutcomeMetrics(self: ReturnType<typeof createRegistry>['self'], analyzer: Analyzer, outcomes: OutcomeTracker): void {
  for (const [action, c] of Object.entries(analyzer.feedbackCounts())) {
    const kind = kindOfAction(CATALOG, action);
    if (!kind) continue;
    if (c.resolved) self.suggestionOutcomes.inc({ kind, action, outcome: 'resolved' }, c.resolved);
    if (c.persisted) self.suggestionOutcomes.inc({ kind, action, outcome: 'persisted' }, c.persisted);
  }
  for (const f of outcomes.fallsByAction()) self.suggestionSeverityFall.set({ kind: f.kind, action: f.action }, f.meanFall);
}

/** The configs: validated in the config worker, unless the caller (a test) passes the config and there is no web config. */
async function loadConfigs(config: ProcsightConfig | undefined, files: ConfigFiles): Promise<LoadedConfigs> {
  if (config && files.webConfigFile === null) return { config, webConfig: null };
  const loaded = await loadConfigsIsolated({ ...files, configFile: config ? null : files.configFile });
  return config ? { ...loaded, config } : loaded;
}

/** -procnames / -namemapping as the grouping, refused beside a config file's own rules (as process-exporter refuses them beside -config.path). */
function withProcNames(config: ProcsightConfig, pe: ProcessExporterCli | null): ProcsightConfig & GroupingConfig {
  if (!pe || (pe.procnames.length === 0 && pe.namemapping.length === 0)) return config;
  if (config.groups || config.process_names) throw new ConfigError('-procnames', 'cannot be used with a config file that has groups or process_names');
  return { ...config, procnames: { names: pe.procnames, mapping: pe.namemapping } };
}

async function timed<T>(histogram: { startTimer(): () => number }, run: () => Promise<T>): Promise<T> {
  const end = histogram.startTimer();
  try {
    return await run();
  } finally {
    end();
  }
}
