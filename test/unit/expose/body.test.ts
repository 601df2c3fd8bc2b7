import { gunzipSync } from 'node:zlib';
import { openMetricsContentType, prometheusContentType } from 'prom-client';
import { contentTypeOf, formatFor, GzipBodies, joinBody, joinBytes, toBytes } from '../../../exporter/src/expose/body';

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

  it('joins the same body from bytes as from strings, non-ASCII included', () => {
    const parts = [part('a'), part('b'), part('é')];
    for (const format of ['text', 'openmetrics'] as const) {
      expect(joinBytes(parts.map(toBytes), toBytes(part('s')), format).toString()).toBe(joinBody(parts, part('s'), format));
    }
  });

  it('gives each rendering ArrayBuffers of its own, exactly its bytes (transferable, not a slice of the pool)', () => {
    const b = toBytes(part('ü'));
    expect(b.text.byteOffset).toBe(0);
    expect(b.text.buffer.byteLength).toBe(Buffer.byteLength(part('ü').text));
    expect(b.openmetrics.buffer).not.toBe(b.text.buffer);
  });

  it("gzips to exactly the joined body, reusing a part's compressed piece", () => {
    const gz = new GzipBodies();
    const parts = [part('a'), part('b')];
    const bytes = parts.map(toBytes);
    for (const format of ['text', 'openmetrics'] as const) {
      const first = gz.body(bytes, toBytes(part('s1')), format);
      expect(gunzipSync(first).toString()).toBe(joinBody(parts, part('s1'), format));
      const second = gz.body(bytes, toBytes(part('s2')), format);
      expect(gunzipSync(second).toString()).toBe(joinBody(parts, part('s2'), format));
    }
  });
});
