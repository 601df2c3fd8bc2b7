import { type Json, num, numOrNaN, nums, obj, nanToNull, StreamCheckpointError } from './checkpoint';

/** Step estimate from the last few intervals between samples (their median: one gap does not move it). */
const STEP_HISTORY = 9;

const sortBuf = new Float64Array(STEP_HISTORY);

export interface Cell {
  /** Time of the cell's last sample (ms). */
  t: number;
  /** Mean of the cell's samples. */
  value: number;
}

/**
 * Groups samples into cells of at least `cellMs` of time, so that every later
 * stage sees about the same series whatever the sampling step: at 1 s a cell
 * holds a minute of samples, at 5 min or 1 h each sample is its own cell. A
 * cell closes on the sample that completes its span (one step of the observed
 * step estimate ahead), so a score is never a step late.
 */
export class CellAggregator {
  private readonly dts = new Float64Array(STEP_HISTORY);
  private dtCount = 0;
  private dtHead = 0;
  private lastT = NaN;
  /** The median of `dts`, kept up to date by `add` (NaN: none yet). */
  private stepMs = NaN;
  private start = NaN;
  private sum = 0;
  private n = 0;

  /** The median of the recent intervals between samples (ms), NaN before the second sample. */
  step(): number {
    return this.stepMs;
  }

  /** Median of the recent intervals (insertion sort of at most STEP_HISTORY numbers into a shared buffer). */
  private medianDt(): number {
    const n = this.dtCount;
    for (let i = 0; i < n; i++) {
      const x = this.dts[i];
      let j = i - 1;
      while (j >= 0 && sortBuf[j] > x) {
        sortBuf[j + 1] = sortBuf[j];
        j--;
      }
      sortBuf[j + 1] = x;
    }
    return sortBuf[n >> 1];
  }

  /** Time of the last sample accepted (NaN: none). */
  get last(): number {
    return this.lastT;
  }

  /**
   * Adds a sample (the caller has checked that t is after `last` and v is
   * finite); calls `emit` for every cell this sample closes (at most two: an
   * open cell left over from before a gap, then its own).
   */
  add(t: number, v: number, cellMs: (step: number) => number, emit: (c: Cell) => void): void {
    if (Number.isFinite(this.lastT)) {
      this.dts[this.dtHead] = t - this.lastT;
      this.dtHead = (this.dtHead + 1) % STEP_HISTORY;
      this.dtCount = Math.min(this.dtCount + 1, STEP_HISTORY);
      this.stepMs = this.medianDt();
    }
    const step = this.stepMs;
    const span = cellMs(step);
    if (this.n > 0 && t - this.start >= span) this.close(emit); // left open by a gap
    if (this.n === 0) this.start = t;
    this.sum += v;
    this.n++;
    this.lastT = t;
    if (Number.isFinite(step) && t - this.start + step >= span) this.close(emit);
  }

  /** Drops the open cell (a restart: its samples belong to the old process). */
  dropOpen(): void {
    this.sum = 0;
    this.n = 0;
  }

  private close(emit: (c: Cell) => void): void {
    const c = { t: this.lastT, value: this.sum / this.n };
    this.sum = 0;
    this.n = 0;
    emit(c);
  }

  toJSON(): Json {
    return {
      dts: Array.from(this.dts.subarray(0, this.dtCount)),
      dtHead: this.dtHead,
      lastT: nanToNull(this.lastT),
      start: nanToNull(this.start),
      sum: this.sum,
      n: this.n,
    };
  }

  static fromJSON(x: unknown, path: string): CellAggregator {
    const o = obj(x, path);
    const c = new CellAggregator();
    const dts = nums(o, 'dts', path);
    if (dts.length > STEP_HISTORY || dts.some((d) => d <= 0)) throw new StreamCheckpointError(`${path}.dts: invalid`);
    c.dts.set(dts);
    c.dtCount = dts.length;
    if (c.dtCount > 0) c.stepMs = c.medianDt();
    c.dtHead = num(o, 'dtHead', path);
    if (!Number.isInteger(c.dtHead) || c.dtHead < 0 || c.dtHead >= STEP_HISTORY) throw new StreamCheckpointError(`${path}.dtHead: invalid`);
    c.lastT = numOrNaN(o, 'lastT', path);
    c.start = numOrNaN(o, 'start', path);
    c.sum = num(o, 'sum', path);
    c.n = num(o, 'n', path);
    if (!Number.isInteger(c.n) || c.n < 0 || (c.n > 0 && !Number.isFinite(c.start))) throw new StreamCheckpointError(`${path}.n: invalid`);
    return c;
  }
}

/** Bytes held by a CellAggregator (its step history and a few numbers). */
export const CELL_AGGREGATOR_BYTES = STEP_HISTORY * 8 + 6 * 8;
