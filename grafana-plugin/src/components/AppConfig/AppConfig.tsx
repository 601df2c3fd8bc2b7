import React, { useState } from 'react';
import { Button, Field, FieldSet, Input, RadioButtonGroup, SecretInput } from '@grafana/ui';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getBackendSrv, locationService } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { DEFAULT_INSTANCE_LABEL, LABEL_NAME, type AppSettings } from '../../constants';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

type CredentialKind = 'none' | 'basic' | 'token';

/** The Authorization header the plugin route sends to the exporter, kept in secureJsonData (never sent back to browsers). */
export function authorizationHeader(kind: CredentialKind, user: string, password: string, token: string): string {
  if (kind === 'basic') {
    // btoa takes Latin-1 only: encode UTF-8 first, as a browser's basic auth does.
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    return `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }
  return kind === 'token' ? `Bearer ${token}` : '';
}

/** An exporter URL the plugin route can call: http(s), a host, no credentials in it. */
export function exporterUrlProblem(url: string): string | null {
  if (url === '') {
    return null;
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'Not a URL: e.g. http://host:9556';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return 'The exporter URL must be http or https.';
  }
  if (u.username || u.password) {
    return 'Put credentials in the fields below, not in the URL (they would be visible to every user).';
  }
  return null;
}

/**
 * Config page: the Prometheus data source (default: Grafana's default) and the
 * instance label, saved in jsonData; the exporter the app sends feedback to
 * and whose remediation actions it shows (URL and instance in jsonData, its
 * credentials in secureJsonData for the plugin route).
 */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [datasourceUid, setDatasourceUid] = useState(jsonData?.datasourceUid ?? '');
  const [instanceLabel, setInstanceLabel] = useState(jsonData?.instanceLabel ?? DEFAULT_INSTANCE_LABEL);
  const [exporterUrl, setExporterUrl] = useState(jsonData?.exporterUrl ?? '');
  const [exporterInstance, setExporterInstance] = useState(jsonData?.exporterInstance ?? '');
  const [credentialsSet, setCredentialsSet] = useState(!!secureJsonFields?.exporterAuthorization);
  const [kind, setKind] = useState<CredentialKind>('none');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [urlError, setUrlError] = useState('');

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!LABEL_NAME.test(instanceLabel)) {
      setError('The instance label must be a Prometheus label name.');
      return;
    }
    const problem = exporterUrlProblem(exporterUrl);
    if (problem) {
      setUrlError(problem);
      return;
    }
    // The route's header template reads this key: it must exist (empty without credentials), or Grafana renders "<no value>".
    const secureJsonData = credentialsSet
      ? undefined
      : { exporterAuthorization: authorizationHeader(kind, user, password, token) };
    await lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/plugins/${plugin.meta.id}/settings`,
        method: 'POST',
        data: {
          enabled,
          pinned,
          jsonData: { datasourceUid, instanceLabel, exporterUrl: exporterUrl.replace(/\/+$/, ''), exporterInstance },
          ...(secureJsonData ? { secureJsonData } : {}),
        },
      })
    );
    locationService.reload();
  };

  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="Data">
        <Field
          label="Prometheus data source"
          description="Where procsight's series are stored. Empty: Grafana's default Prometheus."
        >
          <div data-testid={testIds.appConfig.datasource}>
            <DataSourcePicker
              pluginId="prometheus"
              current={datasourceUid || null}
              onChange={(ds) => setDatasourceUid(ds.uid)}
              noDefault={false}
            />
          </div>
        </Field>
        <Field
          label="Instance label"
          description="Label that names a host in procsight's series: the Instance variable lists its values and every page selects and groups by it."
          invalid={!!error}
          error={error}
        >
          <Input
            data-testid={testIds.appConfig.instanceLabel}
            value={instanceLabel}
            onChange={(e) => setInstanceLabel(e.currentTarget.value.trim())}
            width={30}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Exporter (feedback and remediation)">
        <Field
          label="Exporter URL"
          description="The procsight exporter Grafana's server calls for the Helpful / Not helpful / Applied buttons and the Actions page (e.g. http://host:9556). Empty: feedback stays in Grafana annotations only."
          invalid={!!urlError}
          error={urlError}
        >
          <Input
            data-testid={testIds.appConfig.exporterUrl}
            value={exporterUrl}
            onChange={(e) => setExporterUrl(e.currentTarget.value.trim())}
            width={50}
            placeholder="http://localhost:9556"
          />
        </Field>
        <Field
          label="Exporter instance"
          description="That exporter's value of the instance label: feedback on suggestions for other instances is kept as an annotation only. Empty: every instance."
        >
          <Input
            data-testid={testIds.appConfig.exporterInstance}
            value={exporterInstance}
            onChange={(e) => setExporterInstance(e.currentTarget.value.trim())}
            width={30}
          />
        </Field>
        <Field
          label="Credentials"
          description="What the exporter asks for: a --web.config.file user, or its remediation token (approving actions needs one of them). Stored encrypted by Grafana; browsers never see them."
        >
          {credentialsSet ? (
            <SecretInput
              isConfigured={true}
              value=""
              onReset={() => setCredentialsSet(false)}
              width={30}
              data-testid={testIds.appConfig.credentialsSet}
            />
          ) : (
            <div>
              <RadioButtonGroup
                value={kind}
                onChange={(v) => setKind(v as CredentialKind)}
                options={[
                  { label: 'None', value: 'none' },
                  { label: 'Basic auth', value: 'basic' },
                  { label: 'Bearer token', value: 'token' },
                ]}
              />
              {kind === 'basic' && (
                <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
                  <Input
                    data-testid={testIds.appConfig.exporterUser}
                    placeholder="user"
                    value={user}
                    onChange={(e) => setUser(e.currentTarget.value)}
                    width={20}
                  />
                  <Input
                    data-testid={testIds.appConfig.exporterPassword}
                    placeholder="password"
                    type="password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    width={20}
                  />
                </div>
              )}
              {kind === 'token' && (
                <div style={{ marginTop: 8 }}>
                  <Input
                    data-testid={testIds.appConfig.exporterToken}
                    placeholder="token"
                    type="password"
                    value={token}
                    onChange={(e) => setToken(e.currentTarget.value.trim())}
                    width={40}
                  />
                </div>
              )}
            </div>
          )}
        </Field>
        <Button type="submit" data-testid={testIds.appConfig.submit}>
          Save settings
        </Button>
      </FieldSet>
    </form>
  );
};

export default AppConfig;
