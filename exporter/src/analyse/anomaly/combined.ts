import { compareText } from '@procsight/contract';
import type { Signal } from '@procsight/contract';

/** A signal's part in a group's combined score. */
export interface Contributor {
  signal: Signal;
  share: number;
}

/**
 * A group's combined score from its signals' scores: the most unusual
 * signal, corrected for looking at several. Each signal's score s is
 * −log10(p)/10 of a tail probability p (the detector's likelihood; the range
 * rule's 1 stands for p ≤ 1e-10), so the smallest p among m signals is
 * multiplied by m (Bonferroni): combined = max s − log10(m)/10, at least 0.
 * It crosses the threshold when one signal is unusual enough for the group
 * as a whole. Contributors: the signals scoring at least half of the
 * threshold, largest first (share of their summed scores), at most three.
 * Null when no signal scores yet.
 */
export function combineScores(
  scores: ReadonlyArray<{ signal: Signal; score: number }>,
  threshold: number,
): { score: number; contributors: Contributor[] } | null {
  if (scores.length === 0) return null;
  const max = Math.max(...scores.map((s) => s.score));
  const score = Math.max(0, max - Math.log10(scores.length) / 10);
  const strong = scores.filter((s) => s.score >= threshold / 2).sort((a, b) => b.score - a.score || compareText(a.signal, b.signal));
  const total = strong.reduce((a, s) => a + s.score, 0);
  return { score, contributors: strong.slice(0, 3).map((s) => ({ signal: s.signal, share: s.score / total })) };
}

/**
 * Novelty of an unfamiliar group from how far it is past its resource
 * threshold (ratio 1 = at the threshold): the anomaly threshold at the
 * threshold, rising linearly to 1 at twice it, in proportion below.
 */
export function noveltyScore(ratio: number, threshold: number): number {
  if (!(ratio > 0)) return 0;
  const s = ratio <= 1 ? threshold * ratio : threshold + (1 - threshold) * (ratio - 1);
  return Math.min(1, s);
}
