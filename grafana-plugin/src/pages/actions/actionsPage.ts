import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout, SceneReactObject } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { ActionsView } from '../../components/Actions/ActionsView';

/**
 * The exporter's remediation actions: what awaits approval (Approve / Reject
 * for Editors and above) and the audit trail. It reads the exporter of the
 * configuration page through the app's plugin route, not Prometheus, so it
 * has no data source or instance variable.
 */
export const actionsPage = () =>
  new SceneAppPage({
    title: 'Actions',
    subTitle:
      'Remediation actions of the configured exporter: approve or reject what awaits approval, see what was done',
    url: prefixRoute(ROUTES.Actions),
    routePath: `${ROUTES.Actions}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [new SceneFlexItem({ body: new SceneReactObject({ component: ActionsView }) })],
        }),
      }),
  });
