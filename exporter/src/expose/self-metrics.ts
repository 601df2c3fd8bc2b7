import { Counter, Gauge, Histogram } from './prom-client';
import type { AnyRegistry } from './family';
import type { CollectorTiming } from '../pipeline/types';
import type { BuildInfo } from '../version';
import { readSelfProcess, type SelfProcess } from '../read/self';
import * as N from '@procsight/contract';
import { AUTH_FAILURE_REASONS, COLLECT_ERROR_REASONS, type CollectErrorReason } from '@procsight/contract';

/** Shortest interval between two reads of the exporter's own process figures (process_*), in ms. */
const SELF_READ_MS = 500;

/** Methods of prom-client's metrics that change a value (startTimer ends in observe or set). */
const CHANGING_METHODS = ['inc', 'dec', 'set', 'observe', 'reset', 'zero'] as const;

/** The exporter watching itself: event-driven metrics updated by the pipeline, analysis, forecaster, API. */
export class SelfMetrics {
  readonly collectDuration: Histogram<string>;
  readonly lastCollectDuration: Gauge<string>;
  readonly lastCollectTimestamp: Gauge<string>;
  readonly collectErrors: Counter<'reason'>;
  readonly processesRead: Counter<string>;
  readonly collectorDuration: Gauge<'collector'>;
  readonly collectorSuccess: Gauge<'collector'>;
  readonly groupsTracked: Gauge<string>;
  readonly groupsOverflowed: Gauge<string>;
  readonly pidsTracked: Gauge<string>;
  readonly analysisDuration: Histogram<string>;
  readonly analysisErrors: Counter<'stage'>;
  readonly apiErrors: Counter<'reason'>;
  readonly checkpointErrors: Counter<'op'>;
  readonly authFailures: Counter<'reason'>;
  readonly fitDuration: Histogram<'model'>;
  readonly fitsFailed: Counter<'reason'>;
  readonly workerRestarts: Counter<string>;
  readonly frontRestarts: Counter<string>;
  readonly backfillRefused: Counter<'reason'>;
  readonly suggestionOutcomes: Counter<'kind' | 'action' | 'outcome'>;
  readonly suggestionSeverityFall: Gauge<'kind' | 'action'>;
  readonly remediationActions: Counter<'action' | 'status'>;
  readonly remediationPending: Gauge<string>;
  readonly kubernetesErrors: Counter<'reason'>;
  readonly kubernetesPods: Gauge<string>;

  /** The exporter's own process_* series, read at each scrape (the self registry is rendered at each scrape). */
  private static registerProcessMetrics(registers: AnyRegistry[]): void {
    const P = N.SELF_PROCESS_NAMES;
    let last: SelfProcess | null = null;
    // One read per rendering (the first family's collect reads, the others reuse it), and at most one every
    // SELF_READ_MS: the self-metrics are rendered several times a cycle, and counting /proc/self/fd
    // grows with the descriptors the collector holds open.
    let lastAt = -Infinity;
    const read = (): SelfProcess => {
      const now = performance.now();
      if (last === null || now - lastAt >= SELF_READ_MS) {
        last = readSelfProcess();
        lastAt = now;
      }
      return last;
    };
    const gauge = (name: string, help: string, pick: (p: SelfProcess) => number | null, first = false): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const v = pick(first || last === null ? read() : last);
          this.reset();
          if (v !== null) this.set(v);
        },
      });
    };
    new Counter({
      name: P.cpuSecondsTotal,
      help: 'Total user and system CPU time of the procsight process, in seconds.',
      registers,
      collect() {
        this.reset();
        this.inc(read().cpuSeconds);
      },
    });
    gauge(P.residentMemoryBytes, 'Resident memory of the procsight process, in bytes.', (p) => p.residentBytes);
    gauge(P.virtualMemoryBytes, 'Virtual memory of the procsight process, in bytes.', (p) => p.virtualBytes);
    gauge(P.openFds, 'Open file descriptors of the procsight process.', (p) => p.openFds);
    gauge(P.maxFds, 'Soft limit of open file descriptors of the procsight process.', (p) => p.maxFds);
    gauge(P.startTimeSeconds, 'Start time of the procsight process since the Unix epoch, in seconds.', (p) => p.startTimeSeconds);
  }

  /** `build`: the facts of `buildInfo()`; those not given are 'unknown' (tests give the version only). */
  constructor(registers: AnyRegistry[], build: Pick<BuildInfo, 'version'> & Partial<BuildInfo>) {
    this.registers = registers;
    new Gauge({
      name: N.BUILD_INFO,
      help: 'procsight build facts, as --version prints them (value 1): version, git revision and date of the build (unknown when the build recorded none), Node version, os/arch.',
      labelNames: ['version', 'revision', 'build_date', 'node_version', 'platform'],
      registers,
    }).set(
      {
        version: build.version,
        revision: build.revision ?? 'unknown',
        build_date: build.buildDate ?? 'unknown',
        node_version: build.nodeVersion ?? process.version,
        platform: build.platform ?? `${process.platform}/${process.arch}`,
      },
      1,
    );
    this.collectDuration = new Histogram({
      name: N.COLLECT_DURATION_SECONDS,
      help: 'Duration of collection cycles (read, track, group, host).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.lastCollectDuration = new Gauge({ name: N.LAST_COLLECT_DURATION_SECONDS, help: 'Duration of the last collection cycle.', registers });
    this.lastCollectTimestamp = new Gauge({
      name: N.LAST_COLLECT_TIMESTAMP_SECONDS,
      help: 'Unix time the last collection cycle finished (alert when it stops moving).',
      registers,
    });
    this.collectErrors = new Counter({
      name: N.COLLECT_ERRORS_TOTAL,
      help:
        'Collection problems by reason: vanished (process exited mid-read: normal churn), permission (file refused: the exporter lacks privileges; partial data), ' +
        'protected (file refused although the exporter is privileged: the process is shielded by the kernel; partial data, expected), parse, io, host.',
      labelNames: ['reason'],
      registers,
    });
    for (const r of COLLECT_ERROR_REASONS) this.collectErrors.inc({ reason: r }, 0);
    this.processesRead = new Counter({ name: N.COLLECT_PROCESSES_TOTAL, help: 'Process samples read.', registers });
    this.collectorDuration = new Gauge({
      name: N.COLLECTOR_DURATION_SECONDS,
      help: 'Duration of each collector in the last cycle.',
      labelNames: ['collector'],
      registers,
    });
    this.collectorSuccess = new Gauge({
      name: N.COLLECTOR_SUCCESS,
      help: 'Whether each collector succeeded in the last cycle (1) or failed (0).',
      labelNames: ['collector'],
      registers,
    });
    this.groupsTracked = new Gauge({ name: N.GROUPS_TRACKED, help: 'Groups currently exported.', registers });
    this.groupsOverflowed = new Gauge({
      name: N.GROUPS_OVERFLOWED,
      help: 'Distinct groups folded into group="other" in the last cycle because limits.max_groups was reached.',
      registers,
    });
    this.pidsTracked = new Gauge({ name: N.PIDS_TRACKED, help: 'Processes currently tracked.', registers });
    this.analysisDuration = new Histogram({
      name: N.ANALYSIS_DURATION_SECONDS,
      help: 'Duration of the analysis step after each collection (features, anomaly, bottlenecks, suggestions).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.analysisErrors = new Counter({ name: N.ANALYSIS_ERRORS_TOTAL, help: 'Analysis steps that failed, by stage.', labelNames: ['stage'], registers });
    this.apiErrors = new Counter({ name: N.API_ERRORS_TOTAL, help: 'API requests answered with an error, by reason.', labelNames: ['reason'], registers });
    this.checkpointErrors = new Counter({
      name: N.CHECKPOINT_ERRORS_TOTAL,
      help: 'Checkpoint writes or restores that failed, by operation.',
      labelNames: ['op'],
      registers,
    });
    this.authFailures = new Counter({
      name: N.AUTH_FAILURES_TOTAL,
      help: 'Requests and TLS connections refused by --web.config.file: no_credentials, bad_credentials (wrong user or password), rate_limited (429 after repeated failures, bcrypt not run), client_cert.',
      labelNames: ['reason'],
      registers,
    });
    for (const r of AUTH_FAILURE_REASONS) this.authFailures.inc({ reason: r }, 0);
    this.fitDuration = new Histogram({
      name: N.FORECAST_FIT_DURATION_SECONDS,
      help: 'Duration of forecast model fits in the worker.',
      labelNames: ['model'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.fitsFailed = new Counter({
      name: N.FORECAST_FITS_FAILED_TOTAL,
      help: 'Forecast fits that failed or were rejected, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.frontRestarts = new Counter({
      name: N.HTTP_FRONT_RESTARTS_TOTAL,
      help: 'Restarts of the HTTP front thread (it serves /metrics and passes every other request on) after it stopped unexpectedly.',
      registers,
    });
    this.workerRestarts = new Counter({ name: N.FORECAST_WORKER_RESTARTS_TOTAL, help: 'Restarts of the forecast worker (after a WASM crash).', registers });
    this.backfillRefused = new Counter({
      name: N.FORECAST_BACKFILL_REFUSED_TOTAL,
      help: "Start-up backfills of forecast history refused because this exporter's instance in Prometheus was not found (no_instance) or not unique (ambiguous_instance); set --history.instance.",
      labelNames: ['reason'],
      registers,
    });
    this.suggestionOutcomes = new Counter({
      name: N.SUGGESTION_OUTCOMES_TOTAL,
      help: "Measured outcomes of actions operators marked applied: resolved (the bottleneck cleared within 30 minutes) or persisted (still active after them). Continues from the checkpoint after a restart; the ranking's prior per action learns from it.",
      labelNames: ['kind', 'action', 'outcome'],
      registers,
    });
    this.suggestionSeverityFall = new Gauge({
      name: N.SUGGESTION_OUTCOME_SEVERITY_FALL,
      help: "Mean fall of the bottleneck's severity (0-1 scale) over the measured outcomes of an applied action: the severity when applied minus the severity when it cleared (0) or 30 minutes later; negative when it rose.",
      labelNames: ['kind', 'action'],
      registers,
    });
    this.remediationActions = new Counter({
      name: N.REMEDIATION_ACTIONS_TOTAL,
      help: 'Remediation actions entering each status: pending (awaiting approval), dry_run, done, failed, refused (no rule, kill switch, cooldown, rate limit, rejected, timed out), rolled_back; action="none" for alerts no rule matched.',
      labelNames: ['action', 'status'],
      registers,
    });
    this.remediationPending = new Gauge({ name: N.REMEDIATION_PENDING_ACTIONS, help: 'Remediation actions awaiting approval (approve mode).', registers });
    this.kubernetesErrors = new Counter({
      name: N.KUBERNETES_ERRORS_TOTAL,
      help: 'Failures following the pods of this node in the Kubernetes API (--kubernetes.enabled), by reason: list, watch (HTTP or connection), decode (an answer that is not a pod list or watch event). Pod labels are stale meanwhile; retried with a doubling wait.',
      labelNames: ['reason'],
      registers,
    });
    this.kubernetesPods = new Gauge({
      name: N.KUBERNETES_PODS,
      help: 'Pods of this node in the Kubernetes cache (0 without --kubernetes.enabled).',
      registers,
    });
    SelfMetrics.registerProcessMetrics(registers);
  }

  /**
   * Calls `listener` after every change of these metrics (inc, dec, set,
   * observe, reset), so that the HTTP front, which keeps a copy of their
   * rendering, gets a fresh one at once.
   */
  onChange(listener: () => void): void {
    for (const metric of Object.values(this)) {
      if (!(metric instanceof Counter || metric instanceof Gauge || metric instanceof Histogram)) continue;
      const methods = metric as unknown as Record<string, unknown>;
      for (const name of CHANGING_METHODS) {
        const original = methods[name];
        if (typeof original !== 'function') continue;
        methods[name] = function (this: unknown, ...args: unknown[]): unknown {
          const result: unknown = original.apply(this, args);
          listener();
          return result;
        };
      }
    }
  }

  /** process-exporter's error tallies (namedprocess_scrape_*), while its series are exported. */
  private peErrors: { scrape: number; procread: number; partial: number } | null = null;
  private registers: AnyRegistry[] = [];

  /**
   * process-exporter's three error series, from the same events as
   * procsight_collect_errors_total: scrape_errors a cycle that could not list
   * the processes, procread_errors a process whose read failed (io, parse),
   * partial_errors a file refused (permission, protected). Typed gauge so that
   * OpenMetrics keeps process-exporter's names, which lack _total.
   */
  registerProcessExporterErrors(): void {
    if (this.peErrors) return;
    const tallies = (this.peErrors = { scrape: 0, procread: 0, partial: 0 });
    const PE = N.PROCESS_EXPORTER_NAMES;
    const gauge = (name: string, help: string, pick: () => number) =>
      new Gauge({
        name,
        help,
        registers: this.registers,
        collect() {
          this.set(pick());
        },
      });
    gauge(PE.scrapeErrors, 'general scrape errors: no proc metrics collected during a cycle', () => tallies.scrape);
    gauge(PE.scrapeProcreadErrors, "incremented each time a proc's metrics collection fails", () => tallies.procread);
    gauge(
      PE.scrapePartialErrors,
      "incremented each time a tracked proc's metrics collection fails partially, e.g. unreadable I/O stats",
      () => tallies.partial,
    );
  }

  /** Kubernetes is followed: its error reasons exist at 0 from start. */
  enableKubernetes(): void {
    for (const reason of ['list', 'watch', 'decode']) this.kubernetesErrors.inc({ reason }, 0);
  }

  /** A cycle that failed as a whole (counted as reason="io" too). */
  observeCycleFailure(): void {
    this.collectErrors.inc({ reason: 'io' });
    if (this.peErrors) this.peErrors.scrape++;
  }

  observeCycle(c: {
    seconds: number;
    finishedMs: number;
    errors: Partial<Record<CollectErrorReason, number>>;
    processesRead: number;
    collectors: readonly CollectorTiming[];
    groups: number;
    overflowed: number;
    pids: number;
  }): void {
    this.collectDuration.observe(c.seconds);
    this.lastCollectDuration.set(c.seconds);
    this.lastCollectTimestamp.set(c.finishedMs / 1000);
    for (const [reason, n] of Object.entries(c.errors)) if (n) this.collectErrors.inc({ reason }, n);
    if (this.peErrors) {
      const e = c.errors;
      this.peErrors.procread += (e.io ?? 0) + (e.parse ?? 0);
      this.peErrors.partial += (e.permission ?? 0) + (e.protected ?? 0);
    }
    this.processesRead.inc(c.processesRead);
    for (const t of c.collectors) {
      this.collectorDuration.set({ collector: t.collector }, t.seconds);
      this.collectorSuccess.set({ collector: t.collector }, t.success ? 1 : 0);
    }
    this.groupsTracked.set(c.groups);
    this.groupsOverflowed.set(c.overflowed);
    this.pidsTracked.set(c.pids);
  }
}
