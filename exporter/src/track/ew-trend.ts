/**
 * Exponentially weighted least-squares slope of one gauge of one process
 * (its open fds): each point's weight decays with `tauSeconds`, so the slope
 * follows the last few minutes in five numbers instead of a ring buffer.
 * Times are kept relative to the newest point, so the sums stay small on a
 * process that has run for months.
 */
export class EwTrend {
  private sw = 0;
  private st = 0;
  private sx = 0;
  private stt = 0;
  private stx = 0;
  private lastS = NaN;
  private firstS = NaN;
  private n = 0;

  constructor(private readonly tauSeconds: number) {}

  push(tSeconds: number, x: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(tSeconds)) return;
    if (Number.isNaN(this.lastS)) {
      this.firstS = tSeconds;
    } else {
      const dt = tSeconds - this.lastS;
      if (dt <= 0) return;
      // Move the origin to the new point (old times become -dt further), then decay.
      this.stt = this.stt - 2 * dt * this.st + dt * dt * this.sw;
      this.st -= dt * this.sw;
      this.stx -= dt * this.sx;
      const d = Math.exp(-dt / this.tauSeconds);
      this.sw *= d;
      this.st *= d;
      this.sx *= d;
      this.stt *= d;
      this.stx *= d;
    }
    this.sw += 1;
    this.sx += x;
    this.lastS = tSeconds;
    this.n++;
  }

  /** Slope per second; null until `minPoints` points span at least `minSpanSeconds`. */
  slope(opts: { minPoints: number; minSpanSeconds: number }): number | null {
    if (this.n < opts.minPoints || this.lastS - this.firstS < opts.minSpanSeconds) return null;
    const den = this.sw * this.stt - this.st * this.st;
    if (!(den > 0)) return null;
    return (this.sw * this.stx - this.st * this.sx) / den;
  }
}
