import { z } from 'zod';

/**
 * The `forecast:` section of the config file. docs/config.md is generated
 * from these descriptions.
 */
export const forecastConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run forecasts (in a worker thread)'),
    top_groups: z.number().int().min(0).max(500).default(20).describe('Forecast only this many groups (highest CPU + memory share) plus the host: series count = (top_groups × 4 resources + 1) × horizons × 3 bounds'),
    horizons: z
      .array(z.enum(['1m', '5m', '15m', '30m', '1h', '2h', '6h', '12h', '24h']))
      .min(1)
      .default(['15m', '1h', '6h'])
      .describe('Horizons exported as procsight_forecast{horizon}'),
    level: z.number().min(0.5).max(0.99).default(0.8).describe('Coverage of the interval (lower/upper bounds), calibrated on the series\' own backtest errors'),
    step_seconds: z.number().int().min(5).max(900).default(60).describe('Seconds per history point (samples are averaged); ≤ 8,000 points are ever fitted'),
    history_points: z.number().int().min(60).max(8000).default(1440).describe('Points of history kept per series (1440 × 60 s = 24 h)'),
    min_points: z.number().int().min(10).default(30).describe('Least history before a series is forecast (and the horizon must not exceed the history)'),
    refit_seconds: z.number().int().min(10).default(300).describe('Seconds between refits; the scrape always serves the last forecast'),
    backtest_origins: z.number().int().min(2).max(20).default(6).describe('Rolling-origin backtest fits per series per refit (interval calibration, MASE, coverage)'),
    fit_timeout_seconds: z.number().int().min(1).default(60).describe('A refit that takes longer restarts the worker'),
    thresholds: z
      .object({
        cpu: z.number().min(0).optional(),
        memory: z.number().min(0).optional(),
        fds: z.number().min(0).optional(),
        io: z.number().min(0).optional(),
        memory_available: z.number().min(0).optional(),
      })
      .strict()
      .prefault({})
      .describe('Extra limits per resource (e.g. memory: 2147483648) reported as procsight_forecast_exhaustion_seconds{limit="threshold"}'),
  })
  .strict();

export type ForecastConfig = z.infer<typeof forecastConfigSchema>;

export const HORIZON_SECONDS: Record<ForecastConfig['horizons'][number], number> = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '30m': 1800,
  '1h': 3600,
  '2h': 7200,
  '6h': 21600,
  '12h': 43200,
  '24h': 86400,
};
