/**
 * `npm run eval:forecast -- --data DIR [--json] [--origins 48]`: the
 * exporter's own forecasting job (the shipped parameters and tiers, no
 * search on the given data) in a rolling-origin evaluation of every
 * `timestamp,value` CSV under DIR (one subfolder per category; steps from
 * 1 minute to 1 hour). Prints a table per horizon; with --json the last line
 * is the summary: {"horizons": {"15m": {...}, "1h": {...}, ...}, "series": N, "origins": N}.
 * A horizon shorter than a series' step is not applicable there, and null
 * when it applies to no series.
 */
import { DEFAULT_PARAMS } from '../../exporter/src/analyse/forecast/params';
import { loadDir } from './data';
import { runEvaluation } from './run-eval';
import { round } from './score';

const args = process.argv.slice(2);
const flag = (n: string): string | null => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : null);

function main(): void {
  const dir = flag('data');
  if (!dir) throw new Error('usage: npm run eval:forecast -- --data DIR [--json] [--origins 48]');
  const json = args.includes('--json');
  const origins = Number(flag('origins') ?? 48);
  const t0 = performance.now();
  const series = loadDir(dir);
  if (series.length === 0) throw new Error(`no timestamp,value CSV files with a step of 1 min to 1 h under ${dir}`);
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };
  const r = runEvaluation(series, { params: DEFAULT_PARAMS, origins, progress: json ? undefined : log });
  const seconds = (performance.now() - t0) / 1000;
  const rows = Object.entries(r.horizons).map(([h, s]) =>
    s
      ? `| ${h} | ${s.series} | ${s.forecasts} | ${round(s.mase_median)} [${s.mase_ci?.map((x) => round(x)).join(', ') ?? '—'}] | ${round(s.beats_naive_share, 2)} | ${round(s.coverage80)} | ${round(s.baselines.seasonal_naive)} | ${round(s.baselines.predict_linear)} | ${round(s.baselines.holt)} | ${round(s.vs_seasonal_naive.ratio_median)} |`
      : `| ${h} | not applicable | | | | | | | | |`,
  );
  const table = [
    '| horizon | series | forecasts | median MASE [95 % CI] | beats naive | 80 % coverage | seasonal naive | predict_linear | Holt | MAE / seasonal naive MAE (median) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  process.stdout.write(
    `${table}\n${r.series} series, ${r.origins} origins, fit median ${(r.fitMedianSeconds * 1000).toFixed(1)} ms, ${seconds.toFixed(0)} s\n`,
  );
  if (json) {
    const summary = {
      horizons: Object.fromEntries(
        Object.entries(r.horizons).map(([h, s]) => [
          h,
          s === null
            ? null
            : {
                mase_median: round(s.mase_median),
                mase_ci: s.mase_ci?.map((x) => round(x)) ?? null,
                beats_naive_share: round(s.beats_naive_share),
                coverage80: round(s.coverage80),
                seasonal_naive_mase_median: round(s.baselines.seasonal_naive),
                mae_over_seasonal_naive_median: round(s.vs_seasonal_naive.ratio_median),
                series: s.series,
                forecasts: s.forecasts,
                // Series whose step is longer than the horizon: not applicable there.
                not_applicable: r.results.filter((x) => x.recs.get(h) === null).length,
              },
        ]),
      ),
      series: r.series,
      origins: r.origins,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
}

main();
