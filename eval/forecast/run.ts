/**
 * Forecast evaluation (not a test): rolling-origin backtest on real series,
 * side by side in one run — procsight's forecaster (exactly the worker's job),
 * the ARIMA alone, naive, seasonal naive (1 day), linear regression over the
 * last window (PromQL predict_linear) and Holt linear (PromQL
 * double_exponential_smoothing). Two data sets: the NAB AWS CloudWatch files
 * (5-minute steps) and series recorded from this machine by
 * eval/forecast/record.ts (60 s steps, the exporter's default), for which the
 * exporter's own live forecasts are scored too. Rewrites the forecast
 * sections of docs/evaluation.md.
 *
 *   npx tsx eval/forecast/run.ts [--origins 12] [--window 2016]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linear, naive, robustArima, zFor, type PathForecast } from '../../exporter/src/analyse/forecast/models';
import { arima, runJob } from '../../exporter/src/analyse/forecast/worker';
import { replaceDocSection } from '../../scripts/doc-section';
import { MACHINE_DIR } from './paths';

const args = process.argv.slice(2);
const num = (n: string, d: number) => (args.includes(`--${n}`) ? Number(args[args.indexOf(`--${n}`) + 1]) : d);
const ORIGINS = num('origins', 12);
const WINDOW = num('window', 2016); // 7 days of 5-min points, far below the WASM limit (~8,200)
const LEVEL = 0.8;
const NAB_DATA = join(__dirname, '..', '..', '..', 'shared', 'data', 'nab', 'realAWSCloudwatch');
const DOC = join(__dirname, '..', '..', 'docs', 'evaluation.md');

/** Holt linear (no damping), PromQL double_exponential_smoothing(sf=0.3, tf=0.1) over the window. */
function holt(series: readonly number[], steps: number): PathForecast {
  const sf = 0.3;
  const tf = 0.1;
  let level = series[0];
  let trend = series[1] - series[0];
  for (let i = 1; i < series.length; i++) {
    const nl = sf * series[i] + (1 - sf) * (level + trend);
    trend = tf * (nl - level) + (1 - tf) * trend;
    level = nl;
  }
  return { model: 'holt', mean: Array.from({ length: steps }, (_, h) => level + (h + 1) * trend), sd: Array(steps).fill(0) };
}

function seasonalNaive(series: readonly number[], steps: number, season: number): PathForecast {
  const n = series.length;
  return { model: 'seasonal_naive', mean: Array.from({ length: steps }, (_, h) => (n - season + h >= 0 ? series[n - season + (h % season)] : series[n - 1])), sd: Array(steps).fill(0) };
}

const MODELS = ['procsight', 'procsight_served', 'arima_raw', 'naive', 'seasonal_naive', 'linear', 'holt'] as const;
type Model = (typeof MODELS)[number];

interface Series {
  id: string;
  values: number[];
  /** cpu, memory, … (the machine recordings; NAB series have none). */
  resource?: string;
}

interface DataSet {
  series: Series[];
  /** [label, steps] */
  horizons: Array<[string, number]>;
  /** Points per day (seasonal naive) and the Holt window. */
  day: number;
  /** Least training points before the first origin. */
  minTrain: number;
  /** Series in different units: no median MAE across them. */
  mixedUnits?: boolean;
  /**
   * Steps between the exporter's refits: a forecast served as of the scrape k
   * steps after its fit is the fit's path point k steps past the horizon
   * ("procsight_served", scored for k = 0 … refitSteps − 1).
   */
  refitSteps: number;
  /** Short series: origins spread over the second half of each series. */
  spreadOrigins?: boolean;
  /**
   * The exporter's horizons (15m, 1h, 6h) in this data set's steps: the
   * worker fits one model per series for all of them (chosen on the sum of
   * their backtests), so each evaluated horizon is read from that same job.
   */
  exporterHorizons: number[];
}

interface Acc {
  inside: number;
  total: number;
  maseParts: number[];
  maeParts: number[];
}

function evaluate(ds: DataSet): { table: string; fitSeconds: number[]; used: number; byResource: string } {
  // procsight's coverage per horizon and resource, and how often it was exact.
  const perResource = new Map<string, { inside: number; total: number; exact: number }>();
  const perHorizon = new Map<string, Map<Model, Acc>>();
  for (const [h] of ds.horizons) perHorizon.set(h, new Map(MODELS.map((m) => [m, { inside: 0, total: 0, maseParts: [], maeParts: [] }])));
  const fitSeconds: number[] = [];
  const z = zFor(LEVEL);
  const used = new Set<string>();
  // procsight_served differs from procsight only when the exporter serves a fit over several steps.
  const models: readonly Model[] = ds.refitSteps > 1 ? MODELS : MODELS.filter((m) => m !== 'procsight_served');
  for (const { id, values, resource } of ds.series) {
    for (const [h, steps] of ds.horizons) {
      const acc = perHorizon.get(h)!;
      // Long series: training windows of WINDOW points, origins spread over the rest. Short ones
      // (the machine recordings): origins spread over the second half, not packed into the last minutes,
      // where they would all share one stretch of the machine's activity.
      const first = ds.spreadOrigins
        ? Math.max(ds.minTrain, Math.floor((values.length - steps) / 2))
        : Math.max(ds.minTrain, Math.min(WINDOW, values.length - steps - ORIGINS));
      if (first + steps > values.length) continue;
      const stride = Math.max(1, Math.floor((values.length - steps - first) / ORIGINS));
      // Per model: its absolute errors and the naive forecast's at the same targets (MASE is their ratio).
      const errs = new Map<Model, { err: number[]; naive: number[] }>(models.map((m) => [m, { err: [], naive: [] }]));
      const score = (m: Model, actual: number, forecast: number, naiveForecast: number, interval: [number, number] | null): boolean | null => {
        errs.get(m)!.err.push(Math.abs(actual - forecast));
        errs.get(m)!.naive.push(Math.abs(actual - naiveForecast));
        if (!interval) return null;
        const inside = actual >= interval[0] && actual <= interval[1];
        acc.get(m)!.total++;
        if (inside) acc.get(m)!.inside++;
        return inside;
      };
      let origins = 0;
      for (let o = first; o + steps <= values.length && origins < ORIGINS; o += stride, origins++) {
        const train = values.slice(Math.max(0, o - WINDOW), o);
        const actual = values[o + steps - 1];
        const last = values[o - 1];
        const t0 = performance.now();
        // Exactly what the exporter's worker does: candidates, selection and conformal calibration on the series' own backtest.
        const jobHorizons = [...new Set([...ds.exporterHorizons.filter((x) => x <= train.length), steps])];
        const p = runJob({ key: id, series: train, horizons: jobHorizons, pathSteps: Math.max(...jobHorizons) + ds.refitSteps, level: LEVEL, origins: 6, nonNegative: false }, arima);
        fitSeconds.push((performance.now() - t0) / 1000);
        const f = robustArima(train, steps, arima);
        const i = steps - 1;
        const inside = score('procsight', actual, p.mean[i], last, [p.lower[i], p.upper[i]]);
        const rk = `${h}\u0000${resource ?? 'all'}`;
        const r = perResource.get(rk) ?? { inside: 0, total: 0, exact: 0 };
        perResource.set(rk, { inside: r.inside + (inside ? 1 : 0), total: r.total + 1, exact: r.exact + (actual === p.mean[i] ? 1 : 0) });
        score('arima_raw', actual, f.mean[i], last, [f.mean[i] - z * f.sd[i], f.mean[i] + z * f.sd[i]]);
        score('naive', actual, naive(train, steps).mean[i], last, null);
        score('seasonal_naive', actual, seasonalNaive(train, steps, ds.day).mean[i], last, null);
        score('linear', actual, linear(train.slice(-steps * 2), steps).mean[i], last, null);
        score('holt', actual, holt(train.slice(-ds.day), steps).mean[i], last, null);
        // As served: a scrape k steps after the fit reads the path point k steps past the horizon; naive then has k more values.
        if (models.includes('procsight_served')) {
          for (let k = 0; k < ds.refitSteps && o + i + k < values.length; k++) score('procsight_served', values[o + i + k], p.mean[i + k], values[o - 1 + k], [p.lower[i + k], p.upper[i + k]]);
        }
      }
      if (origins === 0) continue;
      used.add(id);
      for (const m of models) {
        const { err, naive: naiveErr } = errs.get(m)!;
        if (err.length === 0) continue;
        acc.get(m)!.maeParts.push(mean(err));
        if (mean(naiveErr) > 0) acc.get(m)!.maseParts.push(mean(err) / mean(naiveErr));
      }
    }
  }
  const rows: string[] = [];
  for (const [h] of ds.horizons) {
    for (const m of MODELS) {
      const a = perHorizon.get(h)!.get(m)!;
      if (a.maeParts.length === 0) continue;
      // Series in different units (bytes, cores, fds) have no meaningful median MAE: count those beating naive instead.
      const first = ds.mixedUnits ? `${a.maseParts.filter((x) => x < 1).length} / ${a.maseParts.length}` : fmt(median(a.maeParts));
      rows.push(`| ${h} | ${m} | ${first} | ${median(a.maseParts).toFixed(3)} | ${mean(a.maseParts).toFixed(3)} | ${a.total ? (a.inside / a.total).toFixed(3) : '—'} |`);
    }
  }
  const firstHead = ds.mixedUnits ? 'series with MAE below naive' : 'median over series of MAE';
  const table = [`| horizon | model | ${firstHead} | median over series of MAE / naive MAE (MASE) | mean MASE | 80 % coverage |`, '|---|---|---|---|---|---|', ...rows].join('\n');
  const byResource = [
    '| horizon | resource | forecasts | 80 % coverage | exactly right |',
    '|---|---|---|---|---|',
    ...[...perResource].map(([k, r]) => `| ${k.split('\u0000').join(' | ')} | ${r.total} | ${(r.inside / r.total).toFixed(3)} | ${(r.exact / r.total).toFixed(3)} |`),
  ].join('\n');
  return { table, fitSeconds, used: used.size, byResource };
}

function loadNabSeries(): Series[] {
  const files = existsSync(NAB_DATA) ? readdirSync(NAB_DATA).filter((f) => f.endsWith('.csv')).sort() : [];
  return files.map((f) => ({ id: f, values: readFileSync(join(NAB_DATA, f), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1])).filter(Number.isFinite) }));
}

interface MachineSeries extends Series {
  /** The recording (folder of eval/forecast/machine/) it comes from. */
  recording: string;
  timestamps: number[];
}

/** Recordings: the folders of eval/forecast/machine/ that hold a series/ folder. */
function recordings(): string[] {
  if (!existsSync(MACHINE_DIR)) return [];
  return readdirSync(MACHINE_DIR)
    .filter((d) => existsSync(join(MACHINE_DIR, d, 'series')))
    .sort();
}

/**
 * The machine's series that carry information: present for most of their
 * recording (not a short-lived process) and changing in at least a fifth of
 * their steps (a constant series is forecast exactly by every model and its
 * MASE is undefined). Ids are `<recording>/<resource>__<group>`.
 */
function loadMachineSeries(): MachineSeries[] {
  return recordings().flatMap((recording) => {
    const dir = join(MACHINE_DIR, recording, 'series');
    const all = readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => {
        const rows = readFileSync(join(dir, f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
        return { recording, id: `${recording}/${f.replace(/\.csv$/, '')}`, resource: f.split('__')[0], timestamps: rows.map((r) => r[0]), values: rows.map((r) => r[1]) };
      });
    const longest = Math.max(0, ...all.map((s) => s.values.length));
    return all.filter((s) => s.values.length >= 0.9 * longest && s.values.every(Number.isFinite) && distinctSteps(s.values) >= 0.2 * s.values.length);
  });
}

/** The note given to record.ts for a recording (recording.json), if any. */
function readRecordingNote(recording: string): string {
  const file = join(MACHINE_DIR, recording, 'recording.json');
  if (!existsSync(file)) return '';
  const info = JSON.parse(readFileSync(file, 'utf8')) as { note?: unknown };
  return typeof info.note === 'string' ? info.note : '';
}

function distinctSteps(values: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) n++;
  return n;
}

/**
 * Scores the exporter's own forecasts as served at the time: each served
 * value (a change of the served mean: a new fit, or with forecasts served as
 * of the scrape a new path point) is taken at the scrape it first appeared
 * in, its target is that time plus the horizon, compared with what was recorded.
 */
function scoreLive(series: MachineSeries[]): string | null {
  const byId = new Map(series.map((s) => [s.id, s]));
  const fits = new Map<string, Map<number, { mean?: number; lower?: number; upper?: number }>>();
  for (const recording of recordings()) {
    const file = join(MACHINE_DIR, recording, 'live-forecasts.csv');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const [t, group, resource, horizon, bound, v] = line.split(',');
      const key = `${recording}/${resource}__${group.replace(/[^A-Za-z0-9._-]+/g, '_')}\u0000${horizon}`;
      let m = fits.get(key);
      if (!m) fits.set(key, (m = new Map()));
      const p = m.get(Number(t)) ?? {};
      p[bound as 'mean' | 'lower' | 'upper'] = Number(v);
      m.set(Number(t), p);
    }
  }
  if (fits.size === 0) return null;
  const hs: Record<string, number> = { '1m': 60, '5m': 300, '15m': 900, '30m': 1800, '1h': 3600, '2h': 7200, '6h': 21600 };
  // Each recording's start: coverage is reported apart for the first hour, when the
  // exporter has little history (no backfill in `npm run stack`) and its intervals are young.
  const startOf = new Map<string, number>();
  for (const s of series) startOf.set(s.recording, Math.min(startOf.get(s.recording) ?? Infinity, s.timestamps[0]));
  // Index 0: forecasts made in the recording's first hour, 1: after it.
  type Acc = { mase: number[]; maseBy: number[][]; inside: number[]; total: number[]; n: number; seriesN: number };
  const perH = new Map<string, Acc>();
  for (const [key, points] of fits) {
    const [id, horizon] = key.split('\u0000');
    const s = byId.get(id);
    if (!s || !hs[horizon]) continue;
    const start = startOf.get(s.recording) ?? 0;
    const at = new Map(s.timestamps.map((t, i) => [t, s.values[i]]));
    let prevMean: number | undefined;
    // Summed absolute errors of the forecast and of naive; index 0: made in the recording's first hour, 1: after it.
    const errBy = [0, 0];
    const naiveBy = [0, 0];
    let n = 0;
    const accKey = `${horizon}\u0000${s.recording}`;
    const acc = perH.get(accKey) ?? { mase: [], maseBy: [[], []], inside: [0, 0], total: [0, 0], n: 0, seriesN: 0 };
    for (const [t, p] of [...points].sort((a, b) => a[0] - b[0])) {
      if (p.mean === undefined || p.mean === prevMean) continue;
      prevMean = p.mean;
      const actual = at.get(t + hs[horizon]);
      const now = at.get(t);
      if (actual === undefined || now === undefined) continue;
      const late = t - start >= 3600 ? 1 : 0;
      errBy[late] += Math.abs(actual - p.mean);
      naiveBy[late] += Math.abs(actual - now);
      n++;
      if (p.lower !== undefined && p.upper !== undefined) {
        acc.total[late]++;
        if (actual >= p.lower && actual <= p.upper) acc.inside[late]++;
      }
    }
    if (n === 0) continue;
    acc.n += n;
    acc.seriesN++;
    const naiveErr = naiveBy[0] + naiveBy[1];
    if (naiveErr > 0) acc.mase.push((errBy[0] + errBy[1]) / naiveErr);
    for (const i of [0, 1]) if (naiveBy[i] > 0) acc.maseBy[i].push(errBy[i] / naiveBy[i]);
    perH.set(accKey, acc);
  }
  if (perH.size === 0) return null;
  const med = (xs: number[]): string => (xs.length ? median(xs).toFixed(3) : '—');
  const ratio = (inside: number, total: number): string => (total ? `${(inside / total).toFixed(3)} (${total})` : '—');
  const rows = [...perH]
    .map(([k, a]) => [...k.split('\u0000'), a] as [string, string, Acc])
    .sort((a, b) => hs[a[0]] - hs[b[0]] || a[1].localeCompare(b[1]))
    .map(
      ([h, rec, a]) =>
        `| ${h} | ${rec} | ${a.seriesN} | ${a.n} | ${med(a.mase)} | ${med(a.maseBy[0])} | ${med(a.maseBy[1])} | ${ratio(a.inside[0] + a.inside[1], a.total[0] + a.total[1])} | ${ratio(a.inside[0], a.total[0])} | ${ratio(a.inside[1], a.total[1])} |`,
    );
  return [
    '| horizon | recording | series | forecasts scored | median over series of MAE / naive MAE | in the first hour | after it | 80 % coverage (forecasts) | in the first hour | after it |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function fitLine(fitSeconds: number[], note: string): string {
  return `Fit time per series (${note}): median ${(median(fitSeconds) * 1000).toFixed(0)} ms, p95 ${(quantile(fitSeconds, 0.95) * 1000).toFixed(0)} ms. Refitting 100 series every 300 s at that cost uses ${(((median(fitSeconds) * 100) / 300) * 100).toFixed(1)} % of one core.`;
}

function main(): void {
  const date = new Date().toISOString().slice(0, 10);
  let doc = readFileSync(DOC, 'utf8');
  const nab = loadNabSeries();
  if (nab.length === 0) throw new Error(`no data at ${NAB_DATA}`);
  const n = evaluate({ series: nab, horizons: [['1h', 12], ['6h', 72]], day: 288, minTrain: 20, refitSteps: 1, exporterHorizons: [3, 12, 72] });
  console.log(n.table);
  console.log(fitLine(n.fitSeconds, `four candidates, each with a 6-origin backtest, ≤ ${WINDOW} points`));
  doc = replaceDocSection(
    doc,
    'forecast',
    `\`npx tsx eval/forecast/run.ts --origins ${ORIGINS} --window ${WINDOW}\` on ${date}: ${nab.length} series of \`shared/data/nab/realAWSCloudwatch\` (5-minute steps), ${ORIGINS} rolling origins per series and horizon, training windows of at most ${WINDOW} points. "procsight" is exactly the worker's job (ARIMA(1,1,1) with drift, simple exponential smoothing, or the median of the last 6 or 24 points, chosen per series on its own rolling backtest summed over the exporter's horizons 15 min, 1 h and 6 h as far as the history allows, conformal intervals; each horizon read from that one job, as the exporter serves it); "arima_raw" is the ARIMA alone with its model intervals, uncalibrated; naive, seasonal naive (1 day), linear (PromQL \`predict_linear\` over twice the horizon) and Holt (PromQL \`double_exponential_smoothing\`, sf 0.3, tf 0.1, over 1 day) are what a Prometheus user would otherwise use.\n\n${n.table}\n\n${fitLine(n.fitSeconds, `four candidates, each with a 6-origin backtest, ≤ ${WINDOW} points`)}`,
  );
  const machine = loadMachineSeries();
  if (machine.length > 0) {
    // The shortest recording decides which horizons every series can be scored at.
    const recs = [...new Set(machine.map((s) => s.recording))];
    const lengthOf = (r: string): number => Math.max(...machine.filter((s) => s.recording === r).map((s) => s.values.length));
    const points = Math.min(...recs.map(lengthOf));
    const hours = recs.map((r) => `${(lengthOf(r) / 60).toFixed(1)} h (${r})`);
    const hoursText = hours.length > 1 ? `${hours.slice(0, -1).join(', ')} and ${hours[hours.length - 1]}` : hours[0];
    // Horizons the recording is long enough for: training of at least 30 points (the exporter's min_points) before the first origin.
    const horizons = ([['5m', 5], ['15m', 15], ['1h', 60]] as Array<[string, number]>).filter(([, s]) => points >= 30 + s + ORIGINS);
    if (horizons.length === 0) throw new Error(`the recording in ${MACHINE_DIR} has ${points} points: too short for any horizon (at least ${30 + 5 + ORIGINS} minutes needed)`);
    const m = evaluate({ series: machine, horizons, day: 1440, minTrain: 30, mixedUnits: true, spreadOrigins: true, refitSteps: 5, exporterHorizons: [15, 60, 360] });
    const live = scoreLive(machine);
    console.log(m.table);
    console.log(m.byResource);
    if (live) console.log(live);
    const resources = [...new Set(machine.map((s) => s.resource))].sort().join(', ');
    const notes = recs.map((r) => readRecordingNote(r)).filter((x) => x).join(' ');
    doc = replaceDocSection(
      doc,
      'forecast-machine',
      `### Series recorded from this machine\n\n${recs.length} recording${recs.length > 1 ? 's' : ''} by \`npx tsx eval/forecast/record.ts\` of \`npm run stack\` running on this machine (2 cores, while the test suite, benchmarks and builds ran on it): ${hoursText}.${notes ? ` ${notes}` : ''} Then the run above: ${m.used} series (${resources}) of the exporter's own data at its default 60 s forecast step, those that change in at least a fifth of their steps (the constant ones are forecast exactly by every model), ${ORIGINS} rolling origins per series and horizon spread over the second half of its recording, training on everything before each origin (so from about an hour of history, as after a start without backfill, to the whole recording). A recording this short has no daily cycle (seasonal naive falls back to naive) and cannot score the 6 h horizon. The series are committed in \`eval/forecast/machine/\`.\n\n${m.table}\n\n"procsight_served" is the forecast as the exporter serves it between refits: a scrape k minutes after a fit (k = 0 … 4 at the default 300 s refit) reads the fit's path point k steps past the horizon, scored against what happened at that scrape's time plus the horizon, its MASE against the naive forecast from the value at that scrape.\n\nprocsight's coverage per resource, and how often its forecast was exactly right (a series that holds still: an interval of any width covers it):\n\n${m.byResource}\n\n` +
        (live
          ? `What the running exporter itself served as \`procsight_forecast\` during the recording, scored against what then happened (each served value taken at the first scrape that showed it, its target that time plus the horizon):\n\n${live}\n\n`
          : '') +
        fitLine(m.fitSeconds, 'the same job on these series'),
    );
  }
  writeFileSync(DOC, doc);
  console.log(`wrote ${DOC}`);
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toFixed(2);
}
function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

main();
