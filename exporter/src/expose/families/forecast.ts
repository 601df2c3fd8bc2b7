import * as N from '@procsight/contract';
import type { Family } from '../family';

export const forecastFamilies: readonly Family[] = [
  {
    name: N.FORECAST,
    help: "Forecast of a resource at a horizon ahead of now (the last refit's path at now + horizon): mean and the interval bounds (level set by forecast.level). Absent while history is too short.",
    type: 'gauge',
    labelNames: ['group', 'resource', 'horizon', 'bound'],
    *samples(s) {
      for (const f of s.forecasts()) {
        for (const [horizon, p] of Object.entries(f.horizons)) {
          const base = { group: f.group, resource: f.resource, horizon };
          yield [{ ...base, bound: 'mean' }, p.mean];
          yield [{ ...base, bound: 'lower' }, p.lower];
          yield [{ ...base, bound: 'upper' }, p.upper];
        }
      }
    },
  },
  {
    name: N.FORECAST_EXHAUSTION_SECONDS,
    help: "Predicted seconds from now until the resource crosses its limit (bound=mean), and the earliest plausible crossing from the pessimistic interval bound (bound=earliest); up to 30 days ahead (forecast.exhaustion_max_seconds), from a group's first minutes on (a robust trend while the fitted models need more history); each absent when that path does not cross within that reach, so bound=earliest can be present alone.",
    type: 'gauge',
    labelNames: ['group', 'resource', 'limit', 'bound'],
    *samples(s) {
      for (const f of s.forecasts()) {
        for (const e of f.exhaustion) {
          const base = { group: f.group, resource: f.resource, limit: e.limit };
          if (e.seconds !== null) yield [{ ...base, bound: 'mean' }, e.seconds];
          if (e.earliestSeconds !== null) yield [{ ...base, bound: 'earliest' }, e.earliestSeconds];
        }
      }
    },
  },
  {
    name: N.FORECAST_MASE,
    help: 'Mean absolute scaled error of the forecast in a rolling backtest on its own history (below 1 beats the naive forecast).',
    type: 'gauge',
    labelNames: ['group', 'resource', 'horizon'],
    *samples(s) {
      for (const f of s.forecasts()) {
        for (const [horizon, a] of Object.entries(f.accuracy)) if (a.mase !== null) yield [{ group: f.group, resource: f.resource, horizon }, a.mase];
      }
    },
  },
  {
    name: N.FORECAST_INTERVAL_COVERAGE_RATIO,
    help: 'Share of backtest actuals that fell inside the forecast interval (should be near forecast.level).',
    type: 'gauge',
    labelNames: ['group', 'resource', 'horizon'],
    *samples(s) {
      for (const f of s.forecasts()) {
        for (const [horizon, a] of Object.entries(f.accuracy)) {
          if (a.coverage !== null) yield [{ group: f.group, resource: f.resource, horizon }, a.coverage];
        }
      }
    },
  },
  {
    name: N.FORECAST_MODEL_INFO,
    help: 'Model in use for the forecast (value 1).',
    type: 'gauge',
    labelNames: ['group', 'resource', 'model'],
    *samples(s) {
      for (const f of s.forecasts()) yield [{ group: f.group, resource: f.resource, model: f.model }, 1];
    },
  },
];
