/**
 * Forecast worker: every ARIMA fit runs here, never on the collection or
 * scrape thread (the arima package is synchronous WebAssembly). A
 * RuntimeError from the WASM module is reported as fatal so the main thread
 * restarts the worker (the module is unusable afterwards).
 */
import { parentPort } from 'node:worker_threads';
import ARIMA from 'arima';
import { backtest, calibratedScaleAt, robustArima, robustLevel, ses, zFor, type ArimaFn, type Backtest, type PathForecast } from './models';
import { errorMessage } from '../../util/error-message';

export interface FitJob {
  key: string;
  series: number[];
  /** Horizons in steps (each gets a backtest). */
  horizons: number[];
  /** Length of the forecast path in steps, when longer than the longest horizon. */
  pathSteps?: number;
  level: number;
  origins: number;
  nonNegative: boolean;
}

export interface FitResult {
  key: string;
  model: string;
  mean: number[];
  lower: number[];
  upper: number[];
  /** Per horizon (steps, as a string key): backtest accuracy. */
  accuracy: Record<string, { mase: number | null; coverage: number | null }>;
  seconds: number;
}

export type WorkerRequest = { id: number; jobs: FitJob[] };
export type WorkerResponse =
  | { id: number; results: FitResult[]; failures: Array<{ key: string; reason: string }> }
  | { id: number; fatal: string };

/** The worker's ARIMA(1,1,1) fit by CSS (exported for the evaluation, the benchmarks and tests, which run the same fit). */
export const arima: ArimaFn = (series, steps) => {
  const model = new ARIMA({ p: 1, d: 1, q: 1, method: 1, verbose: false }).train(series);
  try {
    return model.predict(steps);
  } finally {
    model.destroy(); // RSS grows without it
  }
};

/** Windows (points) of the robust-level candidates: a short and a long median. */
export const ROBUST_LEVEL_WINDOWS = [6, 24] as const;

/**
 * Fits the candidates (ARIMA(1,1,1) with drift; simple exponential smoothing;
 * the median of the last 6 and 24 points), keeps the one with the lowest
 * rolling-backtest error summed over the horizons, and calibrates its
 * intervals on that backtest.
 */
export function runJob(job: FitJob, fit: ArimaFn | null): FitResult {
  const t0 = performance.now();
  const maxSteps = Math.max(...job.horizons, job.pathSteps ?? 0);
  const horizons = [...job.horizons].sort((a, b) => a - b);
  const candidates: Array<(s: readonly number[], n: number) => PathForecast> = [
    (s, n) => robustArima(s, n, fit),
    ses,
    ...ROBUST_LEVEL_WINDOWS.map((w) => (s: readonly number[], n: number) => robustLevel(s, n, w)),
  ];
  let best: { f: PathForecast; bts: Backtest[]; score: number } | null = null;
  for (const c of candidates) {
    const bts = horizons.map((h) => backtest(job.series, h, job.origins, job.level, c));
    // Backtest MAE relative to naive (MASE); a candidate without a backtest scores as naive.
    const score = bts.reduce((s, b) => s + (b.mase ?? 1), 0);
    if (!best || score < best.score) best = { f: c(job.series, maxSteps), bts, score };
  }
  const { f, bts } = best!;
  const z = zFor(job.level);
  const accuracy: FitResult['accuracy'] = {};
  horizons.forEach((h, i) => (accuracy[String(h)] = { mase: bts[i].mase, coverage: bts[i].coverage }));
  const lower: number[] = [];
  const upper: number[] = [];
  f.mean.forEach((m, i) => {
    const half = z * f.sd[i] * calibratedScaleAt(i + 1, horizons, bts);
    lower.push(job.nonNegative ? Math.max(0, m - half) : m - half);
    upper.push(m + half);
  });
  const mean = job.nonNegative ? f.mean.map((m) => Math.max(0, m)) : f.mean;
  return { key: job.key, model: f.model, mean, lower, upper, accuracy, seconds: (performance.now() - t0) / 1000 };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    const results: FitResult[] = [];
    const failures: Array<{ key: string; reason: string }> = [];
    try {
      for (const job of req.jobs) {
        try {
          results.push(runJob(job, arima));
        } catch (e) {
          if (e instanceof Error && e.name === 'RuntimeError') throw e;
          failures.push({ key: job.key, reason: errorMessage(e) });
        }
      }
      port.postMessage({ id: req.id, results, failures } satisfies WorkerResponse);
    } catch (e) {
      port.postMessage({ id: req.id, fatal: errorMessage(e) } satisfies WorkerResponse);
    }
  });
}
