import { CATALOG, rankSuggestions } from '@procsight/contract';
import { Analyzer } from '../../../../exporter/src/analyse/analyzer';
import { OutcomeTracker } from '../../../../exporter/src/analyse/feedback/outcomes';
import { FeedbackService } from '../../../../exporter/src/analyse/feedback/service';
import type { AnalysisResult } from '../../../../exporter/src/analyse/types';
import { parseConfigText } from '../../../../exporter/src/config/load';
import { analysisResult } from '../../../helpers/synthetic';

const T0 = Date.UTC(2026, 10, 24);

function setup(analysis: () => AnalysisResult | null) {
  const config = parseConfigText('', { source: 'test' });
  const analyzer = new Analyzer({ anomaly: config.anomaly, bottlenecks: config.bottlenecks, contention: config.contention });
  let now = T0;
  const recorded: number[] = [];
  const outcomes: Array<{ action: string; outcome: string; meanFall: number }> = [];
  const service = new FeedbackService({
    analyzer: { recordFeedback: (a, k) => analyzer.recordFeedback(a, k), feedbackCounts: () => analyzer.feedbackCounts(), current: analysis },
    tracker: new OutcomeTracker(),
    catalog: CATALOG,
    now: () => now,
    onRecorded: () => recorded.push(now),
    onOutcome: (o, meanFall) => outcomes.push({ action: o.action, outcome: o.outcome, meanFall }),
  });
  return { analyzer, service, recorded, outcomes, advance: (ms: number) => (now += ms) };
}

describe('operator feedback into the ranking', () => {
  it('counts verdicts per action in the analyzer (the state the checkpoint keeps) and knows catalog actions only', () => {
    const { analyzer, service, recorded } = setup(() => null);
    expect(service.knows('memory_leak', 'memory_leak.heap_dump')).toBe(true);
    expect(service.knows('memory_leak', 'io_bound.ionice')).toBe(false);
    const r = service.record({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'not_helpful' });
    expect(r).toEqual({ counts: { helpful: 0, notHelpful: 1, applied: 0 }, measurement: { watching: false, reason: 'not_applied' } });
    service.record({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'helpful' });
    expect(analyzer.feedbackCounts()['memory_leak.heap_dump']).toEqual({ helpful: 1, notHelpful: 1, applied: 0 });
    expect(analyzer.toJSON().feedback['memory_leak.heap_dump']).toEqual({ helpful: 1, notHelpful: 1, applied: 0 });
    expect(recorded).toHaveLength(2);
  });

  it('measures an applied action, and its outcome lowers the learned prior the analyzer ranks with', () => {
    let analysis: AnalysisResult | null = analysisResult(); // api: memory_leak at 0.8
    const { analyzer, service, outcomes, advance } = setup(() => analysis);
    const applied = { group: 'api', kind: 'memory_leak' as const, action: 'memory_leak.heap_dump', verdict: 'applied' as const };
    expect(service.record(applied).measurement).toEqual({ watching: true, severityBefore: 0.8 });
    advance(30 * 60_000);
    expect(service.observe(analysis)).toEqual([expect.objectContaining({ outcome: 'persisted', severityAfter: 0.8 })]);
    expect(outcomes).toEqual([{ action: 'memory_leak.heap_dump', outcome: 'persisted', meanFall: 0 }]);
    expect(analyzer.feedbackCounts()['memory_leak.heap_dump']).toEqual({ helpful: 0, notHelpful: 0, applied: 1, persisted: 1 });
    const [summary] = service.summary();
    expect(summary).toEqual(
      expect.objectContaining({
        action: 'memory_leak.heap_dump',
        catalogPrior: 0.9,
        learnedPrior: 0.72,
        successRate: 0,
        meanSeverityFall: 0,
        applied: 1,
        persisted: 1,
        resolved: 0,
      }),
    );
    // The same counts reach rank() through the analyzer's feedback.
    const ranked = rankSuggestions({ group: 'api', kind: 'memory_leak', severity: 1, evidence: [], feedback: analyzer.feedbackCounts() }, CATALOG);
    expect(ranked.find((s) => s.action === 'memory_leak.heap_dump')?.score).toBeCloseTo(0.72 * ((2 + 1) / (4 + 1)) * 2, 4);
    // Cleared at once the next time: resolved.
    service.record(applied);
    analysis = { ...analysisResult(), bottlenecks: [] };
    advance(60_000);
    expect(service.observe(analysis).map((o) => o.outcome)).toEqual(['resolved']);
    expect(service.measurements().recent.map((o) => o.outcome)).toEqual(['resolved', 'persisted']);
    expect(service.summary()[0].successRate).toBe(0.5);
  });

  it('measures from the analysis an action was applied under, when the bottleneck cleared before it was done', () => {
    const cleared = { ...analysisResult(), bottlenecks: [] };
    const { service, advance } = setup(() => cleared);
    const applied = { group: 'api', kind: 'memory_leak' as const, action: 'memory_leak.heap_dump', verdict: 'applied' as const };
    expect(service.record(applied).measurement).toEqual({ watching: false, reason: 'not_active' });
    expect(service.record(applied, { analysis: analysisResult() }).measurement).toEqual({ watching: true, severityBefore: 0.8 });
    advance(1000);
    expect(service.observe(cleared).map((o) => [o.outcome, o.severityBefore])).toEqual([['resolved', 0.8]]);
  });
});
