import { defaultNabDir, loadCorpus, type Series } from '../data';
import { scoreSeries, tallyByCategory, normalised, rawTotal, type ScoredFile } from '../score';
import { PROFILES } from '../../nab/scorer';
export const corpus = loadCorpus(defaultNabDir());
export const CATS = [...new Set(corpus.map((s) => s.category))];
export const GRID = [...Array.from({ length: 100 }, (_, i) => i / 100), 0.995, 0.999, 1];
export function run(det: (s: Series) => ArrayLike<number>, floor = 0): ScoredFile[] {
  return corpus.map((s) => scoreSeries(s, det(s), floor));
}
export function bestThr(files: ScoredFile[], grid = GRID, profile = PROFILES.standard): { t: number; raw: number } {
  let best = { t: 1, raw: -Infinity };
  for (const t of grid) {
    const raw = rawTotal(files, t, profile);
    if (raw > best.raw) best = { t, raw };
  }
  return best;
}
/** In-sample (one threshold on everything) and leave-one-category-out over thresholds (and configs) */
export function report(name: string, cands: Map<string, ScoredFile[]>, grid = GRID): { ins: number; oos: number; line: string } {
  const p = PROFILES.standard;
  // in-sample: best config+thr on all
  let bestIn = { c: '', t: 0, raw: -Infinity };
  for (const [c, files] of cands) {
    const b = bestThr(files, grid);
    if (b.raw > bestIn.raw) bestIn = { c, t: b.t, raw: b.raw };
  }
  const ins = tallyByCategory(cands.get(bestIn.c)!, bestIn.t, p);
  // loco
  const oosParts: Record<string, number> = {};
  let oosRaw = 0,
    nul = 0,
    perf = 0;
  const picks: string[] = [];
  for (const held of CATS) {
    let best = { c: '', t: 0, raw: -Infinity };
    for (const [c, files] of cands) {
      const b = bestThr(
        files.filter((f) => f.category !== held),
        grid,
      );
      if (b.raw > best.raw) best = { c, t: b.t, raw: b.raw };
    }
    const tal = tallyByCategory(
      cands.get(best.c)!.filter((f) => f.category === held),
      best.t,
      p,
    ).get('all')!;
    oosParts[held] = normalised(tal);
    oosRaw += tal.raw;
    nul += tal.null;
    perf += tal.perfect;
    picks.push(`${held.slice(0, 8)}:${best.c}@${best.t}`);
  }
  const oos = (100 * (oosRaw - nul)) / (perf - nul);
  const cats = CATS.map((c) => `${c.slice(0, 10)} ${normalised(ins.get(c)!).toFixed(1)}/${oosParts[c].toFixed(1)}`).join('  ');
  const line = `${name}: IN ${normalised(ins.get('all')!).toFixed(1)} (${bestIn.c}@${bestIn.t}) OOS ${oos.toFixed(1)} | ${cats}`;
  return { ins: normalised(ins.get('all')!), oos, line };
}
