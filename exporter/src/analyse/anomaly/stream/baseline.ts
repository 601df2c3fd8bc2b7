import { selectInPlace } from './math';
import { type Json, nums, obj, StreamCheckpointError } from './checkpoint';

/** Cells kept for the recent baseline; the detector widens its cells so that the baseline's span fits. */
export const BASELINE_CAPACITY = 1024;

/** Work space of the median: shared by every instance (one thread; a median never yields). */
const scratch = new Float64Array(BASELINE_CAPACITY);

/**
 * The recent baseline: the last cells (value and time) in a ring; their
 * median and MAD over a span of time give the level and spread a new cell is
 * judged against.
 */
export class RecentBaseline {
  private readonly t = new Float64Array(BASELINE_CAPACITY);
  private readonly x = new Float64Array(BASELINE_CAPACITY);
  private head = 0;
  private size = 0;

  get count(): number {
    return this.size;
  }

  /** Time of the oldest cell held (NaN: none). */
  oldest(): number {
    return this.size === 0 ? NaN : this.t[(this.head - this.size + BASELINE_CAPACITY) % BASELINE_CAPACITY];
  }

  push(t: number, x: number): void {
    this.t[this.head] = t;
    this.x[this.head] = x;
    this.head = (this.head + 1) % BASELINE_CAPACITY;
    this.size = Math.min(this.size + 1, BASELINE_CAPACITY);
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
      const i = (this.head - 1 - k + BASELINE_CAPACITY) % BASELINE_CAPACITY;
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
      const i = (this.head - 1 - k + BASELINE_CAPACITY) % BASELINE_CAPACITY;
      const j = (i - 1 + BASELINE_CAPACITY) % BASELINE_CAPACITY;
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
    while (used < this.size && (used < keep || this.t[(this.head - 1 - used + BASELINE_CAPACITY) % BASELINE_CAPACITY] > since)) used++;
    for (let k = used - 1; k >= 0; k--) {
      const i = (this.head - 1 - k + BASELINE_CAPACITY) % BASELINE_CAPACITY;
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

/** Bytes held by a RecentBaseline (times and values, Float64; the median's work space is shared). */
export const RECENT_BASELINE_BYTES = 2 * BASELINE_CAPACITY * 8 + 16;
