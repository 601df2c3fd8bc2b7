import { type Catalog, feedbackFactor, rankSuggestions, renderTemplate, BOTTLENECK_KINDS, CATALOG } from '@procsight/contract';

const catalog: Catalog = CATALOG;

describe('suggestion catalog', () => {
  it('has actions for every bottleneck kind with stable, unique, kind-prefixed ids and concrete steps', () => {
    const ids = new Set<string>();
    for (const kind of BOTTLENECK_KINDS) {
      const actions = catalog.kinds[kind];
      expect(actions.length).toBeGreaterThanOrEqual(2);
      for (const a of actions) {
        expect(a.id.startsWith(`${kind}.`)).toBe(true);
        expect(ids.has(a.id)).toBe(false);
        ids.add(a.id);
        expect(a.steps.length).toBeGreaterThan(0);
        expect(a.steps.some((s) => s.includes('`'))).toBe(true); // a command to run
        expect(a.prior).toBeGreaterThan(0);
        expect(a.prior).toBeLessThanOrEqual(1);
      }
    }
  });

  it('renders rationale templates from evidence; unknown placeholders render empty', () => {
    const ctx = { group: 'api', severity: 0.73, evidence: [{ feature: 'rss_slope_bytes_per_second', value: 52428.8, text: 'RSS grows 3.0 MiB/min' }] };
    expect(renderTemplate('{{group}}: {{evidence.rss_slope_bytes_per_second.text}} ({{severity}})', ctx)).toBe('api: RSS grows 3.0 MiB/min (73%)');
    expect(renderTemplate('{{nope}}x{{group}}', ctx)).toBe('xapi');
  });

  it('leaves out a sentence whose cited evidence is all missing, keeps one with part of it', () => {
    const ctx = { group: 'api', severity: 0.5, evidence: [{ feature: 'fd_limit_ratio', value: 0.9, text: 'uses 90% of its fd limit' }] };
    const capMemory = catalog.kinds.memory_leak.find((a) => a.id === 'memory_leak.cap_memory')!.rationale;
    expect(renderTemplate(capMemory, ctx)).toBe('Until the leak is fixed, a limit keeps the rest of the host safe.');
    expect(renderTemplate('{{group}}: {{evidence.fd_limit_ratio.text}}{{evidence.fd_time_to_limit_seconds.text}}. Next.', ctx)).toBe('api: uses 90% of its fd limit. Next.');
    expect(renderTemplate('{{evidence.missing.text}}x{{nope}}', ctx)).toBe('');
    expect(renderTemplate('First. {{evidence.missing.value}} left out! Last?', ctx)).toBe('First. Last?');
  });
});

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
      { group: 'api', kind: 'memory_leak', severity: 0.8, evidence: [], feedback: { 'memory_leak.heap_dump': { helpful: 0, notHelpful: 6, applied: 0 }, 'memory_leak.cap_memory': { helpful: 3, notHelpful: 0, applied: 2 } } },
      catalog,
    );
    expect(r[0].action).toBe('memory_leak.cap_memory');
  });
});
