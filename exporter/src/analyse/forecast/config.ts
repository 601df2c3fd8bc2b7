import { z } from 'zod';
import { HORIZONS } from './horizons';

/**
 * The `forecast:` section of the config file. docs/config.md is generated
 * from these descriptions.
 */
export const forecastConfigSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Run forecasts (in a worker thread)'),
    top_groups: z
      .number()
      .int()
      .min(0)
      .max(500)
      .default(20)
      .describe(
        'Forecast this many groups (highest CPU + memory share) plus the host and up to watch_groups more: series count ≤ ((top_groups + watch_groups) × 4 resources + 1) × horizons × 3 bounds',
      ),
    horizons: z
      .array(z.enum(HORIZONS))
      .min(1)
      .default(['15m', '1h', '6h', '1d', '7d'])
      .describe('Horizons exported as procsight_forecast{horizon}; those of 6h and longer come from the capacity tier'),
    level: z.number().min(0.5).max(0.99).default(0.8).describe("Coverage of the interval (lower/upper bounds), calibrated on the series' own backtest errors"),
    step_seconds: z.number().int().min(5).max(900).default(60).describe('Seconds per point of the short tier (horizons below 6h; samples are averaged)'),
    history_points: z.number().int().min(60).max(8000).default(1440).describe('Points of short-tier history kept per series (1440 × 60 s = 24 h)'),
    min_points: z.number().int().min(10).default(30).describe('Short-tier points before the backtested candidates replace the cold-start trend'),
    refit_seconds: z
      .number()
      .int()
      .min(10)
      .default(300)
      .describe('Seconds between short-tier refits (in the worker); between refits the served forecast is re-anchored on every new point'),
    backtest_origins: z
      .number()
      .int()
      .min(2)
      .max(500)
      .default(120)
      .describe('Rolling-origin forecasts per candidate per refit, spread over the history (model choice, interval calibration, MASE, coverage)'),
    capacity: z
      .object({
        step_seconds: z
          .number()
          .int()
          .min(60)
          .max(3600)
          .default(300)
          .describe('Seconds per point of the capacity tier (horizons of 6h and longer; a daily cycle is modelled when a day is a whole number of points)'),
        history_points: z.number().int().min(60).max(20160).default(4032).describe('Points of capacity-tier history kept per series (4032 × 300 s = 14 days)'),
        refit_seconds: z.number().int().min(10).default(900).describe('Seconds between capacity-tier refits'),
      })
      .strict()
      .prefault({})
      .describe('The capacity tier: long horizons from a downsampled history'),
    cold_start: z
      .object({
        enabled: z.boolean().default(true).describe('Forecast from the first minutes with a robust trend (Theil–Sen) until the short tier has min_points'),
        step_seconds: z.number().int().min(1).max(60).default(5).describe('Seconds per cold-start point (samples are averaged)'),
        points: z.number().int().min(12).max(2000).default(360).describe('Cold-start points kept per series (360 × 5 s = 30 min)'),
        min_points: z.number().int().min(3).default(6).describe('Least cold-start points before a forecast'),
        min_span_seconds: z.number().int().min(1).default(30).describe('Least span of those points'),
        horizon_factor: z
          .number()
          .min(1)
          .default(30)
          .describe('A tier forecast and any time to exhaustion reach at most this many times the history behind it'),
        forecast_factor: z
          .number()
          .min(1)
          .default(4)
          .describe(
            'A cold-start forecast (mean and bounds) reaches at most this many times the history behind it: a trend seen for minutes is extrapolated that far for the forecast, further (horizon_factor) only for a time to exhaustion',
          ),
      })
      .strict()
      .prefault({})
      .describe("Forecasts and times to exhaustion from a group's first minutes"),
    exhaustion_max_seconds: z
      .number()
      .int()
      .min(60)
      .max(90 * 86400)
      .default(30 * 86400)
      .describe('Times to exhaustion are exported up to this far ahead'),
    max_series: z
      .number()
      .int()
      .min(10)
      .max(100000)
      .default(1000)
      .describe(
        'Most series with forecast histories (groups × 4 resources + the host); the one seen least recently is forgotten first. Bounds memory at max_series × (cold_start.points + history_points + capacity.history_points) × 4 bytes',
      ),
    watch_groups: z
      .number()
      .int()
      .min(0)
      .max(500)
      .default(20)
      .describe('Groups outside top_groups forecast because their fds or memory head for a limit within exhaustion_max_seconds (closest first)'),
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
