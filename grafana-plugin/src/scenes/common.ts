import {
  DataSourceVariable,
  QueryVariable,
  SceneControlsSpacer,
  SceneDataLayerControls,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
  SceneQueryRunner,
} from '@grafana/scenes';
import { VariableRefresh } from '@grafana/schema';
import { q } from '../queries/promql';

export const DS = { type: 'prometheus', uid: '${ds}' };

/** What every page is built with, from the config page (jsonData). */
export interface PageOptions {
  /** uid of the Prometheus data source (default of `${ds}`). */
  datasourceUid?: string;
  /** Label that names a host in procsight's series (default `instance`); `$instance` selects values of it. */
  instanceLabel?: string;
}

/** `${ds}` (the app's Prometheus, default from the config page) and `$instance` (values of the configured instance label) — on every page. */
export function baseVariables(
  opts: PageOptions & { extra?: Array<DataSourceVariable | QueryVariable> } = {}
): SceneVariableSet {
  return new SceneVariableSet({
    variables: [
      new DataSourceVariable({
        name: 'ds',
        label: 'Prometheus',
        pluginId: 'prometheus',
        value: opts.datasourceUid ?? '',
      }),
      new QueryVariable({
        name: 'instance',
        label: 'Instance',
        datasource: DS,
        query: { query: q.instances({ instanceLabel: opts.instanceLabel }), refId: 'instance' },
        includeAll: true,
        defaultToAll: true,
        isMulti: true,
        refresh: VariableRefresh.onTimeRangeChanged,
      }),
      ...(opts.extra ?? []),
    ],
  });
}

/** Variable pickers (and, with `dataLayers`, the toggles of the scene's annotation layers, as a dashboard shows them), time picker, refresh. */
export function controls(opts: { dataLayers?: boolean } = {}) {
  return [
    new VariableValueSelectors({}),
    ...(opts.dataLayers ? [new SceneDataLayerControls()] : []),
    new SceneControlsSpacer(),
    new SceneTimePicker({ isOnCanvas: true }),
    new SceneRefreshPicker({ intervals: ['30s', '1m', '5m'], isOnCanvas: true }),
  ];
}

export function timeRange(from = 'now-1h', to = 'now'): SceneTimeRange {
  return new SceneTimeRange({ from, to });
}

/** A query runner on `${ds}` with one or more PromQL expressions. */
export function runner(
  exprs: Array<{ expr: string; legend?: string; instant?: boolean; format?: string }>,
  maxDataPoints = 300
): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: DS,
    maxDataPoints,
    queries: exprs.map((e, i) => ({
      refId: String.fromCharCode(65 + i),
      expr: e.expr,
      legendFormat: e.legend,
      instant: e.instant ?? false,
      range: !(e.instant ?? false),
      format: e.format,
    })),
  });
}
