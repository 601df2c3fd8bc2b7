import { type Json, nums, obj, StreamCheckpointError } from './checkpoint';

const DAY_MS = 86_400_000;
/** Longest memory of the range, in days (bounds the ring). */
const MAX_RANGE_DAYS = 90;

/**
 * The range a series has spanned lately: the smallest and largest cell of
 * each UTC day, for the last `days` days. Old extremes leave it day by day, so
 * a long-running exporter forgets a spike of last month.
 */
export class DecayedRange {
  private readonly day: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private size = 0;

  constructor(private readonly days: number) {
    const cap = Math.min(MAX_RANGE_DAYS, Math.max(1, Math.ceil(days))) + 1;
    this.day = new Float64Array(cap);
    this.lo = new Float64Array(cap);
    this.hi = new Float64Array(cap);
  }

  /** [lo, hi] over the days kept at time t (excluding days older than `days`); null when empty. */
  range(t: number): [number, number] | null {
    const today = Math.floor(t / DAY_MS);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.size; i++) {
      if (this.day[i] <= today - this.days) continue;
      if (this.lo[i] < lo) lo = this.lo[i];
      if (this.hi[i] > hi) hi = this.hi[i];
    }
    return hi >= lo ? [lo, hi] : null;
  }

  add(t: number, x: number): void {
    const d = Math.floor(t / DAY_MS);
    const last = this.size - 1;
    if (last >= 0 && this.day[last] === d) {
      if (x < this.lo[last]) this.lo[last] = x;
      if (x > this.hi[last]) this.hi[last] = x;
      return;
    }
    if (this.size === this.day.length) {
      this.day.copyWithin(0, 1);
      this.lo.copyWithin(0, 1);
      this.hi.copyWithin(0, 1);
      this.size--;
    }
    this.day[this.size] = d;
    this.lo[this.size] = x;
    this.hi[this.size] = x;
    this.size++;
  }

  toJSON(): Json {
    return { day: Array.from(this.day.subarray(0, this.size)), lo: Array.from(this.lo.subarray(0, this.size)), hi: Array.from(this.hi.subarray(0, this.size)) };
  }

  static fromJSON(v: unknown, path: string, days: number): DecayedRange {
    const o = obj(v, path);
    const day = nums(o, 'day', path);
    const lo = nums(o, 'lo', path, day.length);
    const hi = nums(o, 'hi', path, day.length);
    const r = new DecayedRange(days);
    for (let i = 0; i < day.length; i++) {
      if (!Number.isInteger(day[i]) || lo[i] > hi[i] || (i > 0 && day[i] <= day[i - 1])) throw new StreamCheckpointError(`${path}: invalid day ${i}`);
    }
    // A checkpoint written with a longer memory keeps its newest days.
    const from = Math.max(0, day.length - r.day.length);
    for (let i = from; i < day.length; i++) {
      r.day[r.size] = day[i];
      r.lo[r.size] = lo[i];
      r.hi[r.size] = hi[i];
      r.size++;
    }
    return r;
  }

  static bytes(days: number): number {
    return 3 * 8 * (Math.min(MAX_RANGE_DAYS, Math.max(1, Math.ceil(days))) + 1);
  }
}
