import { Collector } from '../../../../exporter/src/pipeline/collector';
import { createSysteminformationReader } from '../../../../exporter/src/read/fallback/systeminformation-reader';
import { silentLogger } from '../../../../exporter/src/log/logger';
import { groupFamilies } from '../../../../exporter/src/expose/families/group';
import * as N from '@procsight/contract';
import type { ExporterState } from '../../../../exporter/src/expose/family';

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
    // Fields the fallback cannot read are absent from /metrics, not exported as 0 (docs/platforms.md).
    expect(node!.unavailable).toEqual(expect.arrayContaining(['readBytes', 'writeBytes', 'openFds', 'swapBytes', 'voluntaryCtxSwitches', 'cpuWaitSeconds']));
    const state = { snapshot: () => snapshot, analysis: () => null, forecasts: () => [], hostInfo: () => null } as unknown as ExporterState;
    const series = (name: string) => [...groupFamilies.find((f) => f.name === name)!.samples(state)].filter(([l]) => l.group === node!.name);
    for (const name of [N.GROUP_IO_BYTES_TOTAL, N.GROUP_OPEN_FDS, N.GROUP_FD_LIMIT_RATIO, N.GROUP_CONTEXT_SWITCHES_TOTAL, N.GROUP_CPU_WAIT_SECONDS_TOTAL])
      expect({ name, series: series(name) }).toEqual({ name, series: [] });
    expect(series(N.GROUP_MEMORY_BYTES).map(([l]) => l.type)).toEqual(['resident', 'virtual']);
    expect(series(N.GROUP_CPU_SECONDS_TOTAL)).toHaveLength(2);
  }, 20_000);
});
