/**
 * The browser test's HOST PAGE: a STAND-IN for Grafana's frontend shell, just
 * large enough to load procsight's built plugin the way Grafana 13 does.
 *
 * - Shared dependencies (the bundle's externals: react, react-dom,
 *   @grafana/data|ui|runtime, rxjs, lodash, i18next, react-router, emotion)
 *   come from the real npm packages, registered in SystemJS under
 *   `package:<name>` with an import map, as Grafana's plugin loader does; the
 *   AMD `dist/module.js` is then loaded with `System.import`.
 * - @grafana/runtime is initialised with the service stand-ins of
 *   `services.ts` (backend, data sources, templates, runRequest), and panel
 *   plugins are imported through `setPluginImportUtils` (core panels are
 *   stand-ins; the app's nested panel is loaded from its own module.js).
 * - Routes: `/a/<app id>/…` the app's root page, `/plugins/<app id>` its
 *   config page, `/d/procsight-suggestions` a Scenes dashboard with the
 *   nested "procsight suggestions" panel.
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as rxjs from 'rxjs';
import * as lodash from 'lodash';
import * as i18nextNs from 'i18next';
import * as reactRouter from 'react-router';
import { Route, Router, Routes } from 'react-router';
import {
  AppPlugin,
  EventBusSrv,
  PanelPlugin,
  PluginContextProvider,
  standardEditorsRegistry,
  ThemeContext,
  type AppPluginMeta,
  type KeyValue,
  type PanelPluginMeta,
  type StandardEditorProps,
} from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import {
  config,
  LocationServiceProvider,
  locationService,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setReturnToPreviousHook,
  setRunRequest,
  setTemplateSrv,
  type BackendSrv,
  type PluginPageProps,
} from '@grafana/runtime';
// Grafana core sets its page chrome here; the setter is not part of the package's public entry.
import { setPluginPage } from '../../../node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs';
import {
  DataSourceVariable,
  EmbeddedScene,
  QueryVariable,
  SceneFlexItem,
  SceneFlexLayout,
  SceneTimeRange,
  SceneVariableSet,
  UrlSyncContextProvider,
  VariableValueSelectors,
  VizPanel,
} from '@grafana/scenes';
import { BackendSrvStandIn, DataSourceSrvStandIn, runRequestStandIn, TemplateSrvStandIn } from './services';
import { CORE_PANELS, corePanelStandIn } from './panels';

interface SystemJSLike {
  set(id: string, ns: unknown): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<Record<string, unknown>>;
}
declare const System: SystemJSLike;

const APP_ID = 'procsight-analyzer-app';
const PANEL_ID = 'procsight-suggestions-panel';

/** What Grafana's shared-dependency map gives plugins, from the same npm packages. */
const SHARED: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  rxjs,
  lodash,
  i18next: i18nextNs,
  'react-router': reactRouter,
};

function registerSharedDependencies(): void {
  const imports: Record<string, string> = {};
  for (const [name, ns] of Object.entries(SHARED)) {
    System.set(`package:${name}`, ns);
    imports[name] = `package:${name}`;
  }
  System.addImportMap({ imports });
}

function PluginPageStandIn({ pageNav, children, subTitle, actions }: PluginPageProps) {
  return (
    <div className="page" data-testid="host-page">
      <header style={{ padding: '8px 16px' }}>
        <h1 data-testid="host-page-title">{pageNav?.text}</h1>
        <div>{subTitle ?? pageNav?.subTitle}</div>
        <div>{actions}</div>
      </header>
      <div style={{ padding: '0 16px 16px' }}>{children}</div>
    </div>
  );
}

/**
 * Grafana core fills the panel-option editor registry at boot (its editors
 * live in the app, not in a package); panel plugins' option builders look
 * their editors up there. Stand-in editors: a plain input per option kind.
 */
const OPTION_EDITOR_IDS = [
  'text',
  'number',
  'boolean',
  'radio',
  'select',
  'multiSelect',
  'slider',
  'color',
  'unit',
  'links',
  'mappings',
  'thresholds',
  'field-name',
  'fieldColor',
  'timezone',
  'stats-picker',
  'data-links',
];
function OptionEditorStandIn({ value, onChange }: StandardEditorProps<unknown>) {
  return <input value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.currentTarget.value)} />;
}

function initRuntime(): void {
  standardEditorsRegistry.setInit(() => OPTION_EDITOR_IDS.map((id) => ({ id, name: `${id} (stand-in editor)`, editor: OptionEditorStandIn })));
  setBackendSrv(new BackendSrvStandIn() as unknown as BackendSrv);
  setTemplateSrv(new TemplateSrvStandIn());
  setDataSourceSrv(new DataSourceSrvStandIn());
  setRunRequest(runRequestStandIn);
  setAppEvents(new EventBusSrv());
  setReturnToPreviousHook(() => () => undefined);
  setPluginPage(PluginPageStandIn);
  setPluginImportUtils({
    importPanelPlugin: async (id: string): Promise<PanelPlugin> => {
      if (CORE_PANELS.includes(id)) return corePanelStandIn(id);
      const meta = (config.panels as Record<string, PanelPluginMeta>)[id];
      if (!meta) throw new Error(`panel plugin ${id} is not installed`);
      const exports = await System.import(`/${meta.module}`);
      const plugin = exports.plugin as PanelPlugin;
      plugin.meta = meta;
      panelCache.set(id, plugin);
      return plugin;
    },
    getPanelPluginFromCache: (id: string) => (CORE_PANELS.includes(id) ? corePanelStandIn(id) : panelCache.get(id)),
  });
}
const panelCache = new Map<string, PanelPlugin>();

/** Grafana's history-backed router, as its app shell provides it to plugins. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = React.useState(history.location);
  React.useLayoutEffect(() => history.listen((l: typeof history.location) => setLocation(l)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

async function loadApp(): Promise<{ plugin: AppPlugin; meta: AppPluginMeta }> {
  const meta = await grafanaRuntime.getBackendSrv().get<AppPluginMeta>(`/api/plugins/${APP_ID}/settings`);
  const exports = await System.import(`/${meta.module}`);
  const plugin = exports.plugin as AppPlugin;
  plugin.init(meta);
  plugin.meta = meta;
  return { plugin, meta };
}

function AppRootHost({ plugin, meta }: { plugin: AppPlugin; meta: AppPluginMeta }) {
  const Root = plugin.root;
  if (!Root) return <div>app has no root page</div>;
  const query = Object.fromEntries(new URLSearchParams(window.location.search)) as KeyValue;
  return (
    <PluginContextProvider meta={meta}>
      <nav data-testid="host-nav" style={{ display: 'flex', gap: 16, padding: '8px 16px' }}>
        {(meta.includes ?? [])
          .filter((i) => i.type === 'page' && i.path)
          .map((i) => (
            <a key={i.name} href={i.path} onClick={(e) => (e.preventDefault(), locationService.push(i.path ?? '/'))}>
              {i.name}
            </a>
          ))}
        <a href={`/plugins/${APP_ID}`}>Configuration</a>
      </nav>
      <Root meta={meta} basename={`/a/${APP_ID}`} onNavChanged={() => undefined} query={query} path={window.location.pathname} />
    </PluginContextProvider>
  );
}

function ConfigPageHost({ plugin, meta }: { plugin: AppPlugin; meta: AppPluginMeta }) {
  const page = plugin.configPages?.[0];
  if (!page) return <div>app has no config page</div>;
  const Body = page.body;
  return (
    <PluginContextProvider meta={meta}>
      <div className="page" style={{ padding: 16 }}>
        <h1 data-testid="host-page-title">
          {meta.name}: {page.title}
        </h1>
        <Body plugin={plugin} query={{}} />
      </div>
    </PluginContextProvider>
  );
}

/** A dashboard as Grafana 13 renders them (Scenes), holding the app's nested panel. */
function suggestionsDashboard(): EmbeddedScene {
  const ds = { type: 'prometheus', uid: '${datasource}' };
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-15m', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new DataSourceVariable({ name: 'datasource', label: 'Prometheus', pluginId: 'prometheus' }),
        new QueryVariable({
          name: 'instance',
          label: 'Instance',
          datasource: ds,
          query: { query: 'label_values(procsight_build_info, instance)', refId: 'instance' },
          includeAll: true,
          defaultToAll: true,
          isMulti: true,
        }),
        new QueryVariable({
          name: 'group',
          label: 'Group',
          datasource: ds,
          query: { query: 'label_values(procsight_bottleneck{instance=~"$instance"}, group)', refId: 'group' },
        }),
      ],
    }),
    controls: [new VariableValueSelectors({})],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({
          height: 520,
          body: new VizPanel({ key: 'panel-1', title: 'procsight suggestions', pluginId: PANEL_ID, options: { datasourceUid: '', perBottleneck: 2 } }),
        }),
      ],
    }),
  });
}

function DashboardHost() {
  const scene = React.useMemo(suggestionsDashboard, []);
  return (
    <UrlSyncContextProvider scene={scene}>
      <div className="page" style={{ padding: 16, height: 700 }}>
        <h1 data-testid="host-page-title">Dashboard with the procsight suggestions panel</h1>
        <scene.Component model={scene} />
      </div>
    </UrlSyncContextProvider>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <LocationServiceProvider service={locationService}>
        <HostRouter>{children}</HostRouter>
      </LocationServiceProvider>
    </ThemeContext.Provider>
  );
}

async function start(): Promise<void> {
  await i18nextNs.default.init({ lng: 'en', fallbackLng: 'en', resources: { en: {} } });
  // Services first: SystemJS copies each namespace when it is registered, so setters run before.
  initRuntime();
  registerSharedDependencies();
  const root = createRoot(document.getElementById('reactRoot') as HTMLElement);
  const path = window.location.pathname;
  if (path.startsWith('/d/')) {
    root.render(
      <Shell>
        <DashboardHost />
      </Shell>,
    );
    return;
  }
  const { plugin, meta } = await loadApp();
  root.render(
    <Shell>
      {path.startsWith(`/plugins/${APP_ID}`) ? (
        <ConfigPageHost plugin={plugin} meta={meta} />
      ) : (
        // Grafana mounts an app's root page under this route, so the app's own routes are relative to it.
        <Routes>
          <Route path={`/a/${APP_ID}/*`} element={<AppRootHost plugin={plugin} meta={meta} />} />
        </Routes>
      )}
    </Shell>,
  );
}

(window as unknown as { __procsightHostStart: () => Promise<void> }).__procsightHostStart = () =>
  start().catch((e: unknown) => {
    console.error('host failed to start', e);
    throw e;
  });
