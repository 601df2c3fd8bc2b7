import {
  CustomVariable,
  EmbeddedScene,
  PanelBuilders,
  QueryVariable,
  SceneAppPage,
  SceneFlexItem,
  SceneFlexLayout,
} from '@grafana/scenes';
import { FORECAST_RESOURCES } from '@procsight/contract';
import { ROUTES } from '../../constants';
import { q, type Scope } from '../../queries/promql';
import { prefixRoute } from '../../utils/utils.routing';
import { baseVariables, controls, DS, runner, timeRange, type PageOptions } from '../../scenes/common';
import { VariablesReact } from '../../scenes/VariablesReact';
import { ExhaustionTable } from '../../components/Forecasts/ExhaustionTable';
import { AccuracyTable } from '../../components/Forecasts/AccuracyTable';

/**
 * History plus the forecast band ahead of now: the selected horizon's bounds
 * drawn at the time they predict (negative offset). Horizons come from the
 * exporter's series (`forecast.horizons` is configurable), not from the app.
 */
function bandQueries(s: Scope) {
  const exprs = q.forecastActualByVariable(s, '${group}').map((expr) => ({ expr, legend: 'actual' }));
  for (const b of ['lower', 'mean', 'upper'] as const) {
    exprs.push({
      expr: q.forecastBand(s, '${group}', '${resource}', '${horizon}', b),
      legend: `${b} (\${horizon} ahead)`,
    });
  }
  return exprs;
}

export const forecastsPage = (opts: PageOptions = {}) => {
  const s = { instanceLabel: opts.instanceLabel };
  return new SceneAppPage({
    title: 'Forecasts',
    subTitle: 'What runs out, and when',
    url: prefixRoute(ROUTES.Forecasts),
    routePath: `${ROUTES.Forecasts}/*`,
    getScene: () =>
      new EmbeddedScene({
        // The range ends in the future so the band ahead of now is visible.
        $timeRange: timeRange('now-6h', 'now+6h'),
        $variables: baseVariables({
          ...opts,
          extra: [
            new QueryVariable({
              name: 'group',
              label: 'Group',
              datasource: DS,
              query: { query: q.forecastGroups(s), refId: 'group' },
            }),
            new CustomVariable({
              name: 'resource',
              label: 'Resource',
              query: FORECAST_RESOURCES.join(','),
              value: 'memory',
            }) as unknown as QueryVariable,
            new QueryVariable({
              name: 'horizon',
              label: 'Horizon',
              datasource: DS,
              query: { query: q.forecastHorizons(s), refId: 'horizon' },
            }),
          ],
        }),
        controls: controls(),
        body: new SceneFlexLayout({
          direction: 'column',
          children: [
            new SceneFlexItem({
              height: 360,
              body: PanelBuilders.timeseries()
                .setTitle('${group} ${resource}: history and forecast band')
                .setData(runner(bandQueries(s)))
                .build(),
            }),
            new SceneFlexItem({ body: new VariablesReact({ view: AccuracyTable, instanceLabel: opts.instanceLabel }) }),
            new SceneFlexItem({
              body: new VariablesReact({ view: ExhaustionTable, instanceLabel: opts.instanceLabel }),
            }),
          ],
        }),
      }),
  });
};
