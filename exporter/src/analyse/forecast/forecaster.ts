import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HOST_GROUP, HOST_INFO, type ForecastResource } from '@procsight/contract';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { Forecast, ForecastPoint } from './types';
import type { GroupSnapshot } from '../../group/types';
import { HORIZON_SECONDS, type ForecastConfig } from './config';
import { forecastAsOf } from './as-of';
import { crossing } from './models';
import type { FitJob, FitResult, WorkerRequest, WorkerResponse } from './worker';
import { errorMessage } from '../../util/error-message';

const GROUP_RESOURCES: readonly ForecastResource[] = ['cpu', 'memory', 'fds', 'io'];

function resourceValue(g: GroupSnapshot, r: ForecastResource): number | null {
  switch (r) {
    case 'cpu':
      return g.rates?.cpuCores ?? null;
    case 'memory':
      return g.gauges.rssBytes;
    case 'fds':
      return g.gauges.openFds;
    case 'io':
      return g.rates ? g.rates.readBytesPerSecond + g.rates.writeBytesPerSecond : null;
    default:
      return null;
  }
}

/** Downsampled history of one series: `step_seconds` buckets, at most `history_points`. */
class History {
  values: number[] = [];
  lastMs = 0;
  private sum = 0;
  private count = 0;
  private bucketStartMs = -1;
  constructor(private readonly stepMs: number, private readonly cap: number) {}
  add(v: number, tMs: number): void {
    if (this.bucketStartMs < 0) this.bucketStartMs = tMs;
    this.sum += v;
    this.count++;
    this.lastMs = tMs;
    if (tMs - this.bucketStartMs >= this.stepMs) {
      this.push(this.sum / this.count);
      this.sum = 0;
      this.count = 0;
      this.bucketStartMs = tMs;
    }
  }
  push(v: number): void {
    this.values.push(v);
    if (this.values.length > this.cap) this.values.splice(0, this.values.length - this.cap);
  }
}

/** This exporter's `instance` label in Prometheus, or why it could not be told apart. */
export type InstanceMatch = { instance: string } | { refused: 'no_instance' | 'ambiguous_instance'; candidates: string[] };

export interface ForecasterHooks {
  onFit?(seconds: number, model: string): void;
  onFitFailed?(reason: string): void;
  onWorkerRestart?(): void;
}

interface Logger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Context for exhaustion limits, remembered from the latest snapshot. */
interface Limits {
  cpus: number;
  memoryAvailable: number;
  groups: Map<string, { rss: number; fds: number; fdRatio: number }>;
}

/**
 * Forecasts per group (cpu, memory, fds, io) for the top groups plus the
 * host's available memory. `ingest` only appends to bounded, downsampled
 * histories; fits run in a worker thread on a timer; `current()` serves the
 * last results. See docs/forecasts.md.
 */
export class Forecaster {
  private readonly histories = new Map<string, History>();
  private forecasts: Forecast[] = [];
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = new Map<number, { resolve(r: WorkerResponse): void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private limits: Limits = { cpus: 1, memoryAvailable: 0, groups: new Map() };
  private usage = new Map<string, number>();
  private refitting: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly opts: {
      config: ForecastConfig;
      now?: () => number;
      hooks?: ForecasterHooks;
      logger?: Logger;
      /** Runs a refit's jobs; default: the worker thread (tests pass a fitter to fail chosen series). */
      fit?: (jobs: FitJob[]) => Promise<WorkerResponse>;
    },
  ) {
    this.now = opts.now ?? Date.now;
  }

  private history(key: string): History {
    let h = this.histories.get(key);
    if (!h) {
      h = new History(this.opts.config.step_seconds * 1000, this.opts.config.history_points);
      this.histories.set(key, h);
    }
    return h;
  }

  ingest(snapshot: CollectionSnapshot): void {
    const t = snapshot.timestampMs;
    const memTotal = snapshot.host.memoryTotalBytes || 1;
    const cpus = snapshot.host.cpus || 1;
    this.limits = { cpus, memoryAvailable: snapshot.host.memoryAvailableBytes, groups: new Map() };
    for (const g of snapshot.groups) {
      if (g.overflow) continue;
      for (const r of GROUP_RESOURCES) {
        const v = resourceValue(g, r);
        if (v !== null) this.history(`${g.name}\u0000${r}`).add(v, t);
      }
      this.limits.groups.set(g.name, { rss: g.gauges.rssBytes, fds: g.gauges.openFds, fdRatio: g.gauges.fdLimitRatio });
      this.usage.set(g.name, (g.rates?.cpuCores ?? 0) / cpus + g.gauges.rssBytes / memTotal);
    }
    if (snapshot.host.memoryTotalBytes > 0) this.history(`${HOST_GROUP}\u0000memory_available`).add(snapshot.host.memoryAvailableBytes, t);
    // Forget series unseen for longer than the history spans.
    const horizonMs = this.opts.config.history_points * this.opts.config.step_seconds * 1000;
    for (const [k, h] of this.histories) if (t - h.lastMs > horizonMs) this.histories.delete(k);
    for (const g of this.usage.keys()) if (!this.limits.groups.has(g)) this.usage.delete(g);
  }

  start(): void {
    if (!this.opts.config.enabled || this.timer) return;
    const tick = (): void => {
      this.refit()
        .catch((e: unknown) => {
          this.opts.hooks?.onFitFailed?.('refit');
          this.opts.logger?.warn({ err: errorMessage(e) }, 'forecast refit failed');
        })
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.config.refit_seconds * 1000);
        });
    };
    this.timer = setTimeout(tick, 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.refitting?.catch(() => undefined);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    await this.worker?.terminate();
    this.worker = null;
  }

  /** The last forecasts, as seen now (horizons and times to exhaustion count from now, not from the fit). */
  current(): Forecast[] {
    const now = this.now();
    const { config } = this.opts;
    const opts = { stepSeconds: config.step_seconds, horizonSeconds: HORIZON_SECONDS, longestSeconds: Math.max(...config.horizons.map((h) => HORIZON_SECONDS[h])) };
    return this.forecasts.map((f) => forecastAsOf(f, now, opts));
  }

  /** Keys to forecast now: the top groups by CPU + memory share, plus the host. */
  private selected(): string[] {
    const top = [...this.usage.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, this.opts.config.top_groups)
      .map(([g]) => g);
    return [...top.flatMap((g) => GROUP_RESOURCES.map((r) => `${g}\u0000${r}`)), `${HOST_GROUP}\u0000memory_available`];
  }

  /** One refit of every selected series in the worker (also callable from tests). */
  refit(): Promise<void> {
    if (!this.refitting) this.refitting = this.doRefit().finally(() => (this.refitting = null));
    return this.refitting;
  }

  private async doRefit(): Promise<void> {
    const { config } = this.opts;
    const stepS = config.step_seconds;
    const jobs: FitJob[] = [];
    for (const key of this.selected()) {
      const h = this.histories.get(key);
      if (!h || h.values.length < config.min_points) continue;
      const horizons = config.horizons.map((x) => Math.round(HORIZON_SECONDS[x] / stepS)).filter((steps) => steps <= h.values.length);
      if (horizons.length === 0) continue;
      // The path runs one refit period past the longest horizon, so that until the next
      // refit every horizon still has a point at now + horizon (forecastAsOf).
      const pathSteps = Math.max(...horizons) + Math.ceil(config.refit_seconds / stepS);
      jobs.push({ key, series: [...h.values], horizons, pathSteps, level: config.level, origins: config.backtest_origins, nonNegative: true });
    }
    if (jobs.length === 0) return;
    const res = await (this.opts.fit ?? ((j: FitJob[]) => this.send(j)))(jobs);
    if ('fatal' in res) {
      this.opts.hooks?.onFitFailed?.(/RuntimeError|unreachable|memory access/i.test(res.fatal) ? 'wasm_crash' : 'worker');
      this.restartWorker(res.fatal);
      return;
    }
    for (const f of res.failures) {
      this.opts.hooks?.onFitFailed?.('error');
      this.opts.logger?.debug({ series: f.key.replace('\u0000', '/'), err: f.reason }, 'forecast fit failed');
    }
    const fittedAt = this.now();
    const next: Forecast[] = [];
    for (const r of res.results) {
      this.opts.hooks?.onFit?.(r.seconds, r.model);
      next.push(this.toForecast(r, fittedAt));
    }
    // A series whose fit failed keeps its last good forecast (fittedAtMs tells its age)
    // until it is older than the longest horizon, when nothing of it is ahead any more.
    const previous = new Map(this.forecasts.map((f) => [`${f.group}\u0000${f.resource}`, f]));
    const maxAgeMs = Math.max(...config.horizons.map((h) => HORIZON_SECONDS[h])) * 1000;
    for (const f of res.failures) {
      const kept = previous.get(f.key);
      if (kept && fittedAt - kept.fittedAtMs < maxAgeMs) next.push(kept);
    }
    this.forecasts = next;
  }

  private toForecast(r: FitResult, fittedAt: number): Forecast {
    const { config } = this.opts;
    const stepS = config.step_seconds;
    const [group, resource] = r.key.split('\u0000') as [string, ForecastResource];
    const path: ForecastPoint[] = r.mean.map((m, i) => ({ timestampMs: fittedAt + (i + 1) * stepS * 1000, mean: m, lower: r.lower[i], upper: r.upper[i] }));
    const horizons: Record<string, ForecastPoint> = {};
    const accuracy: Forecast['accuracy'] = {};
    for (const hz of config.horizons) {
      const steps = Math.round(HORIZON_SECONDS[hz] / stepS);
      if (steps <= path.length && r.accuracy[String(steps)]) {
        horizons[hz] = path[steps - 1];
        accuracy[hz] = r.accuracy[String(steps)];
      }
    }
    return { group, resource, model: r.model, fittedAtMs: fittedAt, level: config.level, horizons, path, exhaustion: this.exhaustion(group, resource, r), accuracy };
  }

  /**
   * Time until each limit is crossed by the mean path, and by the pessimistic
   * bound (earliest): an entry whenever either crosses within the path, so a
   * crossing by the pessimistic bound alone is not lost (its `seconds` is null).
   */
  private exhaustion(group: string, resource: ForecastResource, r: FitResult): Forecast['exhaustion'] {
    const step = this.opts.config.step_seconds;
    const out: Forecast['exhaustion'] = [];
    const h = this.histories.get(r.key);
    const current = h?.values[h.values.length - 1] ?? r.mean[0];
    const add = (limit: string, limitValue: number, mean: readonly number[], pessimistic: readonly number[], falling: boolean, cur: number): void => {
      const s = crossing(mean, step, limitValue, { falling, current: cur });
      const e = crossing(pessimistic, step, limitValue, { falling, current: cur });
      if (s !== null || e !== null) out.push({ limit, limitValue, seconds: s, earliestSeconds: e });
    };
    const g = this.limits.groups.get(group);
    if (resource === 'memory' && g) add('host_memory', g.rss + this.limits.memoryAvailable, r.mean, r.upper, false, current);
    if (resource === 'cpu') add('host_cpus', this.limits.cpus, r.mean, r.upper, false, current);
    if (resource === 'fds' && g && g.fds > 0 && g.fdRatio > 0) {
      // The worst process's fds grow in proportion to the group's.
      const k = g.fdRatio / g.fds;
      add('fd_limit', 1, r.mean.map((v) => v * k), r.upper.map((v) => v * k), false, g.fdRatio);
    }
    if (resource === 'memory_available') add('zero', 0, r.mean, r.lower, true, current);
    const t = this.opts.config.thresholds[resource];
    if (t !== undefined) {
      const falling = resource === 'memory_available';
      add('threshold', t, r.mean, falling ? r.lower : r.upper, falling, current);
    }
    return out;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const js = join(__dirname, 'worker.js');
    // Built exporter: the compiled worker; tests and tsx: the TypeScript source through tsx.
    const ts = join(__dirname, 'worker.ts');
    const w = existsSync(js)
      ? new Worker(js, { stdout: true })
      : new Worker(`require('tsx/cjs'); require(${JSON.stringify(ts)});`, { eval: true, stdout: true });
    // The arima C code prints diagnostics: keep them out of the exporter's output, at debug.
    w.stdout.on('data', (d: Buffer) => this.opts.logger?.debug({ output: d.toString().trim().slice(0, 500) }, 'forecast worker output'));
    w.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(m.id);
      p.resolve(m);
    });
    w.on('error', (e) => this.restartWorker(e.message));
    w.unref();
    this.worker = w;
    return w;
  }

  private restartWorker(reason: string): void {
    this.opts.logger?.warn({ reason }, 'restarting forecast worker');
    this.opts.hooks?.onWorkerRestart?.();
    const old = this.worker;
    this.worker = null;
    void old?.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ id, fatal: reason });
    }
    this.pending.clear();
  }

  private send(jobs: FitJob[]): Promise<WorkerResponse> {
    const w = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.opts.hooks?.onFitFailed?.('timeout');
        this.restartWorker('fit timeout');
        resolve({ id, fatal: 'timeout' });
      }, this.opts.config.fit_timeout_seconds * 1000);
      this.pending.set(id, { resolve, timer });
      w.postMessage({ id, jobs } satisfies WorkerRequest);
    });
  }

  /**
   * The `instance` label Prometheus gives this exporter, found by this host's
   * hostname in `procsight_host_info` over the history window. Refused when
   * no instance or more than one matches: backfilling from the wrong host, or
   * from several summed, would forecast on someone else's data.
   */
  async findInstance(opts: { prometheusUrl: string; hostname: string; fetchImpl?: typeof fetch }): Promise<InstanceMatch> {
    const { config } = this.opts;
    const end = this.now() / 1000;
    const start = end - config.history_points * config.step_seconds;
    const match = `${HOST_INFO}{hostname=${JSON.stringify(opts.hostname)}}`;
    const url = `${opts.prometheusUrl}/api/v1/series?${new URLSearchParams({ 'match[]': match, start: String(start), end: String(end) })}`;
    const res = await (opts.fetchImpl ?? fetch)(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`series ${HOST_INFO}: HTTP ${res.status}`);
    const body = (await res.json()) as { data?: Array<Record<string, string>> };
    const instances = [...new Set((body.data ?? []).map((l) => l.instance).filter((i): i is string => Boolean(i)))].sort();
    if (instances.length === 1) return { instance: instances[0] };
    return { refused: instances.length === 0 ? 'no_instance' : 'ambiguous_instance', candidates: instances };
  }

  /**
   * Fills empty histories from Prometheus with this exporter's own series
   * (those with its `instance` label), so a restarted exporter forecasts at once.
   */
  async backfill(opts: { prometheusUrl: string; instance: string; fetchImpl?: typeof fetch }): Promise<{ series: number; points: number }> {
    const { config } = this.opts;
    const end = this.now() / 1000;
    const start = end - config.history_points * config.step_seconds;
    const inst = `instance=${JSON.stringify(opts.instance)}`;
    const rate = `${Math.max(2 * config.step_seconds, 60)}s`;
    const queries: Array<[ForecastResource, string]> = [
      ['cpu', `sum by (group) (rate(procsight_group_cpu_seconds_total{${inst}}[${rate}]))`],
      ['memory', `sum by (group) (procsight_group_memory_bytes{type="resident",${inst}})`],
      ['fds', `sum by (group) (procsight_group_open_fds{${inst}})`],
      ['io', `sum by (group) (rate(procsight_group_io_bytes_total{${inst}}[${rate}]))`],
      ['memory_available', `sum(procsight_host_memory_bytes{type="available",${inst}})`],
    ];
    const doFetch = opts.fetchImpl ?? fetch;
    let series = 0;
    let points = 0;
    for (const [resource, q] of queries) {
      const url = `${opts.prometheusUrl}/api/v1/query_range?${new URLSearchParams({ query: q, start: String(start), end: String(end), step: String(config.step_seconds) })}`;
      const res = await doFetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`query_range ${resource}: HTTP ${res.status}`);
      const body = (await res.json()) as { status: string; data?: { result?: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
      for (const s of body.data?.result ?? []) {
        const group = resource === 'memory_available' ? HOST_GROUP : s.metric.group;
        if (!group) continue;
        const h = this.history(`${group}\u0000${resource}`);
        if (h.values.length > 0) continue; // live data wins
        for (const [, v] of s.values) {
          const n = Number(v);
          if (Number.isFinite(n)) {
            h.push(n);
            points++;
          }
        }
        h.lastMs = this.now();
        if (resource !== 'memory_available' && !this.usage.has(group)) this.usage.set(group, 0);
        series++;
      }
    }
    return { series, points };
  }

  toJSON(): { version: 1; histories: Record<string, number[]> } {
    return { version: 1, histories: Object.fromEntries([...this.histories].map(([k, h]) => [k, h.values])) };
  }

  restore(s: { version: 1; histories: Record<string, number[]> }): void {
    const now = this.now();
    for (const [k, values] of Object.entries(s.histories)) {
      const h = this.history(k);
      if (h.values.length > 0) continue;
      for (const v of values.slice(-this.opts.config.history_points)) if (Number.isFinite(v)) h.push(v);
      h.lastMs = now;
    }
  }
}
