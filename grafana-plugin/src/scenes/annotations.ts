import type { AnnotationQuery } from '@grafana/data';
import { dataLayers, SceneDataLayerSet, sceneGraph, type SceneObject } from '@grafana/scenes';
import type { DataQuery } from '@grafana/schema';
import { FEEDBACK_TAG } from '../constants';

/**
 * Grafana's built-in "-- Grafana --" data source (plugin id `grafana`, uid
 * `grafana`), which answers annotation queries from Grafana's own annotation
 * store (GET /api/annotations).
 */
const GRAFANA_DATASOURCE = { type: 'grafana', uid: 'grafana' };

/** The built-in data source's annotation query (Grafana's `GrafanaAnnotationQuery`): by dashboard, or by tags. */
interface GrafanaAnnotationTarget extends DataQuery {
  type: 'dashboard' | 'tags';
  /** With `type: 'tags'`: annotations carrying these tags (all of them unless `matchAny`). */
  tags?: string[];
  matchAny?: boolean;
  limit: number;
}

/** Name of the feedback annotation layer (shown on its toggle). */
const FEEDBACK_LAYER_NAME = 'Operator feedback';

/**
 * The operator feedback on one group (annotations tagged `procsight` and
 * `group:<group>`, see api/annotations.ts) as an annotation layer on the
 * built-in Grafana data source: the query a dashboard's "Annotations" settings
 * save for "Filter by: Tags" (`target.type: 'tags'`, every tag must match),
 * so the scene's time-series panels draw a mark at each feedback.
 */
export function feedbackAnnotations(group: string): SceneDataLayerSet {
  const query: AnnotationQuery<GrafanaAnnotationTarget> = {
    name: FEEDBACK_LAYER_NAME,
    datasource: GRAFANA_DATASOURCE,
    enable: true,
    iconColor: 'blue',
    target: { refId: 'Anno', type: 'tags', tags: [FEEDBACK_TAG, `group:${group}`], matchAny: false, limit: 100 },
  };
  return new SceneDataLayerSet({
    // The controls label the layers' toggle with the set's name.
    name: FEEDBACK_LAYER_NAME,
    layers: [
      new dataLayers.AnnotationsDataLayer({
        name: FEEDBACK_LAYER_NAME,
        isEnabled: true,
        query,
      }),
    ],
  });
}

/**
 * After a view stored an annotation: when annotation layers are above
 * `model`, refresh the scene's time range, as Grafana's refresh button does.
 * The layers and panels run again over a range that ends at the new "now",
 * so feedback just sent (stamped "now", after the end of the range evaluated
 * when the page opened) shows on the panels at once.
 */
export function refreshAnnotations(model: SceneObject): void {
  const layers = sceneGraph
    .getDataLayers(model)
    .flatMap((p) => (p instanceof SceneDataLayerSet ? p.state.layers : [p]));
  if (layers.some((l) => l instanceof dataLayers.AnnotationsDataLayer)) {
    sceneGraph.getTimeRange(model).onRefresh();
  }
}
