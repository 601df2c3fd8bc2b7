import * as N from '@procsight/contract';
import type { Family } from '../family';
import { evidenceFamilies } from './evidence';

export const analysisFamilies: readonly Family[] = [
  {
    name: N.ANOMALY_SCORE,
    help: 'Anomaly score in [0, 1] per group and signal (combined = multivariate, novelty = unfamiliar process). Absent during warm-up.',
    type: 'gauge',
    labelNames: ['group', 'signal'],
    *samples(s) {
      for (const a of s.analysis()?.anomalies ?? []) yield [{ group: a.group, signal: a.signal }, a.score];
    },
  },
  {
    name: N.BOTTLENECK,
    help: 'Severity in [0, 1] of an active bottleneck of the group; absent when none.',
    type: 'gauge',
    labelNames: ['group', 'kind'],
    *samples(s) {
      for (const b of s.analysis()?.bottlenecks ?? []) yield [{ group: b.group, kind: b.kind }, b.severity];
    },
  },
  {
    name: N.BOTTLENECK_CONFIDENCE,
    help: 'Confidence in [0, 1] of an active bottleneck label.',
    type: 'gauge',
    labelNames: ['group', 'kind'],
    *samples(s) {
      for (const b of s.analysis()?.bottlenecks ?? []) yield [{ group: b.group, kind: b.kind }, b.confidence];
    },
  },
  ...evidenceFamilies,
  {
    name: N.SUGGESTION,
    help: 'Rank score of a suggested action for an active bottleneck (severity × prior × feedback); per group at most bottlenecks.max_suggestions_per_group: the best action of each active bottleneck first, then the top-ranked rest.',
    type: 'gauge',
    labelNames: ['group', 'kind', 'action'],
    *samples(s) {
      for (const x of s.analysis()?.suggestionSeries ?? []) yield [{ group: x.group, kind: x.kind, action: x.action }, x.score];
    },
  },
  {
    name: N.PROFILE_CLUSTER,
    help: 'Behaviour-profile cluster id of the group (k-means on its resource profile).',
    type: 'gauge',
    labelNames: ['group'],
    *samples(s) {
      for (const p of s.analysis()?.profiles.points ?? []) yield [{ group: p.group }, p.cluster];
    },
  },
];
