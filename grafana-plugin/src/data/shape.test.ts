import recorded from '../../tests/fixtures/recorded.json';
import { bottleneckRows, efficacy, episodeStart, feedbackCounts, formatSeconds, suggestionCards } from './shape';
import type { Sample } from '../api/prometheus';

const toSamples = (r: { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }): Sample[] =>
  r.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));

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
    expect(episodeStart([[100, 1], [105, 1], [110, 1]])).toBe(100);
    expect(episodeStart([[100, 1], [105, 1], [300, 1], [305, 1]])).toBe(300);
    expect(episodeStart([])).toBeNull();
  });

  it('measures efficacy of applied actions', () => {
    expect(efficacy([{ action: 'a', group: 'g', instance: 'i', appliedAt: 0, before: 0.8, after: 0.2 }])[0].improved).toBe(true);
    expect(efficacy([{ action: 'a', group: 'g', instance: 'i', appliedAt: 0, before: 0.8, after: null }])[0].improved).toBeNull();
  });

  it('formats durations', () => {
    expect(formatSeconds(30)).toBe('30 s');
    expect(formatSeconds(1800)).toBe('30 min');
    expect(formatSeconds(5400)).toBe('1.5 h');
  });
});
