/**
 * Streaming statistics over the last `n` points of a series: mean and
 * variance (Welford with removal), the least-squares line through
 * (t, x) (co-moment form, numerically stable for large values such as bytes),
 * and an EWMA. O(1) per point; recomputed from scratch every `capacity`
 * removals so rounding cannot drift.
 */
export class SlidingStats {
  n = 0;
  meanX = 0;
  meanT = 0;
  /** Σ(x − x̄)² */
  m2x = 0;
  /** Σ(t − t̄)² */
  m2t = 0;
  /** Σ(t − t̄)(x − x̄) */
  cxt = 0;
  ewma = NaN;
  private removals = 0;

  constructor(
    readonly capacity: number,
    private readonly alpha: number,
  ) {}

  add(t: number, x: number): void {
    this.n++;
    const dx = x - this.meanX;
    const dt = t - this.meanT;
    this.meanX += dx / this.n;
    this.meanT += dt / this.n;
    this.m2x += dx * (x - this.meanX);
    this.m2t += dt * (t - this.meanT);
    this.cxt += dt * (x - this.meanX);
    this.ewma = Number.isNaN(this.ewma) ? x : this.ewma + this.alpha * (x - this.ewma);
  }

  remove(t: number, x: number): void {
    if (this.n <= 1) {
      this.n = 0;
      this.meanX = this.meanT = this.m2x = this.m2t = this.cxt = 0;
      return;
    }
    const n1 = this.n - 1;
    const meanX = (this.n * this.meanX - x) / n1;
    const meanT = (this.n * this.meanT - t) / n1;
    this.m2x -= (x - this.meanX) * (x - meanX);
    this.m2t -= (t - this.meanT) * (t - meanT);
    this.cxt -= (t - this.meanT) * (x - meanX);
    this.meanX = meanX;
    this.meanT = meanT;
    this.n = n1;
    this.removals++;
  }

  /** True when it is time to rebuild from the raw points (drift control). */
  needsRebuild(): boolean {
    return this.removals >= this.capacity;
  }

  /** Rebuilds the moments from the given points (oldest first); the EWMA is kept. */
  rebuild(points: Iterable<readonly [number, number]>): void {
    const ewma = this.ewma;
    this.n = 0;
    this.meanX = this.meanT = this.m2x = this.m2t = this.cxt = 0;
    for (const [t, x] of points) this.add(t, x);
    this.ewma = ewma;
    this.removals = 0;
  }

  get variance(): number {
    return this.n > 1 ? Math.max(0, this.m2x) / (this.n - 1) : 0;
  }

  /** Units of x per unit of t. */
  get slope(): number {
    return this.m2t > 0 ? this.cxt / this.m2t : 0;
  }

  /** Coefficient of determination of the line; 0 for a flat series. */
  get r2(): number {
    if (this.m2t <= 0 || this.m2x <= 1e-12 * Math.max(1, this.meanX * this.meanX)) return 0;
    return Math.min(1, (this.cxt * this.cxt) / (this.m2t * this.m2x));
  }
}
