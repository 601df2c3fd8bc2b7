import type { BottleneckKind, ContentionResource } from './kinds';

/** One piece of evidence a person can read: feature, value, baseline, threshold. */
export interface Evidence {
  feature: string;
  value: number;
  baseline: number | null;
  threshold: number;
  unit: string;
  /** One sentence, e.g. "RSS grows 4.1 MB/min (R² 0.98) over 12 min". */
  text: string;
}

/** A catalog action rendered for one bottleneck, with its rank score. */
export interface Suggestion {
  action: string;
  kind: BottleneckKind;
  title: string;
  rationale: string;
  steps: string[];
  expectedEffect: string;
  risk: string;
  score: number;
}

/** One `procsight_suggestion` series: an action for an active bottleneck, with its rank score. */
export interface SuggestionSeries {
  group: string;
  kind: BottleneckKind;
  action: string;
  score: number;
}

/** A group that explains part of another group's wait for a resource (a culprit of contention). */
export interface Culprit {
  group: string;
  resource: ContentionResource;
  /** Share of the victim's wait for the resource this group explains (0–1). */
  share: number;
  /** One sentence: the wait and what the culprit does, e.g. "waits 38% of its runnable time for CPU 0, where batch-export uses 2.90 cores". */
  evidence: string;
}
