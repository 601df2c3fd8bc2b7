import { kindOfAction, learnedPrior, successRate, type BottleneckKind, type Catalog, type FeedbackCounts, type FeedbackVerdict } from '@procsight/contract';
import type { AnalysisResult } from '../types';
import type { NotWatched, Outcome, OutcomeTracker } from './outcomes';

/** One verdict on one suggested action (POST /api/v1/feedback). */
export interface FeedbackInput {
  group: string;
  kind: BottleneckKind;
  action: string;
  verdict: FeedbackVerdict;
}

/** What the feedback changes: the counts the ranking now uses, and whether an efficacy measurement started. */
export interface FeedbackResult {
  counts: FeedbackCounts;
  measurement: { watching: true; severityBefore: number } | { watching: false; reason: NotWatched | 'not_applied' };
}

/** Per action: what operators said, what was measured, and the prior the ranking uses now. */
export interface ActionFeedback {
  kind: BottleneckKind;
  action: string;
  catalogPrior: number;
  learnedPrior: number;
  helpful: number;
  notHelpful: number;
  applied: number;
  resolved: number;
  persisted: number;
  successRate: number | null;
  meanSeverityFall: number | null;
}

const VERDICT_FIELD: Record<FeedbackVerdict, keyof FeedbackCounts> = { helpful: 'helpful', not_helpful: 'notHelpful', applied: 'applied' };

/**
 * Operator feedback into the exporter's ranking: verdicts are counted per
 * action (Analyzer.recordFeedback → rank in @procsight/contract), and an
 * "applied" starts an efficacy measurement whose outcome updates the
 * action's learned prior. `observe` runs after each analysis.
 */
export class FeedbackService {
  constructor(
    private readonly opts: {
      analyzer: {
        recordFeedback(action: string, kind: keyof FeedbackCounts): void;
        feedbackCounts(): Readonly<Record<string, Readonly<FeedbackCounts>>>;
        current(): AnalysisResult | null;
      };
      tracker: OutcomeTracker;
      catalog: Catalog;
      now?: () => number;
      /** After each recorded verdict (the checkpoint is written soon after). */
      onRecorded?: () => void;
      /** After each measured outcome, with the action's mean severity fall so far. */
      onOutcome?: (o: Outcome, meanFall: number) => void;
    },
  ) {}

  /** Whether `action` is one of the catalog's actions for `kind`. */
  knows(kind: BottleneckKind, action: string): boolean {
    return kindOfAction(this.opts.catalog, action) === kind;
  }

  /** `analysis`: the one the action was applied under (default: the current one), which shows whether the bottleneck was active and how severe. */
  record(input: FeedbackInput, opts: { analysis?: AnalysisResult | null } = {}): FeedbackResult {
    const { analyzer, tracker } = this.opts;
    analyzer.recordFeedback(input.action, VERDICT_FIELD[input.verdict]);
    const under = opts.analysis === undefined ? analyzer.current() : opts.analysis;
    const measurement: FeedbackResult['measurement'] =
      input.verdict === 'applied' ? tracker.applied(input, (this.opts.now ?? Date.now)(), under) : { watching: false, reason: 'not_applied' };
    this.opts.onRecorded?.();
    return { counts: { ...this.countsOf(input.action) }, measurement };
  }

  /** After each analysis: decides due measurements and feeds their outcomes to the ranking. */
  observe(analysis: AnalysisResult | null): Outcome[] {
    const decided = this.opts.tracker.observe(analysis, (this.opts.now ?? Date.now)());
    for (const o of decided) {
      this.opts.analyzer.recordFeedback(o.action, o.outcome);
      this.opts.onOutcome?.(o, this.opts.tracker.meanFall(o.action) ?? 0);
    }
    if (decided.length > 0) this.opts.onRecorded?.();
    return decided;
  }

  private countsOf(action: string): FeedbackCounts {
    return this.opts.analyzer.feedbackCounts()[action] ?? { helpful: 0, notHelpful: 0, applied: 0 };
  }

  /** Every catalog action that has feedback or outcomes, by kind then action. */
  summary(): ActionFeedback[] {
    const counts = this.opts.analyzer.feedbackCounts();
    const out: ActionFeedback[] = [];
    for (const [kind, actions] of Object.entries(this.opts.catalog.kinds) as Array<[BottleneckKind, Catalog['kinds'][BottleneckKind]]>) {
      for (const a of actions) {
        const c = counts[a.id];
        if (!c) continue;
        out.push({
          kind,
          action: a.id,
          catalogPrior: a.prior,
          learnedPrior: Number(learnedPrior(a.prior, c).toFixed(4)),
          helpful: c.helpful,
          notHelpful: c.notHelpful,
          applied: c.applied,
          resolved: c.resolved ?? 0,
          persisted: c.persisted ?? 0,
          successRate: successRate(c),
          meanSeverityFall: this.opts.tracker.meanFall(a.id),
        });
      }
    }
    return out;
  }

  /** Measurements under way and the last outcomes (GET /api/v1/feedback). */
  measurements(): { watching: ReturnType<OutcomeTracker['watching']>; recent: readonly Outcome[] } {
    return { watching: this.opts.tracker.watching(), recent: this.opts.tracker.recentOutcomes() };
  }
}
