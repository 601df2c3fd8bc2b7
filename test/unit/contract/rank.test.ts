import {
  type Catalog,
  feedbackFactor,
  learnedPrior,
  OUTCOME_PRIOR_WEIGHT,
  rankSuggestions,
  successRate,
  topSuggestionsPerGroup,
  CATALOG,
} from '@procsight/contract';

const catalog: Catalog = CATALOG;

describe('ranking', () => {
  it('scores severity × prior × feedback, highest first', () => {
    const r = rankSuggestions({ group: 'api', kind: 'memory_leak', severity: 0.8, evidence: [] }, catalog);
    expect(r[0].action).toBe('memory_leak.heap_dump');
    expect(r[0].score).toBeCloseTo(0.8 * 0.9, 4);
    expect(r.map((s) => s.score)).toEqual([...r.map((s) => s.score)].sort((a, b) => b - a));
  });

  it('lets operator feedback re-rank, symmetrically around "no feedback"', () => {
    expect(feedbackFactor(undefined)).toBe(1);
    expect(feedbackFactor({ helpful: 0, notHelpful: 0, applied: 0 })).toBe(1);
    expect(feedbackFactor({ helpful: 1, notHelpful: 0, applied: 0 })).toBeCloseTo(1.2);
    expect(feedbackFactor({ helpful: 0, notHelpful: 1, applied: 0 })).toBeCloseTo(0.8);
    const r = rankSuggestions(
      {
        group: 'api',
        kind: 'memory_leak',
        severity: 0.8,
        evidence: [],
        feedback: { 'memory_leak.heap_dump': { helpful: 0, notHelpful: 6, applied: 0 }, 'memory_leak.cap_memory': { helpful: 3, notHelpful: 0, applied: 2 } },
      },
      catalog,
    );
    expect(r[0].action).toBe('memory_leak.cap_memory');
  });
});

describe('the prior learns from measured outcomes', () => {
  it('is the catalog prior without outcomes and moves towards the measured success rate with them', () => {
    expect(learnedPrior(0.9, undefined)).toBe(0.9);
    expect(learnedPrior(0.9, { helpful: 5, notHelpful: 0, applied: 5 })).toBe(0.9); // opinions are the feedback factor's, not the prior's
    // Beta mean: (prior × w + resolved) / (w + resolved + persisted)
    expect(learnedPrior(0.9, { helpful: 0, notHelpful: 0, applied: 2, resolved: 0, persisted: 2 })).toBeCloseTo(
      (0.9 * OUTCOME_PRIOR_WEIGHT) / (OUTCOME_PRIOR_WEIGHT + 2),
      10,
    );
    expect(learnedPrior(0.3, { helpful: 0, notHelpful: 0, applied: 40, resolved: 40, persisted: 0 })).toBeGreaterThan(0.9);
    expect(learnedPrior(0.9, { helpful: 0, notHelpful: 0, applied: 100, resolved: 50, persisted: 50 })).toBeCloseTo((0.9 * 4 + 50) / 104, 10);
    expect(successRate(undefined)).toBeNull();
    expect(successRate({ helpful: 0, notHelpful: 0, applied: 3, resolved: 1, persisted: 3 })).toBe(0.25);
  });

  it('re-ranks: an action whose applications keep failing falls behind one that works', () => {
    const base = rankSuggestions({ group: 'api', kind: 'memory_leak', severity: 0.8, evidence: [] }, catalog);
    expect(base[0].action).toBe('memory_leak.heap_dump'); // prior 0.9 vs 0.6
    const r = rankSuggestions(
      {
        group: 'api',
        kind: 'memory_leak',
        severity: 0.8,
        evidence: [],
        feedback: {
          'memory_leak.heap_dump': { helpful: 0, notHelpful: 0, applied: 4, resolved: 0, persisted: 4 },
          'memory_leak.cap_memory': { helpful: 0, notHelpful: 0, applied: 4, resolved: 4, persisted: 0 },
        },
      },
      catalog,
    );
    expect(r[0].action).toBe('memory_leak.cap_memory');
    // applied counts as success in the feedback factor (2 + 4) / (4 + 4) × 2 = 1.5 for both; the learned priors decide
    expect(r[0].score).toBeCloseTo(0.8 * ((0.6 * 4 + 4) / 8) * 1.5, 4);
  });
});

describe('suggestions per group (procsight_suggestion), capped across kinds', () => {
  it('selects by score across kinds with a stable order on ties; a cap of 0 exports none', () => {
    const b = (group: string, kind: 'io_bound' | 'lock_contention', scores: number[]) => ({
      group,
      kind,
      severity: scores[0],
      suggestions: scores.map((score, i) => ({ action: `${kind}.a${i}`, score })),
    });
    const bs = [b('g', 'io_bound', [0.5, 0.2]), b('g', 'lock_contention', [0.6, 0.5, 0.1]), b('h', 'io_bound', [0.3])];
    expect(topSuggestionsPerGroup(bs, 3)).toEqual([
      { group: 'g', kind: 'lock_contention', action: 'lock_contention.a0', score: 0.6 },
      { group: 'g', kind: 'io_bound', action: 'io_bound.a0', score: 0.5 },
      { group: 'g', kind: 'lock_contention', action: 'lock_contention.a1', score: 0.5 },
      { group: 'h', kind: 'io_bound', action: 'io_bound.a0', score: 0.3 },
    ]);
    expect(topSuggestionsPerGroup(bs, 0)).toEqual([]);
  });

  it('gives every active bottleneck its best action before a second action of another, while the cap allows', () => {
    const b = (kind: 'io_bound' | 'lock_contention' | 'fd_exhaustion', scores: number[], severity = scores[0]) => ({
      group: 'g',
      kind,
      severity,
      suggestions: scores.map((score, i) => ({ action: `${kind}.a${i}`, score })),
    });
    // By score alone the top two would both be lock_contention's; io_bound's best still gets a slot.
    expect(topSuggestionsPerGroup([b('lock_contention', [0.9, 0.8]), b('io_bound', [0.3])], 2).map((s) => s.action)).toEqual([
      'lock_contention.a0',
      'io_bound.a0',
    ]);
    // More bottlenecks than the cap: the most severe bottlenecks' best actions.
    expect(topSuggestionsPerGroup([b('lock_contention', [0.9]), b('io_bound', [0.3]), b('fd_exhaustion', [0.5])], 2).map((s) => s.action)).toEqual([
      'lock_contention.a0',
      'fd_exhaustion.a0',
    ]);
    // By severity, not by the actions' scores: a severe bottleneck whose actions have low priors comes first.
    expect(topSuggestionsPerGroup([b('io_bound', [0.5], 0.55), b('fd_exhaustion', [0.3], 0.95)], 1).map((s) => s.action)).toEqual(['fd_exhaustion.a0']);
  });
});
