/**
 * Ablations of procsight's streaming detector on the development corpus:
 * which component finds what. Each variant builds a per-cell score from the
 * shipped detector's components (one replay of the corpus), replays the
 * shipped alert gate over it, and is cross-validated over the same
 * thresholds (leave one category out). Used by cv.ts for the doc.
 */
import { STREAM_DEFAULTS } from '../../exporter/src/analyse/anomaly/stream';
import { calibrate } from '../../exporter/src/analyse/anomaly/stream/math';
import type { CostProfile } from '../nab/scorer';
import type { Series } from './data';
import { replayAlerts, runStream, type StreamRun } from './detectors';
import { crossValidate, type Candidate, type CvResult } from './crossval';
import { scoreSeries } from './score';

/** Thresholds every variant chooses from. */
export const ABLATION_THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

type Build = (run: StreamRun, i: number) => number;

const VARIANTS: Array<[string, Build, boolean]> = [
  ['shipped: max(level, seasonal, range), one alert per anomaly', (r, i) => Math.max(r.level[i], r.seasonal[i], r.range[i]), true],
  ['level likelihood alone', (r, i) => r.level[i], true],
  ['seasonal likelihood alone', (r, i) => r.seasonal[i], true],
  ['range rule alone', (r, i) => r.range[i], true],
  ['level + range', (r, i) => Math.max(r.level[i], r.range[i]), true],
  ['level + seasonal', (r, i) => Math.max(r.level[i], r.seasonal[i]), true],
  ['robust z of the level, calibrated, without the likelihood', (r, i) => calibrate(r.z[i]), true],
  ['that z + range', (r, i) => Math.max(calibrate(r.z[i]), r.range[i]), true],
  [
    'shipped scores without the alert gate (every cell at or above the threshold is a detection)',
    (r, i) => Math.max(r.level[i], r.seasonal[i], r.range[i]),
    false,
  ],
];

export interface AblationRow {
  variant: string;
  result: CvResult;
}

/** Per-cell scores of a variant (NaN where no cell closed or while learning). */
function variantScores(run: StreamRun, build: Build): Float64Array {
  const out = new Float64Array(run.scores.length).fill(NaN);
  for (let i = 0; i < out.length; i++) if (!Number.isNaN(run.cellT[i]) && !Number.isNaN(run.level[i])) out[i] = build(run, i);
  return out;
}

export function ablations(corpus: readonly Series[], profile: CostProfile): AblationRow[] {
  const runs = corpus.map((s) => runStream(s.timestamps, s.values));
  return VARIANTS.map(([variant, build, gated]) => {
    const scores = runs.map((r) => variantScores(r, build));
    const ungated = gated
      ? []
      : corpus.map((s, i) =>
          scoreSeries(
            s,
            scores[i].map((x) => (Number.isNaN(x) ? 0 : x)),
            Math.min(...ABLATION_THRESHOLDS),
          ),
        );
    const candidates: Candidate[] = ABLATION_THRESHOLDS.map((threshold) => {
      if (!gated) return { name: `threshold ${threshold}`, threshold, files: ungated };
      const gate = { threshold, quietMs: STREAM_DEFAULTS.rearmQuietMinutes * 60_000, rearmFraction: STREAM_DEFAULTS.rearmFraction };
      return { name: `threshold ${threshold}`, threshold: 0.5, files: corpus.map((s, i) => scoreSeries(s, replayAlerts(runs[i], gate, scores[i]), 0.5)) };
    });
    return { variant, result: crossValidate(candidates, profile) };
  });
}
