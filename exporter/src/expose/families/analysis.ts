import * as N from '@procsight/contract';
import type { Family } from '../family';
import { evidenceFamilies } from './evidence';

export const analysisFamilies: readonly Family[] = [
  {
    name: N.ANOMALY_SCORE,
    help: `Anomaly score in [0, 1] per group and signal from the streaming detector (${N.ANOMALY_THRESHOLD} and above: anomalous; combined = the group's most unusual signal, novelty = unfamiliar process). Absent while a series learns (its first minutes) or settles after a restart.`,
    type: 'gauge',
    labelNames: ['group', 'signal'],
    *samples(s) {
      for (const a of s.analysis()?.anomalies ?? []) if (a.score !== null) yield [{ group: a.group, signal: a.signal }, a.score];
    },
  },
  {
    name: N.BAND,
    help: "Adaptive band of a group's signal (cpu in cores, memory in bytes, io_read and io_write in bytes/s, fds, context_switches per second): the detector's learned normal at this time of day ± the deviation that, held, scores the anomaly threshold. Absent while the series learns.",
    type: 'gauge',
    labelNames: ['group', 'signal', 'bound'],
    *samples(s) {
      for (const b of s.analysis()?.bands ?? []) {
        yield [{ group: b.group, signal: b.signal, bound: 'lower' }, b.lower];
        yield [{ group: b.group, signal: b.signal, bound: 'upper' }, b.upper];
      }
    },
  },
  {
    name: N.GROUP_SEASONALITY,
    help: "Strength in [0, 1] of a group's daily and weekly cycle of CPU use (share of the variance of its hourly means explained by the hour of day; of what remains, by the hour of the week). Absent before two days (daily) or two weeks (weekly) of history.",
    type: 'gauge',
    labelNames: ['group', 'period'],
    *samples(s) {
      for (const p of s.analysis()?.patterns ?? []) {
        yield [{ group: p.group, period: 'daily' }, p.daily];
        if (p.weekly !== null) yield [{ group: p.group, period: 'weekly' }, p.weekly];
      }
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
  {
    name: N.PROFILE_USUAL_CLUSTER,
    help: 'The behaviour-profile cluster the group usually belongs to (the most frequent of its last 10 assignments); absent until it has 4. A value other than procsight_profile_cluster: the group left its usual cluster.',
    type: 'gauge',
    labelNames: ['group'],
    *samples(s) {
      for (const p of s.analysis()?.profiles.points ?? []) if (p.usualCluster !== null) yield [{ group: p.group }, p.usualCluster];
    },
  },
  {
    name: N.PROFILE_COORDINATE,
    help: 'Position of the group on the 2-D behaviour map (axis x and y: the first two principal components of the standardised resource profiles of all groups; recomputed with the clusters).',
    type: 'gauge',
    labelNames: ['group', 'axis'],
    *samples(s) {
      for (const p of s.analysis()?.profiles.points ?? []) {
        yield [{ group: p.group, axis: 'x' }, p.x];
        yield [{ group: p.group, axis: 'y' }, p.y];
      }
    },
  },
  {
    name: N.CONTENTION,
    help: "Share (0–1) of the group's wait for a resource (cpu: run-queue wait; io: waiting on storage; memory: major page faults) that the culprit group explains; only named culprits (contention.min_share held for contention.hold_seconds), at most contention.max_culprits per group and resource.",
    type: 'gauge',
    labelNames: ['group', 'culprit', 'resource'],
    *samples(s) {
      for (const v of s.analysis()?.contention ?? []) for (const c of v.culprits) yield [{ group: v.group, culprit: c.group, resource: v.resource }, c.share];
    },
  },
];
