/**
 * Univariate robust anomaly scoring on a stream, in sample units so the same
 * core serves the exporter (15 s points) and the NAB evaluation (5 min points).
 *
 * Baseline: median and MAD (scaled by 1.4826 to estimate σ) of the last
 * `baseline` points before the newest `recent` ones. The score of the newest
 * point is the robust z of the mean of the `recent` newest points, mapped to
 * [0, 1] by `calibrate`: 0.9 means |z| ≈ 5 for every signal.
 *
 * Time-of-day profile (when `seasonalAfter` > 0): every hour of day (UTC) of
 * every day is summarised, when the hour ends, by the median and MAD of its
 * points (a sample of at most `SLOT_SAMPLE` of them); the last
 * `seasonalDays` days of summaries are kept per hour. Once `seasonalAfter`
 * points of history exist and the current hour has summaries from at least
 * `seasonalMinDays` past days, the baseline is that profile instead of the
 * rolling window: median = median of the past days' medians; σ = the larger
 * of the profile's spread (within the hour: median of the days' MADs;
 * between days: MAD of the days' medians) and today's point-to-point noise
 * (from the median absolute first difference of the rolling window, which a
 * level shift does not inflate). Today's own hour is never part of its
 * baseline, so a sustained shift keeps scoring until it is no longer unusual
 * for that hour on past days, while a nightly batch job that runs every day
 * is not an anomaly.
 */
import { median as ssMedian, medianAbsoluteDeviation } from 'simple-statistics';

export interface RobustOptions {
  /** Points in the baseline window. */
  baseline: number;
  /** Newest points averaged into the value being scored (1 = the point itself). */
  recent: number;
  /** Points needed before any score (warm-up). */
  warmup: number;
  /** Points of history after which the time-of-day profile may be used (0 = never: no profile is kept). */
  seasonalAfter: number;
  /** Smallest σ for this signal, in its units (flat series never give infinite z). */
  minScale: number;
  /** σ never below this fraction of |median|. */
  relativeMinScale: number;
  /**
   * σ never below this fraction of the range (max − min) of every value seen
   * before the newest one (default 0: off). A unit-free floor for series whose
   * units are unknown (the NAB evaluation): a flat series that moves by one
   * quantisation step (CPU 0.1 % → 0.2 %) is not a 20 σ event when it has
   * been seen spanning 0–100 %. The exporter knows its units and uses `minScale`.
   */
  rangeMinScale?: number;
  /** Past days summarised per hour of day in the profile (default `DEFAULT_SEASONAL_DAYS`). */
  seasonalDays?: number;
  /** Past days with a summary of the current hour needed before the profile is used (default 1). */
  seasonalMinDays?: number;
}

const DEFAULT_SEASONAL_DAYS = 7;
/** Time-of-day slots: hours of the UTC day. */
const SLOTS_PER_DAY = 24;
const SLOT_MS = 3_600_000;
/** Points of the current hour kept to summarise it (a uniform reservoir sample beyond that: 240 = one hour of 15 s points). */
const SLOT_SAMPLE = 256;
/** An hour with fewer points (say, the first partial hour at 5-minute points) leaves no summary. */
const MIN_SLOT_POINTS = 4;
/** Profile entries per slot and day: median, MAD (Float64) and the day number (Int32). */
const PROFILE_ENTRY_BYTES = 8 + 8 + 4;

/** Maps |z| to [0, 1]: erf(|z| / (k√2)) with k so that |z| = 5 gives 0.9. */
export function calibrate(z: number): number {
  const K = 5 / 1.6448536269514722; // Φ⁻¹(0.95): erf(5/(K√2)) = 0.9
  return erf(Math.abs(z) / (K * Math.SQRT2));
}

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** Median (simple-statistics: quickselect on a copy, the input is not modified); NaN for no values. */
function median(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : ssMedian(Array.from(values));
}

/** Unscaled median absolute deviation (multiply by 1.4826 for σ); NaN for no values. */
function mad(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : medianAbsoluteDeviation(Array.from(values));
}

/** Serialised scorer (checkpoints). `slot` and `profile` are absent in states written before the per-day profile (they are rebuilt). */
export interface RobustState {
  buf: number[];
  head: number;
  size: number;
  seen: number;
  /** The open hour: absolute hour number, points seen, its sample, the sampler's seed. */
  slot?: { key: number; n: number; values: number[]; rng: number };
  /** Closed hours: [hour of day, day number, median, MAD]. */
  profile?: Array<[number, number, number, number]>;
  /** Smallest and largest value seen (absent in states written before `rangeMinScale`, and while nothing was seen). */
  range?: [number, number];
}

export class RobustScorer {
  private readonly buf: Float64Array;
  private head = 0;
  private size = 0;
  private seen = 0;
  private readonly days: number;
  private readonly minDays: number;
  /** The open hour (absolute hour number since the epoch; -1: none yet), its point count and sample. */
  private slotKey = -1;
  private slotN = 0;
  private readonly slotValues: Float64Array;
  private rng = 12345;
  /** Smallest and largest value seen before the newest (for `rangeMinScale`). */
  private lo = Infinity;
  private hi = -Infinity;
  /** Per hour of day × `days` ring positions (day number mod `days`): median, MAD, day number (-1: empty). */
  private readonly profMed: Float64Array;
  private readonly profMad: Float64Array;
  private readonly profDay: Int32Array;

  constructor(readonly opts: RobustOptions) {
    this.buf = new Float64Array(opts.baseline + opts.recent);
    this.days = Math.max(1, Math.floor(opts.seasonalDays ?? DEFAULT_SEASONAL_DAYS));
    this.minDays = Math.min(this.days, Math.max(1, Math.floor(opts.seasonalMinDays ?? 1)));
    const seasonal = opts.seasonalAfter > 0;
    this.slotValues = new Float64Array(seasonal ? SLOT_SAMPLE : 0);
    const entries = seasonal ? SLOTS_PER_DAY * this.days : 0;
    this.profMed = new Float64Array(entries);
    this.profMad = new Float64Array(entries);
    this.profDay = new Int32Array(entries).fill(-1);
  }

  /** Bytes held by one scorer with these options (the rolling window, the open hour's sample, the profile). */
  static bytes(opts: RobustOptions): number {
    const ring = (opts.baseline + opts.recent) * 8;
    if (opts.seasonalAfter <= 0) return ring;
    const days = Math.max(1, Math.floor(opts.seasonalDays ?? DEFAULT_SEASONAL_DAYS));
    return ring + SLOT_SAMPLE * 8 + SLOTS_PER_DAY * days * PROFILE_ENTRY_BYTES;
  }

  /** Adds a point; returns its robust z, or null during warm-up. */
  push(value: number, timestampMs: number): number | null {
    const key = Math.floor(timestampMs / SLOT_MS);
    if (this.opts.seasonalAfter > 0) {
      if (key !== this.slotKey) {
        this.closeSlot();
        this.slotKey = key;
        this.slotN = 0;
      }
      this.sample(value);
    }
    this.buf[this.head] = value;
    this.head = (this.head + 1) % this.buf.length;
    this.size = Math.min(this.size + 1, this.buf.length);
    this.seen++;
    const z = this.warm ? this.zOfNewest(key) : null;
    // Updated after scoring: the floor comes from the values before this one.
    if (Number.isFinite(value)) {
      this.lo = Math.min(this.lo, value);
      this.hi = Math.max(this.hi, value);
    }
    return z;
  }

  /** Reservoir sampling (algorithm R, seeded Park–Miller generator): a uniform sample of the hour's points. */
  private sample(value: number): void {
    this.slotN++;
    if (this.slotN <= SLOT_SAMPLE) {
      this.slotValues[this.slotN - 1] = value;
      return;
    }
    this.rng = (this.rng * 48271) % 2147483647;
    const j = Math.floor((this.rng / 2147483647) * this.slotN);
    if (j < SLOT_SAMPLE) this.slotValues[j] = value;
  }

  /** Summarises the open hour into the profile (median and MAD of its sample). */
  private closeSlot(): void {
    if (this.slotKey < 0 || this.slotN < MIN_SLOT_POINTS) return;
    const n = Math.min(this.slotN, SLOT_SAMPLE);
    const values = this.slotValues.subarray(0, n);
    this.store(slotOf(this.slotKey), Math.floor(this.slotKey / SLOTS_PER_DAY), median(values), mad(values));
  }

  private store(slot: number, day: number, med: number, mad: number): void {
    const i = slot * this.days + (day % this.days);
    if (this.profDay[i] > day) return; // the clock went back: keep the newer day
    this.profMed[i] = med;
    this.profMad[i] = mad;
    this.profDay[i] = day;
  }

  /** The profile's baseline for an hour, from its summaries of the last `days` days before today. */
  private profileAt(key: number): { median: number; scale: number } | null {
    const slot = slotOf(key);
    const today = Math.floor(key / SLOTS_PER_DAY);
    const meds: number[] = [];
    const mads: number[] = [];
    for (let d = 0; d < this.days; d++) {
      const i = slot * this.days + d;
      const day = this.profDay[i];
      if (day < 0 || day >= today || day < today - this.days) continue;
      meds.push(this.profMed[i]);
      mads.push(this.profMad[i]);
    }
    if (meds.length < this.minDays) return null;
    const m = median(meds);
    const within = median(mads);
    const between = mad(meds);
    return { median: m, scale: 1.4826 * Math.hypot(within, between) };
  }

  /** The baseline part of the rolling window (before the `recent` newest points), newest first. */
  private baseWindow(): Float64Array {
    const { recent } = this.opts;
    const cap = this.buf.length;
    const nBase = this.size - recent;
    const base = new Float64Array(Math.max(0, nBase));
    for (let b = 0; b < nBase; b++) base[b] = this.buf[(this.head - 1 - recent - b + 2 * cap) % cap];
    return base;
  }

  /** Whether the newest point is scored (past warm-up), as in `push`. */
  private get warm(): boolean {
    return this.seen >= this.opts.warmup && this.size > this.opts.recent + 2;
  }

  /**
   * The learned normal: the median the newest point is scored against (the
   * time-of-day profile's when it is in use, else the rolling window's);
   * null during warm-up. The bottleneck evidence shows it as its baseline.
   */
  baseline(): number | null {
    if (!this.warm) return null;
    const profile = this.opts.seasonalAfter > 0 && this.seen >= this.opts.seasonalAfter && this.slotKey >= 0 ? this.profileAt(this.slotKey) : null;
    return profile ? profile.median : median(this.baseWindow());
  }

  /**
   * The usual change per point: median of the signed first differences over
   * the baseline window (robust: a few jumps do not move it); null during
   * warm-up. About 0 for a series that is usually flat.
   */
  usualStep(): number | null {
    if (!this.warm) return null;
    const base = this.baseWindow(); // newest first: base[b] − base[b + 1] is newer − older
    if (base.length < 2) return null;
    const d = new Float64Array(base.length - 1);
    for (let i = 0; i < d.length; i++) d[i] = base[i] - base[i + 1];
    return median(d);
  }

  private zOfNewest(key: number): number {
    const { recent } = this.opts;
    const cap = this.buf.length;
    let recentSum = 0;
    for (let b = 0; b < recent; b++) recentSum += this.buf[(this.head - 1 - b + cap) % cap];
    const x = recentSum / recent;
    const base = this.baseWindow();
    let med = median(base);
    let scale = 1.4826 * mad(base);
    const profile = this.opts.seasonalAfter > 0 && this.seen >= this.opts.seasonalAfter ? this.profileAt(key) : null;
    if (profile) {
      med = profile.median;
      scale = Math.max(profile.scale, noiseScale(base));
    }
    const range = this.hi > this.lo ? this.hi - this.lo : 0;
    scale = Math.max(scale, this.opts.minScale, this.opts.relativeMinScale * Math.abs(med), (this.opts.rangeMinScale ?? 0) * range);
    return (x - med) / scale;
  }

  get count(): number {
    return this.seen;
  }

  toJSON(): RobustState {
    const s: RobustState = { buf: Array.from(this.buf), head: this.head, size: this.size, seen: this.seen };
    if (this.hi >= this.lo) s.range = [this.lo, this.hi];
    if (this.opts.seasonalAfter > 0) {
      s.slot = { key: this.slotKey, n: this.slotN, values: Array.from(this.slotValues.subarray(0, Math.min(this.slotN, SLOT_SAMPLE))), rng: this.rng };
      s.profile = [];
      for (let i = 0; i < this.profDay.length; i++) {
        if (this.profDay[i] >= 0) s.profile.push([Math.floor(i / this.days), this.profDay[i], this.profMed[i], this.profMad[i]]);
      }
    }
    return s;
  }

  /**
   * Restores a scorer. A changed window size starts over; a state without a
   * profile (written before it existed) keeps its rolling window and builds
   * the profile anew; profile entries are placed by day, so a changed
   * `seasonalDays` keeps what still fits.
   */
  static fromJSON(opts: RobustOptions, s: RobustState): RobustScorer {
    const r = new RobustScorer(opts);
    if (s.buf.length !== r.buf.length) return r; // window size changed: start over
    r.buf.set(s.buf);
    r.head = s.head;
    r.size = s.size;
    r.seen = s.seen;
    if (s.range && Number.isFinite(s.range[0]) && Number.isFinite(s.range[1]) && s.range[0] <= s.range[1]) [r.lo, r.hi] = s.range;
    if (opts.seasonalAfter <= 0) return r;
    if (s.slot && s.slot.values.length <= SLOT_SAMPLE) {
      r.slotKey = s.slot.key;
      r.slotN = s.slot.n;
      r.slotValues.set(s.slot.values);
      r.rng = s.slot.rng;
    }
    for (const [slot, day, med, mad] of s.profile ?? []) {
      if (Number.isInteger(slot) && slot >= 0 && slot < SLOTS_PER_DAY && Number.isInteger(day) && day >= 0 && Number.isFinite(med) && Number.isFinite(mad)) r.store(slot, day, med, mad);
    }
    return r;
  }
}

/** Hour of day of an absolute hour number. */
function slotOf(key: number): number {
  return ((key % SLOTS_PER_DAY) + SLOTS_PER_DAY) % SLOTS_PER_DAY;
}

/**
 * Point-to-point noise of a window: 1.4826 · median |first difference| / √2
 * (σ for independent noise; differences of a steady series are centred on 0).
 * Unlike the MAD of the values, a level shift inside the window does not
 * inflate it.
 */
function noiseScale(window: Float64Array): number {
  if (window.length < 3) return 0;
  const d = new Float64Array(window.length - 1);
  for (let i = 0; i < d.length; i++) d[i] = Math.abs(window[i] - window[i + 1]);
  return (1.4826 * median(d)) / Math.SQRT2;
}
