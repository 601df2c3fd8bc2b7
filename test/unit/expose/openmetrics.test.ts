import { renderOpenMetrics } from '../../../exporter/src/expose/openmetrics';

describe('renderOpenMetrics', () => {
  it('renders literal families without touching them', () => {
    const families = [
      { name: 'x_requests_total', help: 'Requests "served"\\ by\nroute.', type: 'counter', values: [{ value: 3, labels: { route: 'a"b\\c\nd' } }] },
      { name: 'x_bare', help: 'A counter named without _total.', type: 'counter', values: [{ value: 1, labels: {} }] },
      { name: 'x_ratio', help: 'Odd values.', type: 'gauge', values: [NaN, Infinity, -Infinity, 1e-7].map((value, i) => ({ value, labels: { i } })) },
      { name: 'x_empty', help: 'No samples yet.', type: 'gauge', values: [] },
      {
        name: 'x_seconds',
        help: 'A histogram.',
        type: 'histogram',
        values: [
          { value: 1, labels: { le: 0.5, op: 'r' }, metricName: 'x_seconds_bucket' },
          { value: 2, labels: { le: '+Inf', op: 'r' }, metricName: 'x_seconds_bucket' },
          { value: 0.75, labels: { op: 'r' }, metricName: 'x_seconds_sum' },
          { value: 2, labels: { op: 'r' }, metricName: 'x_seconds_count' },
        ],
      },
      { name: 'x_other', help: 'Untyped.', type: 'untyped', values: [{ value: 0, labels: { skipped: undefined } }] },
    ];
    const before = JSON.stringify(families);
    expect(renderOpenMetrics(families)).toBe(
      [
        '# HELP x_requests Requests \\"served\\"\\\\ by\\nroute.',
        '# TYPE x_requests counter',
        'x_requests_total{route="a\\"b\\\\c\\nd"} 3',
        '# HELP x_bare A counter named without _total.',
        '# TYPE x_bare counter',
        'x_bare_total 1',
        '# HELP x_ratio Odd values.',
        '# TYPE x_ratio gauge',
        'x_ratio{i="0"} NaN',
        'x_ratio{i="1"} +Inf',
        'x_ratio{i="2"} -Inf',
        'x_ratio{i="3"} 1e-7',
        '# HELP x_empty No samples yet.',
        '# TYPE x_empty gauge',
        '# HELP x_seconds A histogram.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{le="0.5",op="r"} 1',
        'x_seconds_bucket{le="+Inf",op="r"} 2',
        'x_seconds_sum{op="r"} 0.75',
        'x_seconds_count{op="r"} 2',
        '# HELP x_other Untyped.',
        '# TYPE x_other unknown',
        'x_other 0',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(JSON.stringify(families)).toBe(before);
    expect(renderOpenMetrics([])).toBe('# EOF\n');
  });
});
