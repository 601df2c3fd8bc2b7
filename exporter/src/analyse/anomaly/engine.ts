import type { AnomalyScore } from '../types';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { GroupSnapshot } from '../../group/types';
import { type Signal, SIGNALS } from '@procsight/contract';
import { signalValue } from '../features/signals';
import type { AnomalyConfig } from './config';
import { RobustMahalanobis } from './mahalanobis';
import { CheckpointError } from '../../errors';
import { calibrate, RobustScorer, type RobustOptions, type RobustState } from './robust';
import { HostBaselines, type HostFeature } from './host';

/** Smallest σ per signal, in base units: below these, changes are noise. */
const MIN_SCALE: Record<Signal, number> = {
  cpu: 0.02, // cores
  memory: 4 * 1024 * 1024, // bytes
  io_read: 64 * 1024, // bytes/s
  io_write: 64 * 1024,
  threads: 1,
  fds: 2,
  context_switches: 20, // per second
  cpu_wait: 0.01, // s/s
  page_faults: 1, // major faults/s
};

interface GroupState {
  scorers: RobustScorer[];
  multi: RobustMahalanobis;
  bucket: Float64Array;
  bucketCount: number;
  bucketStartMs: number;
  /** Latest calibrated scores (null: warm-up). */
  scores: Array<number | null>;
  combined: { score: number; contributors: Array<{ signal: Signal; share: number }> } | null;
  lastSeenMs: number;
}

/**
 * Per group: a robust univariate score per signal, a robust Mahalanobis
 * "combined" score with its top contributing signals, and a "novelty" score
 * for groups never seen before that quickly take significant resources.
 * Samples are averaged into `step_seconds` points; scores change once a point
 * closes. No score during warm-up: the series is absent, not zero.
 */
export class AnomalyEngine {
  private readonly groups = new Map<string, GroupState>();
  private startMs: number | null = null;
  /**
   * Groups restored from a checkpoint: known before this run. The grouper is
   * not checkpointed, so their `firstSeenMs` is the restart time and would
   * otherwise make every busy group "unfamiliar" after each restart.
   */
  private readonly restored = new Set<string>();
  private readonly opts: RobustOptions[];
  /** The host's learned normal of a few host-wide features (bottleneck evidence baselines). */
  private readonly host: HostBaselines;

  constructor(private readonly config: AnomalyConfig) {
    this.opts = SIGNALS.map((s) => ({
      baseline: config.baseline_points,
      recent: config.recent_points,
      warmup: config.warmup_points,
      seasonalAfter: config.seasonal_after_points,
      seasonalDays: config.seasonal_days,
      seasonalMinDays: config.seasonal_min_days,
      minScale: MIN_SCALE[s],
      relativeMinScale: 0.02,
    }));
    // Only the baseline is read from the host scorers: the scale floors do not matter.
    this.host = new HostBaselines({ ...this.opts[0], minScale: 0, relativeMinScale: 0 }, config.step_seconds * 1000);
  }

  ingest(snapshot: CollectionSnapshot): AnomalyScore[] {
    const out: AnomalyScore[] = [];
    this.begin(snapshot);
    for (const g of snapshot.groups) this.ingestGroup(snapshot, g, out);
    this.finish(snapshot.timestampMs);
    return out;
  }

  /** Start of a collection's pass: the host's baselines (then ingestGroup per group, then finish). */
  begin(snapshot: CollectionSnapshot): void {
    if (this.startMs === null) this.startMs = snapshot.timestampMs;
    this.host.ingest(snapshot.host, snapshot.timestampMs);
  }

  /** One group's point: its scores are appended to `out`. */
  ingestGroup(snapshot: CollectionSnapshot, g: GroupSnapshot, out: AnomalyScore[]): void {
    if (!g.rates) return;
    const now = snapshot.timestampMs;
    const st = this.state(g.name, now);
    st.lastSeenMs = now;
    SIGNALS.forEach((s, i) => (st.bucket[i] += signalValue(g, s) ?? 0));
    st.bucketCount++;
    if (now - st.bucketStartMs >= this.config.step_seconds * 1000 - 1) this.closePoint(st, now);
    SIGNALS.forEach((s, i) => {
      const v = st.scores[i];
      if (v !== null) out.push({ group: g.name, signal: s, score: v });
    });
    if (st.combined) out.push({ group: g.name, signal: 'combined', score: st.combined.score, contributors: st.combined.contributors });
    const novelty = this.novelty(g, snapshot);
    if (novelty !== null) out.push({ group: g.name, signal: 'novelty', score: novelty });
  }

  /** End of a collection's pass: groups unseen for an hour are forgotten. */
  finish(nowMs: number): void {
    for (const [name, st] of this.groups) if (nowMs - st.lastSeenMs > 3_600_000) this.groups.delete(name);
  }

  private state(name: string, now: number): GroupState {
    let st = this.groups.get(name);
    if (!st) {
      st = {
        scorers: this.opts.map((o) => new RobustScorer(o)),
        multi: new RobustMahalanobis(SIGNALS.length, { window: this.config.baseline_points, retrain: this.config.retrain_points }),
        bucket: new Float64Array(SIGNALS.length),
        bucketCount: 0,
        bucketStartMs: now,
        scores: SIGNALS.map(() => null),
        combined: null,
        lastSeenMs: now,
      };
      this.groups.set(name, st);
    }
    return st;
  }

  private closePoint(st: GroupState, now: number): void {
    const zs: number[] = [];
    let warm = true;
    st.scorers.forEach((sc, i) => {
      const z = sc.push(st.bucket[i] / st.bucketCount, now);
      st.scores[i] = z === null ? null : calibrate(z);
      if (z === null) warm = false;
      zs.push(z ?? 0);
    });
    st.bucket.fill(0);
    st.bucketCount = 0;
    st.bucketStartMs = now;
    if (!warm) return;
    const m = st.multi.push(zs);
    if (!m) return;
    const positive = m.contributions.map((c) => Math.max(0, c));
    const total = positive.reduce((a, b) => a + b, 0) || 1;
    st.combined = {
      score: m.z > 0 ? calibrate(m.z) : 0,
      contributors: positive
        .map((c, i) => ({ signal: SIGNALS[i], share: c / total }))
        .filter((c) => c.share >= 0.1)
        .sort((a, b) => b.share - a.share)
        .slice(0, 3),
    };
  }

  /**
   * Unfamiliar process: a group first seen after the exporter's own warm-up
   * (so not part of the host's usual set) that, within its first
   * `novelty_window_seconds`, uses ≥ `novelty_cpu_cores` cores or ≥
   * `novelty_memory_ratio` of host memory. Score 0.5 at the threshold, → 1 at
   * twice it; absent outside the window.
   */
  private novelty(g: GroupSnapshot, snap: CollectionSnapshot): number | null {
    const start = this.startMs ?? snap.timestampMs;
    const warmupMs = this.config.warmup_points * this.config.step_seconds * 1000;
    if (g.firstSeenMs < start + warmupMs || this.restored.has(g.name)) return null;
    if (snap.timestampMs - g.firstSeenMs > this.config.novelty_window_seconds * 1000) return null;
    const cpu = (g.rates?.cpuCores ?? 0) / this.config.novelty_cpu_cores;
    const memTotal = snap.host.memoryTotalBytes;
    const mem = memTotal > 0 ? g.gauges.rssBytes / memTotal / this.config.novelty_memory_ratio : 0;
    const ratio = Math.max(cpu, mem);
    return Math.max(0, Math.min(1, ratio / 2));
  }

  /** Score of one group's signal (null during warm-up or when unknown). */
  score(group: string, signal: Signal): number | null {
    const st = this.groups.get(group);
    return st ? st.scores[SIGNALS.indexOf(signal)] : null;
  }

  /** The group's learned normal of a signal (median of its baseline: rolling hour or time-of-day profile); null during warm-up or when unknown. */
  baseline(group: string, signal: Signal): number | null {
    return this.groups.get(group)?.scorers[SIGNALS.indexOf(signal)].baseline() ?? null;
  }

  /** The group's usual change of a signal per second (median first difference of its baseline window); null during warm-up or when unknown. */
  usualRate(group: string, signal: Signal): number | null {
    const step = this.groups.get(group)?.scorers[SIGNALS.indexOf(signal)].usualStep() ?? null;
    return step === null ? null : step / this.config.step_seconds;
  }

  /** The host's learned normal of a host-wide feature; null during warm-up or without the data (no PSI). */
  hostBaseline(feature: HostFeature): number | null {
    return this.host.baseline(feature);
  }

  /**
   * Bytes of learned state per group: per signal the rolling window, the open
   * hour's sample and the time-of-day profile (`RobustScorer.bytes`), plus the
   * multivariate model's history of z vectors.
   */
  static bytesPerGroup(config: AnomalyConfig): number {
    const perSignal = RobustScorer.bytes({
      baseline: config.baseline_points,
      recent: config.recent_points,
      warmup: config.warmup_points,
      seasonalAfter: config.seasonal_after_points,
      seasonalDays: config.seasonal_days,
      minScale: 0,
      relativeMinScale: 0,
    });
    return SIGNALS.length * perSignal + config.baseline_points * SIGNALS.length * 8;
  }

  toJSON(): AnomalyEngineState {
    const groups: AnomalyEngineState['groups'] = {};
    for (const [name, st] of this.groups) groups[name] = { scorers: st.scorers.map((s) => s.toJSON()), multi: st.multi.toJSON() };
    return { version: 2, startMs: this.startMs, groups, host: this.host.toJSON() };
  }

  /**
   * Restores learned baselines (after a restart: no new warm-up). Version 1
   * (before the per-day time-of-day profile) is migrated: its rolling windows
   * are kept, its hourly buffers (recent points, not a profile) dropped, and
   * the profile builds up again over the next days. Another version is a
   * CheckpointError: the caller ignores the checkpoint.
   */
  fromJSON(s: AnomalyEngineState | AnomalyEngineStateV1, nowMs: number): void {
    if (s.version !== 1 && s.version !== 2) throw new CheckpointError(`anomaly state has version ${String((s as { version?: unknown }).version)}, expected 1 or 2`);
    this.startMs = s.startMs;
    const groups: AnomalyEngineState['groups'] = s.version === 2 ? s.groups : migrateV1(s.groups);
    if (s.version === 2 && s.host) this.host.restore(s.host);
    for (const [name, g] of Object.entries(groups)) {
      this.restored.add(name);
      if (g.scorers.length !== SIGNALS.length) continue;
      const st = this.state(name, nowMs);
      st.scorers = g.scorers.map((sc, i) => RobustScorer.fromJSON(this.opts[i], sc));
      st.multi.restore(g.multi);
    }
  }
}

/** Checkpointed state of the anomaly engine. */
export interface AnomalyEngineState {
  version: 2;
  startMs: number | null;
  groups: Record<string, { scorers: RobustState[]; multi: { history: number[][] } }>;
  /** The host baselines' scorers (absent in checkpoints written before them: they learn anew). */
  host?: Partial<Record<HostFeature, RobustState>>;
}

/** Version 1 (before the per-day profile): per scorer, the window plus the last 96 points of each hour of day. */
export interface AnomalyEngineStateV1 {
  version: 1;
  startMs: number | null;
  groups: Record<string, { scorers: Array<{ buf: number[]; hours: number[]; head: number; size: number; seen: number; hourly: number[][] }>; multi: { history: number[][] } }>;
}

function migrateV1(groups: AnomalyEngineStateV1['groups']): AnomalyEngineState['groups'] {
  const out: AnomalyEngineState['groups'] = {};
  for (const [name, g] of Object.entries(groups)) out[name] = { scorers: g.scorers.map((sc) => ({ buf: sc.buf, head: sc.head, size: sc.size, seen: sc.seen })), multi: g.multi };
  return out;
}
