import { EmbeddedScene, PanelBuilders, SceneAppPage, SceneFlexItem, SceneFlexLayout, type SceneRouteMatch } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { q } from '../../queries/promql';
import { prefixRoute } from '../../utils/utils.routing';
import { baseVariables, controls, runner, timeRange, type PageOptions } from '../../scenes/common';
import { VariablesReact } from '../../scenes/VariablesReact';
import { feedbackAnnotations } from '../../scenes/annotations';
import { BottleneckTable } from '../../components/Explorer/BottleneckTable';
import { SuggestionsView } from '../../components/Suggestions/SuggestionsView';
import { EvidenceView } from '../../components/Evidence/EvidenceView';

function explorerScene(opts: PageOptions) {
  return new EmbeddedScene({
    $timeRange: timeRange('now-6h'),
    $variables: baseVariables(opts),
    controls: controls(),
    body: new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ body: new VariablesReact({ view: BottleneckTable, instanceLabel: opts.instanceLabel }) })] }),
  });
}

/** Drilldown of one group: its signals, anomaly scores, bottleneck periods, and its suggestions; operator feedback on the group marked on its panels. */
function groupScene(group: string, opts: PageOptions) {
  const s = { instanceLabel: opts.instanceLabel };
  return new EmbeddedScene({
    $timeRange: timeRange('now-6h'),
    $variables: baseVariables(opts),
    $data: feedbackAnnotations(group),
    controls: controls({ dataLayers: true }),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexLayout({
          height: 260,
          children: [
            new SceneFlexItem({ body: PanelBuilders.timeseries().setTitle(`${group}: CPU (cores)`).setData(runner([{ expr: q.groupCpu(s, group), legend: '{{mode}}' }])).build() }),
            new SceneFlexItem({ body: PanelBuilders.timeseries().setTitle(`${group}: memory`).setData(runner([{ expr: q.groupMemory(s, group), legend: '{{type}}' }])).setUnit('bytes').build() }),
            new SceneFlexItem({ body: PanelBuilders.timeseries().setTitle(`${group}: disk I/O`).setData(runner([{ expr: q.groupIo(s, group), legend: '{{direction}}' }])).setUnit('Bps').build() }),
          ],
        }),
        new SceneFlexLayout({
          height: 260,
          children: [
            new SceneFlexItem({
              body: PanelBuilders.timeseries()
                .setTitle(`${group}: threads and open fds`)
                .setData(runner(q.groupThreadsFds(s, group).map((expr, i) => ({ expr, legend: i === 0 ? 'threads' : 'open fds' }))))
                .build(),
            }),
            new SceneFlexItem({ body: PanelBuilders.timeseries().setTitle(`${group}: context switches /s`).setData(runner([{ expr: q.groupSwitches(s, group), legend: '{{type}}' }])).build() }),
            new SceneFlexItem({
              body: PanelBuilders.timeseries().setTitle(`${group}: anomaly scores`).setData(runner([{ expr: q.groupAnomaly(s, group), legend: '{{signal}}' }])).setMin(0).setMax(1).build(),
            }),
          ],
        }),
        new SceneFlexItem({
          height: 180,
          body: PanelBuilders.statushistory().setTitle(`${group}: bottleneck periods (severity)`).setData(runner([{ expr: q.groupBottleneckPeriods(s, group), legend: '{{kind}}' }], 120)).setMin(0).setMax(1).build(),
        }),
        new SceneFlexItem({ body: new VariablesReact({ view: EvidenceView, group, instanceLabel: opts.instanceLabel }) }),
        new SceneFlexItem({ body: new VariablesReact({ view: SuggestionsView, group, instanceLabel: opts.instanceLabel }) }),
      ],
    }),
  });
}

export const explorerPage = (opts: PageOptions = {}) =>
  new SceneAppPage({
    title: 'Bottleneck explorer',
    subTitle: 'Current bottlenecks across the fleet, most severe first',
    url: prefixRoute(ROUTES.Explorer),
    routePath: `${ROUTES.Explorer}/*`,
    getScene: () => explorerScene(opts),
    drilldowns: [
      {
        routePath: ':group',
        getPage(match: SceneRouteMatch<{ group: string }>, parent) {
          const group = decodeURIComponent(match.params.group);
          return new SceneAppPage({
            title: group,
            subTitle: 'Signals, anomaly scores, bottleneck periods and suggestions',
            url: `${prefixRoute(ROUTES.Explorer)}/${encodeURIComponent(group)}`,
            routePath: ':group',
            getParentPage: () => parent,
            getScene: () => groupScene(group, opts),
          });
        },
      },
    ],
  });
