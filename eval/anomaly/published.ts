/**
 * NAB's published per-file raw scores (`results/per_file_scores.csv` of the
 * development corpus), summed per category and normalised as procsight's are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileName, Series } from './data';
import { addTally, emptyTally, type Tally } from './score';
import type { CostProfile } from '../nab/scorer';

export interface PublishedRow {
  detector: string;
  profile: string;
  file: string;
  threshold: number;
  score: number;
}

export function loadPublished(dir: string): PublishedRow[] {
  const path = join(dir, 'results', 'per_file_scores.csv');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [detector, profile, file, threshold, score] = line.split(',');
      return { detector, profile, file, threshold: Number(threshold), score: Number(score) };
    });
}

/**
 * A published detector's tallies per category (and `all`) over the files of
 * `corpus`, for one profile; null when some file has no published score.
 */
export function publishedTallies(
  rows: readonly PublishedRow[],
  detector: string,
  profile: ProfileName,
  cost: CostProfile,
  corpus: readonly Series[],
): Map<string, Tally> | null {
  const byFile = new Map(rows.filter((r) => r.detector === detector && r.profile === profile).map((r) => [r.file, r.score]));
  const out = new Map<string, Tally>();
  let all = emptyTally();
  for (const s of corpus) {
    const raw = byFile.get(s.key);
    if (raw === undefined) return null;
    const t: Tally = {
      raw,
      null: -s.windows.length * cost.fnWeight,
      perfect: s.windows.length * cost.tpWeight,
      windows: s.windows.length,
      found: NaN,
      falsePositives: NaN,
    };
    out.set(s.category, addTally(out.get(s.category) ?? emptyTally(), t));
    all = addTally(all, t);
  }
  out.set('all', all);
  return out;
}
