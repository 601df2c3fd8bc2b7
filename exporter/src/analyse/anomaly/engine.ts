import type { AnomalyScore, GroupBand, GroupPattern } from '../types';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { GroupSnapshot } from '../../group/types';
import { ANOMALY_THRESHOLD, type AnomalyState, BAND_SIGNALS, type BandSignal, type Signal, SIGNALS } from '@procsight/contract';
import { signalValue } from '../features/signals';
import type { AnomalyConfig } from './config';
import { CheckpointError } from '../../errors';
import { StreamCheckpointError, StreamDetector, type StreamDetectorOptions } from './stream';
import { HostBaselines, type HostFeature } from './host';
import { combineScores, noveltyScore } from './combined';
import { MIN_SCALE, signalOptions } from './signals';
import { WorkloadPattern, type WorkloadPatternState } from './pattern';
import { DetectorClock } from './clock';
import { packDetector, unpackDetector } from './codec';

/** Checkpoint version of the engine; another one is refused (the caller ignores the checkpoint with one warning). */
const VERSION = 3;
/** A group unseen this long is forgotten. */
const FORGET_MS = 3_600_000;
/** A group's daily cycle is established from this strength on: its evidence then quotes the normal at this time of day. */
const DAILY_CYCLE_STRENGTH = 0.3;
/** The signal whose hourly load gives a group's workload pattern. */
const PATTERN_SIGNAL: Signal = 'cpu';

/** What the engine produces per collection. */
export interface AnomalyOutput {
  scores: AnomalyScore[];
  bands: GroupBand[];
  patterns: GroupPattern[];
}

/** What a signal's detector said at its last cell (recomputed once a cell closes, not at every sample). */
interface SignalView {
  cellMs: number;
  /** The learned normal the evidence quotes (time of day when the group's daily cycle is established). */
  baseline: number | null;
  band: { lower: number; upper: number } | null;
}

interface GroupState {
  detectors: StreamDetector[];
  views: SignalView[];
  pattern: WorkloadPattern;
  lastSeenMs: number;
  /** Since when the group has had a process that lived on from one collection to the next (NaN: not yet): restarts. */
  stableSinceMs: number;
}

const stateOf = (d: StreamDetector): AnomalyState => (d.status === 'ready' ? 'scoring' : d.status);

/**
 * Per group and signal, one streaming detector (`stream/`, the detector the
 * evaluation replays, with its shipped defaults and the signal's noise floor
 * and bounds): its score, state, learned normal and band. Per group, a
 * combined score (the most unusual signal, corrected for their number), the
 * novelty of an unfamiliar group, and its workload pattern (daily and weekly
 * cycle, peak hours). Per host, the normal of a few host-wide features for
 * bottleneck evidence. Samples are fed at every collection, on a clock that
 * never goes back; the detectors make their own cells.
 */
export class AnomalyEngine {
  private readonly groups = new Map<string, GroupState>();
  private readonly clock = new DetectorClock();
  private startMs: number | null = null;
  /** Host CPUs when the engine first saw the host (the CPU signal's upper bound). */
  private cpus = 0;
  /** Groups restored from a checkpoint: known before this run (never unfamiliar). */
  private readonly restored = new Set<string>();
  private readonly base: Partial<StreamDetectorOptions>;
  private readonly host: HostBaselines;
  private readonly learningMs: number;

  constructor(private readonly config: AnomalyConfig) {
    const d = config.detector;
    this.base = {
      minCellSeconds: d.cell_seconds,
      baselineHours: d.baseline_hours,
      minBaselineCells: d.min_baseline_cells,
      rangeLagMinutes: d.range_lag_minutes,
      restartGraceMinutes: d.restart_grace_minutes,
    };
    this.host = new HostBaselines(this.base);
    this.learningMs = StreamDetector.learningMs(this.base, 0);
  }

  /** The whole engine over one collection at once (tests). */
  ingest(snapshot: CollectionSnapshot): AnomalyOutput {
    const out: AnomalyOutput = { scores: [], bands: [], patterns: [] };
    this.begin(snapshot);
    for (const g of snapshot.groups) this.ingestGroup(snapshot, g, out);
    this.finish(snapshot.timestampMs);
    return out;
  }

  /** Start of a collection's pass: the clock and the host's baselines (then ingestGroup per group, then finish). */
  begin(snapshot: CollectionSnapshot): void {
    this.startMs ??= snapshot.timestampMs;
    if (this.cpus === 0) this.cpus = snapshot.host.cpus;
    const t = this.clock.tick(snapshot.timestampMs, snapshot.intervalSeconds * 1000);
    this.host.ingest(snapshot.host, t);
  }

  /** One group's samples: its scores, bands and pattern are appended to `out`. */
  ingestGroup(snapshot: CollectionSnapshot, g: GroupSnapshot, out: AnomalyOutput): void {
    const t = this.clock.now;
    const st = this.state(g.name);
    st.lastSeenMs = snapshot.timestampMs;
    this.watchRestart(st, g, t);
    SIGNALS.forEach((s, i) => {
      const v = signalValue(g, s);
      if (v !== null) st.detectors[i].update(t, v);
    });
    const cpu = signalValue(g, PATTERN_SIGNAL);
    if (cpu !== null) st.pattern.add(t, cpu);
    this.emit(g.name, st, out);
    const novelty = this.novelty(g, snapshot);
    if (novelty !== null) out.scores.push({ group: g.name, signal: 'novelty', score: novelty, state: 'scoring' });
  }

  /** End of a collection's pass: groups unseen for an hour are forgotten. */
  finish(nowMs: number): void {
    for (const [name, st] of this.groups) if (nowMs - st.lastSeenMs > FORGET_MS) this.groups.delete(name);
  }

  private state(name: string): GroupState {
    let st = this.groups.get(name);
    if (!st) {
      st = this.newState(
        SIGNALS.map((s) => new StreamDetector(this.options(s, this.cpus))),
        new WorkloadPattern(MIN_SCALE[PATTERN_SIGNAL]),
      );
      this.groups.set(name, st);
    }
    return st;
  }

  private newState(detectors: StreamDetector[], pattern: WorkloadPattern): GroupState {
    return { detectors, views: detectors.map(() => ({ cellMs: NaN, baseline: null, band: null })), pattern, lastSeenMs: 0, stableSinceMs: NaN };
  }

  private options(s: Signal, cpus: number): Partial<StreamDetectorOptions> {
    return { ...this.base, ...signalOptions(s, { cpus }) };
  }

  /**
   * A restart: every process of the group is new this collection, while the
   * group had kept a process for at least the restart grace before. A group
   * of short-lived processes (a new set every collection) never qualifies;
   * neither does the first collection of a run (every process is new to the
   * exporter, not to the host).
   */
  private watchRestart(st: GroupState, g: GroupSnapshot, t: number): void {
    if (g.processes === 0) return;
    if ((g.newProcesses ?? 0) < g.processes) {
      if (Number.isNaN(st.stableSinceMs)) st.stableSinceMs = t;
      return;
    }
    if (t - st.stableSinceMs >= this.config.detector.restart_grace_minutes * 60_000) for (const d of st.detectors) d.restart(t);
    st.stableSinceMs = t;
  }

  private emit(group: string, st: GroupState, out: AnomalyOutput): void {
    const scored: Array<{ signal: Signal; score: number }> = [];
    const dailyCycle = (st.pattern.current.daily ?? 0) >= DAILY_CYCLE_STRENGTH;
    SIGNALS.forEach((s, i) => {
      const d = st.detectors[i];
      const view = this.view(st.views[i], d, s, dailyCycle);
      const state = stateOf(d);
      const score = state === 'scoring' ? d.lastScore : null;
      if (score === null) {
        out.scores.push({ group, signal: s, score: null, state });
        return;
      }
      scored.push({ signal: s, score });
      out.scores.push({ group, signal: s, score, state, ...(view.baseline !== null ? { baseline: view.baseline } : {}), z: d.components.z });
      if (view.band && (BAND_SIGNALS as readonly Signal[]).includes(s)) out.bands.push({ group, signal: s as BandSignal, ...view.band });
    });
    const combined = combineScores(scored, ANOMALY_THRESHOLD);
    const waiting: AnomalyState = st.detectors.some((d) => d.status === 'settling') ? 'settling' : 'learning';
    out.scores.push(
      combined
        ? { group, signal: 'combined', score: combined.score, state: 'scoring', contributors: combined.contributors }
        : { group, signal: 'combined', score: null, state: waiting },
    );
    const p = st.pattern.current;
    if (p.daily !== null) out.patterns.push({ group, daily: p.daily, weekly: p.weekly, peakHoursUtc: p.peakHoursUtc });
  }

  /** The detector's normal and band at its last cell (recomputed when a new cell closed). */
  private view(v: SignalView, d: StreamDetector, s: Signal, dailyCycle: boolean): SignalView {
    if (v.cellMs === d.lastCellMs) return v;
    v.cellMs = d.lastCellMs;
    const t = d.lastCellMs;
    const band = (BAND_SIGNALS as readonly Signal[]).includes(s) ? d.band(t, { timeOfDay: true }) : null;
    v.band = band ? { lower: band.lower, upper: band.upper } : null;
    v.baseline = d.band(t, { timeOfDay: dailyCycle })?.center ?? null;
    return v;
  }

  /**
   * Unfamiliar process: a group first seen after the exporter's first
   * minutes of learning (so not part of the host's usual set) that, within
   * its first `novelty_window_seconds`, uses ≥ `novelty_cpu_cores` cores or
   * ≥ `novelty_memory_ratio` of host memory. Scores the anomaly threshold at
   * the resource threshold, 1 at twice it; absent outside the window.
   */
  private novelty(g: GroupSnapshot, snap: CollectionSnapshot): number | null {
    const start = this.startMs ?? snap.timestampMs;
    if (g.firstSeenMs < start + this.learningMs || this.restored.has(g.name)) return null;
    if (snap.timestampMs - g.firstSeenMs > this.config.novelty_window_seconds * 1000) return null;
    const cpu = (g.rates?.cpuCores ?? 0) / this.config.novelty_cpu_cores;
    const memTotal = snap.host.memoryTotalBytes;
    const mem = memTotal > 0 ? g.gauges.rssBytes / memTotal / this.config.novelty_memory_ratio : 0;
    return noveltyScore(Math.max(cpu, mem), ANOMALY_THRESHOLD);
  }

  private detector(group: string, signal: Signal): StreamDetector | null {
    return this.groups.get(group)?.detectors[SIGNALS.indexOf(signal)] ?? null;
  }

  /** Score of one group's signal (null while it learns or settles, or when unknown). */
  score(group: string, signal: Signal): number | null {
    const d = this.detector(group, signal);
    return d && d.status === 'ready' ? d.lastScore : null;
  }

  /**
   * The group's usual value of a signal: the detector's learned normal (the
   * daily profile's at this time of day once the group's daily cycle is
   * established, else the median of the recent baseline); null while it
   * learns or when unknown.
   */
  baseline(group: string, signal: Signal): number | null {
    const st = this.groups.get(group);
    const i = SIGNALS.indexOf(signal);
    if (!st || st.detectors[i].status !== 'ready') return null;
    return this.view(st.views[i], st.detectors[i], signal, (st.pattern.current.daily ?? 0) >= DAILY_CYCLE_STRENGTH).baseline;
  }

  /** The group's usual change of a signal per second (median slope between the recent baseline's cells); null while it learns or when unknown. */
  usualRate(group: string, signal: Signal): number | null {
    const d = this.detector(group, signal);
    return d && d.status === 'ready' ? d.usualChangePerSecond(d.lastCellMs) : null;
  }

  /** The host's learned normal of a host-wide feature; null while it learns or without the data (no PSI). */
  hostBaseline(feature: HostFeature): number | null {
    return this.host.baseline(feature);
  }

  /** Bytes of learned state per group: one detector per signal and the workload pattern. */
  static bytesPerGroup(config: AnomalyConfig): number {
    const e = new AnomalyEngine(config);
    return SIGNALS.reduce((a, s) => a + StreamDetector.bytes(e.options(s, 1)), 0) + WorkloadPattern.BYTES;
  }

  /** Bytes held once per exporter (the host baselines). */
  hostBytes(): number {
    return this.host.bytes();
  }

  /** A checkpoint: every detector's state, its large arrays packed (codec.ts). */
  toJSON(): AnomalyEngineState {
    const groups: AnomalyEngineState['groups'] = {};
    for (const [name, st] of this.groups) groups[name] = { detectors: st.detectors.map((d) => packDetector(d.toJSON())), pattern: st.pattern.toJSON() };
    return {
      version: VERSION,
      clockMs: Number.isFinite(this.clock.now) ? this.clock.now : null,
      startMs: this.startMs,
      cpus: this.cpus,
      groups,
      host: this.host.toJSON(),
    };
  }

  /**
   * Restores what was learned (no new learning after a restart). Another
   * version (the robust scorer's, before the streaming detector) or a state
   * that does not validate is a CheckpointError: the caller ignores the
   * checkpoint with one warning.
   */
  fromJSON(s: AnomalyEngineState, nowMs: number): void {
    if (s.version !== VERSION)
      throw new CheckpointError(`anomaly state has version ${String((s as { version?: unknown }).version)}, expected ${VERSION} (the streaming detector's)`);
    if (typeof s.groups !== 'object' || s.groups === null) throw new CheckpointError('anomaly state has no groups');
    const cpus = typeof s.cpus === 'number' && s.cpus > 0 ? s.cpus : 0;
    const groups: Array<[string, GroupState]> = [];
    for (const [name, g] of Object.entries(s.groups)) {
      if (!Array.isArray(g.detectors) || g.detectors.length !== SIGNALS.length)
        throw new CheckpointError(`anomaly state of ${name}: ${SIGNALS.length} detectors expected`);
      const detectors = SIGNALS.map((sig, i) => restoreDetector(g.detectors[i], this.options(sig, cpus), `${name}/${sig}`));
      const st = this.newState(detectors, WorkloadPattern.fromJSON(g.pattern, MIN_SCALE[PATTERN_SIGNAL]));
      st.lastSeenMs = nowMs;
      groups.push([name, st]);
    }
    this.host.restore(s.host ?? {});
    for (const [name, st] of groups) {
      this.groups.set(name, st);
      this.restored.add(name);
    }
    this.startMs = s.startMs;
    this.cpus = cpus;
    if (typeof s.clockMs === 'number') this.clock.resume(s.clockMs);
  }
}

function restoreDetector(json: unknown, options: Partial<StreamDetectorOptions>, what: string): StreamDetector {
  try {
    return StreamDetector.fromJSON(unpackDetector(json, what), options);
  } catch (e) {
    if (e instanceof StreamCheckpointError) throw new CheckpointError(`anomaly state of ${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Checkpointed state of the anomaly engine. */
export interface AnomalyEngineState {
  version: typeof VERSION;
  /** The detectors' clock at the checkpoint (they never see a time before it again). */
  clockMs: number | null;
  startMs: number | null;
  cpus: number;
  groups: Record<string, { detectors: unknown[]; pattern: WorkloadPatternState }>;
  host?: Partial<Record<HostFeature, unknown>>;
}
