import type { BottleneckKind } from './kinds';

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
