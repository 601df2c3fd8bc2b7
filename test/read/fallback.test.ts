import { Collector } from '../../exporter/src/pipeline/collector';
import { createSysteminformationReader } from '../../exporter/src/read/fallback/systeminformation-reader';
import { silentLogger } from '../../exporter/src/log/logger';

/** The non-Linux fallback, run here on Linux: it must produce groups from systeminformation alone. */
describe('systeminformation fallback reader', () => {
  it('collects groups with CPU and memory, and leaves /proc-only fields out', async () => {
    const c = new Collector({
      reader: createSysteminformationReader(),
      nameOf: (id) => id.comm,
      grouper: { maxGroups: 200, declared: [], pidSeriesGroups: new Set(), pidSeriesMax: 0, emptyGroupTtlMs: 60_000, maxCgroupsPerGroup: 4 },
      batchSize: 64,
      maxCgroupPressure: 0,
      logger: silentLogger,
    });
    await c.cycle();
    const { snapshot } = await c.cycle();
    expect(snapshot.read.processesRead).toBeGreaterThan(3);
    const node = snapshot.groups.find((g) => g.name === 'node' || g.name === 'jest');
    expect(node).toBeDefined();
    expect(node!.gauges.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(snapshot.host.memoryTotalBytes).toBeGreaterThan(0);
    expect(snapshot.host.pressure.cpu).toBeNull();
    expect(node!.counters.readBytes).toBe(0);
  }, 20_000);
});
