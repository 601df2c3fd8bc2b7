import { type Json, nums, obj, StreamCheckpointError } from './checkpoint';

/** Cells held back at most (the oldest leaves early when more arrive within the lag). */
export const LAG_CAPACITY = 256;

/**
 * Holds cells back for a while before they join the range, so the range rule
 * compares a cell with the range as it was `lagMs` ago: a slow ramp, whose
 * every cell is only a little above the previous one, still leaves the range
 * it started from.
 */
export class LagQueue {
  /** Allocated as needed (at one-minute cells and an hour of lag, 61 cells), up to LAG_CAPACITY. */
  private t = new Float64Array(16);
  private x = new Float64Array(16);
  private head = 0;
  private size = 0;

  /** Bytes allocated now (the two arrays). */
  get bytes(): number {
    return 2 * this.t.length * 8 + 16;
  }

  /** Adds a cell; calls `release` for every cell older than `now − lagMs` (and the oldest when full), oldest first. */
  push(now: number, value: number, lagMs: number, release: (t: number, x: number) => void): void {
    if (this.size === LAG_CAPACITY) this.releaseOldest(release);
    if (this.size === this.t.length) this.grow();
    const cap = this.t.length;
    this.t[(this.head + this.size) % cap] = now;
    this.x[(this.head + this.size) % cap] = value;
    this.size++;
    while (this.size > 0 && this.t[this.head] <= now - lagMs) this.releaseOldest(release);
  }

  private grow(): void {
    const cap = Math.min(LAG_CAPACITY, this.t.length * 2);
    const t = new Float64Array(cap);
    const x = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      t[k] = this.t[(this.head + k) % this.t.length];
      x[k] = this.x[(this.head + k) % this.t.length];
    }
    this.t = t;
    this.x = x;
    this.head = 0;
  }

  private releaseOldest(release: (t: number, x: number) => void): void {
    const t = this.t[this.head];
    const x = this.x[this.head];
    this.head = (this.head + 1) % this.t.length;
    this.size--;
    release(t, x);
  }

  toJSON(): Json {
    const t: number[] = [];
    const x: number[] = [];
    for (let k = 0; k < this.size; k++) {
      t.push(this.t[(this.head + k) % this.t.length]);
      x.push(this.x[(this.head + k) % this.t.length]);
    }
    return { t, x };
  }

  static fromJSON(v: unknown, path: string): LagQueue {
    const o = obj(v, path);
    const t = nums(o, 't', path);
    const x = nums(o, 'x', path, t.length);
    if (t.length > LAG_CAPACITY) throw new StreamCheckpointError(`${path}: more than ${LAG_CAPACITY} cells`);
    const q = new LagQueue();
    let cap = q.t.length;
    while (cap < t.length) cap *= 2;
    q.t = new Float64Array(Math.min(LAG_CAPACITY, cap));
    q.x = new Float64Array(q.t.length);
    q.t.set(t);
    q.x.set(x);
    q.size = t.length;
    return q;
  }
}

/** Most bytes a LagQueue holds (at full capacity). */
export const LAG_QUEUE_BYTES = 2 * LAG_CAPACITY * 8 + 16;
