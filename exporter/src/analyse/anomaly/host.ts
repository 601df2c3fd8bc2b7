import type { HostSnapshot } from '../../read/types';
import { RobustScorer, type RobustOptions, type RobustState } from './robust';

/** Host-level features whose learned normal the bottleneck evidence shows as its baseline. */
export type HostFeature = 'cpu_busy_ratio' | 'iowait_ratio' | 'pressure_cpu_some_ratio' | 'pressure_memory_some_ratio' | 'pressure_io_some_ratio' | 'procs_running';

const HOST_FEATURES: readonly HostFeature[] = ['cpu_busy_ratio', 'iowait_ratio', 'pressure_cpu_some_ratio', 'pressure_memory_some_ratio', 'pressure_io_some_ratio', 'procs_running'];

/** Value of a host feature (null: not available, e.g. no PSI on this kernel, or the first sample). */
function hostFeatureValue(h: HostSnapshot, f: HostFeature): number | null {
  const r = h.rates;
  switch (f) {
    case 'cpu_busy_ratio':
      return r ? r.cpuBusyRatio : null;
    case 'iowait_ratio':
      return r ? r.iowaitRatio : null;
    case 'pressure_cpu_some_ratio':
      return r?.pressureCpuSomeRatio ?? null;
    case 'pressure_memory_some_ratio':
      return r?.pressureMemorySomeRatio ?? null;
    case 'pressure_io_some_ratio':
      return r?.pressureIoSomeRatio ?? null;
    case 'procs_running':
      return r ? h.procsRunning : null;
  }
}

/**
 * The host's learned normal of a few host-wide features, with the same
 * robust scorer (rolling window, then time-of-day profile) and the same
 * points as the groups' signals. Only the baseline is read (no score is
 * exported). One instance per exporter: 6 scorers, see `bytes`.
 */
export class HostBaselines {
  private scorers: RobustScorer[];
  private readonly sum = new Float64Array(HOST_FEATURES.length);
  private readonly count = new Uint32Array(HOST_FEATURES.length);
  private startMs: number | null = null;

  constructor(
    private readonly opts: RobustOptions,
    private readonly stepMs: number,
  ) {
    this.scorers = HOST_FEATURES.map(() => new RobustScorer(opts));
  }

  /** Adds a sample (features without a value are skipped); closes a point every `stepMs`, as the groups' signals do. */
  ingest(host: HostSnapshot, nowMs: number): void {
    this.startMs ??= nowMs;
    HOST_FEATURES.forEach((f, i) => {
      const v = hostFeatureValue(host, f);
      if (v === null || !Number.isFinite(v)) return;
      this.sum[i] += v;
      this.count[i]++;
    });
    if (nowMs - this.startMs < this.stepMs - 1) return;
    HOST_FEATURES.forEach((_f, i) => {
      if (this.count[i] > 0) this.scorers[i].push(this.sum[i] / this.count[i], nowMs);
    });
    this.sum.fill(0);
    this.count.fill(0);
    this.startMs = nowMs;
  }

  baseline(f: HostFeature): number | null {
    return this.scorers[HOST_FEATURES.indexOf(f)].baseline();
  }

  static bytes(opts: RobustOptions): number {
    return HOST_FEATURES.length * RobustScorer.bytes(opts);
  }

  toJSON(): Partial<Record<HostFeature, RobustState>> {
    return Object.fromEntries(HOST_FEATURES.map((f, i) => [f, this.scorers[i].toJSON()]));
  }

  restore(s: Partial<Record<HostFeature, RobustState>>): void {
    this.scorers = HOST_FEATURES.map((f, i) => {
      const st = s[f];
      return st ? RobustScorer.fromJSON(this.opts, st) : this.scorers[i];
    });
  }
}
