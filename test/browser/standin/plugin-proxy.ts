/**
 * The STAND-IN's app plugin proxy (`/api/plugin-proxy/<app id>/…`), following
 * Grafana's (pkg/api/plugin_proxy.go and pkg/api/pluginproxy/pluginproxy.go):
 *
 * - the proxy path is what follows `/api/plugin-proxy/<id>`, joined onto `/`;
 * - routes of plugin.json are tried in order; the first whose `method` is
 *   empty, `*` or the request's, and whose `path` matches, is taken: a path
 *   without `*` must match exactly, `…/*` matches what starts with it and
 *   passes the rest on (Grafana's web tree);
 * - the route's `reqRole` is checked against the signed-in user's org role
 *   (Viewer < Editor < Admin): 403 "plugin proxy route access denied";
 *   no route: 404 "plugin route match not found";
 * - `url` and header contents are Go templates over `.JsonData` and
 *   `.SecureJsonData`; a key that is not set renders as Go's `<no value>`;
 * - the upstream path is the route URL's path joined with the rest
 *   (util.JoinURLFragments); the query string is passed on;
 * - Cookie and Set-Cookie are dropped, X-Grafana-Context carries the user,
 *   X-Grafana-User the login when `send_user_header` is on (and is dropped
 *   otherwise, so a browser cannot set it), then the route's headers are set.
 */

export interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: string;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';
const RANK: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's `org.RoleType.Includes`: Admin includes Editor includes Viewer. */
export function roleIncludes(user: OrgRole, required: string | undefined): boolean {
  if (!required || !(required in RANK)) return true;
  return RANK[user] >= RANK[required as OrgRole];
}

/** The route Grafana takes for a request, and the part of the path passed on. */
export function matchRoute(routes: readonly PluginRoute[], method: string, proxyPath: string): { route: PluginRoute; rest: string } | null {
  const path = proxyPath.replace(/^\/+/, '');
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) continue;
    const pattern = route.path.replace(/^\/+/, '');
    if (pattern.endsWith('/*')) {
      const prefix = pattern.slice(0, -1);
      if (path.startsWith(prefix) && path.length > prefix.length) return { route, rest: path.slice(prefix.length) };
    } else if (path === pattern) return { route, rest: '' };
  }
  return null;
}

/** Go's text/template for `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}` (all plugin routes use). */
export function interpolate(template: string, data: { JsonData: Record<string, unknown>; SecureJsonData: Record<string, string> }): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_m, map: 'JsonData' | 'SecureJsonData', key: string) => {
    const v = (data[map] as Record<string, unknown>)[key];
    return v === undefined ? '<no value>' : String(v);
  });
}

/** Grafana's util.JoinURLFragments: one slash between the parts, the rest's trailing slash kept. */
export function joinURLFragments(a: string, b: string): string {
  if (b === '') return a;
  const left = a.endsWith('/') ? a.slice(0, -1) : a;
  const right = b.startsWith('/') ? b.slice(1) : b;
  return `${left}/${right}`;
}
