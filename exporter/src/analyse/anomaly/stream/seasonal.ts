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
  /** Days learnt per slot (whole numbers up to 1e6). */
  private readonly n = new Uint32Array(SLOTS_PER_DAY);
  /**
   * Mean and mean absolute deviation per slot, made when a slot first learns a
   * mean other than 0: until then all are 0, as for most of an idle group's
   * signals (CPU, I/O, faults), whose profiles then hold only their counts.
   */
  private mean: Float64Array | null = null;
  private dev: Float64Array | null = null;
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
    // A 0 into all-zero slots changes no mean or deviation (0 + a · 0): only the count.
    if (m !== 0 || this.mean !== null) {
      const mean = (this.mean ??= new Float64Array(SLOTS_PER_DAY));
      const dev = (this.dev ??= new Float64Array(SLOTS_PER_DAY));
      if (this.n[k] === 0) {
        mean[k] = m;
        dev[k] = 0;
      } else {
        const a = 1 / Math.min(this.n[k] + 1, this.o.days);
        const d = Math.abs(m - mean[k]);
        mean[k] += a * (m - mean[k]);
        dev[k] += a * (d - dev[k]);
      }
    }
    this.n[k] = Math.min(this.n[k] + 1, MAX_DAYS_COUNTED);
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
      const z = Math.abs(x - this.meanAt(k)) / Math.max(1.2533 * this.devAt(k), floor);
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
      const half = k * Math.max(1.2533 * this.devAt(s), floor);
      lower = Math.min(lower, this.meanAt(s) - half);
      upper = Math.max(upper, this.meanAt(s) + half);
      sum += this.meanAt(s);
      ready++;
    }
    if (ready === 0) return null;
    return { center: this.n[k0] >= this.o.minDays ? this.meanAt(k0) : sum / ready, lower, upper };
  }

  private meanAt(k: number): number {
    return this.mean === null ? 0 : this.mean[k];
  }

  private devAt(k: number): number {
    return this.dev === null ? 0 : this.dev[k];
  }

  toJSON(): Json {
    return {
      mean: Array.from(this.mean ?? ZEROS),
      dev: Array.from(this.dev ?? ZEROS),
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
    const mean = nums(j, 'mean', path, SLOTS_PER_DAY);
    const dev = nums(j, 'dev', path, SLOTS_PER_DAY);
    const n = nums(j, 'n', path, SLOTS_PER_DAY);
    if (dev.some((d) => d < 0) || n.some((c) => c < 0 || !Number.isInteger(c) || c > MAX_DAYS_COUNTED))
      throw new StreamCheckpointError(`${path}: negative deviation or count`);
    if (mean.some((x) => x !== 0) || dev.some((d) => d !== 0)) {
      p.mean = Float64Array.from(mean);
      p.dev = Float64Array.from(dev);
    }
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

/** Most bytes a DailyProfile holds (two Float64 and one Uint32 array of 288 slots, and a few numbers). */
export const DAILY_PROFILE_BYTES = SLOTS_PER_DAY * (8 + 8 + 4) + 3 * 8;

/** Where a slot's count of days stops (it only weighs the next day in, up to `days`). */
const MAX_DAYS_COUNTED = 1e6;

const ZEROS = new Float64Array(SLOTS_PER_DAY);
