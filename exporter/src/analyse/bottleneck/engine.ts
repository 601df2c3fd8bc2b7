import type { Bottleneck } from '../types';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { GroupSnapshot } from '../../group/types';
import {
  ANOMALY_THRESHOLD,
  type Signal,
  type Catalog,
  rankSuggestions,
  type FeedbackCounts,
  type BottleneckKind,
  type ContentionResource,
  type Culprit,
  type Evidence,
  CONTENTION_KIND,
  CONTENTION_RESOURCES,
  EVIDENCE_SENTENCES as S,
  compareText,
} from '@procsight/contract';
import type { ContentionVictim } from '../contention/engine';
import type { FeatureSource } from '../features/types';
import type { BottleneckConfig } from './config';
import { Hysteresis } from './hysteresis';
import { evaluateRules, type Baselines, type Candidate, type Projections } from './rules';

/** What the contention analysis found, for the labels whose wait another group can cause. */
export interface ContentionLookup {
  victim(group: string, resource: ContentionResource): ContentionVictim | undefined;
  /** contention.min_share: the evidence's threshold. */
  minShare: number;
}

/** The contention resource whose wait a kind is (cpu_starvation → cpu …), or null. */
const RESOURCE_OF = new Map<BottleneckKind, ContentionResource>(CONTENTION_RESOURCES.map((r) => [CONTENTION_KIND[r], r]));

/**
 * The culprits of a label's wait and the evidence naming them (`culprit_share`: the top culprit's
 * share; its text names every culprit, or says why none is named).
 */
function culpritsOf(kind: BottleneckKind, group: string, contention: ContentionLookup | undefined): { culprits: Culprit[]; evidence: Evidence[] } {
  const resource = RESOURCE_OF.get(kind);
  if (!resource || !contention) return { culprits: [], evidence: [] };
  const v = contention.victim(group, resource);
  const culprits = v?.culprits ?? [];
  const text =
    culprits.length > 0
      ? S.culprit_share({ culprits: culprits.map((c) => c.evidence) })
      : (v?.note ?? S.culprit_share({ culprits: [], reason: 'its own wait is below what the contention analysis looks at' }));
  return {
    culprits,
    evidence: [{ feature: 'culprit_share', value: culprits[0]?.share ?? 0, baseline: null, threshold: contention.minShare, unit: 'ratio', text }],
  };
}

/**
 * A group's smoothed wait on storage while the contention analysis counts it as waiting (a victim of `io`, kept
 * down to contention.io_wait_exit) or still names a culprit of that wait (held for contention.clear_seconds after
 * the wait ended), else null: the grant of io_bound without its throughput floor lasts as long as either.
 */
function storageWaitOf(group: string, contention: ContentionLookup | undefined): number | null {
  return contention?.victim(group, 'io')?.wait ?? null;
}

/** One collection's evaluation in progress. */
export interface EvaluationPass {
  out: Bottleneck[];
  /** Labels (group, kind) active in this pass. */
  live: Set<string>;
}

/**
 * Rules → hysteresis → labels with evidence and ranked suggestions. The
 * evidence shown is the latest while the rule fires, and the last one seen
 * while a label is held on by hysteresis.
 */
export class BottleneckEngine {
  private readonly hysteresis = new Hysteresis();
  private readonly lastCandidate = new Map<string, Candidate>();

  constructor(
    private readonly config: BottleneckConfig,
    private readonly catalog: Catalog,
    private readonly feedback: () => Readonly<Record<string, FeedbackCounts>> = () => ({}),
  ) {}

  /** `baselines`: the learned normals the evidence shows (the anomaly engine's). */
  evaluate(
    snapshot: CollectionSnapshot,
    features: FeatureSource,
    anomaly: (group: string, signal: Signal) => number | null,
    baselines: Baselines,
    contention?: ContentionLookup,
  ): Bottleneck[] {
    const pass = this.begin();
    for (const g of snapshot.groups) this.evaluateGroup(pass, { snapshot, group: g, features, anomaly, baselines, contention });
    return this.finish(pass, snapshot);
  }

  /** Start of a collection's pass (then evaluateGroup per group, then finish). */
  begin(): EvaluationPass {
    return { out: [], live: new Set() };
  }

  /** One group's rules, hysteresis and labels, into the pass. */
  evaluateGroup(
    pass: EvaluationPass,
    args: {
      snapshot: CollectionSnapshot;
      group: GroupSnapshot;
      features: FeatureSource;
      anomaly: (group: string, signal: Signal) => number | null;
      baselines: Baselines;
      contention?: ContentionLookup;
      projections?: Projections;
    },
  ): void {
    const { snapshot, group: g, features, anomaly, baselines } = args;
    if (!g.rates || g.processes === 0) return;
    const now = snapshot.timestampMs;
    const candidates = new Map(
      evaluateRules({
        group: g,
        host: snapshot.host,
        features,
        config: this.config,
        baselines,
        projections: args.projections,
        storageWait: storageWaitOf(g.name, args.contention),
      }).map((c) => [c.kind, c]),
    );
    for (const kind of Object.keys(this.config.bands) as Array<keyof BottleneckConfig['bands']>) {
      const key = `${g.name}\u0000${kind}`;
      const c = candidates.get(kind);
      if (c) this.lastCandidate.set(key, c);
      const band = this.config.bands[kind];
      const h = this.hysteresis.update(key, c?.severity ?? 0, now, {
        on: band.on,
        off: band.off,
        forMs: band.for_seconds * 1000,
        clearMs: band.clear_seconds * 1000,
      });
      if (!h.active) {
        this.lastCandidate.delete(key);
        continue;
      }
      pass.live.add(key);
      const shown = c ?? this.lastCandidate.get(key);
      if (!shown) continue;
      const a = shown.related ? anomaly(g.name, shown.related) : null;
      const confidence = Math.min(1, shown.confidence + anomalyBoost(a));
      const blame = culpritsOf(kind, g.name, args.contention);
      const evidence = [...shown.evidence, ...blame.evidence];
      pass.out.push({
        group: g.name,
        kind,
        severity: round(c?.severity ?? band.off),
        confidence: round(confidence),
        sinceMs: h.sinceMs,
        evidence,
        suggestions: rankSuggestions(
          {
            group: g.name,
            kind,
            severity: c?.severity ?? band.off,
            evidence,
            feedback: this.feedback(),
            limit: this.config.max_suggestions_per_group,
            culprits: blame.culprits,
          },
          this.catalog,
        ),
        culprits: blame.culprits,
      });
    }
  }

  /** End of a pass: hysteresis state of vanished groups dropped; labels ranked by severity. */
  finish(pass: EvaluationPass, snapshot: CollectionSnapshot): Bottleneck[] {
    const present = new Set(snapshot.groups.map((g) => g.name));
    const keep = (k: string): boolean => pass.live.has(k) || present.has(k.slice(0, k.indexOf('\u0000')));
    this.hysteresis.retain(keep);
    // Evidence kept for held labels goes with them (a group that vanished while labelled left it behind).
    for (const k of this.lastCandidate.keys()) if (!keep(k)) this.lastCandidate.delete(k);
    return pass.out.sort((a, b) => b.severity - a.severity || compareText(a.group, b.group));
  }

  toJSON(): ReturnType<Hysteresis['toJSON']> {
    return this.hysteresis.toJSON();
  }

  restore(s: ReturnType<Hysteresis['toJSON']>): void {
    this.hysteresis.restore(s);
  }
}

/**
 * What an unusual main signal adds to a label's confidence: up to 0.2, in
 * proportion to its anomaly score up to the anomaly threshold (a signal that
 * is anomalous adds all of it; one at its usual level, or while its detector
 * learns, nothing much).
 */
function anomalyBoost(score: number | null): number {
  return score === null ? 0 : 0.2 * Math.min(1, score / ANOMALY_THRESHOLD);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
