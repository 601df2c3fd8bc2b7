import { stringify } from 'yaml';

/**
 * The exporter configuration the stack tests run (no-dead-panel, browser):
 * a short anomaly learning time (one cell per collection, 10 of them) and 1-minute forecasts refitted every 10 s, so
 * every series the dashboards and the app read exists within a few minutes.
 */
export function testSizedConfig(extra: { bottlenecks?: Record<string, number | string>; forecastThresholds?: Record<string, number> } = {}): string {
  return stringify({
    anomaly: { detector: { cell_seconds: 1, baseline_hours: 0.25, min_baseline_cells: 10, range_lag_minutes: 1 } },
    ...(extra.bottlenecks ? { bottlenecks: extra.bottlenecks } : {}),
    forecast: {
      step_seconds: 5,
      min_points: 10,
      refit_seconds: 10,
      horizons: ['1m'],
      backtest_origins: 4,
      ...(extra.forecastThresholds ? { thresholds: extra.forecastThresholds } : {}),
    },
  });
}
