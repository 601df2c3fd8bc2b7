import { type BottleneckKind, type Signal, SIGNALS } from '@procsight/contract';
import type { FeatureSource } from '../features/types';
import type { Bottleneck } from '../types';
import { correlate, type CorrelationOptions, type Series } from './correlate';

/** The signal each bottleneck kind is about (as its rule's `related`); network saturation has no per-group series to compare. */
const KIND_SIGNAL: Record<BottleneckKind, Signal | 'io' | null> = {
  cpu_saturation: 'cpu',
  cpu_starvation: 'cpu_wait',
  memory_leak: 'memory',
  memory_pressure: 'page_faults',
  io_bound: 'io',
  lock_contention: 'context_switches',
  fd_exhaustion: 'fds',
  thread_explosion: 'threads',
  network_saturation: null,
};

/** Seconds between the compared points (the feature store's coarse buckets) and the points over the hour they span. */
const STEP_SECONDS = 15;
const POINTS = 240;
/** Shifts tried either way (± 2 minutes), fewest pairs of changes, least |r|. */
const MAX_LAG_STEPS = 8;
const MIN_PAIRS = 30;
const MIN_STRENGTH = 0.3;
/** Other groups compared at most (the store holds up to its group limit; each costs 9 signals × 17 shifts). */
const MAX_OTHER_GROUPS = 300;

interface CorrelationHint {
  /** `group`: a signal of a group (the same group's other signals too); `host`: a host-wide feature. */
  source: 'group' | 'host';
  /** The group, null for host features. */
  group: string | null;
  signal: string;
  /** Pearson r of the 15-second changes at the best lag (−1…1). */
  strength: number;
  /** Seconds this series moves before (> 0) or after (< 0) the bottleneck's signal. */
  lagSeconds: number;
  pairs: number;
}

export interface CorrelationReport {
  group: string;
  /** The signal compared with: the one asked for, else that of the group's most severe bottleneck; null when there is neither. */
  signal: Signal | null;
  bottleneck: BottleneckKind | null;
  hints: CorrelationHint[];
}

export interface HintSources {
  features: FeatureSource;
  /** Host features' recent points. */
  host: Array<{ feature: string; series: Series }>;
  bottlenecks: readonly Bottleneck[];
  /** Newest time (seconds) the series are compared up to. */
  nowSeconds: number;
}

/** Which signal to compare: the one asked for, else the most severe bottleneck's that has one (I/O: the busier direction). */
function target(q: { group: string; signal?: Signal }, s: HintSources): { signal: Signal | null; bottleneck: BottleneckKind | null } {
  const mine = s.bottlenecks.filter((b) => b.group === q.group).sort((a, b) => b.severity - a.severity);
  const top = mine.find((b) => KIND_SIGNAL[b.kind] !== null) ?? null;
  if (q.signal) return { signal: q.signal, bottleneck: top?.kind ?? null };
  if (!top) return { signal: null, bottleneck: mine[0]?.kind ?? null };
  const k = KIND_SIGNAL[top.kind];
  if (k !== 'io') return { signal: k, bottleneck: top.kind };
  const mean = (sig: Signal) => s.features.stats(q.group, sig, '5m')?.mean ?? 0;
  return { signal: mean('io_write') >= mean('io_read') ? 'io_write' : 'io_read', bottleneck: top.kind };
}

/**
 * The series that moved most with the group's bottleneck signal over the
 * last hour, strongest first (at most `limit`): the group's other signals,
 * the host's features and every signal of other groups.
 */
export function correlationHints(q: { group: string; signal?: Signal; limit: number }, s: HintSources): CorrelationReport {
  const { signal, bottleneck } = target(q, s);
  if (signal === null) return { group: q.group, signal, bottleneck, hints: [] };
  const points = (g: string, sig: Signal): Series => s.features.points(g, sig, 'coarse');
  const base = points(q.group, signal);
  const o: CorrelationOptions = {
    stepSeconds: STEP_SECONDS,
    endSeconds: s.nowSeconds,
    points: POINTS,
    maxLagSteps: MAX_LAG_STEPS,
    minPairs: MIN_PAIRS,
    minStrength: MIN_STRENGTH,
  };
  const hints: CorrelationHint[] = [];
  const add = (source: CorrelationHint['source'], group: string | null, sig: string, series: Series): void => {
    const c = correlate(base, series, o);
    if (c) hints.push({ source, group, signal: sig, strength: c.r, lagSeconds: c.lagSeconds, pairs: c.pairs });
  };
  for (const sig of SIGNALS) if (sig !== signal) add('group', q.group, sig, points(q.group, sig));
  for (const h of s.host) add('host', null, h.feature, h.series);
  const others = s.features
    .groups()
    .filter((g) => g !== q.group)
    .slice(0, MAX_OTHER_GROUPS);
  for (const g of others) for (const sig of SIGNALS) add('group', g, sig, points(g, sig));
  hints.sort((a, b) => Math.abs(b.strength) - Math.abs(a.strength));
  return { group: q.group, signal, bottleneck, hints: hints.slice(0, q.limit) };
}
