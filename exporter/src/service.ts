import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import type { CliOptions } from './cli/flags';
import { parseListenAddress } from './cli/parse';
import type { ExporterState } from './expose/family';
import { createExposition, type Exposition } from './expose/registry';
import type { Logger } from './log/logger';
import { Collector } from './pipeline/collector';
import type { ProcReader } from './read/reader';
import type { GrouperOptions } from './group/grouper';
import { createApp } from './server/app';
import { createProcessesRouter } from './server/routes/processes';
import { basicAuth, enforceClientCerts, requireClientCert, staticHeaders } from './server/auth';
import type { WebConfig } from './server/web-config';
import type { AnalysisResult } from './analyse/types';
import type { CollectionSnapshot } from './pipeline/types';
import type { Forecast } from './analyse/forecast/types';
import type { HostInfo, ProcIdentity } from './read/types';

/** The analysis step run after each collection (in slices, so scrapes are served meanwhile). */
export interface SnapshotAnalyzer {
  /** Analyses a collection in slices of groups, yielding to the event loop in between. */
  ingestSliced(snapshot: CollectionSnapshot, opts: { groupsPerSlice: number }): Promise<AnalysisResult>;
}

/** The forecaster: cheap ingest, fits in its own worker, serves the last forecasts. */
export interface SnapshotForecaster {
  ingest(snapshot: CollectionSnapshot): void;
  start(): void;
  stop(): Promise<void>;
  current(): Forecast[];
}

export interface ServiceOptions {
  cli: CliOptions;
  logger: Logger;
  version: string;
  reader: ProcReader;
  nameOf(identity: ProcIdentity): string | null;
  grouper: GrouperOptions;
  batchSize?: number;
  hostInfo?: () => Promise<HostInfo>;
  analyzer?: SnapshotAnalyzer;
  forecaster?: SnapshotForecaster;
  apiRouters?: (state: ExporterState) => Router[];
  /** TLS and basic auth (--web.config.file); null: plain HTTP, no auth. */
  webConfig?: WebConfig | null;
  /** Called after every cycle (tests, checkpoints). */
  onCycle?: (snapshot: CollectionSnapshot) => void;
}

export interface Service {
  /** Bound address (port 0 in tests resolves here). */
  address: { host: string; port: number };
  url: string;
  state: ExporterState;
  exposition: Exposition;
  /** Runs one cycle now (tests); the timer keeps running. */
  collectNow(): Promise<CollectionSnapshot>;
  stop(): Promise<void>;
}

/**
 * Wires collection on its own timer, the analysis after each cycle, the
 * forecaster, the exposition and the HTTP server. A scrape only ever reads
 * the latest finished results.
 */
/** Groups analysed between two yields to the event loop (about 2 ms of work at 110 µs per group). */
const ANALYSIS_GROUPS_PER_SLICE = 20;

export async function startService(opts: ServiceOptions): Promise<Service> {
  const { logger } = opts;
  let snapshot: CollectionSnapshot | null = null;
  let analysis: AnalysisResult | null = null;
  let hostInfo: HostInfo | null = null;
  let generation = 0;
  /** Completed cycles (collection, analysis and forecast ingest). */
  let cycles = 0;

  const state: ExporterState = {
    snapshot: () => snapshot,
    analysis: () => analysis,
    forecasts: () => opts.forecaster?.current() ?? [],
    hostInfo: () => hostInfo,
  };
  const exposition = createExposition(state, { version: opts.version });
  const collector = new Collector({
    reader: opts.reader,
    nameOf: opts.nameOf,
    grouper: opts.grouper,
    batchSize: opts.batchSize ?? 64,
    maxCgroupPressure: 64,
    logger,
  });

  if (opts.hostInfo) {
    opts
      .hostInfo()
      .then((i) => {
        hostInfo = i;
        generation++;
      })
      .catch((e: unknown) => {
        exposition.self.collectErrors.inc({ reason: 'host' });
        logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'cannot read host facts; procsight_host_info absent');
      });
  }

  let running: Promise<CollectionSnapshot> | null = null;
  const runCycle = async (): Promise<CollectionSnapshot> => {
    const { snapshot: s, collectors } = await collector.cycle();
    exposition.self.observeCycle({
      seconds: s.collectDurationSeconds,
      finishedMs: Date.now(),
      errors: s.read.errors,
      processesRead: s.read.processesRead,
      collectors,
      groups: s.groups.length,
      overflowed: s.groupsOverflowed,
      pids: s.trackedPids,
    });
    snapshot = s;
    if (opts.analyzer) {
      const end = exposition.self.analysisDuration.startTimer();
      try {
        analysis = await opts.analyzer.ingestSliced(s, { groupsPerSlice: ANALYSIS_GROUPS_PER_SLICE });
      } catch (e) {
        exposition.self.analysisErrors.inc({ stage: 'analyze' });
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'analysis failed; serving the previous result');
      } finally {
        end();
      }
    }
    if (opts.forecaster) {
      try {
        opts.forecaster.ingest(s);
      } catch (e) {
        exposition.self.analysisErrors.inc({ stage: 'forecast_ingest' });
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'forecast ingest failed');
      }
    }
    generation++;
    cycles++;
    opts.onCycle?.(s);
    return s;
  };
  const cycleOnce = (): Promise<CollectionSnapshot> => {
    // Never two cycles at once: a slow cycle delays the next, it does not pile up.
    if (!running) running = runCycle().finally(() => (running = null));
    return running;
  };

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const intervalMs = opts.cli.collectIntervalSeconds * 1000;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      cycleOnce()
        .catch((e: unknown) => {
          exposition.self.collectErrors.inc({ reason: 'io' });
          logger.error({ err: e instanceof Error ? e.message : String(e) }, 'collection cycle failed');
        })
        .finally(schedule);
    }, intervalMs);
  };

  const onCertRejected = (problem: string): void => {
    exposition.self.authFailures.inc({ reason: 'client_cert' });
    logger.debug({ problem }, 'TLS client refused');
  };
  const auth =
    opts.webConfig && Object.keys(opts.webConfig.users).length > 0
      ? basicAuth({ users: opts.webConfig.users, onFailure: (reason) => exposition.self.authFailures.inc({ reason }) })
      : null;
  const app = createApp({
    state,
    exposition,
    logger,
    version: opts.version,
    telemetryPath: opts.cli.telemetryPath,
    // Ready once a whole cycle is done: collection and its analysis (which yields while it runs).
    ready: () => cycles > 0,
    generation: () => generation,
    apiRouters: [
      ...(opts.apiRouters?.(state) ?? []),
      createProcessesRouter({ knownGroups: () => (snapshot?.groups ?? []).map((g) => g.name), processesOf: (g) => collector.processesOf(g) }),
    ],
    before: [
      ...(opts.webConfig?.tls ? [requireClientCert({ policy: opts.webConfig.clientAuth, onReject: onCertRejected })] : []),
      ...(auth ? [auth] : []),
      ...(opts.webConfig && Object.keys(opts.webConfig.headers).length > 0 ? [staticHeaders(opts.webConfig.headers)] : []),
    ],
  });
  const listen = parseListenAddress(opts.cli.listenAddress);
  if (!listen) throw new Error(`invalid listen address ${opts.cli.listenAddress}`);
  const tls = opts.webConfig?.tls ?? null;
  const server = tls ? https.createServer(tls, app) : http.createServer(app);
  if (tls && opts.webConfig) enforceClientCerts(server as https.Server, { policy: opts.webConfig.clientAuth, onReject: onCertRejected });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host || undefined, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  logger.info({ address: `${host}:${addr.port}`, interval: `${opts.cli.collectIntervalSeconds}s` }, 'listening');

  // First cycle right away (the tracker's baseline), then on the timer.
  await cycleOnce();
  opts.forecaster?.start();
  schedule();

  return {
    address: { host: addr.address, port: addr.port },
    url: `${tls ? 'https' : 'http'}://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`,
    state,
    exposition,
    collectNow: cycleOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running.catch(() => undefined);
      await opts.forecaster?.stop();
      await auth?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
