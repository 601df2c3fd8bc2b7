/**
 * A bounded history of one series at a fixed step, aligned to the clock:
 * samples are averaged into buckets of `stepSeconds` starting at multiples of
 * the step since the epoch (so a point's phase within the day is its time,
 * and a restored or backfilled history lines up with live points); a bucket
 * without samples is NaN (a gap). At most `capacity` points in a
 * Float32Array that grows by doubling as points come: 4 bytes per point held,
 * never more than 4 × capacity bytes (float32 keeps 7 significant digits,
 * far finer than any forecast's error).
 */
export class TimeRing {
  private buf: Float32Array;
  private head = 0;
  private size = 0;
  /** Bucket number (time / step) of the newest closed point; -1 before the first. */
  private newest = -1;
  private openBucket = -1;
  private sum = 0;
  private count = 0;
  /** Closed points ever pushed (lets a fit started on a snapshot catch up on the points added since). */
  pushed = 0;
  /** Wall time (ms) of the last sample or restore. */
  lastMs = 0;

  constructor(
    readonly stepSeconds: number,
    readonly capacity: number,
  ) {
    this.buf = new Float32Array(Math.min(capacity, 64));
  }

  get length(): number {
    return this.size;
  }

  /** End time (ms) of the newest closed point's bucket; NaN before the first. */
  get newestEndMs(): number {
    return this.newest < 0 ? NaN : (this.newest + 1) * this.stepSeconds * 1000;
  }

  /** Bucket number of the newest closed point (-1 before the first). */
  get newestBucket(): number {
    return this.newest;
  }

  /**
   * Adds a sample; returns the points it closed (the previous bucket's mean
   * and NaN for skipped buckets), oldest first, so a served model can be fed them.
   */
  add(v: number, tMs: number): number[] {
    this.lastMs = tMs;
    if (!Number.isFinite(v) || !Number.isFinite(tMs)) return [];
    const b = Math.floor(tMs / 1000 / this.stepSeconds);
    if (this.openBucket < 0) this.openBucket = b;
    const closed = this.advance(b);
    // A sample from before the open bucket (the clock stepped back) joins the open bucket.
    this.sum += v;
    this.count++;
    return closed;
  }

  /** Closes the open bucket when `tMs` is past it (no sample): the evaluation's "now" at a step's end. */
  flush(tMs: number): number[] {
    if (this.openBucket < 0 || !Number.isFinite(tMs)) return [];
    return this.advance(Math.floor(tMs / 1000 / this.stepSeconds));
  }

  /** Moves the open bucket to `b`, closing the one before (its mean, NaN without samples) and the gaps between. */
  private advance(b: number): number[] {
    if (b <= this.openBucket) return [];
    const closed: number[] = [this.count ? this.sum / this.count : NaN];
    // Buckets without samples between: gaps (at most a full ring of them).
    const gaps = Math.min(b - this.openBucket - 1, this.capacity);
    for (let i = 0; i < gaps; i++) closed.push(NaN);
    this.newest = b - 1;
    for (const c of closed) this.pushRaw(c);
    this.openBucket = b;
    this.sum = 0;
    this.count = 0;
    return closed;
  }

  private finite = 0;

  private pushRaw(v: number): void {
    if (this.size === this.buf.length && this.buf.length < this.capacity) {
      // Not wrapped yet (head is 0 until the ring is full at capacity): grow in place.
      const grown = new Float32Array(Math.min(this.capacity, this.buf.length * 2));
      grown.set(this.buf);
      this.buf = grown;
    }
    const i = (this.head + this.size) % this.capacity;
    if (this.size === this.capacity && Number.isFinite(this.buf[i])) this.finite--;
    this.buf[i] = v;
    if (Number.isFinite(v)) this.finite++;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
    this.pushed++;
  }

  /**
   * Appends a point for bucket `bucket` (backfill, restore): buckets between
   * the newest and it become gaps; an older or equal bucket is ignored.
   */
  putBucket(bucket: number, v: number): void {
    if (bucket <= this.newest) return;
    if (this.newest >= 0) {
      const gaps = Math.min(bucket - this.newest - 1, this.capacity);
      for (let i = 0; i < gaps; i++) this.pushRaw(NaN);
    }
    this.pushRaw(Number.isFinite(v) ? v : NaN);
    this.newest = bucket;
    if (this.openBucket <= bucket) {
      this.openBucket = bucket + 1;
      this.sum = 0;
      this.count = 0;
    }
  }

  /** The points oldest first (a copy). */
  values(): number[] {
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.buf[(this.head + i) % this.capacity];
    return out;
  }

  /** The newest `n` points oldest first. */
  tail(n: number): number[] {
    const k = Math.min(n, this.size);
    const out = new Array<number>(k);
    for (let i = 0; i < k; i++) out[i] = this.buf[(this.head + this.size - k + i) % this.capacity];
    return out;
  }

  /** Finite points as (time, value): each point at its bucket's end. */
  timed(): Array<{ t: number; v: number }> {
    const out: Array<{ t: number; v: number }> = [];
    const first = this.newest - this.size + 1;
    for (let i = 0; i < this.size; i++) {
      const v = this.buf[(this.head + i) % this.capacity];
      if (Number.isFinite(v)) out.push({ t: (first + i + 1) * this.stepSeconds, v });
    }
    return out;
  }

  /** Finite points held. */
  finiteCount(): number {
    return this.finite;
  }

  /** The newest finite point's value; NaN when none. */
  last(): number {
    for (let i = this.size - 1; i >= 0; i--) {
      const v = this.buf[(this.head + i) % this.capacity];
      if (Number.isFinite(v)) return v;
    }
    return NaN;
  }

  /** Phase within the day (in steps) of the oldest point held. */
  phaseOfOldest(): number {
    const perDay = Math.round(86_400 / this.stepSeconds);
    const first = this.newest - this.size + 1;
    return ((first % perDay) + perDay) % perDay;
  }

  /** Plain data for a checkpoint: newest bucket and values (null for gaps). */
  toJSON(): { step: number; newest: number; values: Array<number | null> } {
    return { step: this.stepSeconds, newest: this.newest, values: this.values().map((v) => (Number.isFinite(v) ? v : null)) };
  }

  /** Fills an empty ring from a checkpoint of the same step. */
  restore(s: { step: number; newest: number; values: Array<number | null> }, nowMs: number): void {
    if (this.size > 0 || s.step !== this.stepSeconds || !Array.isArray(s.values)) return;
    const vals = s.values.slice(-this.capacity);
    const first = s.newest - vals.length + 1;
    vals.forEach((v, i) => this.putBucket(first + i, typeof v === 'number' ? v : NaN));
    this.lastMs = nowMs;
  }
}
