/**
 * Leave-one-category-out cross-validation over a declared set of candidates
 * (parameter settings and thresholds): for each category, the candidate with
 * the best summed raw score on the other categories is scored on it; the
 * held-out results are summed. The in-sample figure picks one candidate on
 * every category. Pure: candidates come scored already.
 */
import type { CostProfile } from '../nab/scorer';
import { addTally, emptyTally, tallyByCategory, tallyFile, type ScoredFile, type Tally } from './score';

export interface Candidate {
  /** Human-readable setting, e.g. "baselineHours=12 threshold=0.6". */
  name: string;
  files: ScoredFile[];
  /** Row threshold the files are scored at (0.5 for detectors that output alert rows as 1). */
  threshold: number;
}

export interface CvResult {
  /** Candidate chosen on every category, and its tallies per category and `all`. */
  inSample: { candidate: string; tallies: Map<string, Tally> };
  /** Per held-out category: the candidate chosen without it, and its tally on it; `all` sums the held-out tallies. */
  outOfSample: { chosen: Map<string, string>; tallies: Map<string, Tally> };
}

function total(files: readonly ScoredFile[], threshold: number, profile: CostProfile, keep: (f: ScoredFile) => boolean): number {
  let raw = 0;
  for (const f of files) if (keep(f)) raw += tallyFile(f, threshold, profile).raw;
  return raw;
}

/** The best candidate on the files `keep` accepts (the first declared wins a tie). */
function pick(candidates: readonly Candidate[], profile: CostProfile, keep: (f: ScoredFile) => boolean): Candidate {
  let best = candidates[0];
  let bestRaw = -Infinity;
  for (const c of candidates) {
    const raw = total(c.files, c.threshold, profile, keep);
    if (raw > bestRaw + 1e-9) {
      best = c;
      bestRaw = raw;
    }
  }
  return best;
}

export function crossValidate(candidates: readonly Candidate[], profile: CostProfile): CvResult {
  if (candidates.length === 0) throw new Error('no candidates');
  const categories = [...new Set(candidates[0].files.map((f) => f.category))];
  const chosenAll = pick(candidates, profile, () => true);
  const inSample = { candidate: chosenAll.name, tallies: tallyByCategory(chosenAll.files, chosenAll.threshold, profile) };
  const chosen = new Map<string, string>();
  const tallies = new Map<string, Tally>();
  let all = emptyTally();
  for (const held of categories) {
    const c = pick(candidates, profile, (f) => f.category !== held);
    chosen.set(held, c.name);
    const t = tallyByCategory(
      c.files.filter((f) => f.category === held),
      c.threshold,
      profile,
    ).get('all')!;
    tallies.set(held, t);
    all = addTally(all, t);
  }
  tallies.set('all', all);
  return { inSample, outOfSample: { chosen, tallies } };
}
