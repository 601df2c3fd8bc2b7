/**
 * `npm run eval:anomaly -- --data DIR [--json] [--detector procsight|zscore|gaussian]`
 *
 * Replays every series of DIR (NAB's layout: `<category>/*.csv` with
 * `timestamp,value`, `combined_windows.json`, optional `profiles.json`)
 * through a detector with its shipped defaults and shipped threshold (no
 * search on the given data), scores the detections with the project's NAB
 * scorer, prints a per-file table, and with `--json` one JSON object as the
 * last line.
 */
import { STREAM_ALERT_THRESHOLD } from '../../exporter/src/analyse/anomaly/stream';
import { loadCorpus, loadProfiles, PROFILE_NAMES, type ProfileName, type Series } from './data';
import { runStream } from './detectors';
import { GAUSSIAN_THRESHOLD, windowedGaussianScores, ZSCORE_THRESHOLD, zScoreScores } from './baselines';
import { addTally, emptyTally, normalised, scoreSeries, tallyFile, type Tally } from './score';

export const DETECTORS = ['procsight', 'zscore', 'gaussian'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** Per-row outputs of a detector on one series, and the threshold they are read at. */
function detect(detector: DetectorName, s: Series): { scores: Float64Array; threshold: number } {
  if (detector === 'zscore') return { scores: zScoreScores(s.timestamps, s.values), threshold: ZSCORE_THRESHOLD };
  if (detector === 'gaussian') return { scores: windowedGaussianScores(s.values), threshold: GAUSSIAN_THRESHOLD };
  // procsight: a detection is a row where the shipped detector starts an alert (one per anomaly).
  const run = runStream(s.timestamps, s.values);
  const scores = new Float64Array(s.values.length);
  for (let i = 0; i < scores.length; i++) if (run.alerts[i]) scores[i] = run.scores[i];
  return { scores, threshold: STREAM_ALERT_THRESHOLD };
}

export interface FileResult {
  key: string;
  rows: number;
  /** Median step between rows, seconds. */
  stepSeconds: number;
  tallies: Record<ProfileName, Tally>;
}

export interface EvalSummary {
  detector: DetectorName;
  threshold: number;
  profiles: Record<ProfileName, number>;
  windows: { found: number; total: number };
  false_positives: number;
}

function medianStepSeconds(t: readonly number[]): number {
  if (t.length < 2) return NaN;
  const d = t.slice(1).map((x, i) => x - t[i]);
  d.sort((a, b) => a - b);
  return d[d.length >> 1] / 1000;
}

export function evaluateDir(dir: string, detector: DetectorName): { files: FileResult[]; summary: EvalSummary } {
  const corpus = loadCorpus(dir);
  const profiles = loadProfiles(dir);
  const files: FileResult[] = [];
  const totals = Object.fromEntries(PROFILE_NAMES.map((p) => [p, emptyTally()])) as Record<ProfileName, Tally>;
  let threshold = NaN;
  for (const s of corpus) {
    const d = detect(detector, s);
    threshold = d.threshold;
    const scored = scoreSeries(s, d.scores, d.threshold);
    const tallies = Object.fromEntries(PROFILE_NAMES.map((p) => [p, tallyFile(scored, d.threshold, profiles[p])])) as Record<ProfileName, Tally>;
    for (const p of PROFILE_NAMES) totals[p] = addTally(totals[p], tallies[p]);
    files.push({ key: s.key, rows: s.values.length, stepSeconds: medianStepSeconds(s.timestamps), tallies });
  }
  const std = totals.standard;
  return {
    files,
    summary: {
      detector,
      threshold: Number.isNaN(threshold)
        ? detector === 'procsight'
          ? STREAM_ALERT_THRESHOLD
          : detector === 'zscore'
            ? ZSCORE_THRESHOLD
            : GAUSSIAN_THRESHOLD
        : threshold,
      profiles: Object.fromEntries(PROFILE_NAMES.map((p) => [p, round(normalisedOrZero(totals[p]))])) as Record<ProfileName, number>,
      windows: { found: std.found, total: std.windows },
      false_positives: std.falsePositives,
    },
  };
}

/** NAB's normalised score; 0 for a corpus without windows (null and perfect coincide). */
function normalisedOrZero(t: Tally): number {
  return t.perfect > t.null ? normalised(t) : 0;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function renderTable(files: readonly FileResult[]): string {
  const head = '| file | rows | step (s) | windows found | false positives | raw standard | raw low FP | raw low FN |';
  const rows = files.map((f) => {
    const s = f.tallies.standard;
    return `| ${f.key} | ${f.rows} | ${Number.isFinite(f.stepSeconds) ? f.stepSeconds : '–'} | ${s.found} / ${s.windows} | ${s.falsePositives} | ${s.raw.toFixed(2)} | ${f.tallies.reward_low_FP_rate.raw.toFixed(2)} | ${f.tallies.reward_low_FN_rate.raw.toFixed(2)} |`;
  });
  return [head, '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export const USAGE = 'usage: npm run eval:anomaly -- --data DIR [--json] [--detector procsight|zscore|gaussian]';

/** A command line that cannot be run (the process exits with status 2). */
export class UsageError extends Error {}

function usage(): never {
  throw new UsageError(USAGE);
}

export function main(argv: readonly string[]): void {
  let dir: string | undefined;
  let json = false;
  let detector: DetectorName = 'procsight';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') dir = argv[++i];
    else if (a === '--json') json = true;
    else if (a === '--detector') {
      const d = argv[++i];
      if (!(DETECTORS as readonly string[]).includes(d)) usage();
      detector = d as DetectorName;
    } else usage();
  }
  if (!dir) usage();
  const { files, summary } = evaluateDir(dir, detector);
  console.log(renderTable(files));
  console.log(
    `\n${summary.detector} at threshold ${summary.threshold}: standard ${summary.profiles.standard}, low FP ${summary.profiles.reward_low_FP_rate}, low FN ${summary.profiles.reward_low_FN_rate}; windows found ${summary.windows.found} / ${summary.windows.total}; false positives ${summary.false_positives}`,
  );
  if (json) console.log(JSON.stringify(summary));
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    process.exitCode = 2;
  }
}
