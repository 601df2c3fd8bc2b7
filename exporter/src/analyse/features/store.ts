import type { CollectionSnapshot } from '../../pipeline/types';
import type { GroupSnapshot } from '../../group/types';
import { type Signal, SIGNALS } from '@procsight/contract';
import { signalValue } from './signals';
import { SlidingStats } from './sliding';
import { WINDOW_SECONDS, WINDOWS, type FeatureSource, type Resolution, type WindowName, type WindowStats } from './types';

/** Seconds per point of the coarse ring that holds the 15m and 1h windows. */
const COARSE_STEP_SECONDS = 15;
/** Most points kept at full resolution (the 1m and 5m windows). */
const FINE_MAX = 300;
/** Fewest points in any window: a slope, an R² and the rules' n ≥ 3 need three. */
const MIN_POINTS = 3;
const COARSE_CAPACITY = WINDOW_SECONDS['1h'] / COARSE_STEP_SECONDS; // 240
/** Groups not seen for this long are dropped. */
const EVICT_AFTER_MS = 3_600_000;

/**
 * Points of the sampling-interval ring: the 5m window, at least three points
 * (slope, R² and the rules' n ≥ 3 need them: at intervals over 24 s the 1m
 * window spans more than a minute rather than never being usable).
 */
function fineCapacity(stepSeconds: number): number {
  return Math.min(FINE_MAX, Math.max(MIN_POINTS, Math.ceil(WINDOW_SECONDS['5m'] / stepSeconds)));
}

/**
 * A ring of timestamps and one Float64Array per signal. A signal that has
 * only been 0 reads a shared array of zeros, made its own at its first other
 * value: most of an idle group's signals never are.
 */
class Ring {
  readonly t: Float64Array;
  readonly x: Float64Array[];
  head = 0; // next write position
  size = 0;
  private readonly zeros: Float64Array;
  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.zeros = zerosOf(capacity);
    this.x = SIGNALS.map(() => this.zeros);
  }
  push(t: number, values: readonly number[]): void {
    this.t[this.head] = t;
    for (let s = 0; s < values.length; s++) {
      const v = values[s];
      if (this.x[s] === this.zeros) {
        if (v === 0) continue; // what the zeros hold (a -0 reads back as 0)
        this.x[s] = new Float64Array(this.capacity);
      }
      this.x[s][this.head] = v;
    }
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }
  /** Physical index of the point `back` places before the newest (0 = newest). */
  index(back: number): number {
    return (this.head - 1 - back + 2 * this.capacity) % this.capacity;
  }
  /** The newest `n` points of a signal, oldest first. */
  *points(signal: number, n: number): Iterable<readonly [number, number]> {
    const m = Math.min(n, this.size);
    for (let b = m - 1; b >= 0; b--) {
      const i = this.index(b);
      yield [this.t[i], this.x[signal][i]];
    }
  }
}

/** One array of zeros per capacity, shared read-only by every ring's all-zero signals. */
const ZEROS_BY_CAPACITY = new Map<number, Float64Array>();

function zerosOf(capacity: number): Float64Array {
  let z = ZEROS_BY_CAPACITY.get(capacity);
  if (!z) ZEROS_BY_CAPACITY.set(capacity, (z = new Float64Array(capacity)));
  return z;
}

interface WindowState {
  ring: 'fine' | 'coarse';
  /** Points in the window. */
  n: number;
  stats: SlidingStats[];
}

/** Everything the store keeps for one group: bounded, see docs/architecture.md "Analysis memory". */
class GroupSeries {
  readonly fine: Ring;
  readonly coarse = new Ring(COARSE_CAPACITY);
  readonly windows = new Map<WindowName, WindowState>();
  private bucketStart = NaN;
  private readonly bucketSum = new Float64Array(SIGNALS.length);
  private bucketCount = 0;
  lastSeenMs = 0;
  /** Stats asked for since the last push (rules read the same windows several times a tick). */
  private readonly cache = new Map<number, WindowStats | null>();

  constructor(readonly stepSeconds: number) {
    const fineCap = fineCapacity(stepSeconds);
    this.fine = new Ring(fineCap);
    // A bucket closes on the first sample at least 15 s after the last close, so it spans a whole
    // number of intervals: 15 s at 5 s, 20 s at 10 s, 60 s at 60 s. Coarse windows count buckets of that size.
    const bucketSeconds = stepSeconds * Math.max(1, Math.ceil((COARSE_STEP_SECONDS - 1e-6) / stepSeconds));
    for (const w of WINDOWS) {
      const coarse = WINDOW_SECONDS[w] > WINDOW_SECONDS['5m'] || WINDOW_SECONDS[w] / stepSeconds > FINE_MAX;
      const n = coarse
        ? Math.min(COARSE_CAPACITY, Math.max(MIN_POINTS, Math.round(WINDOW_SECONDS[w] / bucketSeconds)))
        : Math.min(fineCap, Math.max(MIN_POINTS, Math.round(WINDOW_SECONDS[w] / stepSeconds)));
      this.windows.set(w, { ring: coarse ? 'coarse' : 'fine', n, stats: SIGNALS.map(() => new SlidingStats(n, 2 / (n + 1))) });
    }
  }

  push(tSec: number, values: number[]): void {
    this.cache.clear();
    this.pushInto('fine', this.fine, tSec, values);
    if (Number.isNaN(this.bucketStart)) this.bucketStart = tSec;
    for (let s = 0; s < values.length; s++) this.bucketSum[s] += values[s];
    this.bucketCount++;
    if (tSec - this.bucketStart >= COARSE_STEP_SECONDS - 1e-6) {
      const means = Array.from(this.bucketSum, (v) => v / this.bucketCount);
      this.pushInto('coarse', this.coarse, tSec, means);
      this.bucketSum.fill(0);
      this.bucketCount = 0;
      this.bucketStart = tSec;
    }
  }

  private pushInto(kind: 'fine' | 'coarse', ring: Ring, tSec: number, values: number[]): void {
    // Points leaving each window are read before the ring overwrites them.
    for (const w of this.windows.values()) {
      if (w.ring !== kind) continue;
      for (let s = 0; s < values.length; s++) {
        const st = w.stats[s];
        if (ring.size >= w.n) {
          const i = ring.index(w.n - 1);
          st.remove(ring.t[i], ring.x[s][i]);
        }
      }
    }
    ring.push(tSec, values);
    for (const w of this.windows.values()) {
      if (w.ring !== kind) continue;
      for (let s = 0; s < values.length; s++) {
        const st = w.stats[s];
        st.add(tSec, values[s]);
        if (st.needsRebuild()) st.rebuild(ring.points(s, w.n));
      }
    }
  }

  stats(signal: number, window: WindowName): WindowStats | null {
    const key = signal * 8 + WINDOWS.indexOf(window);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const computed = this.compute(signal, window);
    this.cache.set(key, computed);
    return computed;
  }

  private compute(signal: number, window: WindowName): WindowStats | null {
    const w = this.windows.get(window);
    if (!w) return null;
    const ring = w.ring === 'fine' ? this.fine : this.coarse;
    const st = w.stats[signal];
    if (st.n < 2) return null;
    const n = Math.min(w.n, ring.size);
    let min = Infinity;
    let max = -Infinity;
    const xs = ring.x[signal];
    for (let b = 0; b < n; b++) {
      const x = xs[ring.index(b)];
      if (x < min) min = x;
      if (x > max) max = x;
    }
    return new ComputedStats(ring, signal, st, n, min, max);
  }
}

/**
 * One window's statistics, read from its sliding sums and ring. A class rather
 * than an object literal with a getter and closures: dozens are made per group
 * at every cycle. p95 sorts the window's points only when read.
 */
class ComputedStats implements WindowStats {
  readonly n: number;
  readonly spanSeconds: number;
  readonly mean: number;
  readonly std: number;
  readonly ewma: number;
  readonly slope: number;
  readonly r2: number;
  readonly last: number;
  readonly growth: number;
  private sortedP95: number | null = null;

  constructor(
    private readonly ring: Ring,
    private readonly signal: number,
    st: SlidingStats,
    private readonly points: number,
    readonly min: number,
    readonly max: number,
  ) {
    const first = ring.t[ring.index(points - 1)];
    const lastT = ring.t[ring.index(0)];
    const slope = st.slope;
    const fitFirst = st.meanX - slope * (st.meanT - first);
    const fitLast = st.meanX + slope * (lastT - st.meanT);
    const eps = 1e-9 + 1e-6 * Math.abs(st.meanX);
    this.n = st.n;
    this.spanSeconds = lastT - first;
    this.mean = st.meanX;
    this.std = Math.sqrt(st.variance);
    this.ewma = st.ewma;
    this.slope = slope;
    this.r2 = st.r2;
    this.last = ring.x[signal][ring.index(0)];
    this.growth = (fitLast - fitFirst) / Math.max(Math.abs(fitFirst), eps);
  }

  get p95(): number {
    if (this.sortedP95 === null) {
      const v = Float64Array.from(this.ring.points(this.signal, this.points), ([, x]) => x).sort();
      this.sortedP95 = v[Math.min(this.points - 1, Math.floor(0.95 * (this.points - 1) + 0.5))];
    }
    return this.sortedP95;
  }
}

const SIGNAL_INDEX = new Map<Signal, number>(SIGNALS.map((s, i) => [s, i]));

/**
 * Per group and signal, bounded rings and streaming features over the 1m,
 * 5m, 15m and 1h windows. 1m/5m come from a ring at the sampling interval
 * (at most 300 points); 15m/1h from 15-second buckets (240 points).
 */
export class FeatureStore implements FeatureSource {
  private readonly series = new Map<string, GroupSeries>();

  /**
   * `stepSeconds`: the collector's configured interval, which sizes every
   * group's windows. Without it the first interval a group is seen with does,
   * and the exporter's first interval is longer than the rest (the interval
   * plus the first collection), which would shrink the windows for good.
   */
  constructor(private readonly opts: { evictAfterMs?: number; stepSeconds?: number } = {}) {}

  ingest(snapshot: CollectionSnapshot): void {
    for (const g of snapshot.groups) this.ingestGroup(snapshot, g);
    this.evict(snapshot.timestampMs);
  }

  /** One group's point of a collection (the analyser slices a collection's groups). */
  ingestGroup(snapshot: CollectionSnapshot, g: GroupSnapshot): void {
    if (!g.rates) return; // first sight: no rates yet
    const step = Math.max(1, this.opts.stepSeconds ?? (snapshot.intervalSeconds || 5));
    let s = this.series.get(g.name);
    if (!s) {
      s = new GroupSeries(step);
      this.series.set(g.name, s);
    }
    s.lastSeenMs = snapshot.timestampMs;
    s.push(
      snapshot.timestampMs / 1000,
      SIGNALS.map((sig) => signalValue(g, sig) ?? 0),
    );
  }

  /** Drops groups not seen for `evictAfterMs`. */
  evict(nowMs: number): void {
    for (const [name, s] of this.series) if (nowMs - s.lastSeenMs > (this.opts.evictAfterMs ?? EVICT_AFTER_MS)) this.series.delete(name);
  }

  stats(group: string, signal: Signal, window: WindowName): WindowStats | null {
    const s = this.series.get(group);
    const i = SIGNAL_INDEX.get(signal);
    return s && i !== undefined ? s.stats(i, window) : null;
  }

  groups(): string[] {
    return [...this.series.keys()];
  }

  points(group: string, signal: Signal, resolution: Resolution): { t: Float64Array; x: Float64Array } {
    const s = this.series.get(group);
    const i = SIGNAL_INDEX.get(signal);
    if (!s || i === undefined) return { t: new Float64Array(0), x: new Float64Array(0) };
    const ring = resolution === 'fine' ? s.fine : s.coarse;
    const t = new Float64Array(ring.size);
    const x = new Float64Array(ring.size);
    for (let b = ring.size - 1, k = 0; b >= 0; b--, k++) {
      const j = ring.index(b);
      t[k] = ring.t[j];
      x[k] = ring.x[i][j];
    }
    return { t, x };
  }

  /** Coarse (15 s) history of one signal, oldest first: the anomaly baselines read it. */
  coarseHistory(group: string, signal: Signal): Array<readonly [number, number]> {
    const s = this.series.get(group);
    const i = SIGNAL_INDEX.get(signal);
    if (!s || i === undefined) return [];
    return [...s.coarse.points(i, s.coarse.size)];
  }

  /** Bytes held for one group (documented in docs/architecture.md). */
  static bytesPerGroup(stepSeconds: number): number {
    return (fineCapacity(stepSeconds) + COARSE_CAPACITY) * 8 * (SIGNALS.length + 1) + WINDOWS.length * SIGNALS.length * 80;
  }
}
