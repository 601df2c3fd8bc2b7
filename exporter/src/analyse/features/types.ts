import type { Signal } from '@procsight/contract';

/** Sliding windows over which features are computed (derived from the sampling interval). */
export type WindowName = '1m' | '5m' | '15m' | '1h';
export const WINDOWS: readonly WindowName[] = ['1m', '5m', '15m', '1h'];
export const WINDOW_SECONDS: Readonly<Record<WindowName, number>> = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600 };

/** Features of one signal of one group over one window. */
export interface WindowStats {
  /** Samples in the window (< capacity during warm-up). */
  n: number;
  /** Seconds actually covered by the samples. */
  spanSeconds: number;
  mean: number;
  std: number;
  ewma: number;
  /** Least-squares slope, units per second. */
  slope: number;
  /** R² of that fit in [0, 1] (0 when the series is flat). */
  r2: number;
  p95: number;
  min: number;
  max: number;
  last: number;
  /** Relative growth over the window: (last-fit − first-fit) / max(|first-fit|, ε). */
  growth: number;
}

/** The two rings of points a group's signal is kept in: at the sampling interval (5 minutes) and in 15-second buckets (1 hour). */
export type Resolution = 'fine' | 'coarse';

/** Read-only view of the feature store that the bottleneck rules and anomaly scorers use. */
export interface FeatureSource {
  stats(group: string, signal: Signal, window: WindowName): WindowStats | null;
  /** The points of one signal held at a resolution, oldest first (times in seconds); empty when none. */
  points(group: string, signal: Signal, resolution: Resolution): { t: Float64Array; x: Float64Array };
  /** Groups currently held in the store. */
  groups(): string[];
}
