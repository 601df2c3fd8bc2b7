/** The horizons a config may ask for, in seconds (apart from the schema: the forecaster needs them without the schema library). */
export const HORIZON_SECONDS = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '30m': 1800,
  '1h': 3600,
  '2h': 7200,
  '6h': 21600,
  '12h': 43200,
  '24h': 86400,
  '1d': 86400,
  '7d': 604800,
} as const;

export type Horizon = keyof typeof HORIZON_SECONDS;

/** Every horizon name, shortest first. */
export const HORIZONS = Object.keys(HORIZON_SECONDS) as [Horizon, ...Horizon[]];
