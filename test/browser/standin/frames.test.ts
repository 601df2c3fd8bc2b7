/**
 * @jest-environment jsdom
 */
// jsdom: @grafana/data (used to read the frames back as Grafana does) expects a browser.
import { dataFrameFromJSON, FieldType, getFieldDisplayName } from '@grafana/data';
import { formatLegend, interpolateIntervals, stepFor, toFrames, type PromSeries } from './frames';

describe('Grafana stand-in: Prometheus results as /api/ds/query data frames', () => {
  const matrix: PromSeries[] = [
    {
      metric: { __name__: 'procsight_group_open_fds', group: 'conn-pooler', instance: '127.0.0.1:9556' },
      values: [
        [1000, '5'],
        [1001, '7'],
      ],
    },
    {
      metric: { group: 'web', instance: '127.0.0.1:9556' },
      values: [
        [1000, 'NaN'],
        [1001, '+Inf'],
        [1002, '-Inf'],
        [1003, '2.5'],
      ],
    },
  ];

  it('makes one frame per series that @grafana/data reads back with times in ms, values, labels and the legend as display name', () => {
    // Through JSON, as on the wire.
    const frames = JSON.parse(
      JSON.stringify(toFrames({ refId: 'A', legend: '{{group}} on {{instance}}', expr: 'x', stepMs: 1000, instant: false, result: matrix })),
    );
    expect(frames).toHaveLength(2);
    const df = dataFrameFromJSON(frames[0]);
    expect(df.refId).toBe('A');
    expect(df.fields.map((f) => f.type)).toEqual([FieldType.time, FieldType.number]);
    expect(df.fields[0].values).toEqual([1_000_000, 1_001_000]);
    expect(df.fields[1].values).toEqual([5, 7]);
    expect(df.fields[1].labels).toEqual({ __name__: 'procsight_group_open_fds', group: 'conn-pooler', instance: '127.0.0.1:9556' });
    expect(getFieldDisplayName(df.fields[1], df, [df])).toBe('conn-pooler on 127.0.0.1:9556');
    expect(dataFrameFromJSON(frames[1]).fields[1].values).toEqual([NaN, Infinity, -Infinity, 2.5]);
  });

  it('answers an instant query with one point per series', () => {
    const frames = toFrames({ refId: 'B', expr: 'x', stepMs: 1000, instant: true, result: [{ metric: { kind: 'fd_exhaustion' }, value: [1234.5, '0.9'] }] });
    expect(frames[0].data.values).toEqual([[1_234_500], [0.9]]);
    expect(frames[0].schema.meta.type).toBe('numeric-multi');
  });

  it('formats legends like Grafana: missing labels empty, __auto means none', () => {
    expect(formatLegend('{{ kind }}/{{missing}}', { kind: 'io_bound' })).toBe('io_bound/');
    expect(formatLegend('__auto', { kind: 'io_bound' })).toBeUndefined();
    expect(formatLegend(undefined, {})).toBeUndefined();
  });

  it("resolves the interval variables Grafana's Prometheus backend owns", () => {
    const opts = { intervalMs: 5000, rangeMs: 3_600_000, scrapeIntervalMs: 1000 };
    expect(interpolateIntervals('rate(x[$__rate_interval]) $__interval $__range $__interval_ms $__range_s', opts)).toBe('rate(x[6s]) 5s 3600s 5000 3600');
    // $__rate_interval is at least four scrape intervals.
    expect(interpolateIntervals('[$__rate_interval]', { ...opts, intervalMs: 1000 })).toBe('[4s]');
  });

  it('steps at the request interval, at least 1 s, at most 11,000 points', () => {
    expect(stepFor({ intervalMs: 200, rangeMs: 60_000 })).toBe(1000);
    expect(stepFor({ intervalMs: 15_000, rangeMs: 3_600_000 })).toBe(15_000);
    expect((3_600_000 * 24 * 30) / stepFor({ intervalMs: 1000, rangeMs: 3_600_000 * 24 * 30 })).toBeLessThanOrEqual(11_000);
  });
});
