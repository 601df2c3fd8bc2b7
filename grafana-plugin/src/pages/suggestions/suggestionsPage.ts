import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { baseVariables, controls, timeRange, type PageOptions } from '../../scenes/common';
import { VariablesReact } from '../../scenes/VariablesReact';
import { SuggestionsView } from '../../components/Suggestions/SuggestionsView';

export const suggestionsPage = (opts: PageOptions = {}) =>
  new SceneAppPage({
    title: 'Suggestions',
    subTitle: 'Ranked actions for the active bottlenecks; your feedback re-ranks them',
    url: prefixRoute(ROUTES.Suggestions),
    routePath: `${ROUTES.Suggestions}/*`,
    getScene: () =>
      new EmbeddedScene({
        $timeRange: timeRange('now-1h'),
        $variables: baseVariables(opts),
        controls: controls(),
        body: new SceneFlexLayout({
          direction: 'column',
          children: [
            new SceneFlexItem({
              body: new VariablesReact({ view: SuggestionsView, instanceLabel: opts.instanceLabel }),
            }),
          ],
        }),
      }),
  });
