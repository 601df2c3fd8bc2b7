import { isOutcomeTrackerState, OUTCOME_WINDOW_MS, OutcomeTracker } from '../../../../exporter/src/analyse/feedback/outcomes';
import type { AnalysisResult, Bottleneck } from '../../../../exporter/src/analyse/types';
import { analysisResult } from '../../../helpers/synthetic';

const T0 = Date.UTC(2026, 10, 24);
const MIN = 60_000;

/** An analysis whose only bottleneck is api's memory_leak at `severity` (none when null). */
function withLeak(severity: number | null): AnalysisResult {
  const base = analysisResult();
  const leak = base.bottlenecks.find((b) => b.group === 'api') as Bottleneck;
  return { ...base, bottlenecks: severity === null ? [] : [{ ...leak, severity }] };
}

const applied = { group: 'api', kind: 'memory_leak' as const, action: 'memory_leak.cap_memory' };

describe('measured efficacy of applied actions', () => {
  it('is resolved when the bottleneck clears within 30 minutes, with the severity fallen to 0', () => {
    const t = new OutcomeTracker();
    expect(t.applied(applied, T0, withLeak(0.8))).toEqual({ watching: true, severityBefore: 0.8 });
    expect(t.observe(withLeak(0.7), T0 + 5 * MIN)).toEqual([]);
    const [o] = t.observe(withLeak(null), T0 + 12 * MIN);
    expect(o).toEqual({ ...applied, outcome: 'resolved', appliedAtMs: T0, decidedAtMs: T0 + 12 * MIN, severityBefore: 0.8, severityAfter: 0 });
    expect(t.watching()).toEqual([]);
    expect(t.meanFall(applied.action)).toBeCloseTo(0.8);
  });

  it('is persisted when the bottleneck is still active after the window, and measures how far it fell (or rose)', () => {
    const t = new OutcomeTracker();
    t.applied(applied, T0, withLeak(0.9));
    expect(t.observe(withLeak(0.6), T0 + OUTCOME_WINDOW_MS - 1)).toEqual([]);
    expect(t.observe(withLeak(0.6), T0 + OUTCOME_WINDOW_MS)).toEqual([
      expect.objectContaining({ outcome: 'persisted', severityBefore: 0.9, severityAfter: 0.6 }),
    ]);
    t.applied(applied, T0 + OUTCOME_WINDOW_MS, withLeak(0.5));
    t.observe(withLeak(0.7), T0 + 2 * OUTCOME_WINDOW_MS);
    // falls 0.3 and -0.2: mean 0.05
    expect(t.meanFall(applied.action)).toBeCloseTo(0.05);
    expect(t.fallsByAction()).toEqual([{ action: applied.action, kind: 'memory_leak', meanFall: expect.closeTo(0.05, 10) }]);
    expect(t.recentOutcomes().map((o) => o.severityAfter)).toEqual([0.7, 0.6]); // newest first
  });

  it('measures nothing when the bottleneck is not active, twice at once, or beyond its cap', () => {
    const t = new OutcomeTracker({ maxWatches: 1 });
    expect(t.applied(applied, T0, null)).toEqual({ watching: false, reason: 'no_analysis' });
    expect(t.applied(applied, T0, withLeak(null))).toEqual({ watching: false, reason: 'not_active' });
    expect(t.applied(applied, T0, withLeak(0.8)).watching).toBe(true);
    expect(t.applied(applied, T0, withLeak(0.8))).toEqual({ watching: false, reason: 'already_watching' });
    expect(t.applied({ ...applied, action: 'memory_leak.heap_dump' }, T0, withLeak(0.8))).toEqual({ watching: false, reason: 'too_many_watches' });
    expect(t.observe(null, T0 + OUTCOME_WINDOW_MS)).toEqual([]); // no analysis: nothing decided
    expect(t.watching()).toHaveLength(1);
  });

  it('checkpoints outcomes (not measurements under way, which a restart cannot finish honestly)', () => {
    const t = new OutcomeTracker();
    t.applied(applied, T0, withLeak(0.8));
    t.observe(withLeak(null), T0 + MIN);
    t.applied(applied, T0 + 2 * MIN, withLeak(0.8));
    const json = JSON.parse(JSON.stringify(t.toJSON())) as unknown;
    expect(isOutcomeTrackerState(json)).toBe(true);
    expect(isOutcomeTrackerState({ version: 2 })).toBe(false);
    const u = new OutcomeTracker();
    u.restore(json as ReturnType<OutcomeTracker['toJSON']>);
    expect(u.meanFall(applied.action)).toBeCloseTo(0.8);
    expect(u.recentOutcomes()).toHaveLength(1);
    expect(u.watching()).toEqual([]);
  });
});
