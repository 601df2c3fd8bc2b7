/**
 * The detectors' clock: the collection's wall-clock time, never going back.
 * The detectors ignore a sample not after the previous one, so a wall clock
 * stepped back by an hour would silence them for an hour; instead the clock
 * goes on from its last reading by the measured interval, and keeps that
 * offset (the time of day the detectors see is then off by the step until
 * the exporter restarts). A step forward is a gap, which they handle.
 */
export class DetectorClock {
  private last = NaN;
  private offset = 0;

  /** The detectors' time for a collection at `wallMs`, `intervalMs` after the previous one. */
  tick(wallMs: number, intervalMs: number): number {
    if (Number.isFinite(this.last) && wallMs + this.offset <= this.last) this.offset = this.last + Math.max(1, intervalMs) - wallMs;
    this.last = wallMs + this.offset;
    return this.last;
  }

  /** The last time given (NaN before the first tick). */
  get now(): number {
    return this.last;
  }

  /** Resumes after a checkpoint: times before `lastMs` are never given again. */
  resume(lastMs: number): void {
    if (Number.isFinite(lastMs)) this.last = Number.isFinite(this.last) ? Math.max(this.last, lastMs) : lastMs;
  }
}
