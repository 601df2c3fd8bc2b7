import recorded from '../../tests/fixtures/recorded.json';
import {
  bottleneckRows,
  episodeStart,
  feedbackCounts,
  feedbackPerHost,
  formatSeconds,
  successRates,
  suggestionCards,
  withOutcomes,
} from './shape';
import type { Sample } from '../api/prometheus';

const toSamples = (r: {
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}): Sample[] => r.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));

describe('data shaping (fixtures recorded from a real Prometheus scraping the real exporter)', () => {
  const sev = toSamples(recorded.instant.bottlenecks as never);
  const conf = toSamples(recorded.instant.confidence as never);

  it('joins severity and confidence into rows, most severe first', () => {
    const rows = bottleneckRows(sev, conf);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.map((r) => r.severity)).toEqual([...rows.map((r) => r.severity)].sort((a, b) => b - a));
    const leak = rows.find((r) => r.group === 'leaky-cache');
    expect(leak?.kind).toBe('memory_leak');
    expect(leak?.confidence).toBeGreaterThan(0.5);
  });

  it('ranks catalog suggestions and re-ranks them with feedback', () => {
    const rows = bottleneckRows(sev, conf);
    const plain = suggestionCards(rows, {});
    const leakTop = plain.find((c) => c.group === 'leaky-cache')!;
    expect(leakTop.action).toBe('memory_leak.heap_dump');
    expect(leakTop.steps.length).toBeGreaterThan(0);
    const fb = feedbackCounts([
      { time: 1, text: '', tags: ['procsight', 'feedback:not_helpful', 'action:memory_leak.heap_dump'] },
      { time: 2, text: '', tags: ['procsight', 'feedback:not_helpful', 'action:memory_leak.heap_dump'] },
      { time: 3, text: '', tags: ['procsight', 'feedback:applied', 'action:memory_leak.cap_memory'] },
      { time: 4, text: '', tags: ['unrelated'] },
    ]);
    expect(fb['memory_leak.heap_dump']).toEqual({ helpful: 0, notHelpful: 2, applied: 0 });
    const reranked = suggestionCards(rows, fb).filter((c) => c.group === 'leaky-cache');
    expect(reranked[0].action).toBe('memory_leak.cap_memory');
  });

  it('finds when the current episode started', () => {
    expect(
      episodeStart([
        [100, 1],
        [105, 1],
        [110, 1],
      ])
    ).toBe(100);
    expect(
      episodeStart([
        [100, 1],
        [105, 1],
        [300, 1],
        [305, 1],
      ])
    ).toBe(300);
    expect(episodeStart([])).toBeNull();
  });

  it('names an action whose title has placeholders in words, not as template text', () => {
    const [r] = successRates(
      [
        {
          metric: { kind: 'cpu_starvation', action: 'cpu_starvation.deprioritise_culprit', outcome: 'resolved' },
          value: 1,
        },
      ],
      []
    );
    expect(r.title).toBe('Lower the CPU priority of the culprit');
  });

  it("turns the exporter's measured outcomes into a success rate per action, and ranks with them", () => {
    const o = (action: string, outcome: string, value: number): Sample => ({
      metric: { kind: 'memory_leak', action, outcome },
      value,
    });
    const rates = successRates(
      [
        o('memory_leak.heap_dump', 'resolved', 1),
        o('memory_leak.heap_dump', 'persisted', 3),
        o('memory_leak.cap_memory', 'resolved', 2),
        o('memory_leak.scheduled_restart', 'persisted', 0),
      ],
      [{ metric: { kind: 'memory_leak', action: 'memory_leak.heap_dump' }, value: 0.12 }]
    );
    expect(rates).toEqual([
      {
        kind: 'memory_leak',
        action: 'memory_leak.heap_dump',
        title: 'Take two heap snapshots and diff them',
        resolved: 1,
        persisted: 3,
        rate: 0.25,
        meanFall: 0.12,
      },
      {
        kind: 'memory_leak',
        action: 'memory_leak.cap_memory',
        title: expect.any(String),
        resolved: 2,
        persisted: 0,
        rate: 1,
        meanFall: null,
      },
    ]);
    const counts = withOutcomes({ 'memory_leak.heap_dump': { helpful: 1, notHelpful: 0, applied: 4 } }, rates);
    expect(counts['memory_leak.heap_dump']).toEqual({
      helpful: 1,
      notHelpful: 0,
      applied: 4,
      resolved: 1,
      persisted: 3,
    });
    expect(counts['memory_leak.cap_memory']).toEqual({
      helpful: 0,
      notHelpful: 0,
      applied: 0,
      resolved: 2,
      persisted: 0,
    });
    // The learned priors reorder a leak's suggestions: cap_memory (0.6 → (2.4 + 2) / 6) passes heap_dump (0.9 → (3.6 + 1) / 8).
    const rows = [
      { instance: 'h', group: 'g', kind: 'memory_leak' as const, severity: 0.8, confidence: null, since: null },
    ];
    expect(suggestionCards(rows, {}, 1)[0].action).toBe('memory_leak.heap_dump');
    expect(suggestionCards(rows, withOutcomes({}, rates), 1)[0].action).toBe('memory_leak.cap_memory');
  });

  it("ranks each host's cards with that host's own outcomes, not the sum over the selected hosts", () => {
    const o = (host: string, action: string, outcome: string, value: number): Sample => ({
      metric: { host, kind: 'memory_leak', action, outcome },
      value,
    });
    // Host a measured cap_memory resolving leaks; host b never applied anything.
    const outcomes = [o('a', 'memory_leak.cap_memory', 'resolved', 2), o('a', 'memory_leak.heap_dump', 'persisted', 3)];
    const leak = (instance: string) => ({
      instance,
      group: 'g',
      kind: 'memory_leak' as const,
      severity: 0.8,
      confidence: null,
      since: null,
    });
    const cards = suggestionCards([leak('a'), leak('b')], feedbackPerHost({}, outcomes, 'host'), 1);
    expect(cards.find((c) => c.instance === 'a')?.action).toBe('memory_leak.cap_memory');
    expect(cards.find((c) => c.instance === 'b')?.action).toBe('memory_leak.heap_dump');
    // Summed over both hosts (as before), b's card would have moved too.
    const summed = suggestionCards([leak('b')], withOutcomes({}, successRates(outcomes, [])), 1);
    expect(summed[0].action).toBe('memory_leak.cap_memory');
  });

  it('formats durations', () => {
    expect(formatSeconds(30)).toBe('30 s');
    expect(formatSeconds(1800)).toBe('30 min');
    expect(formatSeconds(5400)).toBe('1.5 h');
  });
});
