import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../util/module-worker';
import { HOST_GROUP, HOST_INFO, type ForecastResource, compareText } from '@procsight/contract';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { Forecast } from './types';
import type { GroupSnapshot } from '../../group/types';
import type { ForecastConfig } from './config';
import { HORIZON_SECONDS } from './horizons';
import { DEFAULT_PARAMS, type ForecastParams } from './params';
import { install, jobsFor } from './fitting';
import { ForecastSeries, type Limit } from './series';
import type { TimedPoint } from './trend';
import type { WorkerFit, WorkerJob, WorkerRequest, WorkerResponse } from './worker';
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

/** Checkpoint of the histories (version 1: `histories` is the short tier, read by older exporters too). */
export interface ForecasterState {
  version: 1;
  histories: Record<string, number[]>;
  tiers?: Record<string, { short?: ReturnType<ForecastSeries['short']['toJSON']>; capacity?: ReturnType<ForecastSeries['capacity']['toJSON']> }>;
}

/** Main-thread time per ingest for recomputing fit-based times to exhaustion (about 1 ms a series). */
const EXHAUSTION_BUDGET_MS = 3;
/** Main-thread time per ingest for cold-start trends (about 0.1 ms a series). */
const COLD_BUDGET_MS = 4;
/** Main-thread time per `current()` for the times to exhaustion of first fits. */
const FIRST_EXHAUSTION_BUDGET_MS = 20;
/** How long the worker thread stays after a refit round before it ends (the next round starts it again). */
const WORKER_IDLE_MS = 10_000;

const key = (group: string, resource: ForecastResource): string => `${group}\u0000${resource}`;

/**
 * Forecasts per group (cpu, memory, fds, io) for the top groups plus the
 * host's available memory, and for groups whose fds or memory head for a
 * limit. `ingest` only appends to bounded histories and re-anchors the served
 * fits on each new point; a cold pass every few seconds fits the cold-start
 * trend (cheap, on this thread); tier refits run in a worker thread on a
 * timer; `current()` serves as of now. See docs/forecasts.md.
 */
export class Forecaster {
  private readonly series = new Map<string, ForecastSeries>();
  private worker: Worker | null = null;
  private idleStop: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending = new Map<number, { resolve(r: WorkerResponse): void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private limits: Limits = { cpus: 1, memoryAvailable: 0, groups: new Map() };
  private usage = new Map<string, number>();
  private refitting: Promise<void> | null = null;
  private watch: string[] = [];
  private readonly now: () => number;
  private readonly params: ForecastParams;
  private readonly horizons: Array<[string, number]>;

  constructor(
    private readonly opts: {
      config: ForecastConfig;
      params?: ForecastParams;
      now?: () => number;
      hooks?: ForecasterHooks;
      logger?: Logger;
      /** Runs a refit's jobs; default: the worker thread (tests pass a fitter to fail chosen series). */
      fit?: (jobs: WorkerJob[]) => Promise<WorkerResponse>;
      /** How long the worker thread stays after a refit round, in ms (default WORKER_IDLE_MS). */
      workerIdleMs?: number;
    },
  ) {
    this.now = opts.now ?? Date.now;
    this.params = opts.params ?? DEFAULT_PARAMS;
    this.horizons = opts.config.horizons.map((h) => [h, HORIZON_SECONDS[h]] as [string, number]);
  }

  private seriesFor(group: string, resource: ForecastResource): ForecastSeries {
    const k = key(group, resource);
    let s = this.series.get(k);
    if (!s) {
      this.evictIfFull();
      s = new ForecastSeries(k, group, resource, this.opts.config, this.params);
      this.series.set(k, s);
    }
    return s;
  }

  /** At most `max_series` series: the one seen least recently goes (a group that came and went). */
  private evictIfFull(): void {
    if (this.series.size < this.opts.config.max_series) return;
    let oldest: string | null = null;
    let oldestMs = Infinity;
    for (const [k, s] of this.series) {
      if (s.lastMs < oldestMs) {
        oldest = k;
        oldestMs = s.lastMs;
      }
    }
    if (oldest !== null) this.series.delete(oldest);
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
        if (v !== null) this.seriesFor(g.name, r).add(v, t);
      }
      this.limits.groups.set(g.name, { rss: g.gauges.rssBytes, fds: g.gauges.openFds, fdRatio: g.gauges.fdLimitRatio });
      this.usage.set(g.name, (g.rates?.cpuCores ?? 0) / cpus + g.gauges.rssBytes / memTotal);
    }
    if (snapshot.host.memoryTotalBytes > 0) this.seriesFor(HOST_GROUP, 'memory_available').add(snapshot.host.memoryAvailableBytes, t);
    // Forget series unseen for longer than the capacity history spans.
    const { config } = this.opts;
    const keepMs = config.capacity.history_points * config.capacity.step_seconds * 1000;
    for (const [k, s] of this.series) if (t - s.lastMs > keepMs) this.series.delete(k);
    for (const g of this.usage.keys()) if (!this.limits.groups.has(g)) this.usage.delete(g);
    this.coldPass();
    this.refreshExhaustion(t);
  }

  /**
   * Recomputes the fit-based times to exhaustion of the served series that
   * got new points or a new fit, the longest-unrefreshed first, within
   * EXHAUSTION_BUDGET_MS per ingest: every series gets new points at the same
   * minute, and scanning them all at once would hold up a scrape.
   */
  private refreshExhaustion(nowMs: number): void {
    const dirty = this.selected()
      .map((k) => this.series.get(k))
      .filter((s): s is ForecastSeries => s !== undefined && s.mature && s.exhaustionDirty)
      .sort((a, b) => a.exhaustionComputedAtMs - b.exhaustionComputedAtMs);
    const t0 = performance.now();
    for (const s of dirty) {
      if (performance.now() - t0 > EXHAUSTION_BUDGET_MS) break;
      s.refreshFitExhaustion(nowMs, this.limitsFor(s.group, s.resource));
    }
  }

  /** The limits a series' exhaustion is measured against. */
  private limitsFor(group: string, resource: ForecastResource): Limit[] {
    const out: Limit[] = [];
    const g = this.limits.groups.get(group);
    if (resource === 'memory' && g) out.push({ limit: 'host_memory', value: g.rss + this.limits.memoryAvailable, falling: false });
    if (resource === 'cpu') out.push({ limit: 'host_cpus', value: this.limits.cpus, falling: false });
    // The worst process's fds grow in proportion to the group's: the group reaches the limit at fds / ratio.
    if (resource === 'fds' && g && g.fds > 0 && g.fdRatio > 0) out.push({ limit: 'fd_limit', value: g.fds / g.fdRatio, falling: false });
    if (resource === 'memory_available') out.push({ limit: 'zero', value: 0, falling: true });
    const t = this.opts.config.thresholds[resource];
    if (t !== undefined) out.push({ limit: 'threshold', value: t, falling: resource === 'memory_available' });
    return out;
  }

  /**
   * Cold-start trends, within COLD_BUDGET_MS per ingest: for the selected
   * series and for every group's fds and memory (the watch list: groups
   * heading for a limit, the closest first). Series still in their cold start
   * first, then the longest unrefreshed; a history with no new point since
   * its last fit is skipped.
   */
  private coldPass(): void {
    const { config } = this.opts;
    const selected = new Set(this.selected());
    const todo: ForecastSeries[] = [];
    for (const s of this.series.values()) {
      const watchable = s.resource === 'fds' || s.resource === 'memory';
      if ((selected.has(s.key) || watchable) && s.coldStale) todo.push(s);
    }
    const young = (s: ForecastSeries): number => (s.mature ? 1 : 0);
    todo.sort((a, b) => young(a) - young(b) || a.coldRefreshedAtMs - b.coldRefreshedAtMs);
    const t0 = performance.now();
    for (const s of todo) {
      if (performance.now() - t0 > COLD_BUDGET_MS) break;
      s.refreshCold(this.limitsFor(s.group, s.resource), this.now());
    }
    const top = new Set(this.selectedTop());
    const candidates: Array<[string, number]> = [];
    for (const s of this.series.values()) {
      if ((s.resource !== 'fds' && s.resource !== 'memory') || top.has(s.key)) continue;
      const secs = s.coldSeconds();
      if (secs <= config.exhaustion_max_seconds) candidates.push([s.group, secs]);
    }
    const seen = new Set<string>();
    this.watch = candidates
      .sort((a, b) => a[1] - b[1])
      .map(([g]) => g)
      .filter((g) => !seen.has(g) && seen.add(g))
      .slice(0, config.watch_groups);
  }

  start(): void {
    if (!this.opts.config.enabled || this.timer) return;
    const tick = (): void => {
      this.refit({ dueOnly: true })
        .catch((e: unknown) => {
          this.opts.hooks?.onFitFailed?.('refit');
          this.opts.logger?.warn({ err: errorMessage(e) }, 'forecast refit failed');
        })
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, Math.min(60, this.opts.config.refit_seconds) * 1000);
        });
    };
    this.timer = setTimeout(tick, 1000);
  }

  async stop(): Promise<void> {
    this.cancelIdleStop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.refitting?.catch(() => undefined);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    await this.dropWorker();
  }

  /** Ends the worker thread (the next refit starts another). */
  private async dropWorker(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  /** The forecasts as seen now: horizons from now, each from the fit that serves it, re-anchored on the newest points. */
  current(): Forecast[] {
    const now = this.now();
    const out: Forecast[] = [];
    const t0 = performance.now();
    for (const k of this.selected()) {
      const s = this.series.get(k);
      if (!s) continue;
      // A first fit's times to exhaustion are computed here within a budget (the rest by the ingests, within theirs).
      if (s.exhaustionMissing && performance.now() - t0 < FIRST_EXHAUSTION_BUDGET_MS) s.refreshFitExhaustion(now, this.limitsFor(s.group, s.resource));
      const f = s.build(now, this.horizons, this.opts.config.level);
      if (f) out.push(f);
    }
    return out;
  }

  /**
   * The times to exhaustion served now for a group's resource (empty when
   * none): what `procsight_forecast_exhaustion_seconds` shows, for evidence
   * that must agree with it.
   */
  exhaustionOf(group: string, resource: ForecastResource): Forecast['exhaustion'] {
    return this.series.get(key(group, resource))?.exhaustion(this.now()) ?? [];
  }

  /**
   * Seconds until a group's fds reach its open-files limit or its memory the
   * host's available memory, on the mean path: the number
   * `procsight_forecast_exhaustion_seconds{bound="mean"}` shows, which the
   * bottleneck evidence quotes. Null when no forecast crosses the limit.
   */
  exhaustionSeconds(group: string, resource: 'fds' | 'memory'): number | null {
    const limit = resource === 'fds' ? 'fd_limit' : 'host_memory';
    return this.exhaustionOf(group, resource).find((e) => e.limit === limit)?.seconds ?? null;
  }

  /**
   * A group resource's recent points (seconds, value; the cold-start
   * history: 5 s points over the last 30 min by default), for
   * `trendExhaustion` (trend.ts) against another limit.
   */
  recentPoints(group: string, resource: ForecastResource): TimedPoint[] {
    return this.series.get(key(group, resource))?.coldPoints() ?? [];
  }

  /** The top groups by CPU + memory share, as series keys. */
  private selectedTop(): string[] {
    const top = [...this.usage.entries()]
      .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
      .slice(0, this.opts.config.top_groups)
      .map(([g]) => g);
    return [...top.flatMap((g) => GROUP_RESOURCES.map((r) => key(g, r))), key(HOST_GROUP, 'memory_available')];
  }

  /** Keys served and fitted: the top groups, the host, and the watch list. */
  private selected(): string[] {
    const top = this.selectedTop();
    const inTop = new Set(top);
    const extra = this.watch.flatMap((g) => GROUP_RESOURCES.map((r) => key(g, r))).filter((k) => !inTop.has(k));
    return [...top, ...extra];
  }

  /** One refit of the selected series in the worker (tests call it; the timer refits only what is due). */
  refit(opts: { dueOnly?: boolean } = {}): Promise<void> {
    if (!this.refitting) {
      this.cancelIdleStop();
      this.refitting = this.doRefit(opts.dueOnly ?? false).finally(() => {
        this.refitting = null;
        this.scheduleIdleStop();
      });
    }
    return this.refitting;
  }

  /**
   * The worker ends WORKER_IDLE_MS after a refit round and starts again with
   * the next (at most one a minute): its heap (about 10 MB with the thread)
   * is not held between rounds for the tens of milliseconds a start costs.
   */
  private scheduleIdleStop(): void {
    if (!this.worker || this.idleStop) return;
    // refit() cancels this timer before it starts a round, so nothing is pending when it fires.
    this.idleStop = setTimeout(() => {
      this.idleStop = null;
      void this.dropWorker();
    }, this.opts.workerIdleMs ?? WORKER_IDLE_MS);
    this.idleStop.unref();
  }

  /** Whether the worker thread is running now. */
  hasWorker(): boolean {
    return this.worker !== null;
  }

  private cancelIdleStop(): void {
    if (this.idleStop) clearTimeout(this.idleStop);
    this.idleStop = null;
  }

  private async doRefit(dueOnly: boolean): Promise<void> {
    const { config } = this.opts;
    const now = this.now();
    const jobs: WorkerJob[] = [];
    const horizonsSeconds = this.horizons.map(([, x]) => x);
    for (const k of this.selected()) {
      const s = this.series.get(k);
      if (s) jobs.push(...jobsFor(s, { config, params: this.params, horizonsSeconds, nowMs: now, dueOnly }));
    }
    if (jobs.length === 0) return;
    const res = await (this.opts.fit ?? ((j: WorkerJob[]) => this.send(j)))(jobs);
    if ('fatal' in res) {
      this.opts.hooks?.onFitFailed?.('worker');
      this.restartWorker(res.fatal);
      return;
    }
    const fittedAt = this.now();
    for (const f of res.failures) {
      this.opts.hooks?.onFitFailed?.('error');
      this.opts.logger?.debug({ series: f.key.replace('\u0000', '/'), tier: f.tier, err: f.reason }, 'forecast fit failed');
      this.dropStale(f.key, f.tier, fittedAt);
    }
    for (const r of res.results) {
      this.opts.hooks?.onFit?.(r.seconds, r.models.map((m) => m.name).join('+'));
      this.install(r, fittedAt);
    }
  }

  private install(r: WorkerFit, fittedAt: number): void {
    const s = this.series.get(r.key);
    if (s) install(s, r, fittedAt);
  }

  /**
   * A series whose fit failed keeps its last good fit (re-anchored on new
   * points) until that fit is older than its tier's longest horizon.
   */
  private dropStale(k: string, tier: string, now: number): void {
    const s = this.series.get(k);
    if (!s) return;
    const served = tier === 'capacity' ? s.servedCapacity : s.servedShort;
    if (!served) return;
    const longestMs = served.longestSteps * served.stepSeconds * 1000;
    if (now - served.fittedAtMs >= longestMs) {
      if (tier === 'capacity') s.servedCapacity = null;
      else s.servedShort = null;
      s.invalidate();
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = moduleWorker(__dirname, 'worker');
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
    void this.dropWorker();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ id, fatal: reason });
    }
    this.pending.clear();
  }

  private send(jobs: WorkerJob[]): Promise<WorkerResponse> {
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
    const start = end - config.capacity.history_points * config.capacity.step_seconds;
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
   * (those with its `instance` label): the short tier at its step over its
   * span, the capacity tier at its step over up to two weeks, so a restarted
   * exporter forecasts at once, the daily cycle included.
   */
  async backfill(opts: {
    prometheusUrl: string;
    instance: string;
    fetchImpl?: typeof fetch;
  }): Promise<{ series: number; points: number; capacityPoints: number }> {
    const { config } = this.opts;
    const filled = new Set<string>();
    let points = 0;
    let capacityPoints = 0;
    for (const tier of ['short', 'capacity'] as const) {
      const step = tier === 'short' ? config.step_seconds : config.capacity.step_seconds;
      const span = tier === 'short' ? config.history_points * step : config.capacity.history_points * step;
      const end = this.now() / 1000;
      const n = await this.backfillTier({ ...opts, step, start: end - span, end, tier, filled });
      if (tier === 'short') points += n;
      else capacityPoints += n;
    }
    return { series: filled.size, points, capacityPoints };
  }

  private async backfillTier(opts: {
    prometheusUrl: string;
    instance: string;
    fetchImpl?: typeof fetch;
    step: number;
    start: number;
    end: number;
    tier: 'short' | 'capacity';
    filled: Set<string>;
  }): Promise<number> {
    const inst = `instance=${JSON.stringify(opts.instance)}`;
    const rate = `${Math.max(2 * opts.step, 60)}s`;
    const queries: Array<[ForecastResource, string]> = [
      ['cpu', `sum by (group) (rate(procsight_group_cpu_seconds_total{${inst}}[${rate}]))`],
      ['memory', `sum by (group) (procsight_group_memory_bytes{type="resident",${inst}})`],
      ['fds', `sum by (group) (procsight_group_open_fds{${inst}})`],
      ['io', `sum by (group) (rate(procsight_group_io_bytes_total{${inst}}[${rate}]))`],
      ['memory_available', `sum(procsight_host_memory_bytes{type="available",${inst}})`],
    ];
    const doFetch = opts.fetchImpl ?? fetch;
    let points = 0;
    for (const [resource, q] of queries) {
      const url = `${opts.prometheusUrl}/api/v1/query_range?${new URLSearchParams({ query: q, start: String(opts.start), end: String(opts.end), step: String(opts.step) })}`;
      const res = await doFetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`query_range ${resource}: HTTP ${res.status}`);
      const body = (await res.json()) as { status: string; data?: { result?: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
      for (const r of body.data?.result ?? []) {
        const group = resource === 'memory_available' ? HOST_GROUP : r.metric.group;
        if (!group) continue;
        const s = this.seriesFor(group, resource);
        const ring = opts.tier === 'short' ? s.short : s.capacity;
        if (ring.length > 0) continue; // live data wins
        for (const [t, v] of r.values) {
          const x = Number(v);
          // The value at t stands for the bucket ending at t.
          ring.putBucket(Math.round(Number(t) / opts.step) - 1, Number.isFinite(x) ? x : NaN);
          if (Number.isFinite(x)) points++;
        }
        ring.lastMs = this.now();
        s.cold.lastMs = this.now();
        if (resource !== 'memory_available' && !this.usage.has(group)) this.usage.set(group, 0);
        opts.filled.add(s.key);
      }
    }
    return points;
  }

  toJSON(): ForecasterState {
    const histories: ForecasterState['histories'] = {};
    const tiers: NonNullable<ForecasterState['tiers']> = {};
    for (const [k, s] of this.series) {
      histories[k] = s.short.values().filter((v) => Number.isFinite(v));
      tiers[k] = { short: s.short.toJSON(), capacity: s.capacity.toJSON() };
    }
    return { version: 1, histories, tiers };
  }

  restore(state: ForecasterState): void {
    const now = this.now();
    for (const [k, t] of Object.entries(state.tiers ?? {})) {
      const [group, resource] = k.split('\u0000') as [string, ForecastResource];
      if (!group || !resource) continue;
      const s = this.seriesFor(group, resource);
      if (t.short) s.short.restore(t.short, now);
      if (t.capacity) s.capacity.restore(t.capacity, now);
      s.cold.lastMs = now;
    }
    // A version-1 checkpoint of an older exporter: short-tier values only, taken to end now.
    for (const [k, values] of Object.entries(state.histories)) {
      if (state.tiers?.[k]) continue;
      const [group, resource] = k.split('\u0000') as [string, ForecastResource];
      if (!group || !resource || !Array.isArray(values)) continue;
      const s = this.seriesFor(group, resource);
      const step = s.short.stepSeconds;
      const newest = Math.floor(now / 1000 / step) - 1;
      const vals = values.slice(-s.short.capacity);
      s.short.restore({ step, newest, values: vals.map((v) => (Number.isFinite(v) ? v : null)) }, now);
      s.cold.lastMs = now;
    }
  }
}
