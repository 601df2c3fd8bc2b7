import { calibrate, uncalibrate } from './math';
import { CellAggregator, CELL_AGGREGATOR_BYTES, type Cell } from './cells';
import { BASELINE_CAPACITY, RecentBaseline, RECENT_BASELINE_BYTES } from './baseline';
import { DecayedRange } from './range';
import { DailyProfile, DAILY_PROFILE_BYTES, SLOT_MS } from './seasonal';
import { Likelihood, LIKELIHOOD_BYTES } from './likelihood';
import { AlertGate, ALERT_GATE_BYTES } from './gate';
import { LAG_CAPACITY, LagQueue, LAG_QUEUE_BYTES } from './lag';
import { type Json, num, numOrNaN, obj, nanToNull, StreamCheckpointError } from './checkpoint';
import { resolveOptions, type StreamDetectorOptions } from './options';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * A cell judged against a baseline younger than this weighs less in the
 * likelihoods' fits, in proportion (at 1 minute cells the first scores come
 * from a 12-minute baseline, whose z-scores are wild).
 */
const FIT_AFTER_MS = HOUR_MS;
/** Longest time the baseline's median and MAD are reused before being recomputed. */
const BASELINE_REFRESH_MS = 5 * MINUTE_MS;
/** Checkpoint format version; a different one is refused. */
const STREAM_CHECKPOINT_VERSION = 1;

/**
 * - `learning`: too little history to score yet (null scores);
 * - `settling`: after `restart()`, for the grace time: the start-up transient is neither scored (null) nor learned;
 * - `ready`: scoring and alerting.
 */
export type StreamStatus = 'learning' | 'settling' | 'ready';

/** What one cell was scored as (for evidence and tests). */
export interface StreamComponents {
  /** Likelihood of the level's recent excursion (robust z against the recent baseline). */
  level: number;
  /** Likelihood of the excursion from the daily profile (0 until the profile is ready). */
  seasonal: number;
  /** 1 when the cell lies outside the recent range by the margin. */
  range: number;
  /** The cell's robust z against the recent baseline (signed; evidence: "n σ above its usual level"). */
  z: number;
  /** The learned normal the cell was compared with: the recent baseline's median. */
  baseline: number;
}

/** Largest k of a band (a series whose raw scores are always high could otherwise have an infinite band). */
const MAX_BAND_K = 10;

/**
 * The values the detector treats as usual at a time: `center` ± k · scale,
 * k such that a value held at a bound scores the threshold (see `band`).
 */
export interface StreamBand {
  center: number;
  lower: number;
  upper: number;
  /** `time_of_day`: from the daily profile's slots around the time; `recent`: from the recent baseline. */
  source: 'recent' | 'time_of_day';
}

/**
 * Procsight's univariate streaming anomaly detector: one instance per series.
 * Feed it samples with `update(timestampMs, value)`; it returns an anomaly
 * score in [0, 1] (null while learning) and says when an alert starts.
 *
 * Samples are grouped into cells of at least `minCellSeconds` (`cells.ts`).
 * Each closed cell is scored by three components and the score is their
 * maximum:
 * 1. level: the robust z of the cell against the median and MAD of the
 *    recent baseline (`baselineHours`), σ floored by a fraction of the recent
 *    range, calibrated to [0, 1], then Numenta's anomaly likelihood over it
 *    (`likelihood.ts`);
 * 2. seasonal: the same likelihood over the z against the daily profile
 *    (`seasonal.ts`), once the time of day has been seen on `seasonalMinDays`
 *    days: a missing or displaced daily pattern;
 * 3. range: 1 when the cell leaves the range of the last `rangeDays` days
 *    (as it was `rangeLagMinutes` ago) by `rangeMargin` of its width, with
 *    guards against records of noise (`rangeScore`).
 * An alert starts when the score reaches `alertThreshold` and re-arms after
 * a quiet time (`gate.ts`). Memory is bounded (`bytes()`, about 21 KiB once learned), and
 * the cost per cell is O(cells in the baseline) at most every 5 minutes,
 * O(1) otherwise.
 */
export class StreamDetector {
  readonly options: StreamDetectorOptions;
  private cells = new CellAggregator();
  private baseline = new RecentBaseline();
  private range: DecayedRange;
  private lag = new LagQueue();
  private profile: DailyProfile | null;
  private levelLik: Likelihood;
  private seasonalLik: Likelihood;
  private gate: AlertGate;
  /** Time of the last closed cell (NaN: none). */
  private lastCellT = NaN;
  /** Time of the first cell (NaN: none): a young series' range is not yet established. */
  private firstCellT = NaN;
  /** The baseline's last statistics and when they were computed. */
  private baseStats: { median: number; mad: number } | null = null;
  private baseStatsT = NaN;
  /** A run of cells outside the range: since when (NaN: none), and the range before it. */
  private runStart = NaN;
  private runLo = 0;
  private runHi = 0;
  private score: number | null = null;
  private parts: StreamComponents = { level: 0, seasonal: 0, range: 0, z: 0, baseline: 0 };
  /** A restart's grace: cells before this time are neither scored nor learned; NaN: none pending. */
  private graceUntil = NaN;
  /** Counter mode: the last raw counter sample. */
  private counterT = NaN;
  private counterV = NaN;

  constructor(options: Partial<StreamDetectorOptions> = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.range = new DecayedRange(o.rangeDays);
    this.profile = o.seasonal ? new DailyProfile(this.seasonalOptions()) : null;
    this.levelLik = new Likelihood(o.shortMinutes * MINUTE_MS, o.longDays * DAY_MS);
    this.seasonalLik = new Likelihood(o.shortMinutes * MINUTE_MS, o.longDays * DAY_MS);
    this.gate = new AlertGate(this.gateOptions());
  }

  private seasonalOptions(): { days: number; minDays: number; jitterSlots: number } {
    const o = this.options;
    return { days: o.seasonalDays, minDays: o.seasonalMinDays, jitterSlots: Math.round((o.seasonalJitterMinutes * MINUTE_MS) / SLOT_MS) };
  }

  private gateOptions(): { threshold: number; quietMs: number; rearmFraction: number } {
    const o = this.options;
    return { threshold: o.alertThreshold, quietMs: o.rearmQuietMinutes * MINUTE_MS, rearmFraction: o.rearmFraction };
  }

  private started = false;

  /** Whether the last `update` started an alert. */
  get alertStarted(): boolean {
    return this.started;
  }

  /** Whether an alert is in progress (started and not yet re-armed). */
  get alerting(): boolean {
    return this.gate.active;
  }

  get status(): StreamStatus {
    if (Number.isFinite(this.graceUntil)) return 'settling';
    return this.score === null ? 'learning' : 'ready';
  }

  /** The score of the last closed cell (null while learning or settling), without feeding a sample. */
  get lastScore(): number | null {
    return this.score;
  }

  /** The components of the last scored cell. */
  get components(): Readonly<StreamComponents> {
    return this.parts;
  }

  /** Time of the last cell scored or learned (ms; NaN: none yet): it changes on the updates that close a cell. */
  get lastCellMs(): number {
    return this.lastCellT;
  }

  /** The step between samples the detector has observed (ms; NaN before two samples). */
  get stepMs(): number {
    return this.cells.step();
  }

  /**
   * Adds a sample; returns the score of the latest closed cell (in [0, 1]),
   * or null while learning. A non-finite value or a timestamp not after the
   * previous one is ignored (the previous answer is returned): bad input never
   * throws and never enters the state.
   */
  update(timestampMs: number, value: number): number | null {
    this.started = false;
    if (!Number.isFinite(timestampMs) || !Number.isFinite(value)) return this.score;
    let v = value;
    if (this.options.kind === 'counter') {
      const rate = this.counterRate(timestampMs, value);
      if (rate === null) return this.score;
      v = rate;
    }
    if (Number.isFinite(this.cells.last) && timestampMs <= this.cells.last) return this.score;
    const b = this.options.bounds;
    if (b?.min !== undefined && v < b.min) v = b.min;
    if (b?.max !== undefined && v > b.max) v = b.max;
    this.cells.add(
      timestampMs,
      v,
      (step) => this.cellMs(step),
      (c) => this.onCell(c),
    );
    return this.score;
  }

  /** Counter mode: the rate since the previous sample (per second), or null (first sample, out of order, or a reset: re-based). */
  private counterRate(t: number, v: number): number | null {
    const prevT = this.counterT;
    const prevV = this.counterV;
    if (Number.isFinite(prevT) && t <= prevT) return null;
    this.counterT = t;
    this.counterV = v;
    if (!Number.isFinite(prevT) || v < prevV) return null;
    return (v - prevV) / ((t - prevT) / 1000);
  }

  /** How long a new series learns before its first score at a sampling step of `stepMs`: `minBaselineCells` cells. */
  static learningMs(options: Partial<StreamDetectorOptions>, stepMs: number): number {
    const d = new StreamDetector(options);
    return d.options.minBaselineCells * d.cellMs(stepMs);
  }

  /** Cell span: the minimum, the step, and wide enough that the baseline's span and the range's lag fit their rings. */
  private cellMs(step: number): number {
    const o = this.options;
    const fit = Math.max((o.baselineHours * HOUR_MS) / BASELINE_CAPACITY, (o.rangeLagMinutes * MINUTE_MS) / LAG_CAPACITY);
    return Math.max(o.minCellSeconds * 1000, fit, Number.isFinite(step) ? step : 0);
  }

  private onCell(c: Cell): void {
    const o = this.options;
    if (Number.isFinite(this.graceUntil)) {
      if (c.t < this.graceUntil) return;
      // Back from a restart: the short averages start afresh, not from the transient.
      this.graceUntil = NaN;
      this.levelLik.restartShort();
      this.seasonalLik.restartShort();
      this.runStart = NaN;
      this.lastCellT = NaN;
    }
    const dt = Number.isFinite(this.lastCellT) ? c.t - this.lastCellT : 0;
    this.lastCellT = c.t;
    if (!Number.isFinite(this.firstCellT)) this.firstCellT = c.t;
    const recent = this.range.range(c.t);
    const span = recent ? recent[1] - recent[0] : 0;
    const floor = Math.max(o.scaleFloorOfRange * span, o.minScale, 1e-12);
    const base = this.baselineAt(c.t);
    if (base) {
      const scale = Math.max(1.4826 * base.mad, floor, 1e-9 * Math.abs(base.median));
      const z = (c.value - base.median) / scale;
      // The time this cell stands for: its span, or less after a gap.
      const cellSpan = Math.min(dt > 0 ? dt : Infinity, this.cellMs(this.cells.step()));
      const weight = cellSpan * Math.min(1, (c.t - this.baseline.oldest()) / FIT_AFTER_MS);
      const level = this.levelLik.update(calibrate(z), dt, weight);
      let seasonal = 0;
      const zs = this.profile?.z(c.t, c.value, Math.max(floor, 1e-9 * Math.abs(base.median))) ?? null;
      if (zs !== null) seasonal = this.seasonalLik.update(calibrate(zs), dt, weight);
      const range = this.rangeScore(c, cellSpan, recent, base.median, scale);
      this.parts = { level, seasonal, range, z, baseline: base.median };
      this.score = Math.max(level, seasonal, range);
      this.started = this.gate.update(c.t, this.score);
    }
    this.baseline.push(c.t, c.value, o.baselineHours * HOUR_MS, o.minBaselineCells);
    this.lag.push(c.t, c.value, o.rangeLagMinutes * MINUTE_MS, (t, x) => this.range.add(t, x));
    this.profile?.add(c.t, c.value);
  }

  /**
   * The baseline's median and MAD, recomputed at most every
   * BASELINE_REFRESH_MS (a 12-hour baseline does not move in 5 minutes; at
   * 1-minute cells this divides the cost per cell by five).
   */
  private baselineAt(t: number): { median: number; mad: number } | null {
    if (this.baseStats === null || t - this.baseStatsT >= BASELINE_REFRESH_MS || t < this.baseStatsT) {
      this.baseStats = this.baseline.stats(t - this.options.baselineHours * HOUR_MS, this.options.minBaselineCells);
      this.baseStatsT = t;
    }
    return this.baseStats;
  }

  /**
   * The range rule: 1 when the cell lies outside the recent range by the
   * margin, at least `rangeMarginScales` σ from the baseline's median, and
   * has stayed out for `rangeMinMinutes` (a cell lasts its span, so at 5 min
   * one cell is enough, at 1 min two are needed: a record of a second's noise
   * is not an anomaly). A run of cells outside is judged against the range
   * before the run began.
   */
  private rangeScore(c: Cell, cellDurationMs: number, recent: [number, number] | null, median: number, scale: number): number {
    const o = this.options;
    if (o.rangeMargin === null) return 0;
    const lo = Number.isFinite(this.runStart) ? this.runLo : recent?.[0];
    const hi = Number.isFinite(this.runStart) ? this.runHi : recent?.[1];
    if (lo === undefined || hi === undefined || !(hi > lo) || c.t - this.firstCellT < o.rangeMinAgeHours * HOUR_MS) return 0;
    // A young series sets records of its own noise: the margin is wider until the range has settled.
    const settle = Math.max(1, (o.rangeSettleHours * HOUR_MS) / Math.max(c.t - this.firstCellT, 1));
    const margin = Math.max((hi - lo) * o.rangeMargin * settle, o.minScale);
    const far = Math.abs(c.value - median) >= o.rangeMarginScales * scale;
    if (!(far && (c.value > hi + margin || c.value < lo - margin))) {
      this.runStart = NaN;
      return 0;
    }
    if (!Number.isFinite(this.runStart)) {
      this.runStart = c.t - cellDurationMs;
      this.runLo = lo;
      this.runHi = hi;
    }
    // Far outside (a spike of a minute at 1-minute steps), the cell is news at once; a record of noise is barely outside.
    const instant = (hi - lo) * o.rangeInstantMargin * settle;
    if (c.value > hi + instant || c.value < lo - instant) return 1;
    return c.t - this.runStart >= o.rangeMinMinutes * MINUTE_MS ? 1 : 0;
  }

  /**
   * The learned normal at time t as a band, for display and evidence (it
   * does not change the score). The level channel's band is the recent
   * baseline's median ± k · σ; with `timeOfDay` and the daily profile ready
   * around t, the seasonal channel's band is the profile slots' means ± k ·
   * their scale (the slots a cell is compared with), and the band is where
   * both agree (the seasonal band alone when they do not overlap: at a daily
   * peak the level channel has learned that the day moves). Each k is where
   * that channel's likelihood, under its current fit, reaches `threshold`
   * (the alert threshold by default) for a value held there: a value held
   * outside the band for about an hour scores the threshold. The range rule
   * may still flag a value inside it (a record of the last 30 days). The
   * half-width is at least `minScale`; the band lies within `bounds`. Null
   * while learning or settling.
   */
  band(t: number, opts: { timeOfDay: boolean; threshold?: number }): StreamBand | null {
    const base = this.baseStats;
    if (this.score === null || base === null || Number.isFinite(this.graceUntil)) return null;
    const o = this.options;
    const threshold = opts.threshold ?? o.alertThreshold;
    const recent = this.range.range(t);
    const floor = Math.max(o.scaleFloorOfRange * (recent ? recent[1] - recent[0] : 0), o.minScale, 1e-12);
    const kOf = (raw: number): number => (Number.isNaN(raw) ? NaN : Math.min(MAX_BAND_K, uncalibrate(raw)));
    const kLevel = kOf(this.levelLik.rawFor(threshold));
    const halfLevel = kLevel * Math.max(1.4826 * base.mad, floor, 1e-9 * Math.abs(base.median));
    const level: StreamBand | null = Number.isNaN(kLevel)
      ? null
      : { center: base.median, lower: base.median - halfLevel, upper: base.median + halfLevel, source: 'recent' };
    let seasonal: StreamBand | null = null;
    if (opts.timeOfDay && this.profile) {
      const k = kOf(this.seasonalLik.rawFor(threshold));
      const b = Number.isNaN(k) ? null : this.profile.bandAround(t, k, Math.max(floor, 1e-9 * Math.abs(base.median)));
      if (b) seasonal = { ...b, source: 'time_of_day' };
    }
    let out = seasonal ?? level;
    if (seasonal && level && Math.max(seasonal.lower, level.lower) <= Math.min(seasonal.upper, level.upper)) {
      const lower = Math.max(seasonal.lower, level.lower);
      const upper = Math.min(seasonal.upper, level.upper);
      out = { center: Math.min(upper, Math.max(lower, seasonal.center)), lower, upper, source: 'time_of_day' };
    }
    if (!out) return null;
    out.lower = Math.min(out.lower, out.center - o.minScale);
    out.upper = Math.max(out.upper, out.center + o.minScale);
    const b = o.bounds;
    if (b?.min !== undefined) out.lower = Math.max(out.lower, b.min);
    if (b?.max !== undefined) out.upper = Math.min(out.upper, b.max);
    return out;
  }

  /** The usual change per second: the median slope between consecutive cells of the recent baseline (null while it has too few cells). */
  usualChangePerSecond(t: number): number | null {
    return this.baseline.medianSlope(t - this.options.baselineHours * HOUR_MS, this.options.minBaselineCells);
  }

  /**
   * The series' process restarted (or its group was recreated): for
   * `restartGraceMinutes` the detector neither scores (null, status
   * `settling`) nor learns, so the start-up transient (a CPU burst, memory
   * refilling) raises no alert and leaves no trace; then it goes on against
   * what it knew before. A process that comes back at another level is
   * flagged after the grace, once (the gate).
   */
  restart(timestampMs: number): void {
    this.cells.dropOpen();
    this.profile?.dropOpen();
    this.score = null;
    this.runStart = NaN;
    this.counterT = NaN;
    this.counterV = NaN;
    this.graceUntil = (Number.isFinite(timestampMs) ? timestampMs : this.cells.last) + this.options.restartGraceMinutes * MINUTE_MS;
  }

  /** Forgets everything (a new series under the same name). */
  reset(): void {
    const fresh = new StreamDetector(this.options);
    Object.assign(this, fresh);
  }

  /**
   * Bytes of state held now (typed arrays and fields; excludes the JS object
   * overhead of ~1 KiB): the baseline ring and the lag queue grow with what
   * they hold (at one-minute cells, 12 hours and one).
   */
  bytes(): number {
    return StreamDetector.bytes(this.options) - RECENT_BASELINE_BYTES - LAG_QUEUE_BYTES + this.baseline.bytes + this.lag.bytes;
  }

  /** The most bytes a series can hold with these options (both rings full). */
  static bytes(options: Partial<StreamDetectorOptions> = {}): number {
    const o = resolveOptions(options);
    return (
      CELL_AGGREGATOR_BYTES +
      RECENT_BASELINE_BYTES +
      LAG_QUEUE_BYTES +
      DecayedRange.bytes(o.rangeDays) +
      (o.seasonal ? DAILY_PROFILE_BYTES : 0) +
      2 * LIKELIHOOD_BYTES +
      ALERT_GATE_BYTES +
      12 * 8
    );
  }

  /** A checkpoint (plain JSON; restore with `fromJSON` and the same options). */
  toJSON(): Json {
    return {
      version: STREAM_CHECKPOINT_VERSION,
      cells: this.cells.toJSON(),
      // Cells older than the baseline's span (beyond the fewest it is made of) are never read again.
      baseline: this.baseline.toJSON(this.cells.last - this.options.baselineHours * HOUR_MS, this.options.minBaselineCells),
      range: this.range.toJSON(),
      lag: this.lag.toJSON(),
      profile: this.profile ? this.profile.toJSON() : null,
      levelLik: this.levelLik.toJSON(),
      seasonalLik: this.seasonalLik.toJSON(),
      gate: this.gate.toJSON(),
      lastCellT: nanToNull(this.lastCellT),
      firstCellT: nanToNull(this.firstCellT),
      run: { start: nanToNull(this.runStart), lo: this.runLo, hi: this.runHi },
      baseStats: this.baseStats ? { median: this.baseStats.median, mad: this.baseStats.mad, t: this.baseStatsT } : null,
      score: this.score,
      graceUntil: nanToNull(this.graceUntil),
      counterT: nanToNull(this.counterT),
      counterV: nanToNull(this.counterV),
      parts: { ...this.parts },
    };
  }

  /**
   * Restores a checkpoint written by `toJSON` (with these options). Throws
   * StreamCheckpointError when the version differs or any field is missing,
   * of the wrong type or out of range; a caller then starts a fresh detector.
   */
  static fromJSON(checkpoint: unknown, options: Partial<StreamDetectorOptions> = {}): StreamDetector {
    const j = obj(checkpoint, 'checkpoint');
    if (j.version !== STREAM_CHECKPOINT_VERSION)
      throw new StreamCheckpointError(`checkpoint.version: ${String(j.version)}, expected ${STREAM_CHECKPOINT_VERSION}`);
    const d = new StreamDetector(options);
    const o = d.options;
    d.cells = CellAggregator.fromJSON(j.cells, 'checkpoint.cells');
    d.baseline = RecentBaseline.fromJSON(j.baseline, 'checkpoint.baseline');
    d.range = DecayedRange.fromJSON(j.range, 'checkpoint.range', o.rangeDays);
    d.lag = LagQueue.fromJSON(j.lag, 'checkpoint.lag');
    if (o.seasonal) {
      if (j.profile !== null) d.profile = DailyProfile.fromJSON(j.profile, 'checkpoint.profile', d.seasonalOptions());
    } else d.profile = null;
    d.levelLik = Likelihood.fromJSON(j.levelLik, 'checkpoint.levelLik', o.shortMinutes * MINUTE_MS, o.longDays * DAY_MS);
    d.seasonalLik = Likelihood.fromJSON(j.seasonalLik, 'checkpoint.seasonalLik', o.shortMinutes * MINUTE_MS, o.longDays * DAY_MS);
    d.gate = AlertGate.fromJSON(j.gate, 'checkpoint.gate', d.gateOptions());
    d.lastCellT = numOrNaN(j, 'lastCellT', 'checkpoint');
    d.firstCellT = numOrNaN(j, 'firstCellT', 'checkpoint');
    const run = obj(j.run, 'checkpoint.run');
    d.runStart = numOrNaN(run, 'start', 'checkpoint.run');
    d.runLo = num(run, 'lo', 'checkpoint.run');
    d.runHi = num(run, 'hi', 'checkpoint.run');
    if (j.baseStats !== null) {
      const b = obj(j.baseStats, 'checkpoint.baseStats');
      d.baseStats = { median: num(b, 'median', 'checkpoint.baseStats'), mad: num(b, 'mad', 'checkpoint.baseStats') };
      d.baseStatsT = num(b, 't', 'checkpoint.baseStats');
      if (d.baseStats.mad < 0) throw new StreamCheckpointError('checkpoint.baseStats.mad: negative');
    }
    if (j.score === null) d.score = null;
    else {
      const s = num(j, 'score', 'checkpoint');
      if (s < 0 || s > 1) throw new StreamCheckpointError('checkpoint.score: outside [0, 1]');
      d.score = s;
    }
    d.graceUntil = numOrNaN(j, 'graceUntil', 'checkpoint');
    d.counterT = numOrNaN(j, 'counterT', 'checkpoint');
    d.counterV = numOrNaN(j, 'counterV', 'checkpoint');
    const p = obj(j.parts, 'checkpoint.parts');
    const part = (k: keyof StreamComponents): number => num(p, k, 'checkpoint.parts');
    d.parts = { level: part('level'), seasonal: part('seasonal'), range: part('range'), z: part('z'), baseline: part('baseline') };
    return d;
  }
}
