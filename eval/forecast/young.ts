/**
 * Estimates the pooled young-series quantiles (params.young) from evaluated
 * records: every forecast whose interval did not come from its series' own
 * errors (a young series: pooled quantiles, or the cold start) gives a
 * normalised error (actual − mean) / scale; per horizon and history-length
 * bucket the conformal pair at the stated level is taken. The exporter ships
 * the table estimated on the development corpus (cv.ts); a fold's table is
 * estimated on its training categories only.
 */
import { conformalPair } from '../../exporter/src/analyse/forecast/job';
import type { YoungEntry } from '../../exporter/src/analyse/forecast/params';
import { CAPACITY_FROM_SECONDS } from '../../exporter/src/analyse/forecast/tiers';
import { EVAL_HORIZONS, type SeriesResult } from './rolling';

/** History over horizon: the buckets' upper ends (the last is open). */
const RATIO_BUCKETS = [0.5, 2, 1e9];
/** Fewer errors than this in a bucket: the horizon's pooled pair over all history lengths is used. */
const MIN_ERRORS = 40;

export function estimateYoung(
  runs: ReadonlyArray<readonly SeriesResult[]>,
  opts: { level: number; capacityLevelBoost?: number; categories?: ReadonlySet<string> },
): YoungEntry[] {
  const out: YoungEntry[] = [];
  for (const [h, hs] of EVAL_HORIZONS) {
    const byBucket: number[][] = RATIO_BUCKETS.map(() => []);
    for (const results of runs) {
      for (const r of results) {
        if (opts.categories && !opts.categories.has(r.category)) continue;
        for (const rec of r.recs.get(h) ?? []) {
          if (rec.own || !(rec.scale > 0)) continue;
          const z = (rec.actual - rec.mean) / rec.scale;
          if (!Number.isFinite(z)) continue;
          const ratio = rec.historySeconds / hs;
          byBucket[RATIO_BUCKETS.findIndex((b) => ratio < b)].push(z);
        }
      }
    }
    const all = byBucket.flat();
    const level = Math.min(0.995, opts.level + (hs >= CAPACITY_FROM_SECONDS ? (opts.capacityLevelBoost ?? 0) : 0));
    const pooled = all.length >= MIN_ERRORS ? conformalPair(all, level) : { lo: -1.6, hi: 1.6 };
    RATIO_BUCKETS.forEach((ratioBelow, i) => {
      const q = byBucket[i].length >= MIN_ERRORS ? conformalPair(byBucket[i], level) : pooled;
      out.push({ horizonSeconds: hs, ratioBelow, lo: round(Math.min(0, q.lo)), hi: round(Math.max(0, q.hi)) });
    });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
