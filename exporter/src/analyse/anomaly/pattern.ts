import { CheckpointError } from '../../errors';

const HOUR_MS = 3_600_000;
/** Hours kept: four weeks of hourly means. */
const HOURS = 28 * 24;
/** A cycle needs at least this share of its slots seen on at least two days (daily) or weeks (weekly). */
const COVERAGE = 0.9;
/** Peak hours are named once the daily cycle has at least this strength. */
const PEAK_MIN_STRENGTH = 0.3;
/** An hour of day is a peak hour when its mean is in the top quarter of the day's range of hourly means. */
const PEAK_SHARE = 0.75;

/** A group's workload pattern: how strongly its load follows the time of day and the day of week, and its usual peak hours. */
export interface WorkloadSummary {
  /** Share of the variance of hourly means explained by the hour of day (0–1); null before two days cover the day. */
  daily: number | null;
  /** Share of what the daily cycle leaves explained by the hour of the week (0–1); null before two weeks cover the week. */
  weekly: number | null;
  /** Hours of the day (UTC, 0–23) whose usual load is in the top quarter of the day's range; empty without a clear daily cycle. */
  peakHoursUtc: number[];
}

export interface WorkloadPatternState {
  /** Absolute hour (ms / 1 h) of each kept hourly mean, oldest first, and the means. */
  hours: number[];
  means: number[];
  open: number | null;
  sum: number;
  count: number;
}

/**
 * The hourly means of one signal over the last four weeks (a ring of 672
 * Float32 means and their hours: 5.4 KB), and from them, recomputed when an
 * hour closes, the strength of the daily and weekly cycles: the intraclass
 * correlation of hourly means grouped by hour of day (daily) and, after the
 * daily means are removed, by hour of week (weekly). Both are near 0 for a
 * load without such a cycle and near 1 for one that repeats it every day
 * (week); a cycle whose amplitude is below `floor` (the signal's noise
 * floor, e.g. 0.02 cores) counts as none. Hours are UTC.
 */
export class WorkloadPattern {
  private readonly hourOf = new Int32Array(HOURS).fill(-1);
  private readonly mean = new Float32Array(HOURS);
  private open = NaN;
  private sum = 0;
  private count = 0;
  private summary: WorkloadSummary = { daily: null, weekly: null, peakHoursUtc: [] };

  constructor(private readonly floor: number) {}

  /** Adds a sample at time t (ms); closing an hour updates the summary. */
  add(t: number, x: number): void {
    if (!Number.isFinite(t) || !Number.isFinite(x)) return;
    const h = Math.floor(t / HOUR_MS);
    if (h < this.open) return; // time went back: the engine's clock never does, a restored state may
    if (h !== this.open) this.close();
    this.open = h;
    this.sum += x;
    this.count++;
  }

  get current(): Readonly<WorkloadSummary> {
    return this.summary;
  }

  private close(): void {
    if (!Number.isFinite(this.open) || this.count === 0) return;
    const i = ((this.open % HOURS) + HOURS) % HOURS;
    this.hourOf[i] = this.open;
    this.mean[i] = this.sum / this.count;
    this.sum = 0;
    this.count = 0;
    this.summary = this.summarise(this.open);
  }

  private summarise(now: number): WorkloadSummary {
    const byDay: number[][] = Array.from({ length: 24 }, () => []);
    const byWeek: Array<Array<{ x: number; hod: number }>> = Array.from({ length: 168 }, () => []);
    for (let i = 0; i < HOURS; i++) {
      const h = this.hourOf[i];
      if (h < 0 || now - h >= HOURS) continue;
      const hod = h % 24;
      // Day 0 of the epoch was a Thursday: hour of the week counted from Monday 00:00 UTC.
      const how = (h + 72) % 168;
      byDay[hod].push(this.mean[i]);
      byWeek[how].push({ x: this.mean[i], hod });
    }
    const daily = covered(byDay) ? icc(byDay, this.floor) : null;
    if (daily === null) return { daily: null, weekly: null, peakHoursUtc: [] };
    const hodMean = byDay.map((g) => (g.length ? g.reduce((a, b) => a + b, 0) / g.length : NaN));
    const residuals = byWeek.map((g) => g.map((p) => p.x - hodMean[p.hod]));
    const weekly = covered(residuals) ? icc(residuals, this.floor) : null;
    return { daily, weekly, peakHoursUtc: daily >= PEAK_MIN_STRENGTH ? peaks(hodMean) : [] };
  }

  toJSON(): WorkloadPatternState {
    const hours: number[] = [];
    const means: number[] = [];
    const order = [...this.hourOf.keys()].filter((i) => this.hourOf[i] >= 0).sort((a, b) => this.hourOf[a] - this.hourOf[b]);
    for (const i of order) {
      hours.push(this.hourOf[i]);
      means.push(this.mean[i]);
    }
    return { hours, means, open: Number.isFinite(this.open) ? this.open : null, sum: this.sum, count: this.count };
  }

  static fromJSON(s: WorkloadPatternState, floor: number): WorkloadPattern {
    const p = new WorkloadPattern(floor);
    const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    if (
      !Array.isArray(s.hours) ||
      !Array.isArray(s.means) ||
      s.hours.length !== s.means.length ||
      !s.hours.every((h) => ok(h) && Number.isInteger(h) && h >= 0) ||
      !s.means.every(ok)
    ) {
      throw new CheckpointError('workload pattern: hours and means do not match');
    }
    if (!(s.open === null || ok(s.open)) || !ok(s.sum) || !ok(s.count) || s.count < 0) throw new CheckpointError('workload pattern: bad open hour');
    s.hours.forEach((h, k) => {
      const i = h % HOURS;
      p.hourOf[i] = h;
      p.mean[i] = s.means[k];
    });
    p.open = s.open ?? NaN;
    p.sum = s.sum;
    p.count = s.count;
    const last = s.hours.length ? s.hours[s.hours.length - 1] : NaN;
    if (Number.isFinite(last)) p.summary = p.summarise(last);
    return p;
  }

  static readonly BYTES = HOURS * (4 + 4) + 4 * 8;
}

/** Whether at least COVERAGE of the slots hold two or more values. */
function covered(groups: readonly number[][]): boolean {
  return groups.filter((g) => g.length >= 2).length >= COVERAGE * groups.length;
}

/**
 * One-way intraclass correlation: the between-slot variance component over
 * the total, (MSB − MSW) / n₀ against MSW, clamped to [0, 1]. 0 when the
 * between-slot spread is below `floor` (σ units of the signal).
 */
function icc(groups: readonly number[][], floor: number): number {
  const used = groups.filter((g) => g.length > 0);
  const n = used.reduce((a, g) => a + g.length, 0);
  const k = used.length;
  if (k < 2 || n <= k) return 0;
  const grand = used.reduce((a, g) => a + g.reduce((x, y) => x + y, 0), 0) / n;
  let ssb = 0;
  let ssw = 0;
  let sumSq = 0;
  for (const g of used) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    ssb += g.length * (m - grand) ** 2;
    for (const x of g) ssw += (x - m) ** 2;
    sumSq += g.length ** 2;
  }
  const msb = ssb / (k - 1);
  const msw = ssw / (n - k);
  const n0 = (n - sumSq / n) / (k - 1);
  const between = Math.max(0, (msb - msw) / n0);
  if (Math.sqrt(between) < floor) return 0;
  return between + msw > 0 ? Math.min(1, between / (between + msw)) : 0;
}

/** Hours whose mean is in the top (1 − PEAK_SHARE) of the range of hourly means. */
function peaks(hodMean: readonly number[]): number[] {
  const known = hodMean.filter((m) => Number.isFinite(m));
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  if (!(hi > lo)) return [];
  return hodMean.flatMap((m, h) => (Number.isFinite(m) && m >= lo + PEAK_SHARE * (hi - lo) ? [h] : []));
}
