import React, { useState } from 'react';
import { Button, Field, FieldSet, Input } from '@grafana/ui';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getBackendSrv, locationService } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { DEFAULT_INSTANCE_LABEL, LABEL_NAME, type AppSettings } from '../../constants';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/** Config page: the Prometheus data source (default: Grafana's default) and the instance label, saved in jsonData. */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [datasourceUid, setDatasourceUid] = useState(jsonData?.datasourceUid ?? '');
  const [instanceLabel, setInstanceLabel] = useState(jsonData?.instanceLabel ?? DEFAULT_INSTANCE_LABEL);
  const [error, setError] = useState('');

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!LABEL_NAME.test(instanceLabel)) {
      setError('The instance label must be a Prometheus label name.');
      return;
    }
    await lastValueFrom(
      getBackendSrv().fetch({ url: `/api/plugins/${plugin.meta.id}/settings`, method: 'POST', data: { enabled, pinned, jsonData: { datasourceUid, instanceLabel } } }),
    );
    locationService.reload();
  };

  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="Data">
        <Field label="Prometheus data source" description="Where procsight's series are stored. Empty: Grafana's default Prometheus.">
          <div data-testid={testIds.appConfig.datasource}>
            <DataSourcePicker pluginId="prometheus" current={datasourceUid || null} onChange={(ds) => setDatasourceUid(ds.uid)} noDefault={false} />
          </div>
        </Field>
        <Field label="Instance label" description="Label that names a host in procsight's series: the Instance variable lists its values and every page selects and groups by it." invalid={!!error} error={error}>
          <Input data-testid={testIds.appConfig.instanceLabel} value={instanceLabel} onChange={(e) => setInstanceLabel(e.currentTarget.value.trim())} width={30} />
        </Field>
        <Button type="submit" data-testid={testIds.appConfig.submit}>
          Save settings
        </Button>
      </FieldSet>
    </form>
  );
};

export default AppConfig;
