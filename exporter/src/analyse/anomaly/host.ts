import type { HostSnapshot } from '../../read/types';
import { CheckpointError } from '../../errors';
import { StreamCheckpointError, StreamDetector, type StreamDetectorOptions } from './stream';

/** Host-level features whose learned normal the bottleneck evidence shows as its baseline. */
export type HostFeature =
  'cpu_busy_ratio' | 'iowait_ratio' | 'pressure_cpu_some_ratio' | 'pressure_memory_some_ratio' | 'pressure_io_some_ratio' | 'procs_running';

export const HOST_FEATURES: readonly HostFeature[] = [
  'cpu_busy_ratio',
  'iowait_ratio',
  'pressure_cpu_some_ratio',
  'pressure_memory_some_ratio',
  'pressure_io_some_ratio',
  'procs_running',
];

/** Value of a host feature (null: not available, e.g. no PSI on this kernel, or the first sample). */
export function hostFeatureValue(h: HostSnapshot, f: HostFeature): number | null {
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

/** Ratios lie in [0, 1], the run queue is ≥ 0; no noise floor (only the baseline is read). */
function featureOptions(f: HostFeature, base: Partial<StreamDetectorOptions>): Partial<StreamDetectorOptions> {
  return { ...base, minScale: 0, bounds: f === 'procs_running' ? { min: 0 } : { min: 0, max: 1 } };
}

/**
 * The host's learned normal of a few host-wide features: one streaming
 * detector each (the groups' detector, with the same options), of which only
 * the recent baseline's median is read (no score is exported). One instance
 * per exporter: 6 detectors, see `bytes`.
 */
export class HostBaselines {
  private detectors: StreamDetector[];

  constructor(private readonly base: Partial<StreamDetectorOptions>) {
    this.detectors = HOST_FEATURES.map((f) => new StreamDetector(featureOptions(f, base)));
  }

  /** Adds a sample at the detectors' time t (features without a value are skipped). */
  ingest(host: HostSnapshot, t: number): void {
    HOST_FEATURES.forEach((f, i) => {
      const v = hostFeatureValue(host, f);
      if (v !== null) this.detectors[i].update(t, v);
    });
  }

  /** The median of the recent baseline (12 hours by default); null while learning or without the data. */
  baseline(f: HostFeature): number | null {
    const d = this.detectors[HOST_FEATURES.indexOf(f)];
    return d.status === 'ready' ? d.components.baseline : null;
  }

  bytes(): number {
    return this.detectors.reduce((a, d) => a + d.bytes(), 0);
  }

  toJSON(): Partial<Record<HostFeature, unknown>> {
    return Object.fromEntries(HOST_FEATURES.map((f, i) => [f, this.detectors[i].toJSON()]));
  }

  /** Restores the detectors; a feature missing from the checkpoint learns anew. Throws CheckpointError on a bad state. */
  restore(s: Partial<Record<HostFeature, unknown>>): void {
    this.detectors = HOST_FEATURES.map((f, i) => {
      const st = s[f];
      if (st === undefined) return this.detectors[i];
      try {
        return StreamDetector.fromJSON(st, featureOptions(f, this.base));
      } catch (e) {
        if (e instanceof StreamCheckpointError) throw new CheckpointError(`host baseline ${f}: ${e.message}`, { cause: e });
        throw e;
      }
    });
  }
}
