import { type Json, num, numOrNaN, nums, obj, nanToNull, StreamCheckpointError } from './checkpoint';

/** Time-of-day resolution of the daily profile. */
export const SLOT_MS = 5 * 60_000;
const SLOTS_PER_DAY = 288;

export interface SeasonalOptions {
  /** Days averaged per slot (exponential weights 1/min(n, days): a week by default). */
  days: number;
  /** Days a slot must have seen before it is used. */
  minDays: number;
  /** Slots either side also compared (a daily event a little early or late is not an anomaly). */
  jitterSlots: number;
}

/**
 * The daily profile: for every 5-minute slot of the UTC day, an exponentially
 * weighted mean and mean absolute deviation of the slot's level over past
 * days. A cell is judged against the slots around its time of day; today's
 * own slot enters the profile only once it is over.
 */
export class DailyProfile {
  private readonly mean = new Float64Array(SLOTS_PER_DAY);
  private readonly dev = new Float64Array(SLOTS_PER_DAY);
  private readonly n = new Float64Array(SLOTS_PER_DAY);
  /** The open slot (absolute slot number; NaN: none), the sum and count of its cells. */
  private open = NaN;
  /**
   * Slots start at the first cell's offset within 5 minutes (NaN: none yet),
   * so a series recorded at :02:53, :07:53, … keeps each sample inside one
   * slot instead of straddling two.
   */
  private phase = NaN;
  private sum = 0;
  private count = 0;

  constructor(private readonly o: SeasonalOptions) {}

  /** Adds a cell; closes the open slot first when the cell belongs to a later one. */
  add(t: number, x: number): void {
    if (!Number.isFinite(this.phase)) this.phase = ((t % SLOT_MS) + SLOT_MS) % SLOT_MS;
    const s = this.slotOf(t);
    if (s !== this.open) {
      this.fold();
      this.open = s;
    }
    this.sum += x;
    this.count++;
  }

  /** Absolute slot number of a time. */
  private slotOf(t: number): number {
    return Math.floor((t - (Number.isFinite(this.phase) ? this.phase : 0)) / SLOT_MS);
  }

  /** Forgets the open slot without learning it (a restart). */
  dropOpen(): void {
    this.sum = 0;
    this.count = 0;
    this.open = NaN;
  }

  private fold(): void {
    if (!Number.isFinite(this.open) || this.count === 0) return;
    const k = ((this.open % SLOTS_PER_DAY) + SLOTS_PER_DAY) % SLOTS_PER_DAY;
    const m = this.sum / this.count;
    if (this.n[k] === 0) {
      this.mean[k] = m;
      this.dev[k] = 0;
    } else {
      const a = 1 / Math.min(this.n[k] + 1, this.o.days);
      const d = Math.abs(m - this.mean[k]);
      this.mean[k] += a * (m - this.mean[k]);
      this.dev[k] += a * (d - this.dev[k]);
    }
    this.n[k] = Math.min(this.n[k] + 1, 1e6);
    this.sum = 0;
    this.count = 0;
  }

  /**
   * The smallest |x − mean| / scale over the slots around t's time of day
   * that have enough days; scale = max(1.2533 · mean absolute deviation, floor)
   * (1.2533: σ of a normal from its mean absolute deviation). Null when no
   * slot around t is ready.
   */
  z(t: number, x: number, floor: number): number | null {
    const k0 = ((this.slotOf(t) % SLOTS_PER_DAY) + SLOTS_PER_DAY) % SLOTS_PER_DAY;
    let best = Infinity;
    for (let j = -this.o.jitterSlots; j <= this.o.jitterSlots; j++) {
      const k = (k0 + j + SLOTS_PER_DAY) % SLOTS_PER_DAY;
      if (this.n[k] < this.o.minDays) continue;
      const z = Math.abs(x - this.mean[k]) / Math.max(1.2533 * this.dev[k], floor);
      if (z < best) best = z;
    }
    return Number.isFinite(best) ? best : null;
  }

  /**
   * The band of the slots around t's time of day that have enough days (the
   * slots `z` compares with): each slot's mean ± k · its scale, enveloped;
   * the centre is t's own slot's mean when ready, else the ready slots'
   * average. Null when no slot around t is ready.
   */
  bandAround(t: number, k: number, floor: number): { center: number; lower: number; upper: number } | null {
    const k0 = ((this.slotOf(t) % SLOTS_PER_DAY) + SLOTS_PER_DAY) % SLOTS_PER_DAY;
    let lower = Infinity;
    let upper = -Infinity;
    let sum = 0;
    let ready = 0;
    for (let j = -this.o.jitterSlots; j <= this.o.jitterSlots; j++) {
      const s = (k0 + j + SLOTS_PER_DAY) % SLOTS_PER_DAY;
      if (this.n[s] < this.o.minDays) continue;
      const half = k * Math.max(1.2533 * this.dev[s], floor);
      lower = Math.min(lower, this.mean[s] - half);
      upper = Math.max(upper, this.mean[s] + half);
      sum += this.mean[s];
      ready++;
    }
    if (ready === 0) return null;
    return { center: this.n[k0] >= this.o.minDays ? this.mean[k0] : sum / ready, lower, upper };
  }

  toJSON(): Json {
    return {
      mean: Array.from(this.mean),
      dev: Array.from(this.dev),
      n: Array.from(this.n),
      open: nanToNull(this.open),
      phase: nanToNull(this.phase),
      sum: this.sum,
      count: this.count,
    };
  }

  static fromJSON(v: unknown, path: string, o: SeasonalOptions): DailyProfile {
    const j = obj(v, path);
    const p = new DailyProfile(o);
    p.mean.set(nums(j, 'mean', path, SLOTS_PER_DAY));
    const dev = nums(j, 'dev', path, SLOTS_PER_DAY);
    const n = nums(j, 'n', path, SLOTS_PER_DAY);
    if (dev.some((d) => d < 0) || n.some((c) => c < 0 || !Number.isInteger(c))) throw new StreamCheckpointError(`${path}: negative deviation or count`);
    p.dev.set(dev);
    p.n.set(n);
    p.open = numOrNaN(j, 'open', path);
    p.phase = numOrNaN(j, 'phase', path);
    if (p.phase < 0 || p.phase >= SLOT_MS) throw new StreamCheckpointError(`${path}.phase: outside [0, ${SLOT_MS})`);
    p.sum = num(j, 'sum', path);
    p.count = num(j, 'count', path);
    if (!Number.isInteger(p.count) || p.count < 0) throw new StreamCheckpointError(`${path}.count: invalid`);
    return p;
  }
}

/** Bytes held by a DailyProfile (three Float64 arrays of 288 slots and a few numbers). */
export const DAILY_PROFILE_BYTES = 3 * SLOTS_PER_DAY * 8 + 3 * 8;
