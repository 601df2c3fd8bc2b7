/**
 * procsight's Grafana dashboards as typed objects; `npx tsx scripts/gen-dashboards.ts`
 * writes dashboards/*.json (committed; test/stack/dashboards.test.ts fails
 * when they drift). Every query uses `$datasource`, `$instance`, `$group`.
 */
export interface Target {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  format?: 'time_series' | 'table';
  refId: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
}

export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  panels: Panel[];
  templating: { list: unknown[] };
  annotations: { list: unknown[] };
  time: { from: string; to: string };
  refresh: string;
  schemaVersion: number;
  version: number;
  editable: boolean;
  timezone: string;
  links: unknown[];
}

const DS = { type: 'prometheus', uid: '${datasource}' };

const datasourceVar = { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1 };
const instanceVar = {
  name: 'instance',
  label: 'Instance',
  type: 'query',
  datasource: DS,
  query: { query: 'label_values(procsight_build_info, instance)', refId: 'instance' },
  definition: 'label_values(procsight_build_info, instance)',
  includeAll: true,
  multi: true,
  current: { text: 'All', value: '$__all' },
  refresh: 2,
  sort: 1,
};
const groupVar = {
  name: 'group',
  label: 'Group',
  type: 'query',
  datasource: DS,
  query: { query: 'label_values(procsight_group_processes{instance=~"$instance"}, group)', refId: 'group' },
  definition: 'label_values(procsight_group_processes{instance=~"$instance"}, group)',
  includeAll: false,
  multi: false,
  refresh: 2,
  sort: 1,
};

let nextId = 1;
function panel(type: string, title: string, pos: [number, number, number, number], targets: Array<Omit<Target, 'refId'>>, extra: Partial<Panel> = {}): Panel {
  return {
    id: nextId++,
    type,
    title,
    gridPos: { x: pos[0], y: pos[1], w: pos[2], h: pos[3] },
    datasource: DS,
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
    fieldConfig: { defaults: {}, overrides: [] },
    options: {},
    ...extra,
  };
}

function unit(u: string, extra: Record<string, unknown> = {}) {
  return { fieldConfig: { defaults: { unit: u, ...extra }, overrides: [] } };
}

function dashboard(uid: string, title: string, panels: Panel[], vars: unknown[], opts: { annotations?: unknown[]; time?: { from: string; to: string } } = {}): Dashboard {
  return {
    uid,
    title,
    tags: ['procsight'],
    panels,
    templating: { list: vars },
    annotations: {
      list: [
        { builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' },
        ...(opts.annotations ?? []),
      ],
    },
    time: opts.time ?? { from: 'now-1h', to: 'now' },
    refresh: '30s',
    schemaVersion: 39,
    version: 1,
    editable: true,
    timezone: 'browser',
    links: [{ title: 'procsight app', type: 'link', url: '/a/procsight-analyzer-app/overview', icon: 'apps' }],
  };
}

export function overview(): Dashboard {
  nextId = 1;
  const i = 'instance=~"$instance"';
  return dashboard(
    'procsight-overview',
    'procsight / Overview',
    [
      panel('stat', 'Instances reporting', [0, 0, 4, 4], [{ expr: `count(procsight_build_info{${i}})`, instant: true }]),
      panel('stat', 'Process groups', [4, 0, 4, 4], [{ expr: `sum(procsight_groups_tracked{${i}})`, instant: true }]),
      panel('stat', 'Processes', [8, 0, 4, 4], [{ expr: `sum(procsight_pids_tracked{${i}})`, instant: true }]),
      panel('bargauge', 'Active bottlenecks by kind', [12, 0, 12, 8], [{ expr: `count by (kind) (procsight_bottleneck{${i}} >= 0.5)`, legendFormat: '{{kind}}', instant: true }]),
      panel('timeseries', 'Top groups by CPU', [0, 8, 12, 8], [{ expr: `topk(10, sum by (instance, group) (rate(procsight_group_cpu_seconds_total{${i}}[$__rate_interval])))`, legendFormat: '{{group}} ({{instance}})' }], unit('none')),
      panel('timeseries', 'Top groups by memory (resident)', [12, 8, 12, 8], [{ expr: `topk(10, sum by (instance, group) (procsight_group_memory_bytes{${i},type="resident"}))`, legendFormat: '{{group}} ({{instance}})' }], unit('bytes')),
      panel('timeseries', 'Top groups by disk I/O', [0, 16, 12, 8], [{ expr: `topk(10, sum by (instance, group) (rate(procsight_group_io_bytes_total{${i}}[$__rate_interval])))`, legendFormat: '{{group}} ({{instance}})' }], unit('Bps')),
      panel('status-history', 'Combined anomaly score per group', [12, 16, 12, 8], [{ expr: `max by (group) (procsight_anomaly_score{${i},signal="combined"})`, legendFormat: '{{group}}' }], unit('percentunit', { min: 0, max: 1 })),
      panel('table', 'Current bottlenecks', [0, 24, 24, 8], [{ expr: `sort_desc(procsight_bottleneck{${i}})`, instant: true, format: 'table' }]),
    ],
    [datasourceVar, instanceVar],
  );
}

export function groupDrilldown(): Dashboard {
  nextId = 1;
  const s = 'instance=~"$instance",group="$group"';
  return dashboard(
    'procsight-group',
    'procsight / Group drilldown',
    [
      panel('timeseries', 'CPU (cores) by mode', [0, 0, 8, 8], [{ expr: `sum by (mode) (rate(procsight_group_cpu_seconds_total{${s}}[$__rate_interval]))`, legendFormat: '{{mode}}' }]),
      panel('timeseries', 'Memory', [8, 0, 8, 8], [{ expr: `procsight_group_memory_bytes{${s}}`, legendFormat: '{{type}}' }], unit('bytes')),
      panel('timeseries', 'Disk I/O', [16, 0, 8, 8], [{ expr: `sum by (direction) (rate(procsight_group_io_bytes_total{${s}}[$__rate_interval]))`, legendFormat: '{{direction}}' }], unit('Bps')),
      panel('timeseries', 'Threads and open fds', [0, 8, 8, 8], [
        { expr: `procsight_group_threads{${s}}`, legendFormat: 'threads' },
        { expr: `procsight_group_open_fds{${s}}`, legendFormat: 'open fds' },
      ]),
      panel('timeseries', 'Context switches /s', [8, 8, 8, 8], [{ expr: `sum by (type) (rate(procsight_group_context_switches_total{${s}}[$__rate_interval]))`, legendFormat: '{{type}}' }]),
      panel('timeseries', 'Run-queue wait (s/s)', [16, 8, 8, 8], [{ expr: `rate(procsight_group_cpu_wait_seconds_total{${s}}[$__rate_interval])`, legendFormat: 'wait' }]),
      panel('timeseries', 'Anomaly scores', [0, 16, 12, 8], [{ expr: `procsight_anomaly_score{${s}}`, legendFormat: '{{signal}}' }], unit('percentunit', { min: 0, max: 1 })),
      panel('status-history', 'Bottleneck periods (severity)', [12, 16, 12, 8], [{ expr: `procsight_bottleneck{${s}}`, legendFormat: '{{kind}}' }], unit('percentunit', { min: 0, max: 1 })),
      { id: nextId++, type: 'procsight-suggestions-panel', title: 'Suggestions', gridPos: { x: 0, y: 24, w: 24, h: 10 }, options: { datasourceUid: '', perBottleneck: 3 } },
    ],
    [datasourceVar, instanceVar, groupVar],
    {
      annotations: [
        {
          name: 'Bottlenecks',
          datasource: DS,
          enable: true,
          iconColor: 'orange',
          expr: `procsight_bottleneck{${s}} >= 0.5`,
          step: '30s',
          titleFormat: '{{kind}}',
          textFormat: 'bottleneck {{kind}} on {{group}}',
          tagKeys: 'kind,group',
          useValueForTime: false,
        },
        { name: 'Operator feedback', datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, iconColor: 'blue', target: { type: 'tags', tags: ['procsight'], limit: 100, matchAny: true } },
      ],
    },
  );
}

export function forecasts(): Dashboard {
  nextId = 1;
  const s = 'instance=~"$instance",group="$group"';
  const horizonVar = {
    name: 'horizon',
    label: 'Horizon',
    type: 'query',
    datasource: DS,
    query: { query: 'label_values(procsight_forecast{instance=~"$instance"}, horizon)', refId: 'horizon' },
    definition: 'label_values(procsight_forecast{instance=~"$instance"}, horizon)',
    refresh: 2,
  };
  const fgroupVar = { ...groupVar, query: { query: 'label_values(procsight_forecast{instance=~"$instance"}, group)', refId: 'group' }, definition: 'label_values(procsight_forecast{instance=~"$instance"}, group)' };
  return dashboard(
    'procsight-forecasts',
    'procsight / Forecasts',
    [
      panel('timeseries', 'Memory: actual and forecast band (drawn at the time it predicts)', [0, 0, 24, 9], [
        { expr: `procsight_group_memory_bytes{${s},type="resident"}`, legendFormat: 'actual' },
        { expr: `procsight_forecast{${s},resource="memory",horizon="$horizon",bound="mean"} offset -$horizon`, legendFormat: 'mean {{horizon}} ahead' },
        { expr: `procsight_forecast{${s},resource="memory",horizon="$horizon",bound="lower"} offset -$horizon`, legendFormat: 'lower' },
        { expr: `procsight_forecast{${s},resource="memory",horizon="$horizon",bound="upper"} offset -$horizon`, legendFormat: 'upper' },
      ], unit('bytes')),
      panel('timeseries', 'All forecasts of the group (value at each horizon)', [0, 9, 12, 8], [{ expr: `procsight_forecast{${s},bound="mean"}`, legendFormat: '{{resource}} {{horizon}}' }]),
      panel('table', 'Time to exhaustion, soonest first', [12, 9, 12, 8], [{ expr: `sort(procsight_forecast_exhaustion_seconds{instance=~"$instance",bound="mean"})`, instant: true, format: 'table' }], unit('s')),
      panel('table', 'Forecast accuracy (MASE: < 1 beats naive)', [0, 17, 12, 8], [{ expr: `procsight_forecast_mase{${s}}`, instant: true, format: 'table' }]),
      panel('table', 'Interval coverage (target = level)', [12, 17, 12, 8], [{ expr: `procsight_forecast_interval_coverage_ratio{${s}}`, instant: true, format: 'table' }], unit('percentunit')),
    ],
    [datasourceVar, instanceVar, fgroupVar, horizonVar],
    { time: { from: 'now-3h', to: 'now+1h' } },
  );
}

export function exporterHealth(): Dashboard {
  nextId = 1;
  const i = 'instance=~"$instance"';
  return dashboard(
    'procsight-exporter',
    'procsight / Exporter health',
    [
      panel('timeseries', 'Collection duration', [0, 0, 12, 8], [{ expr: `procsight_last_collect_duration_seconds{${i}}`, legendFormat: '{{instance}}' }], unit('s')),
      panel('timeseries', 'Collector durations', [12, 0, 12, 8], [{ expr: `procsight_scrape_collector_duration_seconds{${i}}`, legendFormat: '{{instance}} {{collector}}' }], unit('s')),
      panel('timeseries', 'Collection errors /s by reason', [0, 8, 12, 8], [{ expr: `sum by (reason) (rate(procsight_collect_errors_total{${i}}[$__rate_interval]))`, legendFormat: '{{reason}}' }]),
      panel('timeseries', 'Groups, overflow and pids tracked', [12, 8, 12, 8], [
        { expr: `procsight_groups_tracked{${i}}`, legendFormat: 'groups {{instance}}' },
        { expr: `procsight_groups_overflowed{${i}}`, legendFormat: 'overflowed {{instance}}' },
        { expr: `procsight_pids_tracked{${i}}`, legendFormat: 'pids {{instance}}' },
      ]),
      panel('timeseries', 'Series exported', [0, 16, 8, 8], [{ expr: `scrape_samples_scraped{job="procsight",${i}}`, legendFormat: '{{instance}}' }]),
      panel('timeseries', 'Analysis duration (p99)', [8, 16, 8, 8], [{ expr: `histogram_quantile(0.99, sum by (le) (rate(procsight_analysis_duration_seconds_bucket{${i}}[$__rate_interval])))`, legendFormat: 'p99' }], unit('s')),
      panel('timeseries', 'Forecast fit duration (p90) and failures', [16, 16, 8, 8], [
        { expr: `histogram_quantile(0.9, sum by (le) (rate(procsight_forecast_fit_duration_seconds_bucket{${i}}[$__range])))`, legendFormat: 'fit p90' },
        { expr: `sum(procsight_forecast_fits_failed_total{${i}}) or vector(0)`, legendFormat: 'failed fits' },
      ], unit('s')),
      panel('stat', 'Seconds since the last collection', [0, 24, 8, 4], [{ expr: `time() - max(procsight_last_collect_timestamp_seconds{${i}})`, instant: true }], unit('s')),
    ],
    [datasourceVar, instanceVar],
  );
}

export const DASHBOARDS: Record<string, () => Dashboard> = {
  'procsight-overview.json': overview,
  'procsight-group.json': groupDrilldown,
  'procsight-forecasts.json': forecasts,
  'procsight-exporter.json': exporterHealth,
};
