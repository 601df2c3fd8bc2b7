/** What the forecaster produces. */
import type { ForecastResource } from '@procsight/contract';

export interface ForecastPoint {
  timestampMs: number;
  mean: number;
  lower: number;
  upper: number;
}

export interface Forecast {
  /** Group name, or '_host' for host resources. */
  group: string;
  resource: ForecastResource;
  model: string;
  fittedAtMs: number;
  level: number;
  /** horizon label (e.g. '15m') → point at that horizon. */
  horizons: Record<string, ForecastPoint>;
  /** Full path, for the API and the plugin. */
  path: ForecastPoint[];
  /**
   * Seconds until the mean path (`seconds`) and the pessimistic bound
   * (`earliestSeconds`) cross the limit within the path; null when that one
   * does not. Listed when at least one of them crosses.
   */
  exhaustion: Array<{ limit: string; limitValue: number; seconds: number | null; earliestSeconds: number | null }>;
  accuracy: Record<string, { mase: number | null; coverage: number | null }>;
}
