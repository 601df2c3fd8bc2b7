import { gunzipSync } from 'node:zlib';
import { openMetricsContentType, prometheusContentType } from 'prom-client';
import { contentTypeOf, formatFor, GzipBodies, joinBody } from '../../../exporter/src/expose/body';

const part = (n: string) => ({ text: `# TYPE ${n} gauge\n${n} 1\n`, openmetrics: `# TYPE ${n} gauge\n${n} 1\n# EOF\n` });

describe('expose/body', () => {
  it('negotiates OpenMetrics only when asked for', () => {
    expect(formatFor(undefined)).toBe('text');
    expect(formatFor('text/plain')).toBe('text');
    expect(formatFor('application/openmetrics-text;version=1.0.0,text/plain;q=0.5')).toBe('openmetrics');
    expect(contentTypeOf('text')).toBe(prometheusContentType);
    expect(contentTypeOf('openmetrics')).toBe(openMetricsContentType);
  });

  it('joins parts and self-metrics in order; OpenMetrics ends with one # EOF', () => {
    const parts = [part('a'), part('b')];
    expect(joinBody(parts, part('s'), 'text')).toBe('# TYPE a gauge\na 1\n\n# TYPE b gauge\nb 1\n\n# TYPE s gauge\ns 1\n');
    const om = joinBody(parts, part('s'), 'openmetrics');
    expect(om.match(/# EOF/g)).toHaveLength(1);
    expect(om.endsWith('s 1\n# EOF\n')).toBe(true);
  });

  it("gzips to exactly the joined body, reusing a part's compressed piece", () => {
    const gz = new GzipBodies();
    const parts = [part('a'), part('b')];
    for (const format of ['text', 'openmetrics'] as const) {
      const first = gz.body(parts, part('s1'), format);
      expect(gunzipSync(first).toString()).toBe(joinBody(parts, part('s1'), format));
      const second = gz.body(parts, part('s2'), format);
      expect(gunzipSync(second).toString()).toBe(joinBody(parts, part('s2'), format));
    }
  });
});
