/**
 * The forecast candidates as small state machines: `update` takes the next
 * point (NaN: a missing point, the model ages), `forecast(k)` is k steps
 * past the last point. One pass over a history both fits a candidate and
 * gives its rolling-origin backtest (the forecast from every origin is read
 * off the state at that origin), so hundreds of out-of-sample errors per
 * horizon cost one pass. The state is plain data: the worker fits, the main
 * thread keeps feeding the served state new points (re-anchoring between
 * refits) without refitting. Pure; no I/O.
 */
import { median } from './stats';

export type ModelState =
  | { kind: 'naive'; last: number }
  | { kind: 'median'; window: number; values: number[] }
  | { kind: 'ses'; alpha: number; level: number }
  | { kind: 'holt'; alpha: number; beta: number; phi: number; level: number; trend: number; seen: number }
  | { kind: 'trend'; window: number; values: number[] }
  | {
      kind: 'seasonal';
      /** Points per season (a day). */
      season: number;
      /** Per-phase smoothing of the daily profile (weight of the newest day). */
      gamma: number;
      /** Smoothing of the deviation from the profile. */
      alpha: number;
      /** Per-step persistence of the deviation (it decays towards the profile). */
      phi: number;
      /** Profile phases averaged either side when forecasting (noise of one phase). */
      smooth: number;
      profile: number[];
      dev: number;
      /** Phase of the next point. */
      phase: number;
    };

export interface Model {
  readonly name: string;
  update(y: number): void;
  /** Forecast `k` (≥ 1) steps after the last point. */
  forecast(k: number): number;
  state(): ModelState;
}

class Naive implements Model {
  readonly name = 'naive';
  constructor(private last = NaN) {}
  update(y: number): void {
    if (Number.isFinite(y)) this.last = y;
  }
  forecast(): number {
    return this.last;
  }
  state(): ModelState {
    return { kind: 'naive', last: this.last };
  }
}

/** Ring of the last `window` finite values. */
class Ring {
  private buf: number[];
  private i = 0;
  private full = false;
  constructor(
    private readonly size: number,
    init: readonly number[] = [],
  ) {
    this.buf = [];
    for (const v of init.slice(-size)) this.push(v);
  }
  push(v: number): void {
    if (this.buf.length < this.size) {
      this.buf.push(v);
      return;
    }
    this.full = true;
    this.buf[this.i] = v;
    this.i = (this.i + 1) % this.size;
  }
  /** Oldest first. */
  values(): number[] {
    return this.full ? [...this.buf.slice(this.i), ...this.buf.slice(0, this.i)] : [...this.buf];
  }
  get length(): number {
    return this.buf.length;
  }
  raw(): readonly number[] {
    return this.buf;
  }
}

/**
 * Robust level: the median of the last `window` points carried forward.
 * CPU and I/O rates are spiky and mean-reverting: the last value repeats a
 * spike, smoothing is pulled by it, a short median is not.
 */
class MedianLevel implements Model {
  readonly name: string;
  private ring: Ring;
  private cached: number | null = null;
  constructor(
    private readonly window: number,
    init: readonly number[] = [],
  ) {
    this.name = `median_${window}`;
    this.ring = new Ring(window, init);
  }
  update(y: number): void {
    if (!Number.isFinite(y)) return;
    this.ring.push(y);
    this.cached = null;
  }
  forecast(): number {
    if (this.ring.length === 0) return NaN;
    this.cached ??= median(this.ring.raw());
    return this.cached;
  }
  state(): ModelState {
    return { kind: 'median', window: this.window, values: this.ring.values() };
  }
}

/** Simple exponential smoothing (ARIMA(0,1,1)): a flat forecast at the smoothed level. */
class Ses implements Model {
  readonly name = 'ses';
  constructor(
    private readonly alpha: number,
    private level = NaN,
  ) {}
  update(y: number): void {
    if (!Number.isFinite(y)) return;
    this.level = Number.isNaN(this.level) ? y : this.level + this.alpha * (y - this.level);
  }
  forecast(): number {
    return this.level;
  }
  state(): ModelState {
    return { kind: 'ses', alpha: this.alpha, level: this.level };
  }
}

/** Holt's linear trend, damped by `phi` per step. */
class DampedHolt implements Model {
  readonly name = 'damped_holt';
  constructor(
    private readonly p: { alpha: number; beta: number; phi: number },
    private level = NaN,
    private trend = 0,
    private seen = 0,
  ) {}
  update(y: number): void {
    if (!Number.isFinite(y)) {
      if (this.seen > 0) {
        this.level += this.p.phi * this.trend;
        this.trend *= this.p.phi;
      }
      return;
    }
    if (this.seen === 0) {
      this.level = y;
    } else if (this.seen === 1) {
      this.trend = y - this.level;
      this.level = y;
    } else {
      const prev = this.level;
      this.level = this.p.alpha * y + (1 - this.p.alpha) * (prev + this.p.phi * this.trend);
      this.trend = this.p.beta * (this.level - prev) + (1 - this.p.beta) * this.p.phi * this.trend;
    }
    this.seen++;
  }
  forecast(k: number): number {
    const phi = this.p.phi;
    // Σ_{i=1..k} φ^i
    const damp = phi === 1 ? k : (phi * (1 - phi ** k)) / (1 - phi);
    return this.level + damp * this.trend;
  }
  state(): ModelState {
    return { kind: 'holt', ...this.p, level: this.level, trend: this.trend, seen: this.seen };
  }
}

/**
 * Robust straight line (Theil–Sen) over the last `window` points, from a
 * robust level at the newest point: a leak is extrapolated at its own rate,
 * a spike at the end does not move the level.
 */
class TrendLine implements Model {
  readonly name: string;
  private ring: Ring;
  private fit: { level: number; slope: number } | null = null;
  constructor(
    private readonly window: number,
    init: readonly number[] = [],
  ) {
    this.name = `trend_${window}`;
    this.ring = new Ring(window, init);
  }
  update(y: number): void {
    if (!Number.isFinite(y)) return;
    this.ring.push(y);
    this.fit = null;
  }
  private line(): { level: number; slope: number } {
    if (this.fit) return this.fit;
    const v = this.ring.values();
    const n = v.length;
    if (n < 3) return (this.fit = { level: n ? v[n - 1] : NaN, slope: 0 });
    const slopes: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) slopes.push((v[j] - v[i]) / (j - i));
    const slope = median(slopes);
    // The level at the newest point: median of the last few points, each moved along the line.
    const m = Math.min(n, 6);
    const anchored: number[] = [];
    for (let i = n - m; i < n; i++) anchored.push(v[i] + slope * (n - 1 - i));
    return (this.fit = { level: median(anchored), slope });
  }
  forecast(k: number): number {
    const f = this.line();
    return f.level + f.slope * k;
  }
  state(): ModelState {
    return { kind: 'trend', window: this.window, values: this.ring.values() };
  }
}

/**
 * A daily profile plus a decaying deviation from it: each phase of the day
 * keeps an exponentially weighted mean of its values (gamma: weight of the
 * newest day), the deviation of the recent points from the profile is
 * smoothed (alpha) and decays by `phi` per step ahead. Forecast k ahead: the
 * profile at that phase (averaged over ±`smooth` phases) plus φ^k × the
 * deviation. Needs a day of history to have a profile.
 */
class Seasonal implements Model {
  readonly name: string;
  constructor(private s: Extract<ModelState, { kind: 'seasonal' }>) {
    this.name = `seasonal_${Math.round(-1 / Math.log(s.phi))}`;
    if (s.profile.length !== s.season) this.s = { ...s, profile: new Array<number>(s.season).fill(NaN) };
  }
  update(y: number): void {
    const s = this.s;
    const p = s.phase;
    s.phase = (p + 1) % s.season;
    if (!Number.isFinite(y)) {
      s.dev *= s.phi;
      return;
    }
    const base = s.profile[p];
    if (Number.isNaN(base)) {
      s.profile[p] = y;
      s.dev *= s.phi;
      return;
    }
    s.dev = s.alpha * (y - base) + (1 - s.alpha) * s.phi * s.dev;
    s.profile[p] = base + s.gamma * (y - base);
  }
  private profileAt(phase: number): number {
    const s = this.s;
    let sum = 0;
    let n = 0;
    for (let d = -s.smooth; d <= s.smooth; d++) {
      const v = s.profile[(((phase + d) % s.season) + s.season) % s.season];
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n ? sum / n : NaN;
  }
  forecast(k: number): number {
    const s = this.s;
    const phase = (s.phase + k - 1) % s.season;
    return this.profileAt(phase) + s.phi ** k * s.dev;
  }
  state(): ModelState {
    return { ...this.s, profile: [...this.s.profile] };
  }
}

/** A model from its state (the worker's fit, restored on the main thread or from a checkpoint). */
export function restoreModel(s: ModelState): Model {
  switch (s.kind) {
    case 'naive':
      return new Naive(s.last);
    case 'median':
      return new MedianLevel(s.window, s.values);
    case 'ses':
      return new Ses(s.alpha, s.level);
    case 'holt':
      return new DampedHolt({ alpha: s.alpha, beta: s.beta, phi: s.phi }, s.level, s.trend, s.seen);
    case 'trend':
      return new TrendLine(s.window, s.values);
    case 'seasonal':
      return new Seasonal({ ...s, profile: [...s.profile] });
  }
}

/** What a candidate needs to be fitted on a history. */
export interface FitContext {
  /** Points per day at this step, when a day is a whole number of steps; else null (no seasonal candidates). */
  season: number | null;
  /** Phase within the day of the history's first point. */
  phase0: number;
}

export interface Candidate {
  name: string;
  /** Points the model must have seen before its forecasts are scored. */
  warmup: number;
  /** A fresh, unfed model with parameters chosen on `series` (one-step errors). */
  create(series: ArrayLike<number>, ctx: FitContext): Model;
}

/** One-step squared error of a model over the series (parameter choice). */
function oneStepSse(series: ArrayLike<number>, m: Model, skip: number): number {
  let sse = 0;
  for (let i = 0; i < series.length; i++) {
    const y = series[i];
    if (i >= skip && Number.isFinite(y)) {
      const f = m.forecast(1);
      if (Number.isFinite(f)) sse += (y - f) ** 2;
    }
    m.update(y);
  }
  return sse;
}

const SES_ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];

export function sesCandidate(): Candidate {
  return {
    name: 'ses',
    warmup: 10,
    create(series) {
      let best = { sse: Infinity, a: 0.5 };
      for (const a of SES_ALPHAS) {
        const sse = oneStepSse(series, new Ses(a), 1);
        if (sse < best.sse) best = { sse, a };
      }
      return new Ses(best.a);
    },
  };
}

export function dampedHoltCandidate(): Candidate {
  return {
    name: 'damped_holt',
    warmup: 20,
    create(series) {
      let best = { sse: Infinity, p: { alpha: 0.5, beta: 0.1, phi: 0.9 } };
      for (const alpha of [0.1, 0.3, 0.5, 0.8]) {
        for (const beta of [0.01, 0.05, 0.2]) {
          for (const phi of [0.8, 0.9, 0.98]) {
            const p = { alpha, beta, phi };
            const sse = oneStepSse(series, new DampedHolt(p), 2);
            if (sse < best.sse) best = { sse, p };
          }
        }
      }
      return new DampedHolt(best.p);
    },
  };
}

export function medianCandidate(window: number): Candidate {
  return { name: `median_${window}`, warmup: Math.min(window, 10), create: () => new MedianLevel(window) };
}

export function trendCandidate(window: number): Candidate {
  return { name: `trend_${window}`, warmup: Math.min(window, 10), create: () => new TrendLine(window) };
}

export function naiveCandidate(): Candidate {
  return { name: 'naive', warmup: 1, create: () => new Naive() };
}

/**
 * The seasonal candidate at one deviation half-life (seconds): the profile
 * smoothing and the deviation's smoothing are fixed (see params.ts), the
 * persistence is what tells a short horizon (deviation persists) from a day
 * ahead (profile only).
 */
export function seasonalCandidate(opts: { stepSeconds: number; halfLifeSeconds: number; gamma: number; alpha: number; smooth: number }): Candidate {
  const phi = 2 ** (-opts.stepSeconds / opts.halfLifeSeconds);
  return {
    name: `seasonal_${Math.round(-1 / Math.log(phi))}`,
    warmup: Math.round(86_400 / opts.stepSeconds),
    create(_series, ctx) {
      const season = ctx.season ?? 1;
      return new Seasonal({
        kind: 'seasonal',
        season,
        gamma: opts.gamma,
        alpha: opts.alpha,
        phi,
        smooth: opts.smooth,
        profile: [],
        dev: 0,
        phase: ctx.phase0 % season,
      });
    },
  };
}
