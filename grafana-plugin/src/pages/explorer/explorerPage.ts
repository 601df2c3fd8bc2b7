import {
  EmbeddedScene,
  PanelBuilders,
  SceneAppPage,
  SceneFlexItem,
  SceneFlexLayout,
  type SceneRouteMatch,
} from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { q } from '../../queries/promql';
import { prefixRoute } from '../../utils/utils.routing';
import { baseVariables, controls, runner, timeRange, type PageOptions } from '../../scenes/common';
import { VariablesReact } from '../../scenes/VariablesReact';
import { feedbackAnnotations } from '../../scenes/annotations';
import { BottleneckTable } from '../../components/Explorer/BottleneckTable';
import { SuggestionsView } from '../../components/Suggestions/SuggestionsView';
import { EvidenceView } from '../../components/Evidence/EvidenceView';
import { SlowedByView } from '../../components/SlowedBy/SlowedByView';
import { CorrelationsView } from '../../components/Correlations/CorrelationsView';
import { anomalyTimeseries, bandLegend, withBands } from '../../scenes/anomaly';

function explorerScene(opts: PageOptions) {
  return new EmbeddedScene({
    $timeRange: timeRange('now-6h'),
    $variables: baseVariables(opts),
    controls: controls(),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new VariablesReact({ view: BottleneckTable, instanceLabel: opts.instanceLabel }) }),
      ],
    }),
  });
}

/**
 * Drilldown of one group: its signals with their adaptive bands behind them
 * (the values the detector treats as usual at that time of day), anomaly
 * scores against the threshold, bottleneck periods, the neighbours named as
 * slowing it down, and its suggestions;
 * operator feedback on the group marked on its panels.
 */
function groupScene(group: string, opts: PageOptions) {
  const s = { instanceLabel: opts.instanceLabel };
  const band = (signal: Parameters<typeof q.groupBand>[2], what: string) => ({
    expr: q.groupBand(s, group, signal),
    legend: bandLegend(what),
  });
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
            new SceneFlexItem({
              body: withBands(PanelBuilders.timeseries(), ['cores'])
                .setTitle(`${group}: CPU (cores)`)
                .setData(
                  runner([
                    { expr: q.groupCpu(s, group), legend: '{{mode}}' },
                    { expr: q.groupCpuTotal(s, group), legend: 'total' },
                    band('cpu', 'cores'),
                  ])
                )
                .build(),
            }),
            new SceneFlexItem({
              body: withBands(PanelBuilders.timeseries(), ['resident'])
                .setTitle(`${group}: memory`)
                .setData(runner([{ expr: q.groupMemory(s, group), legend: '{{type}}' }, band('memory', 'resident')]))
                .setUnit('bytes')
                .build(),
            }),
            new SceneFlexItem({
              body: withBands(PanelBuilders.timeseries(), ['read', 'write'])
                .setTitle(`${group}: disk I/O`)
                .setData(
                  runner([
                    { expr: q.groupIo(s, group), legend: '{{direction}}' },
                    band('io_read', 'read'),
                    band('io_write', 'write'),
                  ])
                )
                .setUnit('Bps')
                .build(),
            }),
          ],
        }),
        new SceneFlexLayout({
          height: 260,
          children: [
            new SceneFlexItem({
              body: withBands(PanelBuilders.timeseries(), ['open fds'])
                .setTitle(`${group}: threads and open fds`)
                .setData(
                  runner([
                    ...q
                      .groupThreadsFds(s, group)
                      .map((expr, i) => ({ expr, legend: i === 0 ? 'threads' : 'open fds' })),
                    band('fds', 'open fds'),
                  ])
                )
                .build(),
            }),
            new SceneFlexItem({
              body: withBands(PanelBuilders.timeseries(), ['switches'])
                .setTitle(`${group}: context switches /s`)
                .setData(
                  runner([
                    { expr: q.groupSwitches(s, group), legend: '{{type}}' },
                    { expr: q.groupSwitchesTotal(s, group), legend: 'total' },
                    band('context_switches', 'switches'),
                  ])
                )
                .build(),
            }),
            new SceneFlexItem({
              body: anomalyTimeseries(PanelBuilders.timeseries())
                .setTitle(`${group}: anomaly scores`)
                .setData(runner([{ expr: q.groupAnomaly(s, group), legend: '{{signal}}' }]))
                .build(),
            }),
          ],
        }),
        new SceneFlexItem({
          height: 180,
          body: PanelBuilders.statushistory()
            .setTitle(`${group}: bottleneck periods (severity)`)
            .setData(runner([{ expr: q.groupBottleneckPeriods(s, group), legend: '{{kind}}' }], 120))
            .setMin(0)
            .setMax(1)
            .build(),
        }),
        new SceneFlexItem({
          body: new VariablesReact({ view: EvidenceView, group, instanceLabel: opts.instanceLabel }),
        }),
        new SceneFlexItem({
          body: new VariablesReact({ view: SlowedByView, group, instanceLabel: opts.instanceLabel }),
        }),
        new SceneFlexItem({
          body: new VariablesReact({ view: CorrelationsView, group, instanceLabel: opts.instanceLabel }),
        }),
        new SceneFlexItem({
          body: new VariablesReact({ view: SuggestionsView, group, instanceLabel: opts.instanceLabel }),
        }),
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
            subTitle: 'Signals against their usual bands, anomaly scores, bottleneck periods and suggestions',
            url: `${prefixRoute(ROUTES.Explorer)}/${encodeURIComponent(group)}`,
            routePath: ':group',
            getParentPage: () => parent,
            getScene: () => groupScene(group, opts),
          });
        },
      },
    ],
  });
