import { EmbeddedScene, PanelBuilders, SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { groupOnHostLegend, q } from '../../queries/promql';
import { anomalyStatusHistory } from '../../scenes/anomaly';
import { prefixRoute } from '../../utils/utils.routing';
import { baseVariables, controls, runner, timeRange, type PageOptions } from '../../scenes/common';
import { VariablesReact } from '../../scenes/VariablesReact';
import { BehaviourMapView } from '../../components/BehaviourMap/BehaviourMapView';

function scene(opts: PageOptions) {
  const s = { instanceLabel: opts.instanceLabel };
  return new EmbeddedScene({
    $timeRange: timeRange('now-1h'),
    $variables: baseVariables(opts),
    controls: controls(),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexLayout({
          height: 300,
          children: [
            new SceneFlexItem({
              body: PanelBuilders.timeseries()
                .setTitle('Top groups per instance by CPU (cores)')
                .setData(runner([{ expr: q.topCpu(s), legend: groupOnHostLegend(s) }]))
                .setUnit('none')
                .build(),
            }),
            new SceneFlexItem({
              body: PanelBuilders.timeseries()
                .setTitle('Top groups per instance by memory (resident)')
                .setData(runner([{ expr: q.topMemory(s), legend: groupOnHostLegend(s) }]))
                .setUnit('bytes')
                .build(),
            }),
            new SceneFlexItem({
              body: PanelBuilders.timeseries()
                .setTitle('Top groups per instance by disk I/O')
                .setData(runner([{ expr: q.topIo(s), legend: groupOnHostLegend(s) }]))
                .setUnit('Bps')
                .build(),
            }),
          ],
        }),
        new SceneFlexLayout({
          height: 320,
          children: [
            new SceneFlexItem({
              width: '30%',
              body: PanelBuilders.bargauge()
                .setTitle('Active bottlenecks by kind')
                .setData(runner([{ expr: q.activeByKind(s), legend: '{{kind}}', instant: true }]))
                .build(),
            }),
            new SceneFlexItem({
              body: anomalyStatusHistory(PanelBuilders.statushistory())
                .setTitle('Anomaly heat map (combined score per group over time; red: anomalous)')
                .setData(runner([{ expr: q.anomalyHeatmap(s), legend: '{{group}}' }], 60))
                .build(),
            }),
          ],
        }),
        new SceneFlexItem({ body: new VariablesReact({ view: BehaviourMapView, instanceLabel: opts.instanceLabel }) }),
      ],
    }),
  });
}

export const overviewPage = (opts: PageOptions = {}) =>
  new SceneAppPage({
    title: 'Overview',
    subTitle: 'Top process groups, active bottlenecks, anomalies and the behaviour map per instance',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () => scene(opts),
  });
