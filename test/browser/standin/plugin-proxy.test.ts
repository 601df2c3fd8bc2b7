import { interpolate, joinURLFragments, matchRoute, roleIncludes, type PluginRoute } from './plugin-proxy';

/** The stand-in's plugin proxy keeps Grafana's route semantics (pkg/api/pluginproxy): checked on the app's own routes. */
const routes: PluginRoute[] = [
  { path: 'exporter/api/v1/feedback', method: 'POST', reqRole: 'Viewer', url: '{{ .JsonData.exporterUrl }}/api/v1/feedback' },
  { path: 'exporter/api/v1/actions', method: 'GET', reqRole: 'Viewer', url: '{{ .JsonData.exporterUrl }}/api/v1/actions' },
  { path: 'exporter/api/v1/actions/*', method: 'POST', reqRole: 'Editor', url: '{{ .JsonData.exporterUrl }}/api/v1/actions' },
];

describe("the stand-in's plugin proxy", () => {
  it('takes the first route whose method and path match; an exact path matches only itself, a /* path passes the rest on', () => {
    expect(matchRoute(routes, 'POST', '/exporter/api/v1/feedback')).toEqual({ route: routes[0], rest: '' });
    expect(matchRoute(routes, 'GET', '/exporter/api/v1/feedback')).toBeNull();
    expect(matchRoute(routes, 'GET', '/exporter/api/v1/actions')).toEqual({ route: routes[1], rest: '' });
    expect(matchRoute(routes, 'GET', '/exporter/api/v1/actions/act-1')).toBeNull();
    expect(matchRoute(routes, 'POST', '/exporter/api/v1/actions/act-1/approve')).toEqual({ route: routes[2], rest: 'act-1/approve' });
    expect(matchRoute(routes, 'POST', '/exporter/api/v1/actions')).toBeNull();
    expect(matchRoute([{ path: 'x', method: '*', url: 'u' }], 'DELETE', '/x')?.route.path).toBe('x');
  });

  it('checks the role (Admin includes Editor includes Viewer)', () => {
    expect(roleIncludes('Viewer', 'Editor')).toBe(false);
    expect(roleIncludes('Editor', 'Editor')).toBe(true);
    expect(roleIncludes('Admin', 'Editor')).toBe(true);
    expect(roleIncludes('Viewer', 'Viewer')).toBe(true);
    expect(roleIncludes('Viewer', undefined)).toBe(true);
  });

  it("templates URLs and headers like Go's text/template: an unset key is <no value>", () => {
    const data = { JsonData: { exporterUrl: 'http://127.0.0.1:9556' }, SecureJsonData: { exporterAuthorization: 'Bearer t' } };
    expect(interpolate('{{ .JsonData.exporterUrl }}/api/v1/actions', data)).toBe('http://127.0.0.1:9556/api/v1/actions');
    expect(interpolate('{{.SecureJsonData.exporterAuthorization}}', data)).toBe('Bearer t');
    expect(interpolate('{{ .SecureJsonData.missing }}', data)).toBe('<no value>');
  });

  it("joins the route URL's path and the rest as util.JoinURLFragments does", () => {
    expect(joinURLFragments('/api/v1/actions', 'act-1/approve')).toBe('/api/v1/actions/act-1/approve');
    expect(joinURLFragments('/api/v1/actions/', '/act-1')).toBe('/api/v1/actions/act-1');
    expect(joinURLFragments('/api/v1/feedback', '')).toBe('/api/v1/feedback');
  });
});
