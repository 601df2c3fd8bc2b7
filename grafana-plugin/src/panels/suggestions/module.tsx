import React from 'react';
import { PanelPlugin, type PanelProps } from '@grafana/data';
import { SuggestionsView } from '../../components/Suggestions/SuggestionsView';
import { DEFAULT_INSTANCE_LABEL, instanceLabelOf } from '../../constants';

interface Options {
  datasourceUid: string;
  perBottleneck: number;
  /** Label that names a host in procsight's series (the app's config page has the same setting). */
  instanceLabel: string;
}

/** The nested panel: ranked suggestions for the dashboard's $instance and $group. */
function SuggestionsPanel({ options, replaceVariables, height }: PanelProps<Options>) {
  const instance = replaceVariables('${instance:regex}') || '.+';
  const group = replaceVariables('${group}');
  const datasourceUid = replaceVariables(options.datasourceUid || '${datasource}');
  return (
    <div style={{ height, overflow: 'auto' }}>
      <SuggestionsView
        datasourceUid={datasourceUid}
        instance={instance.startsWith('$') ? '.+' : instance}
        instanceLabel={instanceLabelOf({ instanceLabel: options.instanceLabel })}
        group={group && !group.startsWith('$') && group !== 'All' ? group : undefined}
        perBottleneck={options.perBottleneck}
        compact
      />
    </div>
  );
}

export const plugin = new PanelPlugin<Options>(SuggestionsPanel).setPanelOptions((b) =>
  b
    .addTextInput({
      path: 'datasourceUid',
      name: 'Prometheus data source uid',
      description: 'Default: the ${datasource} variable',
      defaultValue: '',
    })
    .addNumberInput({ path: 'perBottleneck', name: 'Suggestions per bottleneck', defaultValue: 3 })
    .addTextInput({
      path: 'instanceLabel',
      name: 'Instance label',
      description: "Label that names a host in procsight's series",
      defaultValue: DEFAULT_INSTANCE_LABEL,
    })
);
