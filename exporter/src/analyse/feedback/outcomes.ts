import type { BottleneckKind, SuggestionOutcome } from '@procsight/contract';
import type { AnalysisResult } from '../types';

/** How long after "applied" the bottleneck has to clear for the action to count as resolved. */
export const OUTCOME_WINDOW_MS = 30 * 60_000;

/** One applied action being measured. */
interface Watch {
  group: string;
  kind: BottleneckKind;
  action: string;
  appliedAtMs: number;
  severityBefore: number;
}

/** A measured outcome: whether the bottleneck cleared within the window, and how far its severity fell. */
export interface Outcome {
  group: string;
  kind: BottleneckKind;
  action: string;
  outcome: SuggestionOutcome;
  appliedAtMs: number;
  decidedAtMs: number;
  severityBefore: number;
  /** 0 when the bottleneck cleared; its severity at the end of the window otherwise. */
  severityAfter: number;
}

/** Per action: the sum of severity falls over its outcomes (mean = sum / outcomes). */
interface FallSums {
  kind: BottleneckKind;
  outcomes: number;
  severityFallSum: number;
}

export interface OutcomeTrackerState {
  version: 1;
  falls: Record<string, FallSums>;
  recent: Outcome[];
}

/** Why an "applied" starts no measurement (answered to the caller). */
export type NotWatched = 'no_analysis' | 'not_active' | 'already_watching' | 'too_many_watches';

/**
 * Measured efficacy: after an operator (or the remediation layer) says an
 * action was applied, follows the group's bottleneck of that kind after each
 * analysis. It is resolved when the bottleneck clears within OUTCOME_WINDOW_MS
 * (its severity fell to 0), persisted when it is still active then (its
 * severity fell, or rose, by before − after). Pure apart from the clock the
 * caller passes in.
 *
 * Watches are not checkpointed: after a restart the features and bottleneck
 * rules start from nothing and a bottleneck may look cleared only because the
 * exporter no longer sees it, so a measurement a restart interrupts is dropped
 * rather than counted as resolved. The outcomes themselves (counts in the
 * analyzer's feedback, falls and recent outcomes here) are checkpointed.
 */
export class OutcomeTracker {
  private watches: Watch[] = [];
  private falls: Record<string, FallSums> = {};
  private recent: Outcome[] = [];

  constructor(private readonly opts: { windowMs?: number; maxWatches?: number; keepRecent?: number } = {}) {}

  private get windowMs(): number {
    return this.opts.windowMs ?? OUTCOME_WINDOW_MS;
  }

  /** Starts measuring an applied action when its bottleneck is active now. */
  applied(
    x: { group: string; kind: BottleneckKind; action: string },
    nowMs: number,
    analysis: AnalysisResult | null,
  ): { watching: true; severityBefore: number } | { watching: false; reason: NotWatched } {
    if (!analysis) return { watching: false, reason: 'no_analysis' };
    const b = analysis.bottlenecks.find((y) => y.group === x.group && y.kind === x.kind);
    if (!b) return { watching: false, reason: 'not_active' };
    if (this.watches.some((w) => w.group === x.group && w.kind === x.kind && w.action === x.action)) return { watching: false, reason: 'already_watching' };
    if (this.watches.length >= (this.opts.maxWatches ?? 200)) return { watching: false, reason: 'too_many_watches' };
    this.watches.push({ ...x, appliedAtMs: nowMs, severityBefore: b.severity });
    return { watching: true, severityBefore: b.severity };
  }

  /** After each analysis: the outcomes decided by it (cleared bottlenecks, windows that ended). */
  observe(analysis: AnalysisResult | null, nowMs: number): Outcome[] {
    if (!analysis || this.watches.length === 0) return [];
    const decided: Outcome[] = [];
    this.watches = this.watches.filter((w) => {
      const b = analysis.bottlenecks.find((y) => y.group === w.group && y.kind === w.kind);
      const ended = nowMs - w.appliedAtMs >= this.windowMs;
      if (b && !ended) return true;
      const outcome: Outcome = {
        group: w.group,
        kind: w.kind,
        action: w.action,
        outcome: b ? 'persisted' : 'resolved',
        appliedAtMs: w.appliedAtMs,
        decidedAtMs: nowMs,
        severityBefore: w.severityBefore,
        severityAfter: b ? b.severity : 0,
      };
      decided.push(outcome);
      return false;
    });
    for (const o of decided) this.record(o);
    return decided;
  }

  private record(o: Outcome): void {
    const f = (this.falls[o.action] ??= { kind: o.kind, outcomes: 0, severityFallSum: 0 });
    f.outcomes++;
    f.severityFallSum += o.severityBefore - o.severityAfter;
    this.recent.unshift(o);
    this.recent.length = Math.min(this.recent.length, this.opts.keepRecent ?? 100);
  }

  /** Mean fall of severity per action over its outcomes (negative when it rose). */
  meanFall(action: string): number | null {
    const f = this.falls[action];
    return f && f.outcomes > 0 ? f.severityFallSum / f.outcomes : null;
  }

  /** Actions with at least one outcome, with their kind and mean fall. */
  fallsByAction(): Array<{ action: string; kind: BottleneckKind; meanFall: number }> {
    return Object.entries(this.falls)
      .filter(([, f]) => f.outcomes > 0)
      .map(([action, f]) => ({ action, kind: f.kind, meanFall: f.severityFallSum / f.outcomes }));
  }

  /** Measurements under way, oldest first. */
  watching(): ReadonlyArray<Readonly<Watch>> {
    return this.watches;
  }

  /** The last outcomes, newest first. */
  recentOutcomes(): readonly Outcome[] {
    return this.recent;
  }

  toJSON(): OutcomeTrackerState {
    return { version: 1, falls: this.falls, recent: this.recent };
  }

  restore(s: OutcomeTrackerState): void {
    this.falls = { ...s.falls };
    this.recent = [...s.recent];
  }
}

export function isOutcomeTrackerState(x: unknown): x is OutcomeTrackerState {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<OutcomeTrackerState>;
  return s.version === 1 && typeof s.falls === 'object' && s.falls !== null && Array.isArray(s.recent);
}
