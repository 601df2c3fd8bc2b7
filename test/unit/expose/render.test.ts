import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { renderRegistry } from '../../../exporter/src/expose/render';
import { renderOpenMetrics, type FamilyData } from '../../../exporter/src/expose/openmetrics';

const at = { sliceMs: Infinity, yieldNow: () => Promise.resolve() };

function registryWithEdgeCases(): Registry {
  const registry = new Registry();
  const c = new Counter({ name: 'demo_requests_total', help: 'Requests "served"\nby \\ path.', labelNames: ['path'], registers: [registry] });
  c.inc({ path: 'a"b\\c\nd' }, 3);
  c.inc({ path: 'plain' }, 1.5);
  new Counter({ name: 'demo_bare', help: 'A counter without the suffix.', registers: [registry] }).inc(2);
  const g = new Gauge({ name: 'demo_value', help: 'Gauge.', labelNames: ['kind', 'n'], registers: [registry] });
  g.set({ kind: 'nan', n: 1 }, NaN);
  g.set({ kind: 'inf', n: 2 }, Infinity);
  g.set({ kind: 'neg', n: 3 }, -Infinity);
  g.set({ kind: 'small', n: 4 }, 1e-9);
  new Gauge({ name: 'demo_empty', help: 'No samples.', registers: [registry] });
  const h = new Histogram({ name: 'demo_seconds', help: 'Histogram.', buckets: [0.1, 1], registers: [registry] });
  h.observe(0.5);
  return registry;
}

describe('renderRegistry', () => {
  it("writes prom-client's own text format byte for byte, NaN, infinities and escapes included", async () => {
    const registry = registryWithEdgeCases();
    const rendered = await renderRegistry(registry, at);
    expect(rendered.text).toBe(await registry.metrics());
    expect(rendered.text).toContain('demo_value{kind="nan",n="1"} Nan');
  });

  it('writes the same OpenMetrics as rendering the collected families one format at a time', async () => {
    const registry = registryWithEdgeCases();
    const rendered = await renderRegistry(registry, at);
    const families = (await registry.getMetricsAsJSON()) as unknown as FamilyData[];
    expect(rendered.openmetrics).toBe(renderOpenMetrics(families));
    expect(rendered.openmetrics).toContain('demo_value{kind="nan",n="1"} NaN');
    expect(rendered.openmetrics).toContain('# TYPE demo_bare counter\ndemo_bare_total 2');
    expect(rendered.openmetrics).toContain('demo_requests_total{path="a\\"b\\\\c\\nd"} 3');
    expect(rendered.openmetrics.endsWith('# EOF\n')).toBe(true);
  });

  it('yields between families when a slice has run out', async () => {
    let yields = 0;
    await renderRegistry(registryWithEdgeCases(), { sliceMs: 0, yieldNow: async () => void yields++ });
    expect(yields).toBeGreaterThanOrEqual(5);
  });
});
