/**
 * One forecast series (a group's resource, or the host's available memory):
 * its three bounded histories (cold-start, short tier, capacity tier), the
 * tier fits it is served from, and how a forecast for any time ahead is
 * read: capacity horizons from the capacity tier, short ones from the short
 * tier (or the capacity tier where its backtest was better), either only as
 * far as `horizon_factor` × its history reaches, and the cold-start trend
 * where no tier fit serves yet.
 */
import type { Forecast, ForecastPoint, ForecastResource } from '../../types';
import { coldAt, coldFit, type ColdFit } from './cold';
import type { ForecastConfig } from './config';
import { TimeRing } from './history';
import type { ForecastParams } from './params';
import { firstCrossing, ServedTier } from './serve';
import { CAPACITY_FROM_SECONDS, preferCapacity } from './tiers';
import { trendExhaustion, type TimedPoint } from './trend';

export interface Limit {
  limit: string;
  value: number;
  falling: boolean;
}

type Exhaustion = Forecast['exhaustion'][number];

interface Served {
  mean: number;
  lower: number;
  upper: number;
  model: string;
  accuracy: { mase: number | null; coverage: number | null };
}

/** The served times to exhaustion, as computed at `atMs`. */
interface TimedExhaustion {
  atMs: number;
  list: Exhaustion[];
}

export class ForecastSeries {
  readonly cold: TimeRing;
  readonly short: TimeRing;
  readonly capacity: TimeRing;
  servedShort: ServedTier | null = null;
  servedCapacity: ServedTier | null = null;
  coldFit: ColdFit | null = null;
  private coldValues: number[] = [];
  private coldExhaustion: TimedExhaustion | null = null;
  private fitExhaustion: TimedExhaustion | null = null;
  private pathCache: ForecastPoint[] | null = null;

  constructor(
    readonly key: string,
    readonly group: string,
    readonly resource: ForecastResource,
    private readonly config: ForecastConfig,
    private readonly params: ForecastParams,
  ) {
    this.cold = new TimeRing(config.cold_start.step_seconds, config.cold_start.points);
    this.short = new TimeRing(config.step_seconds, config.history_points);
    this.capacity = new TimeRing(config.capacity.step_seconds, config.capacity.history_points);
  }

  get lastMs(): number {
    return this.cold.lastMs;
  }

  /** A sample: into every history; the served fits take the points it closed (re-anchoring). */
  add(v: number, tMs: number): void {
    this.cold.add(v, tMs);
    const s = this.short.add(v, tMs);
    if (s.length > 0) {
      this.servedShort?.feed(s, this.short.newestEndMs);
      this.invalidate();
    }
    const c = this.capacity.add(v, tMs);
    if (c.length > 0) {
      this.servedCapacity?.feed(c, this.capacity.newestEndMs);
      this.invalidate();
    }
  }

  invalidate(): void {
    this.fitExhaustion = null;
    this.pathCache = null;
  }

  /** Seconds of finite history a ring holds. */
  private static spanSeconds(r: TimeRing): number {
    return r.finiteCount() * r.stepSeconds;
  }

  /** The cold-start points (seconds, value). */
  coldPoints(): TimedPoint[] {
    return this.cold.timed();
  }

  /** Refits the cold-start trend and its times to exhaustion (the cold pass, every few seconds). */
  refreshCold(limits: readonly Limit[]): void {
    const c = this.config.cold_start;
    const points = this.coldPoints();
    this.coldFit = c.enabled ? coldFit(points, { horizonFactor: c.horizon_factor, level: this.config.level, minPoints: c.min_points, minSpanSeconds: c.min_span_seconds }) : null;
    this.coldValues = this.cold.values();
    if (!this.coldFit) {
      this.coldExhaustion = null;
      return;
    }
    const list: Exhaustion[] = [];
    const maxSeconds = Math.min(this.config.exhaustion_max_seconds, this.coldFit.reachSeconds);
    for (const l of limits) {
      const e = trendExhaustion(points, l.value, { falling: l.falling, level: this.config.level, maxSeconds, minPoints: c.min_points, minSpanSeconds: c.min_span_seconds });
      if (e && (e.seconds !== null || e.earliestSeconds !== null)) list.push({ limit: l.limit, limitValue: l.value, seconds: e.seconds, earliestSeconds: e.earliestSeconds });
    }
    // Counted from the newest cold point, which is at most a cold step old.
    this.coldExhaustion = { atMs: this.coldFit.lastT * 1000, list };
    this.pathCache = null;
  }

  /** Shortest cold-start time to exhaustion (mean) for watch selection; Infinity when none. */
  coldSeconds(): number {
    let best = Infinity;
    for (const e of this.coldExhaustion?.list ?? []) if (e.seconds !== null) best = Math.min(best, e.seconds);
    return best;
  }

  /** Whether a tier fit serves this series (the cold start is over). */
  get mature(): boolean {
    return this.servedShort !== null || this.servedCapacity !== null;
  }

  /** The forecast `aheadSeconds` past `nowMs`, from whichever fit serves that far. */
  at(nowMs: number, aheadSeconds: number): Served | null {
    const factor = this.config.cold_start.horizon_factor;
    const fromTier = (t: ServedTier | null, ring: TimeRing): Served | null => {
      if (!t || aheadSeconds > factor * ForecastSeries.spanSeconds(ring)) return null;
      const k = t.stepsAhead(nowMs, aheadSeconds * 1000);
      const p = t.at(k);
      if (!p) return null;
      const acc = t.accuracy(Math.round(aheadSeconds / t.stepSeconds));
      return { ...p, accuracy: { mase: acc?.mase ?? null, coverage: acc?.coverage ?? null } };
    };
    let served: Served | null = null;
    if (aheadSeconds >= CAPACITY_FROM_SECONDS) {
      served = fromTier(this.servedCapacity, this.capacity);
    } else {
      const short = fromTier(this.servedShort, this.short);
      const capSteps = this.servedCapacity ? Math.round(aheadSeconds / this.servedCapacity.stepSeconds) : 0;
      const shortSteps = this.servedShort ? Math.round(aheadSeconds / this.servedShort.stepSeconds) : 0;
      const useCapacity = capSteps >= 1 && preferCapacity(this.servedShort?.accuracy(shortSteps), this.servedCapacity?.accuracy(capSteps));
      served = (useCapacity ? fromTier(this.servedCapacity, this.capacity) : null) ?? short;
    }
    if (served || !this.coldFit) return served;
    // Cold start: from the newest cold point.
    const ahead = (nowMs - this.coldFit.lastT * 1000) / 1000 + aheadSeconds;
    const p = coldAt(this.coldFit, this.coldValues, this.cold.stepSeconds, ahead, this.params);
    return p ? { ...p, model: this.coldFit.model, accuracy: { mase: null, coverage: null } } : null;
  }

  /** Offsets (seconds) scanned for a crossing: each short step to 6 h, each capacity step to 7 days, hourly beyond. */
  private scanOffsets(): number[] {
    const out: number[] = [];
    const max = this.config.exhaustion_max_seconds;
    const ss = this.config.step_seconds;
    const cs = this.config.capacity.step_seconds;
    for (let t = ss; t < Math.min(CAPACITY_FROM_SECONDS, max); t += ss) out.push(t);
    for (let t = Math.max(cs, CAPACITY_FROM_SECONDS); t <= Math.min(7 * 86_400, max); t += cs) out.push(t);
    for (let t = 7 * 86_400 + 3600; t <= max; t += 3600) out.push(t);
    return out;
  }

  /** Times to exhaustion from the tier fits' paths (mean and pessimistic bound), cached until a new point or fit. */
  private fitExhaustionAt(nowMs: number, limits: readonly Limit[]): TimedExhaustion | null {
    if (!this.mature) return null;
    if (this.fitExhaustion) return this.fitExhaustion;
    const offsets = this.scanOffsets();
    const current = this.cold.last();
    const list: Exhaustion[] = [];
    const cache = new Map<number, Served | null>();
    const point = (t: number): Served | null => {
      if (!cache.has(t)) cache.set(t, this.at(nowMs, t));
      return cache.get(t) ?? null;
    };
    for (const l of limits) {
      const mean = firstCrossing((t) => point(t)?.mean ?? null, offsets, l.value, { falling: l.falling, current });
      const pess = firstCrossing((t) => (l.falling ? point(t)?.lower : point(t)?.upper) ?? null, offsets, l.value, { falling: l.falling, current });
      if (mean !== null || pess !== null) list.push({ limit: l.limit, limitValue: l.value, seconds: mean, earliestSeconds: pess });
    }
    this.fitExhaustion = { atMs: nowMs, list };
    return this.fitExhaustion;
  }

  /**
   * Times to exhaustion now: the tier fits' crossings, or the cold-start
   * trend's where it is significant and earlier (a leak that started since
   * the last fits, or a series still in its cold start).
   */
  exhaustion(nowMs: number, limits: readonly Limit[]): Exhaustion[] {
    const age = (e: TimedExhaustion | null): Exhaustion[] =>
      (e?.list ?? []).map((x) => {
        const a = (nowMs - e!.atMs) / 1000;
        return { ...x, seconds: x.seconds === null ? null : Math.max(0, x.seconds - a), earliestSeconds: x.earliestSeconds === null ? null : Math.max(0, x.earliestSeconds - a) };
      });
    const fit = age(this.fitExhaustionAt(nowMs, limits));
    const cold = age(this.coldExhaustion);
    const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
    const max = this.config.exhaustion_max_seconds;
    const byLimit = new Map<string, Exhaustion>();
    for (const e of [...fit, ...cold]) {
      const prev = byLimit.get(e.limit);
      byLimit.set(e.limit, prev ? { ...e, seconds: min(prev.seconds, e.seconds), earliestSeconds: min(prev.earliestSeconds, e.earliestSeconds) } : e);
    }
    return [...byLimit.values()]
      .map((e) => ({ ...e, seconds: e.seconds !== null && e.seconds > max ? null : e.seconds, earliestSeconds: e.earliestSeconds !== null && e.earliestSeconds > max ? null : e.earliestSeconds }))
      .filter((e) => e.seconds !== null || e.earliestSeconds !== null);
  }

  /** The path for the API: every short step to the longest short horizon, then hourly to the longest horizon. */
  private path(nowMs: number, horizons: ReadonlyArray<[string, number]>): ForecastPoint[] {
    if (this.pathCache) return this.pathCache;
    const longest = Math.max(0, ...horizons.map(([, s]) => s));
    const shortLongest = Math.max(0, ...horizons.map(([, s]) => s).filter((s) => s < CAPACITY_FROM_SECONDS));
    const offsets: number[] = [];
    const ss = this.config.step_seconds;
    for (let t = ss; t <= shortLongest; t += ss) offsets.push(t);
    for (let t = Math.max(3600, Math.ceil((shortLongest + 1) / 3600) * 3600); t <= longest; t += 3600) offsets.push(t);
    const out: ForecastPoint[] = [];
    for (const t of offsets) {
      const p = this.at(nowMs, t);
      if (p) out.push({ timestampMs: nowMs + t * 1000, mean: p.mean, lower: p.lower, upper: p.upper });
    }
    this.pathCache = out;
    return out;
  }

  /** The forecast as served at `nowMs`; null when nothing serves any horizon yet. */
  build(nowMs: number, horizons: ReadonlyArray<[string, number]>, limits: readonly Limit[], level: number): Forecast | null {
    const points: Forecast['horizons'] = {};
    const accuracy: Forecast['accuracy'] = {};
    const models: string[] = [];
    for (const [label, seconds] of horizons) {
      const p = this.at(nowMs, seconds);
      if (!p) continue;
      const nonNegative = (x: number): number => Math.max(0, x);
      points[label] = { timestampMs: nowMs + seconds * 1000, mean: nonNegative(p.mean), lower: nonNegative(p.lower), upper: nonNegative(p.upper) };
      if (p.accuracy.mase !== null || p.accuracy.coverage !== null) accuracy[label] = p.accuracy;
      if (!models.includes(p.model)) models.push(p.model);
    }
    const exhaustion = this.exhaustion(nowMs, limits);
    if (models.length === 0 && exhaustion.length === 0) return null;
    const fittedAtMs = Math.max(this.servedShort?.fittedAtMs ?? 0, this.servedCapacity?.fittedAtMs ?? 0) || (this.coldFit ? this.coldFit.lastT * 1000 : nowMs);
    return { group: this.group, resource: this.resource, model: models.join('+') || (this.coldFit?.model ?? 'none'), fittedAtMs, level, horizons: points, path: this.path(nowMs, horizons), exhaustion, accuracy };
  }
}
