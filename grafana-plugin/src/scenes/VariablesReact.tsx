import React from 'react';
import { refreshAnnotations } from './annotations';
import {
  SceneObjectBase,
  sceneGraph,
  VariableDependencyConfig,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';

/** What a React view inside a scene receives: the scene's variables, interpolated. */
export interface ScopeProps {
  datasourceUid: string;
  /** `$instance` as a regex (multi-value aware). */
  instance: string;
  /** Label that names a host in procsight's series (default `instance`). */
  instanceLabel?: string;
  group?: string;
  resource?: string;
  /** Called after the view stored feedback (an annotation): the scene's annotation layers run again (see scenes/annotations.ts). */
  onAnnotationAdded?: () => void;
}

interface State extends SceneObjectState {
  view: React.ComponentType<ScopeProps>;
  /** Fixed group (drilldown) — otherwise the `$group` variable if the scene has one. */
  group?: string;
  /** The configured instance label, passed on to the view. */
  instanceLabel?: string;
}

/**
 * Renders a React view with the scene's `${ds}`, `$instance` (and `$group`,
 * `$resource` when present) so data access stays in its own modules and the
 * view re-renders when a variable changes.
 */
export class VariablesReact extends SceneObjectBase<State> {
  protected _variableDependency = new VariableDependencyConfig(this, {
    variableNames: ['ds', 'instance', 'group', 'resource'],
    onReferencedVariableValueChanged: () => this.forceRender(),
  });

  static Component = ({ model }: SceneComponentProps<VariablesReact>) => {
    const { view: View, group, instanceLabel } = model.useState();
    const datasourceUid = sceneGraph.interpolate(model, '${ds}');
    const instance = sceneGraph.interpolate(model, '${instance:regex}') || '.+';
    const g =
      group ?? (sceneGraph.lookupVariable('group', model) ? sceneGraph.interpolate(model, '${group}') : undefined);
    const resource = sceneGraph.lookupVariable('resource', model)
      ? sceneGraph.interpolate(model, '${resource}')
      : undefined;
    const onAnnotationAdded = () => refreshAnnotations(model);
    return (
      <View
        datasourceUid={datasourceUid}
        instance={instance}
        instanceLabel={instanceLabel}
        group={g}
        resource={resource}
        onAnnotationAdded={onAnnotationAdded}
      />
    );
  };
}
