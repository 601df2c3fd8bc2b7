import pluginJson from './plugin.json';

export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

export enum ROUTES {
  Overview = 'overview',
  Explorer = 'explorer',
  Suggestions = 'suggestions',
  Forecasts = 'forecasts',
  Actions = 'actions',
}

/** Tag on every annotation the app writes (operator feedback). */
export const FEEDBACK_TAG = 'procsight';

/** Settings saved in the app's jsonData (config page). */
export interface AppSettings {
  /** uid of the Prometheus data source; empty = Grafana's default Prometheus. */
  datasourceUid?: string;
  /** Label that identifies a host in procsight's series (default `instance`). */
  instanceLabel?: string;
  /**
   * Base URL of the exporter the app sends feedback to and whose remediation
   * actions it shows (through its plugin route: Grafana's server calls it,
   * with the credentials kept in secureJsonData.exporterAuthorization).
   */
  exporterUrl?: string;
  /** That exporter's value of the instance label: feedback on other instances' suggestions stays an annotation only. Empty: every instance. */
  exporterInstance?: string;
}

/** Where the plugin routes (plugin.json `routes`) take the exporter's API, relative to Grafana. */
export const EXPORTER_API = `/api/plugin-proxy/${pluginJson.id}/exporter/api/v1`;

/** The label that names a host when none is configured (Prometheus' scrape target label). */
export const DEFAULT_INSTANCE_LABEL = 'instance';

/** A Prometheus label name: what the config page accepts as the instance label. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The instance label every page and query uses: the configured one, else `instance` (also when the saved value is not a label name). */
export function instanceLabelOf(settings: AppSettings): string {
  const l = settings.instanceLabel?.trim();
  return l && LABEL_NAME.test(l) ? l : DEFAULT_INSTANCE_LABEL;
}
