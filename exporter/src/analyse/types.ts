/** What the analysis layer produces after each collection. */
import type { AnomalyState, BandSignal, BottleneckKind, Culprit, Evidence, Signal, Suggestion, SuggestionSeries } from '@procsight/contract';
import type { ContentionVictim } from './contention/engine';

export interface Bottleneck {
  group: string;
  kind: BottleneckKind;
  severity: number;
  confidence: number;
  /** Unix ms when the label became active (after hysteresis). */
  sinceMs: number;
  evidence: Evidence[];
  suggestions: Suggestion[];
  /**
   * For kinds that are waits another group can cause (cpu_starvation, io_bound, memory_pressure):
   * the groups named as causing it, most to blame first; empty when none is (the evidence
   * `culprit_share` then says why). Always empty for other kinds.
   */
  culprits: Culprit[];
}

export interface AnomalyScore {
  group: string;
  /** A Signal, or 'combined' (the group's most unusual signal) or 'novelty' (unfamiliar process). */
  signal: Signal | 'combined' | 'novelty';
  /** In [0, 1]; null while the series learns or settles (`state`). */
  score: number | null;
  state: AnomalyState;
  /** Per signal, while scoring: the learned normal (the evidence's "usually"), in the signal's unit. */
  baseline?: number;
  /** Per signal, while scoring: the last cell's robust z against the recent baseline (signed). */
  z?: number;
  /** For 'combined': top contributing signals, most first. */
  contributors?: Array<{ signal: Signal; share: number }>;
}

/** The adaptive band of a group's signal (`procsight_band`), in the signal's unit. */
export interface GroupBand {
  group: string;
  signal: BandSignal;
  lower: number;
  upper: number;
}

/** A group's workload pattern (`procsight_group_seasonality`, /api/v1/patterns). */
export interface GroupPattern {
  group: string;
  /** Strength of the daily cycle, 0–1. */
  daily: number;
  /** Strength of the weekly cycle beyond the daily, 0–1; null before two weeks. */
  weekly: number | null;
  /** Usual peak hours of the day, UTC. */
  peakHoursUtc: number[];
}

interface ProfilePoint {
  group: string;
  cluster: number;
  /** Position on the 2-D behaviour map (the first two principal components of the standardised profiles). */
  x: number;
  y: number;
  /** The cluster it usually belongs to (the most frequent of its last assignments); null until it has a history of 4. */
  usualCluster: number | null;
  /** True when the group left the cluster it usually belongs to. */
  leftUsualCluster: boolean;
}

export interface AnalysisResult {
  timestampMs: number;
  anomalies: AnomalyScore[];
  bands: GroupBand[];
  patterns: GroupPattern[];
  bottlenecks: Bottleneck[];
  /** The exported suggestions: per group its top-ranked actions across all its active bottlenecks, at most `bottlenecks.max_suggestions_per_group`. */
  suggestionSeries: SuggestionSeries[];
  profiles: { clusters: Array<{ id: number; centroid: Record<string, number>; size: number }>; points: ProfilePoint[] };
  /** Groups that wait for a resource, with the culprits named (analyse/contention). */
  contention: ContentionVictim[];
}
