/**
 * NAB scoring (Numenta Anomaly Benchmark), reimplemented from its description
 * and checked against NAB's own per-file results (test/eval/nab-scorer.test.ts).
 * Pure: timestamps in ms, scores per row, windows as [startMs, endMs].
 */
export interface CostProfile {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
}

export const PROFILES: Record<'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate', CostProfile> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11 },
};

/** 2·sigmoid(−5x) − 1, and −1 from 3 window widths on. */
export function scaledSigmoid(x: number): number {
  return x >= 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
}

/** The sigmoid at a window's left edge; NAB divides true-positive credits by it, so the earliest detection earns exactly tpWeight. */
export const MAX_TP = scaledSigmoid(-1);

/** Rows at the start of a file that are not scored: min(⌊0.15·n⌋, 750). */
function probationLength(n: number): number {
  return Math.min(Math.floor(0.15 * n), 0.15 * 5000);
}

interface Point {
  score: number;
  /** Unweighted sigmoid value (TP if in a window, FP otherwise). */
  sigmoid: number;
  window: number | null;
  probationary: boolean;
}

/** Per-row weights: where each row sits relative to the labelled windows. */
export function annotate(timestamps: readonly number[], scores: readonly number[], windows: ReadonlyArray<readonly [number, number]>): Point[] {
  const limits = [...windows].sort((a, b) => a[0] - b[0]);
  const prob = probationLength(timestamps.length);
  const out: Point[] = [];
  let cur: { idx: number; right: number; width: number } | null = null;
  let prevRight: number | null = null;
  let prevWidth: number | null = null;
  let next = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (!cur && next < limits.length && t >= limits[next][0]) {
      let right = i;
      while (right + 1 < timestamps.length && timestamps[right + 1] <= limits[next][1]) right++;
      cur = { idx: next, right, width: right - i + 1 };
      next++;
    }
    let sigmoid: number;
    if (cur) {
      sigmoid = scaledSigmoid(-(cur.right - i + 1) / cur.width);
    } else if (prevRight === null || prevWidth === null) {
      sigmoid = -1;
    } else {
      sigmoid = scaledSigmoid(Math.abs(prevRight - i) / Math.max(1, prevWidth - 1));
    }
    out.push({ score: scores[i], sigmoid, window: i >= prob && cur ? cur.idx : null, probationary: i < prob });
    if (cur && i === cur.right) {
      prevRight = cur.right;
      prevWidth = cur.width;
      cur = null;
    }
  }
  return out;
}

export interface FileScore {
  score: number;
  tp: number;
  fp: number;
  fn: number;
  windows: number;
}

/** NAB's raw score of one file at one threshold. */
export function scoreFile(points: readonly Point[], windowCount: number, threshold: number, profile: CostProfile): FileScore {
  const best = new Map<number, number>();
  let fpSum = 0;
  let tp = 0;
  let fp = 0;
  for (const p of points) {
    if (p.probationary || p.score < threshold) continue;
    if (p.window !== null) {
      tp++;
      const w = (p.sigmoid * profile.tpWeight) / MAX_TP;
      if (!best.has(p.window) || w > best.get(p.window)!) best.set(p.window, w);
    } else {
      fp++;
      fpSum += p.sigmoid * profile.fpWeight;
    }
  }
  let score = fpSum;
  for (const v of best.values()) score += v;
  const fn = windowCount - best.size;
  score -= fn * profile.fnWeight;
  return { score, tp, fp, fn, windows: windowCount };
}
