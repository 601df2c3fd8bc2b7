/** What the analysis layer produces after each collection. */
import type { BottleneckKind, Evidence, Signal, Suggestion, SuggestionSeries } from '@procsight/contract';

export interface Bottleneck {
  group: string;
  kind: BottleneckKind;
  severity: number;
  confidence: number;
  /** Unix ms when the label became active (after hysteresis). */
  sinceMs: number;
  evidence: Evidence[];
  suggestions: Suggestion[];
}

export interface AnomalyScore {
  group: string;
  /** A Signal, or 'combined' (multivariate) or 'novelty' (unfamiliar process). */
  signal: Signal | 'combined' | 'novelty';
  score: number;
  /** For 'combined': top contributing signals, most first. */
  contributors?: Array<{ signal: Signal; share: number }>;
}

interface ProfilePoint {
  group: string;
  cluster: number;
  x: number;
  y: number;
  /** True when the group left the cluster it usually belongs to. */
  leftUsualCluster: boolean;
}

export interface AnalysisResult {
  timestampMs: number;
  anomalies: AnomalyScore[];
  bottlenecks: Bottleneck[];
  /** The exported suggestions: per group its top-ranked actions across all its active bottlenecks, at most `bottlenecks.max_suggestions_per_group`. */
  suggestionSeries: SuggestionSeries[];
  profiles: { clusters: Array<{ id: number; centroid: Record<string, number>; size: number }>; points: ProfilePoint[] };
}

