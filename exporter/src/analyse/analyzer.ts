import type { AnalysisResult } from './types';
import type { CollectionSnapshot } from '../pipeline/types';
import type { GroupSnapshot } from '../group/types';
import { type Signal, type Catalog, topSuggestionsPerGroup, type FeedbackCounts, CATALOG } from '@procsight/contract';
import type { HostFeature } from './anomaly/host';
import type { AnomalyConfig } from './anomaly/config';
import { AnomalyEngine, type AnomalyEngineState, type AnomalyOutput } from './anomaly/engine';
import type { BottleneckConfig } from './bottleneck/config';
import { BottleneckEngine, type ContentionLookup } from './bottleneck/engine';
import type { Projections } from './bottleneck/rules';
import type { ContentionConfig } from './contention/config';
import { ContentionEngine } from './contention/engine';
import { FeatureStore } from './features/store';
import { ProfileEngine } from './profiles/engine';
import { HostSeries } from './correlate/host-series';
import { correlationHints, type CorrelationReport } from './correlate/hints';

/** Longest stretch of analysis between two yields to the event loop. */
const DEFAULT_SLICE_MS = 1;

/** A group outside its usual behaviour cluster adds this to its combined anomaly score. */
const PROFILE_SHIFT_BOOST = 0.1;

export interface AnalyzerState {
  version: 1;
  /** The streaming detectors' state (version 3); an older version makes `AnomalyEngine.fromJSON` refuse the checkpoint. */
  anomaly: AnomalyEngineState;
  bottlenecks: ReturnType<BottleneckEngine['toJSON']>;
  feedback: Record<string, FeedbackCounts>;
}

/**
 * The analysis step after each collection: features → anomaly scores →
 * bottleneck labels (rules + hysteresis, confidence raised by anomalies) →
 * ranked suggestions; behaviour profiles every few ticks. The exporter runs
 * it in slices of groups between which scrapes are served (ingestSliced);
 * see docs/benchmarks.md "Analysis cost".
 */
export class Analyzer {
  readonly features: FeatureStore;
  private readonly anomaly: AnomalyEngine;
  private readonly bottlenecks: BottleneckEngine;
  private readonly profiles = new ProfileEngine();
  private readonly hostSeries = new HostSeries();
  private readonly contention: ContentionEngine;
  private readonly contentionMinShare: number;
  private readonly feedback: Record<string, FeedbackCounts> = {};
  private last: AnalysisResult | null = null;
  private readonly maxSuggestionsPerGroup: number;
  private readonly projections: Projections | undefined;

  /** `collectIntervalSeconds`: the collector's configured interval (sizes the feature windows; default: each group's first measured interval) */
  constructor(opts: {
    anomaly: AnomalyConfig;
    bottlenecks: BottleneckConfig;
    contention: ContentionConfig;
    catalog?: Catalog;
    collectIntervalSeconds?: number;
    projections?: Projections;
  }) {
    this.projections = opts.projections;
    this.features = new FeatureStore({ stepSeconds: opts.collectIntervalSeconds });
    const { contention } = opts;
    this.contention = new ContentionEngine(contention);
    this.contentionMinShare = contention.min_share;
    this.anomaly = new AnomalyEngine(opts.anomaly);
    this.bottlenecks = new BottleneckEngine(opts.bottlenecks, opts.catalog ?? CATALOG, () => this.feedback);
    this.maxSuggestionsPerGroup = opts.bottlenecks.max_suggestions_per_group;
  }

  /**
   * Correlation hints for one group (GET /api/v1/correlations): the series that moved most with its
   * bottleneck's signal (or `signal`) over the last hour, up to the last analysis; null before the first.
   */
  correlations(q: { group: string; signal?: Signal; limit: number }): CorrelationReport | null {
    const last = this.last;
    if (!last) return null;
    return correlationHints(q, { features: this.features, host: this.hostSeries.series(), bottlenecks: last.bottlenecks, nowSeconds: last.timestampMs / 1000 });
  }

  /** The whole analysis of one collection at once (tests, benchmarks). */
  ingest(snapshot: CollectionSnapshot): AnalysisResult {
    const run = this.steps(snapshot);
    for (;;) {
      const r = run.next();
      if (r.done) return r.value;
    }
  }

  /**
   * The same analysis in time slices: it yields to the event loop whenever it
   * has run `sliceMs` (0: after every group), so a scrape that arrives
   * meanwhile waits at most about one slice. `current()` serves the previous
   * result until the new one is complete.
   */
  async ingestSliced(snapshot: CollectionSnapshot, opts: { sliceMs: number } = { sliceMs: DEFAULT_SLICE_MS }): Promise<AnalysisResult> {
    const run = this.steps(snapshot);
    let sliceStart = performance.now();
    for (;;) {
      const r = run.next();
      if (r.done) return r.value;
      if (performance.now() - sliceStart >= opts.sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  /** The analysis as steps: each `yield` is a point where the event loop may run. */
  private *steps(snapshot: CollectionSnapshot): Generator<void, AnalysisResult> {
    const groups = snapshot.groups;
    const sliced = function* (each: (g: GroupSnapshot) => void): Generator<void> {
      for (let i = 0; i < groups.length; i++) {
        each(groups[i]);
        if (i + 1 < groups.length) yield;
      }
    };
    yield* sliced((g) => this.features.ingestGroup(snapshot, g));
    this.features.evict(snapshot.timestampMs);
    this.hostSeries.add(snapshot.host, snapshot.timestampMs);
    yield;
    const found: AnomalyOutput = { scores: [], bands: [], patterns: [] };
    this.anomaly.begin(snapshot);
    yield* sliced((g) => this.anomaly.ingestGroup(snapshot, g, found));
    this.anomaly.finish(snapshot.timestampMs);
    yield;
    // Groups the grouper has forgotten leave the map with their other series (the feature store keeps them for an hour).
    const present = new Set(groups.map((g) => g.name));
    const allProfiles = this.profiles.update(this.features);
    const profiles = { ...allProfiles, points: allProfiles.points.filter((p) => present.has(p.group)) };
    yield;
    const contention = this.contention.update(snapshot, this.features);
    const victims = new Map(contention.map((v) => [`${v.group}\u0000${v.resource}`, v]));
    const blame: ContentionLookup = { victim: (g, r) => victims.get(`${g}\u0000${r}`), minShare: this.contentionMinShare };
    yield;
    const shifted = new Set(profiles.points.filter((p) => p.leftUsualCluster).map((p) => p.group));
    for (const a of found.scores) if (a.signal === 'combined' && a.score !== null && shifted.has(a.group)) a.score = Math.min(1, a.score + PROFILE_SHIFT_BOOST);
    const baselines = {
      group: (g: string, s: Signal) => this.anomaly.baseline(g, s),
      rate: (g: string, s: Signal) => this.anomaly.usualRate(g, s),
      host: (f: HostFeature) => this.anomaly.hostBaseline(f),
    };
    const anomaly = (g: string, s: Signal) => this.anomaly.score(g, s);
    const pass = this.bottlenecks.begin();
    yield* sliced((g) =>
      this.bottlenecks.evaluateGroup(pass, {
        snapshot,
        group: g,
        features: this.features,
        anomaly,
        baselines,
        contention: blame,
        projections: this.projections,
      }),
    );
    const bottlenecks = this.bottlenecks.finish(pass, snapshot);
    const suggestionSeries = topSuggestionsPerGroup(bottlenecks, this.maxSuggestionsPerGroup);
    this.last = {
      timestampMs: snapshot.timestampMs,
      anomalies: found.scores,
      bands: found.bands,
      patterns: found.patterns,
      bottlenecks,
      suggestionSeries,
      profiles,
      contention,
    };
    return this.last;
  }

  current(): AnalysisResult | null {
    return this.last;
  }

  /** Operator feedback on an action (POST /api/v1/feedback), or a measured outcome of an applied one: the ranking uses both. */
  recordFeedback(action: string, kind: keyof FeedbackCounts): void {
    const f = (this.feedback[action] ??= { helpful: 0, notHelpful: 0, applied: 0 });
    f[kind] = (f[kind] ?? 0) + 1;
  }

  /** Feedback and outcome counts per action id. */
  feedbackCounts(): Readonly<Record<string, Readonly<FeedbackCounts>>> {
    return this.feedback;
  }

  toJSON(): AnalyzerState {
    return { version: 1, anomaly: this.anomaly.toJSON(), bottlenecks: this.bottlenecks.toJSON(), feedback: this.feedback };
  }

  restore(s: AnalyzerState, nowMs: number): void {
    this.anomaly.fromJSON(s.anomaly, nowMs);
    this.bottlenecks.restore(s.bottlenecks);
    Object.assign(this.feedback, s.feedback);
  }
}

export function isAnalyzerState(x: unknown): x is AnalyzerState {
  return typeof x === 'object' && x !== null && (x as { version?: unknown }).version === 1 && typeof (x as { anomaly?: unknown }).anomaly === 'object';
}
