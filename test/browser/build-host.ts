/**
 * Builds the browser test's host page (host/main.tsx, a stand-in for
 * Grafana's frontend shell) with esbuild into `outDir`, and writes its
 * index.html with the boot data Grafana's server puts in every page
 * (`window.grafanaBootData`: settings with data sources and plugin metas,
 * the user, the theme).
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const PLUGIN_DIST = join(ROOT, 'grafana-plugin', 'dist');
export const SYSTEMJS_DIST = join(ROOT, 'node_modules', 'systemjs', 'dist');
export const UI_ICONS = join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

export interface HostOptions {
  outDir: string;
  datasourceUid: string;
  appUrl: string;
  scrapeInterval: string;
}

function bootData(opts: HostOptions): unknown {
  const app = JSON.parse(readFileSync(join(PLUGIN_DIST, 'plugin.json'), 'utf8')) as { id: string; name: string; info: Record<string, unknown> };
  const panel = JSON.parse(readFileSync(join(PLUGIN_DIST, 'panels', 'suggestions', 'plugin.json'), 'utf8')) as {
    id: string;
    name: string;
    info: Record<string, unknown>;
  };
  const prometheus = {
    id: 1,
    uid: opts.datasourceUid,
    name: 'Prometheus',
    type: 'prometheus',
    access: 'proxy',
    isDefault: true,
    readOnly: true,
    jsonData: { timeInterval: opts.scrapeInterval, httpMethod: 'POST' },
    meta: {
      id: 'prometheus',
      name: 'Prometheus',
      type: 'datasource',
      backend: true,
      metrics: true,
      alerting: true,
      annotations: true,
      module: 'core:plugin/prometheus',
      baseUrl: 'public/plugins/prometheus',
      info: { version: '13.1.0', logos: { small: '', large: '' } },
    },
  };
  // Grafana's built-in data source, in every boot data: instance type `datasource`, plugin id `grafana`, uid `grafana`.
  const grafana = {
    id: -1,
    uid: 'grafana',
    name: '-- Grafana --',
    type: 'datasource',
    isDefault: false,
    readOnly: false,
    jsonData: {},
    meta: {
      id: 'grafana',
      name: '-- Grafana --',
      type: 'datasource',
      builtIn: true,
      backend: true,
      metrics: true,
      annotations: true,
      module: 'core:plugin/grafana',
      baseUrl: 'public/app/plugins/datasource/grafana',
      info: {
        author: { name: 'Grafana Labs' },
        description: 'built-in (stand-in: annotation queries only)',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
  return {
    settings: {
      appUrl: `${opts.appUrl}/`,
      appSubUrl: '',
      defaultDatasource: 'Prometheus',
      datasources: { Prometheus: prometheus, '-- Grafana --': grafana },
      panels: {
        [panel.id]: {
          id: panel.id,
          name: panel.name,
          type: 'panel',
          info: panel.info,
          module: `public/plugins/${app.id}/panels/suggestions/module.js`,
          baseUrl: `public/plugins/${app.id}/panels/suggestions`,
          sort: 100,
          skipDataQuery: false,
          hideFromList: false,
          angular: { detected: false },
        },
      },
      apps: { [app.id]: { id: app.id, path: `public/plugins/${app.id}/module.js`, version: String(app.info.version ?? ''), preload: false } },
      buildInfo: { version: '13.1.0', commit: 'stand-in', env: 'production', edition: 'Open Source' },
      featureToggles: {},
      minRefreshInterval: '1s',
    },
    user: {
      id: 1,
      login: 'admin',
      name: 'admin',
      orgId: 1,
      orgRole: 'Admin',
      isSignedIn: true,
      isGrafanaAdmin: true,
      theme: 'dark',
      timezone: 'browser',
      locale: 'en-US',
      language: 'en-US',
      permissions: {},
    },
    navTree: [],
  };
}

export async function buildHost(opts: HostOptions): Promise<void> {
  mkdirSync(opts.outDir, { recursive: true });
  await build({
    entryPoints: [join(__dirname, 'host', 'main.tsx')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile: join(opts.outDir, 'host.js'),
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.svg': 'dataurl', '.woff': 'empty', '.woff2': 'empty', '.png': 'dataurl', '.css': 'empty' },
    jsx: 'automatic',
    logLevel: 'error',
    sourcemap: false,
    minify: false,
  });
  // Order matters: the host bundle runs before SystemJS's AMD extra defines a
  // global `define` (UMD code inside the bundle would otherwise call it).
  writeFileSync(
    join(opts.outDir, 'index.html'),
    `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="/">
<title>procsight app in a Grafana stand-in host</title>
<script>window.process = { env: { NODE_ENV: 'production' } }; window.grafanaBootData = ${JSON.stringify(bootData(opts)).replace(/</g, '\\u003c')};</script>
<script src="/host/systemjs/system.min.js"></script>
<script src="/host/host.js"></script>
<script src="/host/systemjs/extras/amd.min.js"></script>
</head>
<body>
<div id="reactRoot"></div>
<script>window.__procsightHostStart();</script>
</body>
</html>
`,
  );
}
