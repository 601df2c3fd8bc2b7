import { escapeLabel, groupOnHostLegend, q } from './promql';

describe('PromQL builders', () => {
  it('scope every query to the $instance variable by default', () => {
    expect(q.activeByKind({})).toBe('count by (kind) (procsight_bottleneck{instance=~"$instance"} >= 0.5)');
  });

  it('rank top groups within each instance, never merging hosts', () => {
    expect(q.topCpu({})).toBe(
      'topk by (instance) (10, sum by (instance, group) (rate(procsight_group_cpu_seconds_total{instance=~"$instance"}[$__rate_interval])))'
    );
    expect(q.topMemory({}, 5)).toBe(
      'topk by (instance) (5, sum by (instance, group) (procsight_group_memory_bytes{instance=~"$instance",type="resident"}))'
    );
    expect(q.topIo({})).toBe(
      'topk by (instance) (10, sum by (instance, group) (rate(procsight_group_io_bytes_total{instance=~"$instance"}[$__rate_interval])))'
    );
    expect(groupOnHostLegend({})).toBe('{{group}} on {{instance}}');
  });

  it('use a concrete instance, a regex, or another instance label', () => {
    expect(q.bottlenecks({ instance: 'host-1:9556' })).toBe('procsight_bottleneck{instance="host-1:9556"}');
    expect(q.bottlenecks({ instanceRegex: 'a|b' })).toBe('procsight_bottleneck{instance=~"a|b"}');
    expect(q.bottlenecks({ instance: 'h', instanceLabel: 'host' })).toBe('procsight_bottleneck{host="h"}');
  });

  it('thread the configured instance label through selectors, groupings, legends and variables', () => {
    const h = { instanceLabel: 'host' };
    expect(q.topIo(h, 3)).toBe(
      'topk by (host) (3, sum by (host, group) (rate(procsight_group_io_bytes_total{host=~"$instance"}[$__rate_interval])))'
    );
    expect(groupOnHostLegend(h)).toBe('{{group}} on {{host}}');
    expect(q.instances(h)).toBe('label_values(procsight_build_info, host)');
    expect(q.instances({})).toBe('label_values(procsight_build_info, instance)');
    expect(q.forecastGroups(h)).toBe('label_values(procsight_forecast{host=~"$instance"}, group)');
    expect(q.maseByForecast({ ...h, instanceRegex: '.+' })).toBe(
      'max by (host, group, resource) (procsight_forecast_mase{host=~".+"})'
    );
    expect(q.coverageByForecast({ ...h, instanceRegex: '.+' })).toBe(
      'min by (host, group, resource) (procsight_forecast_interval_coverage_ratio{host=~".+"})'
    );
    expect(q.exhaustionEarliest({ ...h, instanceRegex: '.+' })).toBe(
      'procsight_forecast_exhaustion_seconds{host=~".+",bound="earliest"}'
    );
    expect(q.outcomes(h)).toBe(
      'sum by (host, kind, action, outcome) (procsight_suggestion_outcomes_total{host=~"$instance"})'
    );
    expect(q.severityFall({ instanceRegex: '.+' })).toBe(
      'avg by (kind, action) (procsight_suggestion_outcome_severity_fall{instance=~".+"})'
    );
  });

  it('escape label values', () => {
    expect(escapeLabel('a"b\\c')).toBe('a\\"b\\\\c');
    expect(q.groupMemory({ instance: 'h' }, 'we"ird')).toBe(
      'procsight_group_memory_bytes{instance="h",group="we\\"ird"}'
    );
  });

  it("select a group's adaptive band, and the totals its CPU and context-switch bands are for", () => {
    expect(q.groupBand({ instance: 'h' }, 'api', 'memory')).toBe(
      'procsight_band{instance="h",group="api",signal="memory"}'
    );
    expect(q.groupCpuTotal({}, 'api')).toBe(
      'sum(rate(procsight_group_cpu_seconds_total{instance=~"$instance",group="api"}[$__rate_interval]))'
    );
    expect(q.groupSwitchesTotal({}, 'api')).toBe(
      'sum(rate(procsight_group_context_switches_total{instance=~"$instance",group="api"}[$__rate_interval]))'
    );
  });

  it('draw a forecast at the time it predicts with a negative offset', () => {
    expect(q.forecastBand({}, 'api', 'memory', '1h', 'upper')).toBe(
      'procsight_forecast{instance=~"$instance",group="api",resource="memory",horizon="1h",bound="upper"} offset -1h'
    );
  });

  it('select the actual series of the resource the variable names', () => {
    const exprs = q.forecastActualByVariable({}, 'api');
    expect(exprs).toHaveLength(4);
    expect(exprs[1]).toContain('procsight_group_memory_bytes{instance=~"$instance",group="api",type="resident"}');
    expect(exprs[1]).toContain(
      'label_replace(vector(1), "r", "$resource", "", "") and on(r) label_replace(vector(1), "r", "memory", "", "")'
    );
    expect(q.forecastActual({}, '_host', 'memory_available')).toBe(
      'procsight_host_memory_bytes{instance=~"$instance",type="available"}'
    );
  });

  it('sort time to exhaustion soonest first', () => {
    expect(q.exhaustion({ instanceRegex: '.+' })).toBe(
      'sort(procsight_forecast_exhaustion_seconds{instance=~".+",bound="mean"})'
    );
  });
});
