import { escapeLabel, groupOnHostLegend, q } from './promql';

describe('PromQL builders', () => {
  it('scope every query to the $instance variable by default', () => {
    expect(q.activeByKind({})).toBe('count by (kind) (procsight_bottleneck{instance=~"$instance"} >= 0.5)');
  });

  it('rank top groups within each instance, never merging hosts', () => {
    expect(q.topCpu({})).toBe('topk by (instance) (10, sum by (instance, group) (rate(procsight_group_cpu_seconds_total{instance=~"$instance"}[$__rate_interval])))');
    expect(q.topMemory({}, 5)).toBe('topk by (instance) (5, sum by (instance, group) (procsight_group_memory_bytes{instance=~"$instance",type="resident"}))');
    expect(q.topIo({})).toBe('topk by (instance) (10, sum by (instance, group) (rate(procsight_group_io_bytes_total{instance=~"$instance"}[$__rate_interval])))');
    expect(groupOnHostLegend({})).toBe('{{group}} on {{instance}}');
  });

  it('use a concrete instance, a regex, or another instance label', () => {
    expect(q.bottlenecks({ instance: 'host-1:9556' })).toBe('procsight_bottleneck{instance="host-1:9556"}');
    expect(q.bottlenecks({ instanceRegex: 'a|b' })).toBe('procsight_bottleneck{instance=~"a|b"}');
    expect(q.bottlenecks({ instance: 'h', instanceLabel: 'host' })).toBe('procsight_bottleneck{host="h"}');
  });

  it('escape label values', () => {
    expect(escapeLabel('a"b\\c')).toBe('a\\"b\\\\c');
    expect(q.groupMemory({ instance: 'h' }, 'we"ird')).toBe('procsight_group_memory_bytes{instance="h",group="we\\"ird"}');
  });

  it('draw a forecast at the time it predicts with a negative offset', () => {
    expect(q.forecastBand({}, 'api', 'memory', '1h', 'upper')).toBe('procsight_forecast{instance=~"$instance",group="api",resource="memory",horizon="1h",bound="upper"} offset -1h');
  });

  it('select the actual series of the resource the variable names', () => {
    const exprs = q.forecastActualByVariable({}, 'api');
    expect(exprs).toHaveLength(4);
    expect(exprs[1]).toContain('procsight_group_memory_bytes{instance=~"$instance",group="api",type="resident"}');
    expect(exprs[1]).toContain('label_replace(vector(1), "r", "$resource", "", "") and on(r) label_replace(vector(1), "r", "memory", "", "")');
    expect(q.forecastActual({}, '_host', 'memory_available')).toBe('procsight_host_memory_bytes{instance=~"$instance",type="available"}');
  });

  it('sort time to exhaustion soonest first', () => {
    expect(q.exhaustion({ instanceRegex: '.+' })).toBe('sort(procsight_forecast_exhaustion_seconds{instance=~".+",bound="mean"})');
  });
});
