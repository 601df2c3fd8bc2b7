import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as promClient from 'prom-client';
import { Counter, Gauge, Histogram, Registry } from '../../../exporter/src/expose/prom-client';

describe("prom-client's classes from their own files", () => {
  it("are the package index's own classes", () => {
    expect([Counter, Gauge, Histogram, Registry]).toEqual([promClient.Counter, promClient.Gauge, promClient.Histogram, promClient.Registry]);
    const registry = new Registry();
    new Counter({ name: 'procsight_test_total', help: 'h', registers: [registry] }).inc(2);
    expect(registry.getSingleMetric('procsight_test_total')).toBeInstanceOf(promClient.Counter);
  });

  it('load none of the Pushgateway, cluster aggregator, summaries or default metrics', () => {
    const module = join(__dirname, '..', '..', '..', 'exporter', 'src', 'expose', 'prom-client.ts');
    const r = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', `require(${JSON.stringify(module)}); console.log(JSON.stringify(Object.keys(require.cache)))`],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(r.status).toBe(0);
    const loaded = (JSON.parse(r.stdout) as string[])
      .filter((f) => f.includes('/node_modules/prom-client/'))
      .map((f) => f.split('/node_modules/prom-client/')[1]);
    expect(loaded).toContain('lib/registry.js');
    expect(loaded.filter((f) => /^(index|lib\/(pushgateway|cluster|summary|defaultMetrics))\.js$/.test(f))).toEqual([]);
  });
});
