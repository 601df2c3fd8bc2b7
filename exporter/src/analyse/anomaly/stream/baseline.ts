import { selectInPlace } from '../../../util/select';
import { type Json, nums, obj, StreamCheckpointError } from './checkpoint';

/** Cells kept for the recent baseline; the detector widens its cells so that the baseline's span fits. */
export const BASELINE_CAPACITY = 1024;

/** Work space of the median: shared by every instance (one thread; a median never yields). */
const scratch = new Float64Array(BASELINE_CAPACITY);

/** Cells allocated at first; the ring grows by half as it fills, up to BASELINE_CAPACITY. */
const INITIAL_CAPACITY = 64;

/**
 * The recent baseline: the last cells (value and time) in a ring; their
 * median and MAD over a span of time give the level and spread a new cell is
 * judged against. Cells that no later `stats` can read (older than the span
 * before the newest cell, beyond the fewest a baseline is made of) are
 * dropped as new ones come, and the ring is only as large as what it holds
 * (at one-minute cells, 12 hours: 721 cells, 11.5 KB instead of 16 KB).
 */
export class RecentBaseline {
  private t = new Float64Array(INITIAL_CAPACITY);
  private x = new Float64Array(INITIAL_CAPACITY);
  private cap = INITIAL_CAPACITY;
  private head = 0;
  private size = 0;

  get count(): number {
    return this.size;
  }

  /** Bytes allocated now (the two arrays). */
  get bytes(): number {
    return 2 * this.cap * 8 + 16;
  }

  private at(k: number): number {
    return (this.head - 1 - k + 2 * this.cap) % this.cap;
  }

  /** Time of the oldest cell held (NaN: none). */
  oldest(): number {
    return this.size === 0 ? NaN : this.t[this.at(this.size - 1)];
  }

  /**
   * Adds a cell (newer than every cell held). With `span` and `keep`, cells
   * at or before `t − span` beyond the newest `keep` are dropped: `stats`
   * never reads them again, its `since` only moving forward.
   */
  push(t: number, x: number, span = Infinity, keep = 0): void {
    if (this.size === this.cap && this.cap < BASELINE_CAPACITY) this.grow();
    this.t[this.head] = t;
    this.x[this.head] = x;
    this.head = (this.head + 1) % this.cap;
    this.size = Math.min(this.size + 1, this.cap);
    while (this.size > keep && this.t[this.at(this.size - 1)] <= t - span) this.size--;
  }

  private grow(): void {
    const cap = Math.min(BASELINE_CAPACITY, Math.ceil((this.cap * 1.5) / 16) * 16);
    const t = new Float64Array(cap);
    const x = new Float64Array(cap);
    for (let k = this.size - 1, i = 0; k >= 0; k--, i++) {
      t[i] = this.t[this.at(k)];
      x[i] = this.x[this.at(k)];
    }
    this.t = t;
    this.x = x;
    this.cap = cap;
    this.head = this.size % cap;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  /**
   * Median and MAD (unscaled) of the cells newer than `since`, or of the
   * newest `minCount` cells when fewer are that new (after a gap the old
   * level is still the reference). Null when fewer than `minCount` cells exist.
   */
  stats(since: number, minCount: number): { median: number; mad: number } | null {
    if (this.size < minCount) return null;
    let n = 0;
    for (let k = 0; k < this.size; k++) {
      const i = this.at(k);
      if (k >= minCount && this.t[i] <= since) break;
      scratch[n++] = this.x[i];
    }
    const median = selectInPlace(scratch, n, n >> 1);
    for (let k = 0; k < n; k++) scratch[k] = Math.abs(scratch[k] - median);
    return { median, mad: selectInPlace(scratch, n, n >> 1) };
  }

  /**
   * The median change per second between consecutive cells newer than
   * `since` (the usual drift of the series; 0 for a series that usually
   * stays put). Null when fewer than `minCount` cells exist.
   */
  medianSlope(since: number, minCount: number): number | null {
    if (this.size < minCount) return null;
    let n = 0;
    for (let k = 0; k + 1 < this.size; k++) {
      const i = this.at(k);
      const j = this.at(k + 1);
      if (k >= minCount && this.t[j] <= since) break;
      scratch[n++] = ((this.x[i] - this.x[j]) / (this.t[i] - this.t[j])) * 1000;
    }
    return n === 0 ? null : selectInPlace(scratch, n, n >> 1);
  }

  /**
   * Oldest first; times as the first time and the gaps after it (short
   * integers at a regular step: a third of the checkpoint's size). Cells at or
   * before `since` beyond the newest `keep` are left out: no later `stats`
   * can use them (its `since` only moves forward).
   */
  toJSON(since = -Infinity, keep = 0): Json {
    const gaps: number[] = [];
    const x: number[] = [];
    let prev = NaN;
    let used = 0;
    while (used < this.size && (used < keep || this.t[this.at(used)] > since)) used++;
    for (let k = used - 1; k >= 0; k--) {
      const i = this.at(k);
      gaps.push(Number.isNaN(prev) ? this.t[i] : this.t[i] - prev);
      prev = this.t[i];
      x.push(this.x[i]);
    }
    return { t: gaps, x };
  }

  static fromJSON(v: unknown, path: string): RecentBaseline {
    const o = obj(v, path);
    const gaps = nums(o, 't', path);
    const x = nums(o, 'x', path, gaps.length);
    const t: number[] = [];
    for (let i = 0; i < gaps.length; i++) t.push(i === 0 ? gaps[0] : t[i - 1] + gaps[i]);
    if (t.length > BASELINE_CAPACITY) throw new StreamCheckpointError(`${path}: more than ${BASELINE_CAPACITY} cells`);
    for (let i = 1; i < t.length; i++) if (t[i] <= t[i - 1]) throw new StreamCheckpointError(`${path}.t: not increasing`);
    const b = new RecentBaseline();
    for (let i = 0; i < t.length; i++) b.push(t[i], x[i]);
    return b;
  }
}

/** Most bytes a RecentBaseline holds (times and values, Float64, at full capacity; the median's work space is shared). */
export const RECENT_BASELINE_BYTES = 2 * BASELINE_CAPACITY * 8 + 16;
