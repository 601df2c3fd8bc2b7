/**
 * The rolling-origin evaluation over a set of series (eval/forecast/main.ts
 * and cv.ts): every series evaluated with the given parameters, scored per
 * horizon.
 */
import { forecastConfigSchema, type ForecastConfig } from '../../exporter/src/analyse/forecast/config';
import type { ForecastParams } from '../../exporter/src/analyse/forecast/params';
import type { EvalSeries } from './data';
import { EVAL_HORIZONS, evaluateSeries, type Rec, type SeriesResult } from './rolling';
import { scoreHorizon, type HorizonScore } from './score';

/** The shipped forecast configuration (the defaults). */
const SHIPPED_CONFIG: ForecastConfig = forecastConfigSchema.parse({});

/** First origin after one day of history (young series are evaluated apart, with a history limit). */
const FIRST_ORIGIN_SECONDS = 86_400;

export interface EvaluationResult {
  horizons: Record<string, HorizonScore | null>;
  series: number;
  origins: number;
  fitMedianSeconds: number;
  fitP95Seconds: number;
  results: SeriesResult[];
}

export interface EvaluationOptions {
  params: ForecastParams;
  config?: ForecastConfig;
  origins?: number;
  firstOriginSeconds?: number;
  historyLimitSeconds?: number;
  served?: boolean;
  horizons?: Array<[string, number]>;
  progress?: (line: string) => void;
  filter?: (r: Rec) => boolean;
}

export function runEvaluation(series: readonly EvalSeries[], opts: EvaluationOptions): EvaluationResult {
  const results: SeriesResult[] = [];
  for (const s of series) {
    const t0 = performance.now();
    const r = evaluateSeries(s, {
      config: opts.config ?? SHIPPED_CONFIG,
      params: opts.params,
      origins: opts.origins ?? 48,
      firstOriginSeconds: opts.firstOriginSeconds ?? FIRST_ORIGIN_SECONDS,
      historyLimitSeconds: opts.historyLimitSeconds,
      served: opts.served,
      horizons: opts.horizons,
    });
    results.push(r);
    opts.progress?.(`${s.id}: ${r.origins} origins, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return summarise(results, opts.filter);
}

export function summarise(results: SeriesResult[], filter?: (r: Rec) => boolean): EvaluationResult {
  const fits = results.flatMap((r) => r.fitSeconds).sort((a, b) => a - b);
  return {
    horizons: Object.fromEntries(EVAL_HORIZONS.map(([h]) => [h, scoreHorizon(results, h, filter)])),
    series: results.filter((r) => r.origins > 0).length,
    origins: results.reduce((s, r) => s + r.origins, 0),
    fitMedianSeconds: fits[Math.floor(fits.length / 2)] ?? 0,
    fitP95Seconds: fits[Math.floor(fits.length * 0.95)] ?? 0,
    results,
  };
}
