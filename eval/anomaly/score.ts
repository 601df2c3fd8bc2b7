/**
 * NAB scoring of a whole corpus, per category, with the project's scorer
 * (eval/nab/scorer.ts). Each file's rows are annotated once; only rows that
 * can be detections at the lowest threshold of interest are kept, so sweeping
 * thresholds and cross-validating cost little.
 */
import { annotate, scoreFile, type CostProfile } from '../nab/scorer';
import type { Series } from './data';

type Point = ReturnType<typeof annotate>[number];

export interface ScoredFile {
  key: string;
  category: string;
  windows: number;
  /** Non-probationary rows with a score at or above `floor` (the only ones a threshold ≥ floor can count). */
  points: Point[];
}

/** Annotates one file's per-row scores against its windows. */
export function scoreSeries(series: Series, scores: ArrayLike<number>, floor = 0, timestamps: readonly number[] = series.timestamps): ScoredFile {
  const all = annotate(timestamps, Array.from(scores), series.windows);
  return {
    key: series.key,
    category: series.category,
    windows: series.windows.length,
    points: all.filter((p) => !p.probationary && p.score >= floor && Number.isFinite(p.score)),
  };
}

export interface Tally {
  raw: number;
  /** The never-detecting detector's raw score (every window missed). */
  null: number;
  /** Every window detected at its first row, no false positive. */
  perfect: number;
  windows: number;
  found: number;
  falsePositives: number;
}

export function emptyTally(): Tally {
  return { raw: 0, null: 0, perfect: 0, windows: 0, found: 0, falsePositives: 0 };
}

export function addTally(a: Tally, b: Tally): Tally {
  return {
    raw: a.raw + b.raw,
    null: a.null + b.null,
    perfect: a.perfect + b.perfect,
    windows: a.windows + b.windows,
    found: a.found + b.found,
    falsePositives: a.falsePositives + b.falsePositives,
  };
}

/** 100·(raw − null)/(perfect − null), as NAB normalises; the raw score when there is no window (only false positives count then). */
export function normalised(t: Tally): number {
  return t.perfect > t.null ? (100 * (t.raw - t.null)) / (t.perfect - t.null) : t.raw;
}

export function tallyFile(f: ScoredFile, threshold: number, profile: CostProfile): Tally {
  const s = scoreFile(f.points, f.windows, threshold, profile);
  return {
    raw: s.score,
    null: -f.windows * profile.fnWeight,
    perfect: f.windows * profile.tpWeight,
    windows: f.windows,
    found: f.windows - s.fn,
    falsePositives: s.fp,
  };
}

/** Tallies by category (and their sum under the key `all`). */
export function tallyByCategory(files: readonly ScoredFile[], threshold: number, profile: CostProfile): Map<string, Tally> {
  const out = new Map<string, Tally>();
  let all = emptyTally();
  for (const f of files) {
    const t = tallyFile(f, threshold, profile);
    out.set(f.category, addTally(out.get(f.category) ?? emptyTally(), t));
    all = addTally(all, t);
  }
  out.set('all', all);
  return out;
}

/** Sum over files of raw scores at a threshold. */
export function rawTotal(files: readonly ScoredFile[], threshold: number, profile: CostProfile): number {
  let raw = 0;
  for (const f of files) raw += scoreFile(f.points, f.windows, threshold, profile).score;
  return raw;
}
