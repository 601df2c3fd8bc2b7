import { PLUGIN_BASE_URL } from '../constants';

/** Prefixes the route with the base URL of the plugin. */
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** Link to a group's drilldown (alerts use the same pattern: alert-rules/src/rules.ts). */
export function drilldownUrl(group: string, instance?: string): string {
  const q = instance ? `?var-instance=${encodeURIComponent(instance)}` : '';
  return `${prefixRoute('explorer')}/${encodeURIComponent(group)}${q}`;
}
