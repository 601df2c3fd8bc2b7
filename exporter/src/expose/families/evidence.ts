import * as N from '@procsight/contract';
import type { Family, Labels, Sample } from '../family';
import type { Bottleneck } from '../../analyse/types';
import type { Evidence } from '@procsight/contract';

/**
 * Most evidence features exported per bottleneck (group and kind), in the
 * rule's order (its main feature first). Bottleneck kinds are a fixed set, so
 * a group has at most kinds × this many series per evidence family, and only
 * while it has active bottlenecks. The rules give at most 3 today, and the
 * labels whose wait another group can cause add `culprit_share`.
 */
export const MAX_EVIDENCE_PER_BOTTLENECK = 4;

/** The evidence of active bottlenecks as samples: one per (group, kind, feature), capped per bottleneck. */
function* evidenceSamples(bottlenecks: readonly Bottleneck[], pick: (e: Evidence) => number | null): Iterable<Sample> {
  for (const b of bottlenecks) {
    const seen = new Set<string>();
    for (const e of b.evidence) {
      if (seen.size >= MAX_EVIDENCE_PER_BOTTLENECK) break;
      if (seen.has(e.feature)) continue; // one series per feature even if a rule repeats one
      seen.add(e.feature);
      if (!Number.isFinite(e.value)) continue; // e.g. an infinite time to exhaustion: no feature to show
      const v = pick(e);
      if (v === null) continue;
      const labels: Labels = { group: b.group, kind: b.kind, feature: e.feature, unit: e.unit };
      yield [labels, v];
    }
  }
}

const LABELS = ['group', 'kind', 'feature', 'unit'] as const;

/**
 * The evidence that /api/v1/bottlenecks shows, as series, so that alert
 * annotations can quote it (alert-rules/src/rules.ts reads them with the
 * template `query` function). Values in the unit the `unit` label names.
 */
export const evidenceFamilies: readonly Family[] = [
  {
    name: N.BOTTLENECK_EVIDENCE,
    help: `Current value of one evidence feature of an active bottleneck, in the unit of the unit label (ratio, seconds, bytes/s, cores...); absent when the bottleneck is not active; at most ${MAX_EVIDENCE_PER_BOTTLENECK} features per group and kind.`,
    type: 'gauge',
    labelNames: LABELS,
    samples: (s) => evidenceSamples(s.analysis()?.bottlenecks ?? [], (e) => e.value),
  },
  {
    name: N.BOTTLENECK_EVIDENCE_THRESHOLD,
    help: 'Threshold the rule compares the evidence feature with (same labels and unit as procsight_bottleneck_evidence).',
    type: 'gauge',
    labelNames: LABELS,
    samples: (s) => evidenceSamples(s.analysis()?.bottlenecks ?? [], (e) => e.threshold),
  },
  {
    name: N.BOTTLENECK_EVIDENCE_BASELINE,
    help: "The group's (or host's) learned normal of the evidence feature (same labels and unit as procsight_bottleneck_evidence); absent during warm-up and for limit-only features.",
    type: 'gauge',
    labelNames: LABELS,
    samples: (s) => evidenceSamples(s.analysis()?.bottlenecks ?? [], (e) => e.baseline),
  },
];
