import React, { useEffect, useMemo, useState } from 'react';
import { SceneApp, useSceneApp } from '@grafana/scenes';
import type { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { PluginPropsContext } from '../../utils/utils.plugin';
import { overviewPage } from '../../pages/overview/overviewPage';
import { explorerPage } from '../../pages/explorer/explorerPage';
import { suggestionsPage } from '../../pages/suggestions/suggestionsPage';
import { forecastsPage } from '../../pages/forecasts/forecastsPage';
import { actionsPage } from '../../pages/actions/actionsPage';
import { Onboarding } from '../Onboarding/Onboarding';
import { instant, resolveDatasourceUid, errorMessage } from '../../api/prometheus';
import { q } from '../../queries/promql';
import { instanceLabelOf, type AppSettings } from '../../constants';

function makeApp(opts: { datasourceUid: string; instanceLabel: string }) {
  return () =>
    new SceneApp({
      pages: [overviewPage(opts), explorerPage(opts), suggestionsPage(opts), forecastsPage(opts), actionsPage()],
      urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
    });
}

function Scenes({ datasourceUid, instanceLabel }: { datasourceUid: string; instanceLabel: string }) {
  // One factory per settings: useSceneApp caches the app by its factory.
  const factory = useMemo(() => makeApp({ datasourceUid, instanceLabel }), [datasourceUid, instanceLabel]);
  const scene = useSceneApp(factory);
  return <scene.Component model={scene} />;
}

/** Checks for a Prometheus data source and procsight series before showing the pages. */
export function AppBody({ settings }: { settings: AppSettings }) {
  const uid = useMemo(() => resolveDatasourceUid(settings.datasourceUid), [settings.datasourceUid]);
  const [state, setState] = useState<{ for: string; status: 'ready' | 'no-series'; detail?: string } | null>(null);
  useEffect(() => {
    if (!uid) {
      return;
    }
    instant(uid, q.present()).then(
      (r) => setState({ for: uid, status: r.length > 0 && r[0].value > 0 ? 'ready' : 'no-series' }),
      (e: unknown) => setState({ for: uid, status: 'no-series', detail: errorMessage(e) })
    );
  }, [uid]);
  if (!uid) {
    return <Onboarding reason="no-datasource" />;
  }
  if (!state || state.for !== uid) {
    return <LoadingPlaceholder text="Looking for procsight series…" />;
  }
  return state.status === 'ready' ? (
    <Scenes datasourceUid={uid} instanceLabel={instanceLabelOf(settings)} />
  ) : (
    <Onboarding reason="no-series" detail={state.detail} />
  );
}

function App(props: AppRootProps<AppSettings>) {
  return (
    <PluginPropsContext.Provider value={props}>
      <AppBody settings={props.meta.jsonData ?? {}} />
    </PluginPropsContext.Provider>
  );
}

export default App;
