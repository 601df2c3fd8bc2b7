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
  private readonly t = new Float64Array(LAG_CAPACITY);
  private readonly x = new Float64Array(LAG_CAPACITY);
  private head = 0;
  private size = 0;

  /** Adds a cell; calls `release` for every cell older than `now − lagMs` (and the oldest when full), oldest first. */
  push(now: number, value: number, lagMs: number, release: (t: number, x: number) => void): void {
    if (this.size === LAG_CAPACITY) this.releaseOldest(release);
    this.t[(this.head + this.size) % LAG_CAPACITY] = now;
    this.x[(this.head + this.size) % LAG_CAPACITY] = value;
    this.size++;
    while (this.size > 0 && this.t[this.head] <= now - lagMs) this.releaseOldest(release);
  }

  private releaseOldest(release: (t: number, x: number) => void): void {
    const t = this.t[this.head];
    const x = this.x[this.head];
    this.head = (this.head + 1) % LAG_CAPACITY;
    this.size--;
    release(t, x);
  }

  toJSON(): Json {
    const t: number[] = [];
    const x: number[] = [];
    for (let k = 0; k < this.size; k++) {
      t.push(this.t[(this.head + k) % LAG_CAPACITY]);
      x.push(this.x[(this.head + k) % LAG_CAPACITY]);
    }
    return { t, x };
  }

  static fromJSON(v: unknown, path: string): LagQueue {
    const o = obj(v, path);
    const t = nums(o, 't', path);
    const x = nums(o, 'x', path, t.length);
    if (t.length > LAG_CAPACITY) throw new StreamCheckpointError(`${path}: more than ${LAG_CAPACITY} cells`);
    const q = new LagQueue();
    q.t.set(t);
    q.x.set(x);
    q.size = t.length;
    return q;
  }
}

export const LAG_QUEUE_BYTES = 2 * LAG_CAPACITY * 8 + 16;
