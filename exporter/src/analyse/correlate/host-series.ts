import type { HostSnapshot } from '../../read/types';
import { HOST_FEATURES, hostFeatureValue, type HostFeature } from '../anomaly/host';
import type { Series } from './correlate';

/** Seconds of host history kept for the correlation hints (the groups' coarse ring spans as long). */
const KEEP_SECONDS = 3600;
/** Seconds per kept point (a mean): the hints compare 15-second steps, so finer points would only cost memory. */
const STEP_SECONDS = 15;

/**
 * The last hour of the host-wide features (CPU busy, iowait, PSI, run queue),
 * a mean per 15 seconds: what the correlation hints compare a
 * group's bottleneck signal with besides the groups.
 */
export class HostSeries {
  private readonly t: number[] = [];
  private readonly x = new Map<HostFeature, number[]>(HOST_FEATURES.map((f) => [f, []]));
  private bucketStart = NaN;
  private readonly sum = new Float64Array(HOST_FEATURES.length);
  private readonly count = new Float64Array(HOST_FEATURES.length);

  /** Adds a sample; every 15 s the mean of the samples since the last point becomes a point (as the groups' coarse ring does). */
  add(host: HostSnapshot, timestampMs: number): void {
    const tSec = timestampMs / 1000;
    const values = HOST_FEATURES.map((f) => hostFeatureValue(host, f));
    // The first sample has no rates yet: nothing to keep.
    if (values.every((v) => v === null)) return;
    if (Number.isNaN(this.bucketStart)) this.bucketStart = tSec;
    values.forEach((v, i) => {
      if (v === null) return;
      this.sum[i] += v;
      this.count[i]++;
    });
    if (tSec - this.bucketStart < STEP_SECONDS - 1e-6) return;
    this.t.push(tSec);
    HOST_FEATURES.forEach((f, i) => this.x.get(f)!.push(this.count[i] > 0 ? this.sum[i] / this.count[i] : NaN));
    this.sum.fill(0);
    this.count.fill(0);
    this.bucketStart = tSec;
    while (this.t.length > 0 && tSec - this.t[0] > KEEP_SECONDS) {
      this.t.shift();
      for (const xs of this.x.values()) xs.shift();
    }
  }

  /** Each feature's points (features never measured, such as PSI on an old kernel, left out). */
  series(): Array<{ feature: HostFeature; series: Series }> {
    return HOST_FEATURES.flatMap((f) => {
      const xs = this.x.get(f)!;
      const keep = xs.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
      return keep.length === 0 ? [] : [{ feature: f, series: { t: keep.map((i) => this.t[i]), x: keep.map((i) => xs[i]) } }];
    });
  }
}
