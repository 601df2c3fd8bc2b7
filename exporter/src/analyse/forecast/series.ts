/**
 * One forecast series (a group's resource, or the host's available memory):
 * its three bounded histories (cold-start, short tier, capacity tier), the
 * tier fits it is served from, and how a forecast for any time ahead is
 * read: capacity horizons from the capacity tier, short ones from the short
 * tier (or the capacity tier where its backtest was better), either only as
 * far as `horizon_factor` × its history reaches, and the cold-start trend
 * where no tier fit serves yet.
 */
import type { Forecast, ForecastPoint } from './types';
import type { ForecastResource } from '@procsight/contract';
import { coldAt, coldFit, type ColdFit } from './cold';
import type { ForecastConfig } from './config';
import { TimeRing } from './history';
import type { ForecastParams } from './params';
import type { HorizonFit } from './job';
import { ServedTier } from './serve';
import { CAPACITY_FROM_SECONDS, preferCapacity } from './tiers';
import { trendExhaustion, type TimedPoint } from './trend';

export interface Limit {
  limit: string;
  value: number;
  falling: boolean;
}

type Exhaustion = Forecast['exhaustion'][number];

interface Served {
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
  private coldRefreshedPushed = -1;
  /** When the cold-start trend was last fitted (ms). */
  coldRefreshedAtMs = -Infinity;
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
    this.took(this.short.add(v, tMs), this.capacity.add(v, tMs));
  }

  /** Closes the histories' open buckets at `tMs` (the evaluation's replay: "now" is a data step's end). */
  flush(tMs: number): void {
    this.cold.flush(tMs);
    this.took(this.short.flush(tMs), this.capacity.flush(tMs));
  }

  private took(short: number[], capacity: number[]): void {
    if (short.length > 0) {
      this.servedShort?.feed(short, this.short.newestEndMs);
      this.invalidate();
    }
    if (capacity.length > 0) {
      this.servedCapacity?.feed(capacity, this.capacity.newestEndMs);
      this.invalidate();
    }
  }

  /** New points or a new fit: the path and (once the forecaster gets to it) the times to exhaustion are recomputed. */
  invalidate(): void {
    this.exhaustionDirty = true;
    this.pathCache = null;
  }

  /** Whether new points or a new fit came since the times to exhaustion were computed. */
  exhaustionDirty = true;

  /** Seconds of finite history a ring holds. */
  private static spanSeconds(r: TimeRing): number {
    return r.finiteCount() * r.stepSeconds;
  }

  /** The cold-start points (seconds, value). */
  coldPoints(): TimedPoint[] {
    return this.cold.timed();
  }

  /** Refits the cold-start trend and its times to exhaustion (the cold pass, every few seconds). */
  refreshCold(limits: readonly Limit[], nowMs: number): void {
    const c = this.config.cold_start;
    this.coldRefreshedPushed = this.cold.pushed;
    this.coldRefreshedAtMs = nowMs;
    const points = this.coldPoints();
    this.coldFit = c.enabled
      ? coldFit(points, {
          forecastFactor: c.forecast_factor,
          horizonFactor: c.horizon_factor,
          level: this.config.level,
          minPoints: c.min_points,
          minSpanSeconds: c.min_span_seconds,
        })
      : null;
    this.coldValues = this.cold.values();
    if (!this.coldFit) {
      this.coldExhaustion = null;
      return;
    }
    const list: Exhaustion[] = [];
    const maxSeconds = Math.min(this.config.exhaustion_max_seconds, this.coldFit.exhaustionReachSeconds);
    // Rates (cpu, io) revert to their mean: a trend over minutes says little about exhaustion. Their times come from the tier fits only.
    const accumulates = this.resource !== 'cpu' && this.resource !== 'io';
    for (const l of accumulates ? limits : []) {
      const e = trendExhaustion(points, l.value, {
        falling: l.falling,
        level: this.config.level,
        maxSeconds,
        minPoints: c.min_points,
        minSpanSeconds: c.min_span_seconds,
      });
      if (e && (e.seconds !== null || e.earliestSeconds !== null))
        list.push({ limit: l.limit, limitValue: l.value, seconds: e.seconds, earliestSeconds: e.earliestSeconds });
    }
    // Counted from the newest cold point, which is at most a cold step old.
    this.coldExhaustion = { atMs: this.coldFit.lastT * 1000, list };
    this.pathCache = null;
  }

  /** Whether the cold-start history has new points since the trend was fitted. */
  get coldStale(): boolean {
    return this.cold.pushed !== this.coldRefreshedPushed;
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

  /** The tier fit serving `aheadSeconds`, or null (then the cold start, if any). */
  private tierFor(aheadSeconds: number): { tier: ServedTier; ring: TimeRing } | null {
    if (aheadSeconds >= CAPACITY_FROM_SECONDS)
      return this.reaches(this.servedCapacity, this.capacity, aheadSeconds) ? { tier: this.servedCapacity!, ring: this.capacity } : null;
    const cap = this.servedCapacity;
    const short = this.servedShort;
    if (cap) {
      const capSteps = Math.round(aheadSeconds / cap.stepSeconds);
      const shortFit = short?.accuracy(Math.round(aheadSeconds / short.stepSeconds));
      if (capSteps >= 1 && preferCapacity(shortFit, cap.accuracy(capSteps)) && this.reaches(cap, this.capacity, aheadSeconds))
        return { tier: cap, ring: this.capacity };
    }
    return this.reaches(short, this.short, aheadSeconds) ? { tier: short!, ring: this.short } : null;
  }

  /** A tier serves only as far as `horizon_factor` × the history it has. */
  private reaches(t: ServedTier | null, ring: TimeRing, aheadSeconds: number): boolean {
    return t !== null && aheadSeconds <= this.config.cold_start.horizon_factor * ForecastSeries.spanSeconds(ring);
  }

  /** The forecast `aheadSeconds` past `nowMs`, from whichever fit serves that far. */
  at(nowMs: number, aheadSeconds: number): { mean: number; lower: number; upper: number; model: string } | null {
    const t = this.tierFor(aheadSeconds);
    if (t) return t.tier.at(t.tier.stepsAhead(nowMs, aheadSeconds * 1000));
    if (!this.coldFit) return null;
    // Cold start: from the newest cold point.
    const ahead = (nowMs - this.coldFit.lastT * 1000) / 1000 + aheadSeconds;
    const p = coldAt(this.coldFit, this.coldValues, this.cold.stepSeconds, ahead, this.params);
    return p ? { ...p, model: this.coldFit.model } : null;
  }

  /** What serves a horizon: a tier's fit (with its backtest and calibration) or the cold start; null when nothing does. */
  explain(aheadSeconds: number): { tier: 'short' | 'capacity'; fit: HorizonFit | undefined } | { tier: 'cold' } | null {
    const t = this.tierFor(aheadSeconds);
    if (t) return { tier: t.ring === this.capacity ? 'capacity' : 'short', fit: t.tier.accuracy(Math.round(aheadSeconds / t.tier.stepSeconds)) };
    return this.coldFit && aheadSeconds <= this.coldFit.reachSeconds ? { tier: 'cold' } : null;
  }

  /** Backtest accuracy of the fit serving a horizon (none for the cold start). */
  private accuracyAt(aheadSeconds: number): Served['accuracy'] {
    const t = this.tierFor(aheadSeconds);
    const h = t?.tier.accuracy(Math.round(aheadSeconds / t.tier.stepSeconds));
    return { mase: h?.mase ?? null, coverage: h?.coverage ?? null };
  }

  /**
   * Offsets (seconds) scanned for a crossing: each short step to 1 h, each
   * capacity step to 1 day, hourly to 7 days, then 2 % apart (about 550
   * points to 30 days).
   */
  private scanOffsets(): number[] {
    const out: number[] = [];
    const max = this.config.exhaustion_max_seconds;
    const ss = this.config.step_seconds;
    const cs = this.config.capacity.step_seconds;
    let t = ss;
    for (; t <= Math.min(3600, max); t += ss) out.push(t);
    for (t = Math.ceil(t / cs) * cs; t <= Math.min(86_400, max); t += cs) out.push(t);
    for (t = Math.ceil(t / 3600) * 3600; t <= Math.min(7 * 86_400, max); t += 3600) out.push(t);
    for (; t <= max; t *= 1.02) out.push(Math.round(t));
    return out;
  }

  /** When the fit-based times were last computed (ms); -Infinity when never (a first fit). */
  get exhaustionComputedAtMs(): number {
    return this.fitExhaustion?.atMs ?? -Infinity;
  }

  /** A fit serves but its times to exhaustion were never computed. */
  get exhaustionMissing(): boolean {
    return this.mature && this.fitExhaustion === null;
  }

  /**
   * Recomputes the times to exhaustion from the tier fits' paths (mean and
   * pessimistic bound, one scan for all limits). About 550 forecast reads: the
   * forecaster spreads these over its ingests (a time budget per ingest).
   */
  refreshFitExhaustion(nowMs: number, limits: readonly Limit[]): void {
    if (!this.mature) {
      this.fitExhaustion = null;
      return;
    }
    const current = this.cold.last();
    type Scan = { prevT: number; prevMean: number; prevBound: number; mean: number | null; bound: number | null };
    const scans: Scan[] = limits.map(() => ({ prevT: 0, prevMean: current, prevBound: current, mean: null, bound: null }));
    const past = (l: Limit, v: number): boolean => (l.falling ? v <= l.value : v >= l.value);
    const cross = (l: Limit, t0: number, v0: number, t1: number, v1: number): number =>
      !Number.isFinite(v0) || v1 === v0 ? t1 : t0 + Math.min(1, Math.max(0, (l.value - v0) / (v1 - v0))) * (t1 - t0);
    limits.forEach((l, i) => {
      if (Number.isFinite(current) && past(l, current)) scans[i].mean = scans[i].bound = 0;
    });
    for (const t of this.scanOffsets()) {
      if (scans.every((x) => x.mean !== null && x.bound !== null)) break;
      const p = this.at(nowMs, t);
      if (!p) continue;
      limits.forEach((l, i) => {
        const x = scans[i];
        const b = l.falling ? p.lower : p.upper;
        if (x.mean === null && past(l, p.mean)) x.mean = cross(l, x.prevT, x.prevMean, t, p.mean);
        if (x.bound === null && past(l, b)) x.bound = cross(l, x.prevT, x.prevBound, t, b);
        x.prevT = t;
        x.prevMean = p.mean;
        x.prevBound = b;
      });
    }
    const list: Exhaustion[] = [];
    limits.forEach((l, i) => {
      const x = scans[i];
      if (x.mean !== null || x.bound !== null) list.push({ limit: l.limit, limitValue: l.value, seconds: x.mean, earliestSeconds: x.bound });
    });
    this.fitExhaustion = { atMs: nowMs, list };
    this.exhaustionDirty = false;
  }

  /**
   * Times to exhaustion now: the tier fits' crossings, or the cold-start
   * trend's where it is significant and earlier (a leak that started since
   * the last fits, or a series still in its cold start).
   */
  exhaustion(nowMs: number): Exhaustion[] {
    // Most series head for no limit: asked of every series at every ingest, so no allocation then.
    if (!(this.mature && this.fitExhaustion?.list.length) && !this.coldExhaustion?.list.length) return [];
    const age = (e: TimedExhaustion | null): Exhaustion[] =>
      (e?.list ?? []).map((x) => {
        const a = (nowMs - e!.atMs) / 1000;
        return {
          ...x,
          seconds: x.seconds === null ? null : Math.max(0, x.seconds - a),
          earliestSeconds: x.earliestSeconds === null ? null : Math.max(0, x.earliestSeconds - a),
        };
      });
    const fit = age(this.mature ? this.fitExhaustion : null);
    const cold = age(this.coldExhaustion);
    const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
    const max = this.config.exhaustion_max_seconds;
    const byLimit = new Map<string, Exhaustion>();
    for (const e of [...fit, ...cold]) {
      const prev = byLimit.get(e.limit);
      byLimit.set(e.limit, prev ? { ...e, seconds: min(prev.seconds, e.seconds), earliestSeconds: min(prev.earliestSeconds, e.earliestSeconds) } : e);
    }
    return [...byLimit.values()]
      .map((e) => ({
        ...e,
        seconds: e.seconds !== null && e.seconds > max ? null : e.seconds,
        earliestSeconds: e.earliestSeconds !== null && e.earliestSeconds > max ? null : e.earliestSeconds,
      }))
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
  build(nowMs: number, horizons: ReadonlyArray<[string, number]>, level: number): Forecast | null {
    const points: Forecast['horizons'] = {};
    const accuracy: Forecast['accuracy'] = {};
    const models: string[] = [];
    for (const [label, seconds] of horizons) {
      const p = this.at(nowMs, seconds);
      if (!p) continue;
      const nonNegative = (x: number): number => Math.max(0, x);
      points[label] = { timestampMs: nowMs + seconds * 1000, mean: nonNegative(p.mean), lower: nonNegative(p.lower), upper: nonNegative(p.upper) };
      const acc = this.accuracyAt(seconds);
      if (acc.mase !== null || acc.coverage !== null) accuracy[label] = acc;
      if (!models.includes(p.model)) models.push(p.model);
    }
    const exhaustion = this.exhaustion(nowMs);
    if (models.length === 0 && exhaustion.length === 0) return null;
    const fittedAtMs = Math.max(this.servedShort?.fittedAtMs ?? 0, this.servedCapacity?.fittedAtMs ?? 0) || (this.coldFit ? this.coldFit.lastT * 1000 : nowMs);
    // The path is read only by the API: computed when read (a scrape does not pay for it).
    const path = (): ForecastPoint[] => this.path(nowMs, horizons);
    return {
      group: this.group,
      resource: this.resource,
      model: models.join('+') || (this.coldFit?.model ?? 'none'),
      fittedAtMs,
      level,
      horizons: points,
      get path() {
        return path();
      },
      exhaustion,
      accuracy,
    };
  }
}
